using SmallPay.Domain.Invoices;
using SmallPay.Functions.Documents.Localization;

namespace SmallPay.Functions.Documents.Rendering;

/// <summary>The payment terms sentence of an invoice, as its PDF and its customer's page both print it.</summary>
public static class InvoiceTermsText
{
    public static string For(DocumentLanguage l, Invoice invoice)
    {
        var terms = l.PaymentTerms(invoice.Content) is { } t ? l.Text("terms.sentence", ("terms", t)) : "";
        var due = l.Date(invoice.DueDate);
        // A credit note: which invoice it credits and why, and whether money goes back to the customer.
        if (invoice.CreditNote is { } credit)
        {
            var owed = credit.OwedToCustomer > 0m ? l.Text("creditNote.owed", ("amount", l.Money(credit.OwedToCustomer, invoice.Currency)))
                : credit.Owed == 0m ? l.Text("creditNote.deducted", ("invoice", credit.InvoiceNumber))
                : l["creditNote.refunded"];
            return string.Join(" ", l.Text("creditNote.forInvoice", ("invoice", credit.InvoiceNumber)), l.Text("creditNote.reason", ("reason", credit.Reason)), owed);
        }
        // A quote: its terms are those of the invoice to be, and it says until when it stands.
        if (invoice.Kind == SmallPay.Domain.Links.LinkedDocumentKind.Quote)
        {
            // Its due date is the valid-until date: the terms are those the invoice will have.
            var invoiceTerms = l.PaymentTerms(invoice.Content with { DueDate = null }) is { } it ? l.Text("terms.sentence", ("terms", it)) : "";
            return invoiceTerms + l.Text("terms.validUntil", ("date", due));
        }
        return invoice.Status switch
        {
            InvoiceStatus.Paid => terms + (invoice.PaidDate is { } paid ? l.Text("terms.paidOn", ("date", l.Date(paid))) : l["terms.paid"]),
            InvoiceStatus.Void => l["terms.void"],
            InvoiceStatus.Draft => terms + l.Text("terms.draft", ("date", due)),
            _ => terms + l.Text("terms.pleasePay", ("amount", l.Money(invoice.Totals.BalanceDue, invoice.Currency)), ("date", due), ("number", l.Number(invoice))),
        };
    }
}
