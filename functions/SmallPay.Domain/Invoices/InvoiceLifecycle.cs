using SmallPay.Domain.Validation;

namespace SmallPay.Domain.Invoices;

/// <summary>The status rules: every change an invoice can go through, each returning the changed invoice or refusing.</summary>
public static class InvoiceLifecycle
{
    public static Invoice CreateDraft(string id, string tenant, InvoiceContent content, CustomerSnapshot customer, DateTimeOffset now) =>
        new() { Id = id, Tenant = tenant, Content = content, Customer = customer, CreatedAt = now, UpdatedAt = now };

    /// <summary>Drafts are fully editable; a finalized invoice only takes new notes and due date; a void one nothing.</summary>
    public static Invoice Edit(Invoice invoice, InvoiceContent content, CustomerSnapshot customer, DateTimeOffset now)
    {
        if (invoice.Status == InvoiceStatus.Draft)
            return invoice with { Content = content, Customer = customer, UpdatedAt = now };

        if (invoice.Status == InvoiceStatus.Void)
            throw new InvoiceStateException("A void invoice cannot be edited.");

        var locked = invoice.Content;
        var errors = new ValidationErrors();
        if (content.CustomerId != locked.CustomerId) errors.Add("customerId", "cannot change after the invoice is finalized");
        if (content.Currency != locked.Currency) errors.Add("currency", "cannot change after the invoice is finalized");
        if (content.IssueDate != locked.IssueDate) errors.Add("issueDate", "cannot change after the invoice is finalized");
        if (content.Discount != locked.Discount) errors.Add("discount", "cannot change after the invoice is finalized");
        if (!content.Lines.SequenceEqual(locked.Lines)) errors.Add("lines", "cannot change after the invoice is finalized; void it and issue a new one");
        if (content.EffectiveDueDate < locked.IssueDate) errors.Add("dueDate", "must not be before the issue date");
        errors.ThrowIfAny("Only the notes and the due date of a finalized invoice can change.");

        return invoice with
        {
            Content = locked with { Notes = content.Notes, DueDate = content.EffectiveDueDate, PaymentTermsDays = content.DueDate is null ? content.PaymentTermsDays : null },
            UpdatedAt = now,
        };
    }

    public static void EnsureDeletable(Invoice invoice)
    {
        if (invoice.Status != InvoiceStatus.Draft)
            throw new InvoiceStateException($"Invoice {invoice.Number} is finalized: it can be voided, not deleted.");
    }

    /// <summary>Gives a draft its number and freezes the customer's details as printed.</summary>
    public static Invoice Finalize(Invoice invoice, string number, CustomerSnapshot customer, DateTimeOffset now)
    {
        if (invoice.Status != InvoiceStatus.Draft)
            throw new InvoiceStateException($"Invoice {invoice.Number} is already finalized.");
        var errors = new ValidationErrors();
        if (invoice.Content.Lines.Count == 0) errors.Add("lines", "an invoice needs at least one line before it is finalized");
        errors.ThrowIfAny("The invoice is not ready to be finalized.");
        var finalized = invoice with { Number = number, Status = InvoiceStatus.Open, Customer = customer, FinalizedAt = now, UpdatedAt = now };
        // Nothing to pay (free lines, a full discount): settled the moment it is issued.
        return finalized.Totals.Total == 0m ? finalized with { Status = InvoiceStatus.Paid, PaidDate = invoice.Content.IssueDate } : finalized;
    }

    /// <summary>The most payments one invoice takes (they are stored on its item).</summary>
    public const int MaxPayments = 100;

    public static Invoice RecordPayment(Invoice invoice, Payment payment, DateOnly today)
    {
        // The same payment again (a repeated request under one Idempotency-Key): it is recorded already, once.
        if (invoice.Payments.Any(p => p.Id == payment.Id)) return invoice;
        switch (invoice.Status)
        {
            case InvoiceStatus.Draft: throw new InvoiceStateException("Finalize the invoice before recording a payment.");
            case InvoiceStatus.Void: throw new InvoiceStateException("A void invoice takes no payments.");
            case InvoiceStatus.Paid: throw new InvoiceStateException($"Invoice {invoice.Number} is already paid in full.");
        }
        // Payments live on the invoice's item: bounded, so the item stays far below DynamoDB's 400 KB.
        if (invoice.Payments.Count >= MaxPayments)
            throw new InvoiceStateException($"Invoice {invoice.Number} has {MaxPayments} payments already, the most one invoice takes; record the rest as one payment.");

        var currency = invoice.Currency;
        var balance = invoice.Totals.BalanceDue;
        var errors = new ValidationErrors();
        if (payment.Amount <= 0m) errors.Add("amount", "must be greater than 0");
        else if (!currency.HasAtMostMinorDigits(payment.Amount)) errors.Add("amount", $"{currency.Code} amounts have at most {currency.MinorDigits} decimal places");
        else if (payment.Amount > balance) errors.Add("amount", $"is more than the balance due ({balance} {currency.Code}); overpayments are not accepted");
        if (payment.Date > today.AddDays(1)) errors.Add("date", "must not be in the future (tomorrow is accepted for time zones ahead of UTC)");
        if (payment.Date < invoice.Content.IssueDate.AddYears(-1)) errors.Add("date", "is implausibly long before the issue date");
        errors.ThrowIfAny("The payment cannot be recorded.");

        var paid = invoice with { Payments = [.. invoice.Payments, payment], UpdatedAt = payment.RecordedAt };
        var fullyPaid = paid.Totals.BalanceDue == 0m;
        return paid with
        {
            Status = fullyPaid ? InvoiceStatus.Paid : InvoiceStatus.PartiallyPaid,
            PaidDate = fullyPaid ? paid.Payments.Max(p => p.Date) : null,
        };
    }

    public static Invoice Void(Invoice invoice, string? reason, DateTimeOffset now) => invoice.Status switch
    {
        _ when invoice.Credits.Count > 0 => throw new InvoiceStateException($"Invoice {invoice.Number} has credit notes and cannot be voided."),
        InvoiceStatus.Draft => throw new InvoiceStateException("A draft is not voided: delete it instead."),
        InvoiceStatus.Void => throw new InvoiceStateException($"Invoice {invoice.Number} is already void."),
        InvoiceStatus.PartiallyPaid or InvoiceStatus.Paid => throw new InvoiceStateException($"Invoice {invoice.Number} has payments recorded and cannot be voided."),
        _ => invoice with { Status = InvoiceStatus.Void, VoidedAt = now, VoidReason = Validation.PlainText.Clean(reason), UpdatedAt = now },
    };
}
