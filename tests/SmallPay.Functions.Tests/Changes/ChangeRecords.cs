using Amazon.DynamoDBv2.Model;
using SmallPay.Domain;
using SmallPay.Domain.Customers;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Functions.Hosting.Sqs;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Tests.Changes;

/// <summary>
/// Stream records of items written the way the stores write them (ItemMapping, CustomerStore's attributes, the credit
/// note's documented shape), in the DynamoDB JSON a Lambda DynamoDB event carries.
/// </summary>
internal static class ChangeRecords
{
    public const string Business = "5f1c2f9e-3b8d-4b7e-9a0c-0e7e4e000001";
    public const string User = "5f1c2f9e-3b8d-4b7e-9a0c-0e7e4e000002";
    public const string InvoicesStream = "arn:aws:dynamodb:eu-central-1:123456789012:table/smallpay-dev-InvoicesTable-1A2B/stream/2026-09-01T00:00:00.000";
    public const string CustomersStream = "arn:aws:dynamodb:eu-central-1:123456789012:table/smallpay-dev-CustomersTable-3C4D/stream/2026-09-01T00:00:00.000";
    public static readonly DateTimeOffset Now = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
    private static long _sequence = 17450439000;

    public static string NextSequence() => "44215845000000000" + Interlocked.Increment(ref _sequence).ToString(System.Globalization.CultureInfo.InvariantCulture);

    // ---- items --------------------------------------------------------------------------------------------------

    public static Invoice Draft(string id = "inv_01JE40A2B3C4D5E6F7G8H9J0K4", params InvoiceLine[] lines) =>
        InvoiceLifecycle.CreateDraft(id, Business,
            new InvoiceContent("cus_01JE3Z4Q6M8N9P0R2S4T6V8W0X", "EUR", new DateOnly(2026, 12, 5), null, 14,
                lines.Length > 0 ? lines : [new InvoiceLine("Consulting", 10m, 120m, 0m, 19m)], InvoiceDiscount.None, null),
            new CustomerSnapshot("Müller GmbH", "billing@mueller-gmbh.example", null, null), Now) with { UpdatedBy = User };

    /// <summary>The next version, as an API handler writes it.</summary>
    public static Invoice Next(Invoice invoice, Func<Invoice, Invoice> change) => change(invoice) with { Version = invoice.Version + 1, UpdatedBy = User };

    public static Dictionary<string, AttributeValue> Item(Invoice invoice) => ItemMapping.ToItem(invoice);

    public static Dictionary<string, AttributeValue> Delivery(string invoiceId, DeliveryRequest request, DeliveryResult? result = null, string changedBy = "api")
    {
        var item = ItemMapping.ToItem(invoiceId, Business, request);
        if (result is not null) item["result"] = new AttributeValue { M = ItemMapping.ToMap(result) };
        item["changedBy"] = new AttributeValue { S = changedBy };
        return item;
    }

    public static DeliveryRequest Request(DeliveryKind kind = DeliveryKind.Invoice, params string[] to) =>
        new("dlv_01JE40D7P2M4K8R6T1V3X5Z9B7", to.Length > 0 ? to : ["billing@mueller-gmbh.example"], [], "Invoice INV-000006", null, Now, 2, kind,
            kind == DeliveryKind.Reminder ? "after-7" : null, kind == DeliveryKind.Reminder ? "7 days overdue" : null);

