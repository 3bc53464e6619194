using Amazon.DynamoDBv2.Model;
using SmallPay.Domain.Customers;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Reminders;
using SmallPay.Domain.Settings;
using static SmallPay.Functions.Storage.Attributes;

namespace SmallPay.Functions.Storage;

/// <summary>Maps domain records to DynamoDB items and back, by hand (no reflection at start-up).</summary>
internal static class ItemMapping
{
    public const string EntityInvoice = "Invoice";
    public const string EntityCustomer = "Customer";
    public const string EntitySettings = "Settings";

    // ---- invoices -------------------------------------------------------------------------------------------

    /// <summary>Who wrote an invoice item last (<c>changedBy</c>): the Pipe's filter passes only the API's writes.</summary>
    public const string ChangedByApi = "api";
    public const string ChangedByWorker = "worker";

    /// <summary>Optional attributes the API owns: an update that has no value for one removes it.</summary>
    public static readonly IReadOnlyList<string> OptionalApiAttributes =
        ["number", "notes", "paymentTermsDays", "dueDateExplicit", "finalizedAt", "paidDate", "voidedAt", "voidReason", "updatedBy", "recurringProfileId", "quoteId",
         "credits", "creditedTotal", "owedToCustomer", "refunds"];

    /// <summary>A new invoice item: the API's attributes (its e-mails are items of their own: <see cref="ToItem(string, DeliveryRequest)"/>).</summary>
    public static Dictionary<string, AttributeValue> ToItem(Invoice invoice) => ApiAttributes(invoice);

    // ---- deliveries ------------------------------------------------------------------------------------------

    public const string EntityDelivery = "Delivery";

    /// <summary>
    /// One "e-mail this invoice" request as an item of its own, <c>delivery#{invoiceId}#{requestId}</c>, listed under its
    /// invoice in the "rank" index (oldest first): however often an invoice is sent, its own item stays the same size.
    /// The worker records the outcome in its <c>result</c> map.
    /// </summary>
    public static Dictionary<string, AttributeValue> ToItem(string invoiceId, string business, DeliveryRequest request) => new()
    {
        ["id"] = S(DeliveryId(invoiceId, request.RequestId)),
        ["entity"] = S(EntityDelivery),
        ["invoiceId"] = S(invoiceId),
        ["business"] = S(business),
        ["request"] = M(ToMap(request)),
        ["rankedIn"] = S(DeliveriesRanking(invoiceId)),
        ["rank"] = N(request.RequestedAt.ToUnixTimeMilliseconds()),
        ["changedBy"] = S(ChangedByApi),
    };

    public static (DeliveryRequest Request, DeliveryResult? Result) ToDelivery(Dictionary<string, AttributeValue> item) =>
        (ToDeliveryRequest(item.GetMap("request") ?? []), item.GetMap("result") is { } result ? ToDeliveryResult(result) : null);

    public static string DeliveryId(string invoiceId, string requestId) => $"delivery#{invoiceId}#{requestId}";

    public static string DeliveriesRanking(string invoiceId) => $"deliveries#{invoiceId}";

