namespace SmallPay.Bench.Scenarios;

/// <summary>The tenant and the ids the sample events in events/ refer to (as seeded by the contract tests' SampleEventData).</summary>
public static class SampleEventIds
{
    public const string Sub = SmallPay.Local.Demo.SampleEventData.Sub;
    public const string CustomerWithInvoices = SmallPay.Local.Demo.SampleEventData.CustomerWithInvoices;
    public const string CustomerWithoutInvoices = SmallPay.Local.Demo.SampleEventData.CustomerWithoutInvoices;
    public const string Draft = SmallPay.Local.Demo.SampleEventData.Draft;
    public const string DraftToDelete = SmallPay.Local.Demo.SampleEventData.DraftToDelete;
    public const string DraftToFinalize = SmallPay.Local.Demo.SampleEventData.DraftToFinalize;
    public const string OpenInvoice = SmallPay.Local.Demo.SampleEventData.OpenInvoice;
    public const string OpenInvoiceToVoid = SmallPay.Local.Demo.SampleEventData.OpenInvoiceToVoid;
    public const string OpenInvoiceToSend = SmallPay.Local.Demo.SampleEventData.OpenInvoiceToSend;
    public const string SentInvoice = SmallPay.Local.Demo.SampleEventData.SentInvoice;
    public const string PendingDelivery = SmallPay.Local.Demo.SampleEventData.PendingDelivery;
}