    /// <summary>A customer item as DynamoDbCustomerStore.CreateAsync / UpdateAsync leave it.</summary>
    public static Dictionary<string, AttributeValue> Customer(Customer customer)
    {
        var item = ItemMapping.DetailsAttributes(customer.Details);
        item["id"] = S(customer.Id);
        item["entity"] = S("Customer");
        item["creator"] = S(customer.Tenant);
        item["sortKey"] = S($"{item["sortKey"].S}#{customer.Id}");
        item["version"] = new AttributeValue { N = customer.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        item["invoiceCount"] = new AttributeValue { N = customer.InvoiceCount.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        item["createdAt"] = S(customer.CreatedAt.UtcDateTime.ToString("O"));
        item["updatedAt"] = S(customer.UpdatedAt.UtcDateTime.ToString("O"));
        if (customer.UpdatedBy is { } by) item["updatedBy"] = S(by);
        return item;
    }

    public static Customer NewCustomer() => new()
    {
        Id = "cus_01JE3Z4Q6M8N9P0R2S4T6V8W0X", Tenant = Business,
        Details = new CustomerDetails("Müller GmbH", "billing@mueller-gmbh.example", null, null, null, "de", false),
        Version = 1, CreatedAt = Now, UpdatedAt = Now, UpdatedBy = User,
    };

    /// <summary>A credit note as the credit-note engineer stores it (issue 14's shape).</summary>
    public static Dictionary<string, AttributeValue> CreditNote(string invoiceId) => new()
    {
        ["id"] = S("crn_01JE50A2B3C4D5E6F7G8H9J0K1"),
        ["entity"] = S("CreditNote"),
        ["business"] = S(Business),
        ["invoiceId"] = S(invoiceId),
        ["invoiceNumber"] = S("INV-000006"),
        ["number"] = S("CRN-000001"),
        ["currency"] = S("EUR"),
        ["total"] = new AttributeValue { N = "238.00" },
        ["reason"] = S("Two hours billed twice"),
        ["issuedAt"] = S(Now.AddDays(3).UtcDateTime.ToString("O")),
        ["changedBy"] = S("api"),
        ["updatedBy"] = S(User),
        ["version"] = new AttributeValue { N = "1" },
    };

    // ---- records ------------------------------------------------------------------------------------------------

    public static DynamoDbStreamRecord Insert(Dictionary<string, AttributeValue> item, string? sequence = null, string stream = InvoicesStream) =>
        Record("INSERT", null, item, sequence, stream);

    public static DynamoDbStreamRecord Modify(Dictionary<string, AttributeValue> old, Dictionary<string, AttributeValue> now, string? sequence = null, string stream = InvoicesStream) =>
        Record("MODIFY", old, now, sequence, stream);

    public static DynamoDbStreamRecord Remove(Dictionary<string, AttributeValue> old, string? sequence = null, string stream = InvoicesStream) =>
        Record("REMOVE", old, null, sequence, stream);

    private static DynamoDbStreamRecord Record(string name, Dictionary<string, AttributeValue>? old, Dictionary<string, AttributeValue>? now, string? sequence, string stream) => new()
    {
        EventId = Guid.NewGuid().ToString("N"),
        EventName = name,
        EventVersion = "1.1",
        EventSource = "aws:dynamodb",
        AwsRegion = "eu-central-1",
        EventSourceArn = stream,
        Dynamodb = new DynamoDbStreamChange
        {
            ApproximateCreationDateTime = Now.AddMinutes(5).ToUnixTimeSeconds(),
            Keys = new() { ["id"] = new DynamoDbJsonValue { S = (now ?? old)!["id"].S } },
            OldImage = old is null ? null : Json(old),
            NewImage = now is null ? null : Json(now),
            SequenceNumber = sequence ?? NextSequence(),
            SizeBytes = 800,
            StreamViewType = "NEW_AND_OLD_IMAGES",
        },
    };

    public static Dictionary<string, DynamoDbJsonValue> Json(Dictionary<string, AttributeValue> item) => item.ToDictionary(p => p.Key, p => Json(p.Value));

    private static DynamoDbJsonValue Json(AttributeValue value) => new()
    {
        S = value.S,
        N = value.N,
        Bool = value.BOOL,
        Null = value.NULL,
        M = value.M is { Count: > 0 } || value.IsMSet ? value.M!.ToDictionary(p => p.Key, p => Json(p.Value)) : null,
        L = value.L is { Count: > 0 } || value.IsLSet ? value.L!.Select(Json).ToList() : null,
    };

    private static AttributeValue S(string value) => new() { S = value };
}