    /// <summary>
    /// Every attribute of an invoice item the API owns (docs/ARCHITECTURE.md, "Who writes what"): never the worker's
    /// <c>document</c>, nor the e-mails (their own items; invoices stored before kept theirs in <c>deliveryRequests</c>
    /// and <c>deliveryResults</c>, which no write touches any more), so an update built from these cannot overwrite them.
    /// </summary>
    public static Dictionary<string, AttributeValue> ApiAttributes(Invoice invoice)
    {
        var content = invoice.Content;
        var totals = invoice.Totals;
        var item = new Dictionary<string, AttributeValue>
        {
            ["id"] = S(invoice.Id),
            ["entity"] = S(EntityInvoice),
            ["creator"] = S(invoice.Tenant),
            ["sortKey"] = S($"{content.IssueDate:yyyy-MM-dd}#{invoice.Id}"),
            ["status"] = S(invoice.Status.ToString()),
            ["customerId"] = S(content.CustomerId),
            ["customer"] = M(ToMap(invoice.Customer)),
            ["currency"] = S(content.Currency),
            ["issueDate"] = Date(content.IssueDate),
            ["dueDate"] = Date(invoice.DueDate),
            ["lines"] = L(content.Lines.Select(l => M(new()
            {
                ["description"] = S(l.Description),
                ["quantity"] = N(l.Quantity),
                ["unitPrice"] = N(l.UnitPrice),
                ["discountPercent"] = N(l.DiscountPercent),
                ["taxRatePercent"] = N(l.TaxRatePercent),
            })).ToList()),
            ["discountKind"] = S(content.Discount.Kind.ToString()),
            ["discountValue"] = N(content.Discount.Value),
            ["payments"] = L(invoice.Payments.Select(p => M(new Dictionary<string, AttributeValue>
            {
                ["id"] = S(p.Id),
                ["amount"] = N(p.Amount),
                ["date"] = Date(p.Date),
                ["method"] = S(p.Method.ToString()),
                ["recordedAt"] = Time(p.RecordedAt),
            }.WithOptional("note", p.Note))).ToList()),
            ["version"] = N(invoice.Version),
            ["createdAt"] = Time(invoice.CreatedAt),
            ["updatedAt"] = Time(invoice.UpdatedAt),
            // The "rank" index lists a tenant's invoices by last change (the dashboard's recent invoices).
            ["rankedIn"] = S(RecentRanking(invoice.Tenant)),
            ["rank"] = N(invoice.UpdatedAt.ToUnixTimeMilliseconds()),
            // Derived copies for filters (list, dashboard) and the document pipeline; never read back as truth.
            ["total"] = N(totals.Total),
            ["balanceDue"] = N(totals.BalanceDue),
            ["searchText"] = S($"{invoice.Number} {invoice.Customer.Name} {invoice.Customer.Email}".ToLowerInvariant().Trim()),
            ["changedBy"] = S(ChangedByApi),
        };
        item.PutIfPresent("updatedBy", invoice.UpdatedBy);
        item.PutIfPresent("number", invoice.Number);
        item.PutIfPresent("notes", content.Notes);
        if (content.PaymentTermsDays is { } terms) item["paymentTermsDays"] = N(terms);
        if (content.DueDate is not null) item["dueDateExplicit"] = new AttributeValue { BOOL = true };
        if (invoice.FinalizedAt is { } finalized) item["finalizedAt"] = Time(finalized);
        if (invoice.PaidDate is { } paid) item["paidDate"] = Date(paid);
        if (invoice.VoidedAt is { } voided) item["voidedAt"] = Time(voided);
        item.PutIfPresent("voidReason", invoice.VoidReason);
        item.PutIfPresent("recurringProfileId", invoice.RecurringProfileId);
        item.PutIfPresent("quoteId", invoice.QuoteId);
        if (invoice.Credits.Count > 0)
        {
            // The credit notes issued against it (each its own item too): bounded by CreditNoteRules.MaxPerInvoice.
            item["credits"] = L(invoice.Credits.Select(c => M(new()
            {
                ["creditNoteId"] = S(c.CreditNoteId), ["number"] = S(c.Number), ["amount"] = N(c.Amount), ["issuedAt"] = Time(c.IssuedAt), ["owed"] = N(c.Owed),
            })).ToList());
            item["creditedTotal"] = N(invoice.CreditedTotal);
            item["owedToCustomer"] = N(invoice.OwedToCustomer);
        }
        if (invoice.Refunds.Count > 0)
            item["refunds"] = L(invoice.Refunds.Select(r => M(new()
            {
                ["id"] = S(r.Id), ["creditNoteId"] = S(r.CreditNoteId), ["amount"] = N(r.Amount), ["date"] = Date(r.Date),
            })).ToList());
        return item;
    }

