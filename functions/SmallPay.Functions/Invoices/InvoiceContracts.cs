using System.Text.Json.Serialization;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Settings;
using SmallPay.Domain.Validation;
using SmallPay.Functions.Customers;
using SmallPay.Functions.Documents;
using SmallPay.Functions.Hosting.Http;

namespace SmallPay.Functions.Invoices;

/// <summary>The body of POST /invoices and PUT /invoices/{id}. Totals a client sends are not read: the server computes them.</summary>
public sealed class InvoiceInput
{
    public string? CustomerId { get; set; }
    public string? Currency { get; set; }
    public DateOnly? IssueDate { get; set; }
    public DateOnly? DueDate { get; set; }
    public int? PaymentTermsDays { get; set; }
    public List<InvoiceLineInput?>? Lines { get; set; }
    public DiscountInput? Discount { get; set; }
    public string? Notes { get; set; }

    /// <summary>Fills gaps from the tenant's settings (currency, terms) and today's date; reports missing fields.</summary>
    public InvoiceContent ToContent(BusinessSettings defaults, DateOnly today)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(CustomerId)) errors.Add("customerId", "is required");
        var lines = new List<InvoiceLine>();
        for (var i = 0; i < (Lines?.Count ?? 0); i++)
        {
            if (Lines![i] is not { } line) { errors.Add($"lines/{i}", "must be an object"); continue; }
            if (line.Quantity is null) errors.Add($"lines/{i}/quantity", "is required");
            if (line.UnitPrice is null) errors.Add($"lines/{i}/unitPrice", "is required");
            lines.Add(new InvoiceLine(line.Description ?? "", line.Quantity ?? 0m, line.UnitPrice ?? 0m,
                line.DiscountPercent ?? 0m, line.TaxRatePercent ?? 0m));
        }
        if (Discount is { Value: null }) errors.Add("discount/value", "is required");
        errors.ThrowIfAny("Some required fields are missing.");

        var content = InvoiceRules.Normalize(new InvoiceContent(
            CustomerId!,
            Currency ?? defaults.DefaultCurrency,
            IssueDate ?? today,
            DueDate,
            DueDate is null ? PaymentTermsDays ?? defaults.PaymentTermsDays : PaymentTermsDays,
            lines,
            Discount is null ? InvoiceDiscount.None : new InvoiceDiscount(Discount.Kind ?? DiscountKind.Percent, Discount.Value!.Value),
            Notes));
        InvoiceRules.Validate(content);
        return content;
    }
}

public sealed class InvoiceLineInput
{
    public string? Description { get; set; }
    public decimal? Quantity { get; set; }
    public decimal? UnitPrice { get; set; }
    public decimal? DiscountPercent { get; set; }
    public decimal? TaxRatePercent { get; set; }
}

public sealed class DiscountInput
{
    [JsonConverter(typeof(NamesOnlyEnumConverter<DiscountKind>))]
    public DiscountKind? Kind { get; set; }
    public decimal? Value { get; set; }
}

public sealed class VoidInput
{
    public string? Reason { get; set; }
}

public sealed record InvoiceLineView(string Description, decimal Quantity, decimal UnitPrice, decimal DiscountPercent, decimal TaxRatePercent, decimal Amount);

public sealed record TotalsView(decimal Subtotal, decimal Discount, IReadOnlyList<TaxAmount> Taxes, decimal Tax, decimal Total, decimal AmountPaid, decimal BalanceDue);

public sealed record PaymentView(string Id, decimal Amount, DateOnly Date, PaymentMethod Method, string? Note, DateTimeOffset RecordedAt);

