using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Quotes;
using SmallPay.Domain.Settings;
using SmallPay.Functions.Customers;
using SmallPay.Functions.Documents;
using SmallPay.Functions.Invoices;

namespace SmallPay.Functions.Quotes;

/// <summary>
/// The body of POST /quotes and PUT /quotes/{quoteId}: an invoice's content (as POST /invoices, without dueDate) and
/// <c>validUntil</c> (default: 30 days after <c>issueDate</c>). Totals a client sends are not read.
/// </summary>
public sealed class QuoteInput
{
    public string? CustomerId { get; set; }
    public string? Currency { get; set; }
    public DateOnly? IssueDate { get; set; }
    public DateOnly? ValidUntil { get; set; }
    /// <summary>The terms of the invoice the quote becomes (default: the business's).</summary>
    public int? PaymentTermsDays { get; set; }
    public List<InvoiceLineInput?>? Lines { get; set; }
    public DiscountInput? Discount { get; set; }
    public string? Notes { get; set; }

    public (InvoiceContent Content, DateOnly ValidUntil) Read(BusinessSettings defaults, DateOnly today)
    {
        var content = new InvoiceInput
        {
            CustomerId = CustomerId, Currency = Currency, IssueDate = IssueDate, PaymentTermsDays = PaymentTermsDays,
            Lines = Lines, Discount = Discount, Notes = Notes,
        }.ToContent(defaults, today);
        return (content, QuoteRules.ValidUntil(content, ValidUntil));
    }
}

public sealed record QuoteView(
    string Id,
    string? Number,
    QuoteStatus Status,
    string CustomerId,
    CustomerSnapshotView Customer,
    string Currency,
    DateOnly IssueDate,
    DateOnly ValidUntil,
    int? PaymentTermsDays,
    IReadOnlyList<InvoiceLineView> Lines,
    InvoiceDiscount Discount,
    string? Notes,
    TotalsView Totals,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? SentAt,
    DateTimeOffset? AcceptedAt,
    string? AcceptedBy,
    DateTimeOffset? DeclinedAt,
    string? InvoiceId,
    DateTimeOffset? ConvertedAt,
    DateTimeOffset? ViewedAt,
    DateTimeOffset? LinksRevokedAt,
    IReadOnlyList<DeliveryView> Deliveries,
    DocumentView? Document)
{
    public static QuoteView From(Quote quote, DateOnly today, DateTimeOffset now)
    {
        var totals = quote.Totals;
        var content = quote.Content;
        return new QuoteView(
            quote.Id, quote.Number, quote.StatusOn(today), content.CustomerId, CustomerSnapshotView.From(quote.Customer), content.Currency,
            content.IssueDate, quote.ValidUntil, content.PaymentTermsDays,
            content.Lines.Select((l, i) => new InvoiceLineView(l.Description, l.Quantity, l.UnitPrice, l.DiscountPercent, l.TaxRatePercent, totals.LineAmounts[i])).ToList(),
            content.Discount, content.Notes,
            new TotalsView(totals.Subtotal, totals.Discount, totals.Taxes, totals.Tax, totals.Total, 0m, totals.Total),
            quote.Version, quote.CreatedAt, quote.UpdatedAt, quote.SentAt, quote.AcceptedAt, quote.AcceptedBy, quote.DeclinedAt,
            quote.InvoiceId, quote.ConvertedAt, quote.ViewedAt, quote.LinksRevokedAt,
            InvoiceDeliveries.Deliveries(quote.AsDocument(), now).Select(DeliveryView.From).ToList(),
            DocumentView.From(quote.Document));
    }
}

/// <summary>One row of GET /quotes.</summary>
public sealed record QuoteSummaryView(
    string Id, string? Number, QuoteStatus Status, string CustomerId, string CustomerName, string Currency, DateOnly IssueDate,
    DateOnly ValidUntil, decimal Total, DateTimeOffset? AcceptedAt, string? InvoiceId, long Version)
{
    public static QuoteSummaryView From(Quote q, DateOnly today) =>
        new(q.Id, q.Number, q.StatusOn(today), q.Content.CustomerId, q.Customer.Name, q.Content.Currency, q.Content.IssueDate, q.ValidUntil,
            q.Totals.Total, q.AcceptedAt, q.InvoiceId, q.Version);
}

public sealed record QuoteListView(IReadOnlyList<QuoteSummaryView> Items);
