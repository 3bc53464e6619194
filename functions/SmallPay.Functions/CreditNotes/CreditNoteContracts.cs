using System.Text.Json.Serialization;
using SmallPay.Domain.CreditNotes;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Validation;
using SmallPay.Functions.Customers;
using SmallPay.Functions.Documents;
using SmallPay.Functions.Hosting.Http;

namespace SmallPay.Functions.CreditNotes;

/// <summary>
/// The body of POST /invoices/{invoiceId}/credit-notes: <c>lines</c> (the invoice's lines by index, with the quantity
/// credited) or <c>amount</c> (tax included, a number or a decimal string), one of the two; <c>reason</c>; <c>send</c>.
/// </summary>
public sealed class CreditNoteInput
{
    public List<CreditNoteLineInput?>? Lines { get; set; }
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public decimal? Amount { get; set; }
    public string? Reason { get; set; }
    /// <summary>E-mail the credit note to the invoice's customer once it is issued.</summary>
    public bool? Send { get; set; }

    public CreditRequest Read()
    {
        var errors = new ValidationErrors();
        if (Lines is null && Amount is null) errors.Add("lines", "give either lines (with quantities) or an amount");
        if (Lines is not null && Amount is not null) errors.Add("amount", "give either lines or an amount, not both");
        if (string.IsNullOrWhiteSpace(Reason)) errors.Add("reason", "is required");
        if (Lines is { Count: > 200 }) errors.Add("lines", "has more lines than an invoice");
        for (var i = 0; i < (Lines?.Count ?? 0); i++)
        {
            if (Lines![i] is not { } line) { errors.Add($"lines/{i}", "is required"); continue; }
            if (line.LineIndex is null) errors.Add($"lines/{i}/lineIndex", "is required");
            if (line.Quantity is null) errors.Add($"lines/{i}/quantity", "is required");
        }
        errors.ThrowIfAny("The credit note has invalid fields.");
        return new CreditRequest(Lines?.Select(l => (l!.LineIndex!.Value, l.Quantity!.Value)).ToList(), Amount, Reason!);
    }
}

public sealed class CreditNoteLineInput
{
    public int? LineIndex { get; set; }
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public decimal? Quantity { get; set; }
}

/// <summary>The body of POST /credit-notes/{creditNoteId}/refunds.</summary>
public sealed class RefundInput
{
    public const int MaxNoteLength = 500;

    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public decimal? Amount { get; set; }
    public DateOnly? Date { get; set; }
    [JsonConverter(typeof(NamesOnlyEnumConverter<PaymentMethod>))]
    public PaymentMethod? Method { get; set; }
    public string? Note { get; set; }

    public CreditNoteRefund ToRefund(string id, DateOnly today, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        if (Amount is null) errors.Add("amount", "is required");
        InvoiceRules.CheckText(errors, "note", Note, MaxNoteLength);
        if (Date is { } date) InvoiceRules.CheckDate(errors, "date", date);
        errors.ThrowIfAny("The refund has invalid fields.");
        return new CreditNoteRefund(id, Amount!.Value, Date ?? today, Method ?? PaymentMethod.BankTransfer, PlainText.Clean(Note), now);
    }
}

public sealed record CreditNoteLineView(int? LineIndex, string Description, decimal Quantity, decimal UnitPrice, decimal DiscountPercent, decimal TaxRatePercent, decimal Amount);

public sealed record CreditNoteTotalsView(decimal Subtotal, decimal Discount, IReadOnlyList<TaxAmount> Taxes, decimal Tax, decimal Total);

public sealed record CreditNoteRefundView(string Id, decimal Amount, DateOnly Date, PaymentMethod Method, string? Note, DateTimeOffset RecordedAt);

public sealed record CreditNoteView(
    string Id,
    string Number,
    string InvoiceId,
    string InvoiceNumber,
    string CustomerId,
    CustomerSnapshotView Customer,
    string Currency,
    string Reason,
    DateTimeOffset IssuedAt,
    DateOnly IssueDate,
    IReadOnlyList<CreditNoteLineView> Lines,
    InvoiceDiscount Discount,
    CreditNoteTotalsView Totals,
    decimal Total,
    decimal Owed,
    decimal Refunded,
    decimal OwedToCustomer,
    IReadOnlyList<CreditNoteRefundView> Refunds,
    long Version,
    IReadOnlyList<DeliveryView> Deliveries)
{
    public static CreditNoteView From(CreditNote note, DateTimeOffset now)
    {
        var totals = note.Totals;
        var currency = note.CurrencyInfo;
        return new CreditNoteView(note.Id, note.Number, note.InvoiceId, note.InvoiceNumber, note.CustomerId, CustomerSnapshotView.From(note.Customer),
            note.Currency, note.Reason, note.IssuedAt, note.IssueDate,
            note.Lines.Select((l, i) => new CreditNoteLineView(l.LineIndex, l.Description, l.Quantity, l.UnitPrice, l.DiscountPercent, l.TaxRatePercent, totals.LineAmounts[i])).ToList(),
            note.Discount, new CreditNoteTotalsView(totals.Subtotal, totals.Discount, totals.Taxes, totals.Tax, totals.Total), totals.Total,
            currency.Round(note.Owed), currency.Round(note.Refunded), note.OwedToCustomer,
            note.Refunds.Select(r => new CreditNoteRefundView(r.Id, r.Amount, r.Date, r.Method, r.Note, r.RecordedAt)).ToList(), note.Version,
            InvoiceDeliveries.Deliveries(note.AsDocument(), now).Select(DeliveryView.From).ToList());
    }
}

/// <summary>One row of GET /credit-notes.</summary>
public sealed record CreditNoteSummaryView(
    string Id, string Number, string InvoiceId, string InvoiceNumber, string CustomerId, string CustomerName, string Currency, decimal Total,
    decimal OwedToCustomer, string Reason, DateTimeOffset IssuedAt, long Version)
{
    public static CreditNoteSummaryView From(CreditNote n) =>
        new(n.Id, n.Number, n.InvoiceId, n.InvoiceNumber, n.CustomerId, n.Customer.Name, n.Currency, n.Total, n.OwedToCustomer, n.Reason, n.IssuedAt, n.Version);
}

public sealed record CreditNoteListView(IReadOnlyList<CreditNoteSummaryView> Items, string? NextCursor);