public sealed record InvoiceView(
    string Id,
    string? Number,
    InvoiceStatus Status,
    bool Overdue,
    int DaysOverdue,
    string CustomerId,
    CustomerSnapshotView Customer,
    string Currency,
    DateOnly IssueDate,
    DateOnly DueDate,
    int? PaymentTermsDays,
    IReadOnlyList<InvoiceLineView> Lines,
    InvoiceDiscount Discount,
    string? Notes,
    TotalsView Totals,
    IReadOnlyList<PaymentView> Payments,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinalizedAt,
    DateOnly? PaidDate,
    DateTimeOffset? VoidedAt,
    string? VoidReason,
    IReadOnlyList<DeliveryView> Deliveries,
    DocumentView? Document,
    string? RecurringProfileId = null,
    DateTimeOffset? ViewedAt = null,
    DateTimeOffset? LinksRevokedAt = null)
{
    /// <summary>The quote this invoice was converted from, or null.</summary>
    public string? QuoteId { get; init; }

    /// <summary>Whether the business's reminder plan reminds the customer of this invoice (PUT /invoices/{id}/reminders turns it off).</summary>
    public bool RemindersEnabled { get; init; } = true;

    /// <summary>The plan's next reminder of this invoice (GET /invoices/{id}; null when none is planned, or in other answers).</summary>
    public NextReminderView? NextReminder { get; init; }

    /// <summary>The credit notes issued against the invoice (they lower its balance).</summary>
    public IReadOnlyList<InvoiceCreditView> Credits { get; init; } = [];

    /// <summary>What credit notes credited in all; the balance due is total − paid − credited, never below 0.</summary>
    public decimal CreditedTotal { get; init; }

    /// <summary>What credit notes left owed to the customer (credit beyond the balance), less refunds recorded.</summary>
    public decimal OwedToCustomer { get; init; }

    /// <param name="now">When delivery claims are judged (a claim whose lease ran out shows as Pending); default: the start of <paramref name="today"/>.</param>
    public static InvoiceView From(Invoice invoice, DateOnly today, DateTimeOffset? now = null)
    {
        var totals = invoice.Totals;
        var content = invoice.Content;
        return new InvoiceView(
            invoice.Id, invoice.Number, invoice.Status, invoice.IsOverdue(today), invoice.DaysOverdue(today),
            content.CustomerId, CustomerSnapshotView.From(invoice.Customer), content.Currency, content.IssueDate, invoice.DueDate,
            content.PaymentTermsDays,
            content.Lines.Select((l, i) => new InvoiceLineView(l.Description, l.Quantity, l.UnitPrice, l.DiscountPercent, l.TaxRatePercent, totals.LineAmounts[i])).ToList(),
            content.Discount, content.Notes,
            new TotalsView(totals.Subtotal, totals.Discount, totals.Taxes, totals.Tax, totals.Total, totals.AmountPaid, totals.BalanceDue),
            invoice.Payments.Select(p => new PaymentView(p.Id, p.Amount, p.Date, p.Method, p.Note, p.RecordedAt)).ToList(),
            invoice.Version, invoice.CreatedAt, invoice.UpdatedAt, invoice.FinalizedAt, invoice.PaidDate, invoice.VoidedAt, invoice.VoidReason,
            InvoiceDeliveries.Deliveries(invoice, now ?? new DateTimeOffset(today.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)).Select(DeliveryView.From).ToList(),
            DocumentView.From(invoice.Document), invoice.RecurringProfileId, invoice.ViewedAt, invoice.LinksRevokedAt)
        {
            RemindersEnabled = !invoice.RemindersOff,
            QuoteId = invoice.QuoteId,
            Credits = invoice.Credits.Select(c => new InvoiceCreditView(c.CreditNoteId, c.Number, c.Amount, c.IssuedAt, c.Owed)).ToList(),
            CreditedTotal = invoice.Currency.Round(invoice.CreditedTotal),
            OwedToCustomer = invoice.OwedToCustomer,
        };
    }
}

/// <summary>When the plan reminds the customer next, and which of its steps that is ("3 days before the due date").</summary>
public sealed record NextReminderView(DateOnly Date, string Label);

/// <summary>One row of GET /invoices.</summary>
public sealed record InvoiceSummaryView(
    string Id, string? Number, InvoiceStatus Status, bool Overdue, string CustomerId, string CustomerName, string Currency,
    DateOnly IssueDate, DateOnly DueDate, decimal Total, decimal AmountPaid, decimal BalanceDue, long Version)
{
    public static InvoiceSummaryView From(Invoice invoice, DateOnly today)
    {
        var totals = invoice.Totals;
        return new InvoiceSummaryView(invoice.Id, invoice.Number, invoice.Status, invoice.IsOverdue(today), invoice.Content.CustomerId,
            invoice.Customer.Name, invoice.Content.Currency, invoice.Content.IssueDate, invoice.DueDate, totals.Total, totals.AmountPaid,
            totals.BalanceDue, invoice.Version);
    }
}

public sealed record InvoiceListView(IReadOnlyList<InvoiceSummaryView> Items, string? NextCursor);

/// <summary>A credit note as its invoice lists it.</summary>
public sealed record InvoiceCreditView(string CreditNoteId, string Number, decimal Amount, DateTimeOffset IssuedAt, decimal Owed);
