using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Money;
using SmallPay.Domain.Validation;

namespace SmallPay.Domain.CreditNotes;

/// <summary>One credited line: the invoice's line (<paramref name="LineIndex"/>) with the quantity credited, or, for a credit by amount, a net amount at one of the invoice's tax rates (no index).</summary>
public sealed record CreditNoteLine(int? LineIndex, string Description, decimal Quantity, decimal UnitPrice, decimal DiscountPercent, decimal TaxRatePercent)
{
    public InvoiceLine AsInvoiceLine() => new(Description, Quantity, UnitPrice, DiscountPercent, TaxRatePercent);
}

/// <summary>Money paid back to the customer against what a credit note left owed to them.</summary>
public sealed record CreditNoteRefund(string Id, decimal Amount, DateOnly Date, PaymentMethod Method, string? Note, DateTimeOffset RecordedAt);

/// <summary>
/// A credit note: issued at once against a finalized invoice (no drafts), numbered from its own gapless series, never
/// edited after. Its figures come from <see cref="InvoiceCalculator"/> over its lines, like an invoice's.
/// </summary>
public sealed record CreditNote
{
    public required string Id { get; init; }
    public required string Tenant { get; init; }
    public required string InvoiceId { get; init; }
    public required string InvoiceNumber { get; init; }
    public required string Number { get; init; }
    public required string Currency { get; init; }
    public required string CustomerId { get; init; }
    public required CustomerSnapshot Customer { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset IssuedAt { get; init; }
    public required DateOnly IssueDate { get; init; }
    public required IReadOnlyList<CreditNoteLine> Lines { get; init; }
    public InvoiceDiscount Discount { get; init; } = InvoiceDiscount.None;
    /// <summary>What of the credit exceeded the invoice's balance when it was issued: money the business owes the customer.</summary>
    public decimal Owed { get; init; }
    public IReadOnlyList<CreditNoteRefund> Refunds { get; init; } = [];
    public long Version { get; init; } = 1;
    public string? UpdatedBy { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>E-mails the owner asked for (their own items); <see cref="DeliveryResults"/> say how each went (the worker's).</summary>
    public IReadOnlyList<DeliveryRequest> DeliveryRequests { get; init; } = [];
    public IReadOnlyDictionary<string, DeliveryResult> DeliveryResults { get; init; } = new Dictionary<string, DeliveryResult>();
    /// <summary>The latest PDF the worker stored, or null before the first one (read-only for the API).</summary>
    public StoredDocument? Document { get; init; }

    public Currency CurrencyInfo => Currencies.Get(Currency);

    public InvoiceTotals Totals => InvoiceCalculator.Calculate(CurrencyInfo, Lines.Select(l => l.AsInvoiceLine()).ToList(), Discount);

    public decimal Total => Totals.Total;

    public decimal Refunded => Refunds.Sum(r => r.Amount);

    /// <summary>Still owed to the customer: what the credit left owed, less the refunds recorded.</summary>
    public decimal OwedToCustomer => CurrencyInfo.Round(Owed - Refunded);

    /// <summary>The stored PDF shows this very version (a refund changes what it says is still owed).</summary>
    public bool HasCurrentDocument => Document is { } document && document.Version >= Version;

    /// <summary>
    /// The credit note as the documents pipeline handles it (PDF, e-mail): an invoice-shaped document of kind credit note,
    /// its number and date the credit note's, its lines and discount the credited ones, never payable (nothing is due on
    /// it: <see cref="CreditNoteParticulars"/> say which invoice it credits and what is owed back). Its deliveries and PDF are its own.
    /// </summary>
    public Invoice AsDocument() => new()
    {
        Id = Id,
        Tenant = Tenant,
        Kind = Links.LinkedDocumentKind.CreditNote,
        Number = Number,
        Status = InvoiceStatus.Open,
        Content = new InvoiceContent(CustomerId, Currency, IssueDate, IssueDate, null, Lines.Select(l => l.AsInvoiceLine()).ToList(), Discount, null),
        Customer = Customer,
        Version = Version,
        CreatedAt = IssuedAt,
        UpdatedAt = UpdatedAt,
        FinalizedAt = IssuedAt,
        DeliveryRequests = DeliveryRequests,
        DeliveryResults = DeliveryResults,
        Document = Document,
        CreditNote = new CreditNoteParticulars(InvoiceId, InvoiceNumber, Reason, Owed, OwedToCustomer),
    };

    /// <summary>The document's pipeline state (deliveries, PDF) taken back from its <see cref="AsDocument"/> form.</summary>
    public CreditNote WithDocumentState(Invoice document) => this with
    {
        DeliveryRequests = document.DeliveryRequests, DeliveryResults = document.DeliveryResults, Document = document.Document,
    };

    /// <summary>As the invoice lists it (<see cref="Invoice.Credits"/>).</summary>
    public InvoiceCredit AsInvoiceCredit() => new(Id, Number, Total, IssuedAt, Owed);
}

/// <summary>What the owner asks to credit: some of the invoice's lines and quantities, or an amount (tax included).</summary>
public sealed record CreditRequest(IReadOnlyList<(int LineIndex, decimal Quantity)>? Lines, decimal? Amount, string Reason);

/// <summary>The rules of issuing credit notes and recording refunds against them.</summary>
public static class CreditNoteRules
{
    /// <summary>The most credit notes one invoice takes (they are listed on its item).</summary>
    public const int MaxPerInvoice = 50;
    /// <summary>The most refunds one credit note takes (stored on its item), and one invoice (listed on its item).</summary>
    public const int MaxRefunds = 50;
    public const int MaxInvoiceRefunds = 100;
    public const int MaxReasonLength = 200;

    /// <summary>What is left to credit on the invoice: its total less what earlier credit notes credited.</summary>
    public static decimal Creditable(Invoice invoice) => invoice.Currency.Round(Math.Max(0m, invoice.Totals.Total - invoice.CreditedTotal));

    /// <summary>
    /// The credit note the request makes and the invoice as it becomes: credited, its balance lowered (never below 0),
    /// Paid when an unpaid balance reaches 0, and what exceeds the balance recorded as owed to the customer.
    /// </summary>
    public static (CreditNote Note, Invoice Credited) Issue(Invoice invoice, CreditRequest request, string id, string number, DateTimeOffset now, DateOnly today, string? actor)
    {
        switch (invoice.Status)
        {
            case InvoiceStatus.Draft: throw new InvoiceStateException("A draft is not credited: edit or delete it instead.");
            case InvoiceStatus.Void: throw new InvoiceStateException($"Invoice {invoice.Number} is void: there is nothing to credit.");
        }
        if (invoice.Credits.Count >= MaxPerInvoice)
            throw new InvoiceStateException($"Invoice {invoice.Number} has {MaxPerInvoice} credit notes already, the most one invoice takes.");
        var creditable = Creditable(invoice);
        if (creditable == 0m) throw new InvoiceStateException($"Invoice {invoice.Number} is credited in full already: nothing is left to credit.");

        var errors = new ValidationErrors();
        var reason = PlainText.Clean(request.Reason);
        if (string.IsNullOrEmpty(reason)) errors.Add("reason", "is required");
        else InvoiceRules.CheckText(errors, "reason", reason, MaxReasonLength);
        var (lines, discount, field) = request.Lines is { } chosen
            ? (ChosenLines(invoice, chosen, errors), ProportionalDiscount(invoice, chosen), "lines")
            : (AmountLines(invoice, request.Amount ?? 0m, reason ?? "", errors), InvoiceDiscount.None, "amount");
        errors.ThrowIfAny("The credit note cannot be issued.");

        var note = new CreditNote
        {
            Id = id, Tenant = invoice.Tenant, InvoiceId = invoice.Id, InvoiceNumber = invoice.Number!, Number = number,
            Currency = invoice.Content.Currency, CustomerId = invoice.Content.CustomerId, Customer = invoice.Customer, Reason = reason!,
            IssuedAt = now, IssueDate = today, Lines = lines, Discount = discount, UpdatedBy = actor, UpdatedAt = now,
        };
        var total = note.Total;
        if (total <= 0m) errors.Add(field, "credits nothing: the amount is 0");
        else if (total > creditable) errors.Add(field, $"credits {total} {note.Currency}, more than is left to credit ({creditable} {note.Currency})");
        errors.ThrowIfAny("The credit note cannot be issued.");

        var balanceBefore = invoice.Totals.BalanceDue;
        note = note with { Owed = invoice.Currency.Round(total - Math.Min(total, balanceBefore)) };
        var credited = invoice with { Credits = [.. invoice.Credits, note.AsInvoiceCredit()], UpdatedAt = now, UpdatedBy = actor };
        if (invoice.Status is InvoiceStatus.Open or InvoiceStatus.PartiallyPaid && credited.Totals.BalanceDue == 0m)
            credited = credited with { Status = InvoiceStatus.Paid, PaidDate = today };
        return (note, credited);
    }

    /// <summary>Records a refund of what the credit note left owed; the invoice lists it too (its dashboard figures net it off).</summary>
    public static (CreditNote Note, Invoice Invoice) Refund(CreditNote note, Invoice invoice, CreditNoteRefund refund, DateOnly today)
    {
        if (note.Refunds.Any(r => r.Id == refund.Id)) return (note, invoice); // this very request again (its Idempotency-Key)
        var owed = note.OwedToCustomer;
        if (owed == 0m) throw new InvoiceStateException($"Credit note {note.Number} owes the customer nothing: there is nothing to refund.");
        if (note.Refunds.Count >= MaxRefunds || invoice.Refunds.Count >= MaxInvoiceRefunds)
            throw new InvoiceStateException($"Credit note {note.Number} has the most refunds it takes; record the rest as one refund.");
        var errors = new ValidationErrors();
        var currency = note.CurrencyInfo;
        if (refund.Amount <= 0m) errors.Add("amount", "must be greater than 0");
        else if (!currency.HasAtMostMinorDigits(refund.Amount)) errors.Add("amount", $"{currency.Code} amounts have at most {currency.MinorDigits} decimal places");
        else if (refund.Amount > owed) errors.Add("amount", $"is more than is still owed to the customer ({owed} {currency.Code})");
        if (refund.Date > today.AddDays(1)) errors.Add("date", "must not be in the future (tomorrow is accepted for time zones ahead of UTC)");
        if (refund.Date < note.IssueDate.AddYears(-1)) errors.Add("date", "is implausibly long before the credit note");
        errors.ThrowIfAny("The refund cannot be recorded.");
        var refunded = note with { Refunds = [.. note.Refunds, refund], Version = note.Version + 1, UpdatedAt = refund.RecordedAt };
        var listed = invoice with
        {
            Refunds = [.. invoice.Refunds, new InvoiceRefund(refund.Id, note.Id, refund.Amount, refund.Date)],
            UpdatedAt = refund.RecordedAt, Version = invoice.Version + 1,
        };
        return (refunded, listed);
    }

    private static List<CreditNoteLine> ChosenLines(Invoice invoice, IReadOnlyList<(int LineIndex, decimal Quantity)> chosen, ValidationErrors errors)
    {
        var lines = new List<CreditNoteLine>();
        if (chosen.Count == 0) errors.Add("lines", "name at least one line of the invoice");
        var seen = new HashSet<int>();
        for (var i = 0; i < chosen.Count; i++)
        {
            var (index, quantity) = chosen[i];
            if (index < 0 || index >= invoice.Content.Lines.Count) { errors.Add($"lines/{i}/lineIndex", $"is not a line of the invoice (0 to {invoice.Content.Lines.Count - 1})"); continue; }
            if (!seen.Add(index)) { errors.Add($"lines/{i}/lineIndex", "names a line named before"); continue; }
            var line = invoice.Content.Lines[index];
            if (quantity <= 0m) errors.Add($"lines/{i}/quantity", "must be greater than 0");
            else if (Decimals.Scale(quantity) > InvoiceRules.MaxQuantityDecimals) errors.Add($"lines/{i}/quantity", $"has at most {InvoiceRules.MaxQuantityDecimals} decimal places");
            else if (quantity > line.Quantity) errors.Add($"lines/{i}/quantity", $"is more than the line's quantity ({line.Quantity})");
            else lines.Add(new CreditNoteLine(index, line.Description, quantity, line.UnitPrice, line.DiscountPercent, line.TaxRatePercent));
        }
        return lines;
    }

    /// <summary>
    /// The invoice's discount as it falls on the credited lines: a percentage as it is; a fixed amount in proportion to
    /// the credited lines' share of the subtotal, so crediting every line credits the invoice's total exactly.
    /// </summary>
    private static InvoiceDiscount ProportionalDiscount(Invoice invoice, IReadOnlyList<(int LineIndex, decimal Quantity)> chosen)
    {
        var discount = invoice.Content.Discount;
        if (discount.Kind == DiscountKind.Percent) return discount;
        var totals = invoice.Totals;
        if (totals.Discount == 0m || totals.Subtotal == 0m) return InvoiceDiscount.None;
        var lines = chosen.Where(c => c.LineIndex >= 0 && c.LineIndex < invoice.Content.Lines.Count)
            .Select(c => invoice.Content.Lines[c.LineIndex] with { Quantity = c.Quantity }).ToList();
        var subtotal = InvoiceCalculator.Calculate(invoice.Currency, lines, InvoiceDiscount.None).Subtotal;
        return new InvoiceDiscount(DiscountKind.Amount, invoice.Currency.Round(totals.Discount * (subtotal / totals.Subtotal)));
    }

    /// <summary>
    /// A credit of <paramref name="amount"/> (tax included) shared among the invoice's tax rates in proportion to what each
    /// rate adds to its total (cumulative rounding, as the invoice shares its discount), each share as the net amount whose
    /// rounded tax brings it to the share; one line per rate, described by the reason.
    /// </summary>
    private static List<CreditNoteLine> AmountLines(Invoice invoice, decimal amount, string reason, ValidationErrors errors)
    {
        var currency = invoice.Currency;
        if (amount <= 0m) { errors.Add("amount", "must be greater than 0"); return []; }
        if (!currency.HasAtMostMinorDigits(amount)) { errors.Add("amount", $"{currency.Code} amounts have at most {currency.MinorDigits} decimal places"); return []; }
        var totals = invoice.Totals;
        var lines = new List<CreditNoteLine>();
        if (totals.Total <= 0m) return lines;
        var unit = 1m / (decimal)Math.Pow(10, currency.MinorDigits);
        decimal cumulative = 0m, allocated = 0m;
        foreach (var rate in totals.Taxes)
        {
            cumulative += rate.Taxable + rate.Tax;
            var allocatedSoFar = cumulative == totals.Total ? amount : currency.Round(amount * (cumulative / totals.Total));
            var share = allocatedSoFar - allocated;
            allocated = allocatedSoFar;
            if (share <= 0m) continue;
            var factor = 1m + rate.RatePercent / 100m;
            var estimate = currency.Round(share / factor);
            var net = new[] { estimate, estimate - unit, estimate + unit }.FirstOrDefault(n => n + currency.Round(n * rate.RatePercent / 100m) == share, estimate);
            lines.Add(new CreditNoteLine(null, reason, 1m, net, 0m, rate.RatePercent));
        }
        return lines;
    }
}
