namespace SmallPay.Domain.Invoices;

public enum InvoiceStatus { Draft, Open, PartiallyPaid, Paid, Void }

public enum DiscountKind { Percent, Amount }

public enum PaymentMethod { BankTransfer, Card, Cash, Check, Other }

/// <summary>One line of an invoice. Percentages are 0–100.</summary>
public sealed record InvoiceLine(string Description, decimal Quantity, decimal UnitPrice, decimal DiscountPercent, decimal TaxRatePercent);

/// <summary>An invoice-level discount, applied to the subtotal before tax.</summary>
public sealed record InvoiceDiscount(DiscountKind Kind, decimal Value)
{
    public static readonly InvoiceDiscount None = new(DiscountKind.Percent, 0m);
}

public sealed record PostalAddress(string? Line1, string? Line2, string? City, string? Region, string? PostalCode, string? Country)
{
    public bool IsEmpty => string.IsNullOrWhiteSpace(Line1) && string.IsNullOrWhiteSpace(Line2) && string.IsNullOrWhiteSpace(City)
        && string.IsNullOrWhiteSpace(Region) && string.IsNullOrWhiteSpace(PostalCode) && string.IsNullOrWhiteSpace(Country);
}

/// <summary>The customer as printed on the invoice; frozen when the invoice is finalized. <paramref name="Language"/>: the
/// customer's language for the invoice's documents, null for the business's.</summary>
public sealed record CustomerSnapshot(string Name, string? Email, PostalAddress? Address, string? TaxId, string? Language = null);

/// <summary>A credit note as its invoice lists it: <paramref name="Owed"/> is what of it exceeded the balance (owed to the customer).</summary>
public sealed record InvoiceCredit(string CreditNoteId, string Number, decimal Amount, DateTimeOffset IssuedAt, decimal Owed);

/// <summary>A refund against one of the invoice's credit notes, as the invoice lists it (its dashboard figures net it off).</summary>
public sealed record InvoiceRefund(string Id, string CreditNoteId, decimal Amount, DateOnly Date);

public sealed record Payment(string Id, decimal Amount, DateOnly Date, PaymentMethod Method, string? Note, DateTimeOffset RecordedAt);

/// <summary>
/// What the owner edits on a draft. Due date is either explicit or issue date + payment terms.
/// </summary>
public sealed record InvoiceContent(
    string CustomerId,
    string Currency,
    DateOnly IssueDate,
    DateOnly? DueDate,
    int? PaymentTermsDays,
    IReadOnlyList<InvoiceLine> Lines,
    InvoiceDiscount Discount,
    string? Notes)
{
    public DateOnly EffectiveDueDate => DueDate ?? IssueDate.AddDays(PaymentTermsDays ?? 0);
}