    public static Invoice ToInvoice(Dictionary<string, AttributeValue> item)
    {
        var explicitDue = item.TryGetValue("dueDateExplicit", out var flag) && flag.BOOL == true;
        var content = new InvoiceContent(
            item.RequireString("customerId"),
            item.RequireString("currency"),
            item.GetDate("issueDate")!.Value,
            explicitDue ? item.GetDate("dueDate") : null,
            item.GetInt("paymentTermsDays"),
            item.GetList("lines").Select(l => new InvoiceLine(
                l.M.RequireString("description"), l.M.GetDecimal("quantity"), l.M.GetDecimal("unitPrice"),
                l.M.GetDecimal("discountPercent"), l.M.GetDecimal("taxRatePercent"))).ToList(),
            new InvoiceDiscount(Enum.Parse<DiscountKind>(item.RequireString("discountKind")), item.GetDecimal("discountValue")),
            item.GetString("notes"));
        return new Invoice
        {
            Id = item.RequireString("id"),
            Tenant = item.RequireString("creator"),
            Number = item.GetString("number"),
            Status = Enum.Parse<InvoiceStatus>(item.RequireString("status")),
            Content = content,
            Customer = ToSnapshot(item.GetMap("customer")),
            Payments = item.GetList("payments").Select(p => new Payment(
                p.M.RequireString("id"), p.M.GetDecimal("amount"), p.M.GetDate("date")!.Value,
                Enum.Parse<PaymentMethod>(p.M.RequireString("method")), p.M.GetString("note"), p.M.GetTime("recordedAt")!.Value)).ToList(),
            Version = item.GetLong("version"),
            CreatedAt = item.GetTime("createdAt")!.Value,
            UpdatedAt = item.GetTime("updatedAt")!.Value,
            UpdatedBy = item.GetString("updatedBy"),
            FinalizedAt = item.GetTime("finalizedAt"),
            PaidDate = item.GetDate("paidDate"),
            VoidedAt = item.GetTime("voidedAt"),
            VoidReason = item.GetString("voidReason"),
            RecurringProfileId = item.GetString("recurringProfileId"),
            QuoteId = item.GetString("quoteId"),
            Credits = item.GetList("credits").Select(c => new InvoiceCredit(
                c.M.RequireString("creditNoteId"), c.M.RequireString("number"), c.M.GetDecimal("amount"), c.M.GetTime("issuedAt")!.Value, c.M.GetDecimal("owed"))).ToList(),
            Refunds = item.GetList("refunds").Select(r => new InvoiceRefund(
                r.M.RequireString("id"), r.M.RequireString("creditNoteId"), r.M.GetDecimal("amount"), r.M.GetDate("date")!.Value)).ToList(),
            RemindersOff = item.GetBool("remindersOff"),
            ViewedAt = item.GetTime("viewedAt"),
            LinksRevokedAt = item.GetTime("linksRevokedAt"),
            DeliveryRequests = item.GetList("deliveryRequests").Select(r => ToDeliveryRequest(r.M)).ToList(),
            DeliveryResults = (item.GetMap("deliveryResults") ?? []).ToDictionary(r => r.Key, r => ToDeliveryResult(r.Value.M ?? []), StringComparer.Ordinal),
            Document = item.GetMap("document") is { } document ? ToDocument(document) : null,
        };
    }

    public static Dictionary<string, AttributeValue> ToMap(DeliveryRequest request)
    {
        var map = new Dictionary<string, AttributeValue>
        {
            ["requestId"] = S(request.RequestId),
            ["to"] = Strings(request.To),
            ["cc"] = Strings(request.Cc),
            ["subject"] = S(request.Subject),
            ["requestedAt"] = Time(request.RequestedAt),
            ["invoiceVersion"] = N(request.InvoiceVersion),
        };
        map.PutIfPresent("message", request.Message);
        if (request.Kind != DeliveryKind.Invoice) map["kind"] = S(request.Kind.ToString());
        map.PutIfPresent("reminderKey", request.ReminderKey);
        map.PutIfPresent("reminderLabel", request.ReminderLabel);
        return map;
    }

    private static DeliveryRequest ToDeliveryRequest(Dictionary<string, AttributeValue> map) => new(
        map.RequireString("requestId"), ReadStrings(map, "to"), ReadStrings(map, "cc"), map.GetString("subject") ?? "",
        map.GetString("message"), map.GetTime("requestedAt")!.Value, map.GetLong("invoiceVersion"),
        Enum.TryParse<DeliveryKind>(map.GetString("kind"), out var kind) ? kind : DeliveryKind.Invoice,
        map.GetString("reminderKey"), map.GetString("reminderLabel"));

