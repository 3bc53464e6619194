using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Validation;

namespace SmallPay.Domain.Reminders;

/// <summary>A reminder of an invoice: an e-mail request like a send (same pipeline, history and limits), marked as a reminder.</summary>
public static class InvoiceReminders
{
    /// <summary>Only an invoice that awaits payment is worth a reminder.</summary>
    public static bool Awaits(Invoice invoice) =>
        invoice.Status is InvoiceStatus.Open or InvoiceStatus.PartiallyPaid && invoice.Totals.BalanceDue > 0m;

    /// <summary>Appends a reminder request (a repeat of <paramref name="requestId"/> changes nothing).</summary>
    /// <param name="occurrence">The plan's reminder this is, or null for one sent by hand.</param>
    public static Invoice Request(Invoice invoice, DeliveryInput input, string requestId, DateTimeOffset now, string defaultSubject,
        ReminderOccurrence? occurrence = null)
    {
        if (invoice.DeliveryRequests.Any(r => r.RequestId == requestId)) return invoice;
        EnsureAwaits(invoice);
        var requested = InvoiceDeliveries.Request(invoice, input, requestId, null, now, defaultSubject);
        var reminder = requested.DeliveryRequests[^1] with
        {
            Kind = DeliveryKind.Reminder, ReminderKey = occurrence?.Key, ReminderLabel = occurrence?.Describe(),
        };
        return requested with { DeliveryRequests = [.. invoice.DeliveryRequests, reminder] };
    }

    /// <summary>Throws <see cref="InvoiceStateException"/> (409) unless the invoice awaits payment, saying why not.</summary>
    public static void EnsureAwaits(Invoice invoice)
    {
        switch (invoice.Status)
        {
            case InvoiceStatus.Draft: throw new InvoiceStateException("A draft has not been sent: there is nothing to remind of yet.");
            case InvoiceStatus.Void: throw new InvoiceStateException($"Invoice {invoice.Number} is void: there is nothing to remind of.");
            case InvoiceStatus.Paid: throw new InvoiceStateException($"Invoice {invoice.Number} is paid: there is nothing to remind of.");
        }
        if (!Awaits(invoice)) throw new InvoiceStateException($"Invoice {invoice.Number} has nothing left to pay.");
    }
}
