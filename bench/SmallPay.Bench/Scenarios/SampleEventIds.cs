namespace SmallPay.Bench.Scenarios;

/// <summary>The tenant and the ids the sample events in events/ refer to (as seeded by the contract tests' DemoTenant).</summary>
public static class SampleEventIds
{
    public const string Sub = "5f1c2f9e-3b8d-4b7e-9a0c-0e7e4e000001";
    public const string CustomerWithInvoices = "cus_01JE3Z4Q6M8N9P0R2S4T6V8W0X";
    public const string CustomerWithoutInvoices = "cus_01JE3Z4Q6M8N9P0R2S4T6V8W1Y";
    public const string Draft = "inv_01JE40A2B3C4D5E6F7G8H9J0K1";
    public const string DraftToDelete = "inv_01JE40A2B3C4D5E6F7G8H9J0K2";
    public const string DraftToFinalize = "inv_01JE40A2B3C4D5E6F7G8H9J0K3";
    public const string OpenInvoice = "inv_01JE40A2B3C4D5E6F7G8H9J0K4";
    public const string OpenInvoiceToVoid = "inv_01JE40A2B3C4D5E6F7G8H9J0K5";
    public const string OpenInvoiceToSend = "inv_01JE40A2B3C4D5E6F7G8H9J0K6";
    public const string SentInvoice = "inv_01JE40A2B3C4D5E6F7G8H9J0K7";
    public const string PendingDelivery = "dlv_01JE40D7P2M4K8R6T1V3X5Z9B7";
}