    // ---- the worker's attributes on an invoice item ------------------------------------------------------------

    /// <summary>
    /// <c>deliveryResults[requestId]</c>; <c>leaseUntil</c> is epoch milliseconds (claims compare it exactly);
    /// <c>recipients</c> (L of M <c>address</c>, <c>status</c> Pending/Delivered/Refused, <c>reason</c>, <c>at</c>) is
    /// absent on results written before per-recipient outcomes, which read as before.
    /// </summary>
    public static Dictionary<string, AttributeValue> ToMap(DeliveryResult result)
    {
        var map = new Dictionary<string, AttributeValue>
        {
            ["status"] = S(result.Status.ToString()),
            ["attempts"] = N(result.Attempts),
        };
        if (result.LeaseUntil is { } lease) map["leaseUntil"] = N(lease.ToUnixTimeMilliseconds());
        if (result.SentAt is { } sent) map["sentAt"] = Time(sent);
        if (result.To is { } to) map["to"] = Strings(to);
        map.PutIfPresent("failureReason", result.FailureReason);
        if (result.Recipients is { } recipients) map["recipients"] = ToList(recipients);
        return map;
    }

    public static DeliveryResult ToDeliveryResult(Dictionary<string, AttributeValue> map) => new(
        Enum.TryParse<DeliveryStatus>(map.GetString("status"), out var status) ? status : DeliveryStatus.Pending,
        map.TryGetValue("leaseUntil", out var lease) && lease.N is not null ? DateTimeOffset.FromUnixTimeMilliseconds(map.GetLong("leaseUntil")) : null,
        map.GetTime("sentAt"),
        map.ContainsKey("to") ? ReadStrings(map, "to") : null,
        map.GetString("failureReason"),
        (int)map.GetLong("attempts"),
        map.TryGetValue("recipients", out var recipients) && recipients.L is { } list ? list.Select(r => ToRecipientOutcome(r.M ?? [])).ToList() : null);

    /// <summary>Each recipient's outcome so far, as <c>deliveryResults[requestId].recipients</c>.</summary>
    public static AttributeValue ToList(IReadOnlyList<RecipientOutcome> recipients) => L(recipients.Select(r =>
    {
        var map = new Dictionary<string, AttributeValue> { ["address"] = S(r.Address), ["status"] = S(r.Status.ToString()) };
        map.PutIfPresent("reason", r.Reason is { Length: > 500 } reason ? reason[..500] : r.Reason);
        if (r.At is { } at) map["at"] = Time(at);
        return M(map);
    }).ToList());

    private static RecipientOutcome ToRecipientOutcome(Dictionary<string, AttributeValue> map) => new(
        map.GetString("address") ?? "",
        Enum.TryParse<RecipientStatus>(map.GetString("status"), out var status) ? status : RecipientStatus.Pending,
        map.GetString("reason"),
        map.GetTime("at"));

    public static Dictionary<string, AttributeValue> ToMap(StoredDocument document) => new()
    {
        ["key"] = S(document.Key),
        ["version"] = N(document.Version),
        ["renderedAt"] = Time(document.RenderedAt),
        ["sizeBytes"] = N(document.SizeBytes),
    };

    public static StoredDocument ToDocument(Dictionary<string, AttributeValue> map) =>
        new(map.RequireString("key"), map.GetLong("version"), map.GetTime("renderedAt")!.Value, map.GetLong("sizeBytes"));

    private static AttributeValue Strings(IEnumerable<string> values) => L(values.Select(S).ToList());

    private static List<string> ReadStrings(Dictionary<string, AttributeValue> map, string name) =>
        map.GetList(name).Select(v => v.S).OfType<string>().ToList();

    // ---- customers -------------------------------------------------------------------------------------------

