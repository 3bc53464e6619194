using SmallPay.Domain.Documents;
using SmallPay.Domain.Money;

namespace SmallPay.Domain.Invoices;

/// <summary>What a credit note's PDF and e-mail say besides its lines: the invoice it credits, why, and what it leaves owed to the customer.</summary>
public sealed record CreditNoteParticulars(string InvoiceId, string InvoiceNumber, string Reason, decimal Owed, decimal OwedToCustomer);

/// <summary>An invoice as stored. Totals are always derived, never stored as truth.</summary>
public sealed record Invoice
{
    public required string Id { get; init; }
    public required string Tenant { get; init; }
    public string? Number { get; init; }
    public InvoiceStatus Status { get; init; } = InvoiceStatus.Draft;
    public required InvoiceContent Content { get; init; }
    public required CustomerSnapshot Customer { get; init; }
    public IReadOnlyList<Payment> Payments { get; init; } = [];
    public long Version { get; init; } = 1;
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    /// <summary>The user (Cognito sub) whose request wrote this version: the history says who finalized or voided.</summary>
    public string? UpdatedBy { get; init; }
    public DateTimeOffset? FinalizedAt { get; init; }
    public DateOnly? PaidDate { get; init; }
    public DateTimeOffset? VoidedAt { get; init; }
    public string? VoidReason { get; init; }
    /// <summary>E-mails the owner asked for (the API appends them); <see cref="DeliveryResults"/> say how each went.</summary>
    public IReadOnlyList<DeliveryRequest> DeliveryRequests { get; init; } = [];
    /// <summary>The document worker's outcome per delivery request id (read-only for the API).</summary>
    public IReadOnlyDictionary<string, DeliveryResult> DeliveryResults { get; init; } = new Dictionary<string, DeliveryResult>();
    /// <summary>The latest PDF the worker stored, or null before the first one (read-only for the API).</summary>
    public StoredDocument? Document { get; init; }
    /// <summary>The recurring profile that made this invoice (<c>prf_…</c>), or null for an invoice made by hand.</summary>
    public string? RecurringProfileId { get; init; }
    /// <summary>The owner turned this invoice's automatic reminders off (its own attribute: no edit of the invoice, no new version).</summary>
    public bool RemindersOff { get; init; }
    /// <summary>When the customer first opened a link to this invoice's page (written by the page, never by the API).</summary>
    public DateTimeOffset? ViewedAt { get; init; }
    /// <summary>When the owner last revoked the customer links: links made until then are refused (a later send issues a new one).</summary>
    public DateTimeOffset? LinksRevokedAt { get; init; }
    /// <summary>The accepted quote this draft was converted from (<c>quo_…</c>), or null.</summary>
    public string? QuoteId { get; init; }
    /// <summary>
    /// What kind of document this is to the documents pipeline: an invoice, or a quote in its invoice shape
    /// (<see cref="Quotes.Quote.AsDocument"/>: the PDF, e-mail and page say "quote" and "valid until"). Never stored.
    /// </summary>
    public Links.LinkedDocumentKind Kind { get; init; } = Links.LinkedDocumentKind.Invoice;
    /// <summary>A credit note in its invoice shape (<see cref="CreditNotes.CreditNote.AsDocument"/>): what its PDF and e-mail add. Never stored.</summary>
    public CreditNoteParticulars? CreditNote { get; init; }
    /// <summary>The credit notes issued against this invoice (at most <see cref="CreditNotes.CreditNoteRules.MaxPerInvoice"/>).</summary>
    public IReadOnlyList<InvoiceCredit> Credits { get; init; } = [];
    /// <summary>Refunds recorded against its credit notes (what they left owed to the customer, paid back).</summary>
    public IReadOnlyList<InvoiceRefund> Refunds { get; init; } = [];

    public decimal CreditedTotal => Credits.Sum(c => c.Amount);

    public decimal RefundedTotal => Refunds.Sum(r => r.Amount);

    /// <summary>What credit notes left owed to the customer (credit beyond the balance), less what was refunded.</summary>
    public decimal OwedToCustomer => Currency.Round(Credits.Sum(c => c.Owed) - RefundedTotal);

    public Currency Currency => Currencies.Get(Content.Currency);

    public decimal AmountPaid => Payments.Sum(p => p.Amount);

    /// <summary>The invoice's figures; the balance due is total − paid − credited, never below 0.</summary>
    public InvoiceTotals Totals => InvoiceCalculator.Calculate(Currency, Content.Lines, Content.Discount, AmountPaid, CreditedTotal);

    public DateOnly DueDate => Content.EffectiveDueDate;

    public bool IsFinalized => Status != InvoiceStatus.Draft;

    /// <summary>Overdue is derived: awaiting payment, with a balance, past its due date.</summary>
    public bool IsOverdue(DateOnly today) =>
        Status is InvoiceStatus.Open or InvoiceStatus.PartiallyPaid && DueDate < today && Totals.BalanceDue > 0m;

    public int DaysOverdue(DateOnly today) => IsOverdue(today) ? today.DayNumber - DueDate.DayNumber : 0;

    /// <summary>The stored PDF shows this very version: nothing changed since it was rendered.</summary>
    public bool HasCurrentDocument => Document is { } document && document.Version >= Version;
}