    /// <summary>The customer's editable fields; invoiceCount is maintained separately by invoice writes.</summary>
    public static Dictionary<string, AttributeValue> DetailsAttributes(CustomerDetails details)
    {
        var map = new Dictionary<string, AttributeValue>
        {
            ["name"] = S(details.Name),
            ["sortKey"] = S(details.Name.ToLowerInvariant()),
            ["searchText"] = S($"{details.Name} {details.Email} {details.Phone} {details.TaxId}".ToLowerInvariant()),
        };
        map.PutIfPresent("email", details.Email);
        map.PutIfPresent("phone", details.Phone);
        map.PutIfPresent("taxId", details.TaxId);
        map.PutIfPresent("language", details.Language);
        if (details.RemindersOff) map["remindersOff"] = new AttributeValue { BOOL = true };
        if (details.Address is { IsEmpty: false } address) map["address"] = M(ToMap(address));
        return map;
    }

    public static Customer ToCustomer(Dictionary<string, AttributeValue> item) => new()
    {
        Id = item.RequireString("id"),
        Tenant = item.RequireString("creator"),
        Details = new CustomerDetails(item.RequireString("name"), item.GetString("email"), item.GetString("phone"),
            ToAddress(item.GetMap("address")), item.GetString("taxId"), item.GetString("language"), item.GetBool("remindersOff")),
        Version = item.GetLong("version"),
        InvoiceCount = (int)item.GetLong("invoiceCount"),
        CreatedAt = item.GetTime("createdAt")!.Value,
        UpdatedAt = item.GetTime("updatedAt")!.Value,
        UpdatedBy = item.GetString("updatedBy"),
    };

    // ---- settings --------------------------------------------------------------------------------------------

    public static Dictionary<string, AttributeValue> ToItem(string tenant, BusinessSettings settings)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["id"] = S(SettingsId(tenant)),
            ["entity"] = S(EntitySettings),
            ["tenant"] = S(tenant),
            ["businessName"] = S(settings.BusinessName),
            ["defaultCurrency"] = S(settings.DefaultCurrency),
            ["paymentTermsDays"] = N(settings.PaymentTermsDays),
            ["numberPrefix"] = S(settings.NumberPrefix),
            ["nextNumber"] = N(settings.NextNumber),
            ["quotePrefix"] = S(settings.QuoteNumberPrefix),
            ["quoteNextNumber"] = N(settings.QuoteNextNumber),
            ["creditNotePrefix"] = S(settings.CreditNotePrefix),
            ["creditNoteNextNumber"] = N(settings.CreditNoteNextNumber),
            ["language"] = S(settings.Language),
            ["reminders"] = M(ToMap(settings.Reminders)),
            ["version"] = N(settings.Version),
        };
        item.PutIfPresent("email", settings.Email);
        item.PutIfPresent("verifiedEmail", settings.VerifiedEmail);
        item.PutIfPresent("phone", settings.Phone);
        item.PutIfPresent("taxId", settings.TaxId);
        item.PutIfPresent("updatedBy", settings.UpdatedBy);
        if (settings.Address is { IsEmpty: false } address) item["address"] = M(ToMap(address));
        return item;
    }

    public static BusinessSettings ToSettings(Dictionary<string, AttributeValue> item) => new()
    {
        BusinessName = item.GetString("businessName") ?? "",
        Address = ToAddress(item.GetMap("address")),
        Email = item.GetString("email"),
        VerifiedEmail = item.GetString("verifiedEmail"),
        Phone = item.GetString("phone"),
        TaxId = item.GetString("taxId"),
        DefaultCurrency = item.GetString("defaultCurrency") ?? BusinessSettings.Defaults.DefaultCurrency,
        PaymentTermsDays = item.GetInt("paymentTermsDays") ?? BusinessSettings.Defaults.PaymentTermsDays,
        NumberPrefix = item.GetString("numberPrefix") ?? BusinessSettings.Defaults.NumberPrefix,
        NextNumber = item.GetLong("nextNumber", 1),
        QuoteNumberPrefix = item.GetString("quotePrefix") ?? BusinessSettings.Defaults.QuoteNumberPrefix,
        QuoteNextNumber = item.GetLong("quoteNextNumber", 1),
        CreditNotePrefix = item.GetString("creditNotePrefix") ?? BusinessSettings.Defaults.CreditNotePrefix,
        CreditNoteNextNumber = item.GetLong("creditNoteNextNumber", 1),
        Language = item.GetString("language") ?? BusinessSettings.Defaults.Language,
        Reminders = item.GetMap("reminders") is { } reminders ? ToReminderPlan(reminders) : BusinessSettings.Defaults.Reminders,
        Version = item.GetLong("version"),
        UpdatedBy = item.GetString("updatedBy"),
    };

    public static string SettingsId(string tenant) => $"settings#{tenant}";

    private static Dictionary<string, AttributeValue> ToMap(ReminderPlan plan) => new()
    {
        ["enabled"] = new AttributeValue { BOOL = plan.Enabled },
        ["steps"] = L(plan.Steps.Select(step => M(new()
        {
            ["timing"] = S(step.Timing.ToString()),
            ["days"] = N(step.Days),
            ["subject"] = S(step.Subject),
            ["message"] = S(step.Message),
            ["repeatEveryDays"] = N(step.RepeatEveryDays),
            ["repeats"] = N(step.Repeats),
        })).ToList()),
    };

    private static ReminderPlan ToReminderPlan(Dictionary<string, AttributeValue> map) => new(
        map.GetBool("enabled"),
        map.GetList("steps").Select(v => v.M).OfType<Dictionary<string, AttributeValue>>().Select(step => new ReminderStep(
            Enum.Parse<ReminderTiming>(step.RequireString("timing")), (int)step.GetLong("days"), step.GetString("subject") ?? "",
            step.GetString("message") ?? "", (int)step.GetLong("repeatEveryDays"), (int)step.GetLong("repeats"))).ToList());

    /// <summary>The tenant's running dashboard total (<see cref="SmallPay.Domain.Dashboard.InvoiceTally"/>).</summary>
    public static string SummaryId(string tenant) => $"summary#{tenant}";

    /// <summary>A tenant's revenue from one customer in one currency, ranked in the "rank" index.</summary>
    public static string RevenueId(string tenant, string currency, string customerId) => $"revenue#{tenant}#{currency}#{customerId}";

    public static string RevenueRanking(string tenant, string currency) => $"revenue#{tenant}#{currency}";

    public static string RecentRanking(string tenant) => $"recent#{tenant}";

    // ---- shared ----------------------------------------------------------------------------------------------

    internal static Dictionary<string, AttributeValue> ToMap(CustomerSnapshot customer)
    {
        var map = new Dictionary<string, AttributeValue> { ["name"] = S(customer.Name) };
        map.PutIfPresent("email", customer.Email);
        map.PutIfPresent("taxId", customer.TaxId);
        map.PutIfPresent("language", customer.Language);
        if (customer.Address is { IsEmpty: false } address) map["address"] = M(ToMap(address));
        return map;
    }

    internal static CustomerSnapshot ToSnapshot(Dictionary<string, AttributeValue>? map) =>
        map is null ? new CustomerSnapshot("", null, null, null)
            : new CustomerSnapshot(map.GetString("name") ?? "", map.GetString("email"), ToAddress(map.GetMap("address")), map.GetString("taxId"),
                map.GetString("language"));

    private static Dictionary<string, AttributeValue> ToMap(PostalAddress address)
    {
        var map = new Dictionary<string, AttributeValue>();
        map.PutIfPresent("line1", address.Line1);
        map.PutIfPresent("line2", address.Line2);
        map.PutIfPresent("city", address.City);
        map.PutIfPresent("region", address.Region);
        map.PutIfPresent("postalCode", address.PostalCode);
        map.PutIfPresent("country", address.Country);
        return map;
    }

    private static PostalAddress? ToAddress(Dictionary<string, AttributeValue>? map) =>
        map is null ? null
            : new PostalAddress(map.GetString("line1"), map.GetString("line2"), map.GetString("city"),
                map.GetString("region"), map.GetString("postalCode"), map.GetString("country"));

    internal static Dictionary<string, AttributeValue> WithOptional(this Dictionary<string, AttributeValue> map, string name, string? value)
    {
        map.PutIfPresent(name, value);
        return map;
    }
}
