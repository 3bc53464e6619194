using System.Globalization;
using CsvHelper;
using SmallPay.Domain.CreditNotes;
using SmallPay.Domain.Customers;
using SmallPay.Domain.Invoices;

namespace SmallPay.Functions.Exports;

/// <summary>What an export lists.</summary>
public enum ExportKind { Invoices, Payments, Customers, CreditNotes }

/// <summary>Invoices: one row per document, or one row per invoice line.</summary>
public enum ExportRows { Document, Line }

/// <summary>
/// The CSV an accountant's spreadsheet opens as it is meant: UTF-8 with a byte order mark (Excel otherwise guesses a
/// code page), RFC 4180 quoting, CRLF, ISO dates, a decimal point and the currency in a column of its own, amounts with
/// the currency's minor digits. Text that a spreadsheet would run as a formula (starting with = + - @, a tab or CR) gets
/// a leading apostrophe (OWASP's advice; CsvHelper's <see cref="CsvInjection.Escape"/>); numbers are written as
/// numbers, so a negative amount stays one. Written field by field (no reflection: the functions are Native AOT).
/// </summary>
public static class CsvExportWriter
{
    public static readonly CsvWriterOptions Options = CsvWriterOptions.Default with
    {
        WriteByteOrderMark = true,
        NewLine = "\r\n",
        Injection = CsvInjection.Escape,
        FormatProvider = CultureInfo.InvariantCulture,
    };

    public static readonly string[] InvoiceColumns =
    [
        "number", "invoiceId", "status", "issueDate", "dueDate", "customerId", "customerName", "customerEmail", "customerTaxId",
        "currency", "subtotal", "discount", "tax", "total", "amountPaid", "balanceDue", "paidDate", "voidedAt",
    ];

    public static readonly string[] InvoiceLineColumns =
    [
        "number", "invoiceId", "status", "issueDate", "dueDate", "customerId", "customerName", "currency",
        "line", "description", "quantity", "unitPrice", "discountPercent", "taxRatePercent", "lineAmount",
    ];

    public static readonly string[] PaymentColumns =
    [
        "paymentId", "date", "invoiceNumber", "invoiceId", "customerId", "customerName", "currency", "amount", "method", "note", "recordedAt",
    ];

    public static readonly string[] CreditNoteColumns =
    [
        "number", "creditNoteId", "issueDate", "invoiceNumber", "invoiceId", "customerId", "customerName", "currency", "reason",
        "subtotal", "discount", "tax", "total", "owed", "refunded", "owedToCustomer",
    ];

    /// <summary>The customers file, which the import reads too (the same column names).</summary>
    public static readonly string[] CustomerColumns =
    [
        "customerId", "name", "email", "phone", "taxId", "language", "line1", "line2", "city", "region", "postalCode", "country",
        "remindersEnabled", "invoiceCount", "createdAt",
    ];

    /// <summary>Invoices in issue-date order; the caller leaves out drafts (not accounting documents).</summary>
    public static int WriteInvoices(Stream output, IEnumerable<Invoice> invoices, ExportRows rows)
    {
        using var csv = CsvWriter.Create(output, Options, leaveOpen: true);
        var count = 0;
        if (rows == ExportRows.Document)
        {
            csv.WriteHeader(InvoiceColumns);
            foreach (var invoice in invoices)
            {
                var totals = invoice.Totals;
                var digits = invoice.Currency.MinorDigits;
                WriteIdentity(csv, invoice);
                csv.WriteField(invoice.Customer.Email);
                csv.WriteField(invoice.Customer.TaxId);
                csv.WriteField(invoice.Currency.Code);
                Money(csv, totals.Subtotal, digits);
                Money(csv, totals.Discount, digits);
                Money(csv, totals.Tax, digits);
                Money(csv, totals.Total, digits);
                Money(csv, totals.AmountPaid, digits);
                Money(csv, totals.BalanceDue, digits);
                Date(csv, invoice.PaidDate);
                Time(csv, invoice.VoidedAt);
                csv.EndRecord();
                count++;
            }
        }
        else
        {
            csv.WriteHeader(InvoiceLineColumns);
            foreach (var invoice in invoices)
            {
                var amounts = invoice.Totals.LineAmounts;
                var digits = invoice.Currency.MinorDigits;
                for (var i = 0; i < invoice.Content.Lines.Count; i++)
                {
                    var line = invoice.Content.Lines[i];
                    WriteIdentity(csv, invoice);
                    csv.WriteField(invoice.Currency.Code);
                    csv.WriteField(i + 1, default);
                    csv.WriteField(line.Description);
                    csv.WriteField(line.Quantity, default);
                    csv.WriteField(line.UnitPrice, default);
                    csv.WriteField(line.DiscountPercent, default);
                    csv.WriteField(line.TaxRatePercent, default);
                    Money(csv, amounts[i], digits);
                    csv.EndRecord();
                    count++;
                }
            }
        }
        csv.Flush();
        return count;
    }

    /// <summary>Payments dated from..to, by date.</summary>
    public static int WritePayments(Stream output, IEnumerable<(Invoice Invoice, Payment Payment)> payments)
    {
        using var csv = CsvWriter.Create(output, Options, leaveOpen: true);
        csv.WriteHeader(PaymentColumns);
        var count = 0;
        foreach (var (invoice, payment) in payments)
        {
            csv.WriteField(payment.Id);
            csv.WriteField(payment.Date, "yyyy-MM-dd");
            csv.WriteField(invoice.Number);
            csv.WriteField(invoice.Id);
            csv.WriteField(invoice.Content.CustomerId);
            csv.WriteField(invoice.Customer.Name);
            csv.WriteField(invoice.Currency.Code);
            Money(csv, payment.Amount, invoice.Currency.MinorDigits);
            csv.WriteField(payment.Method.ToString());
            csv.WriteField(payment.Note);
            Time(csv, payment.RecordedAt);
            csv.EndRecord();
            count++;
        }
        csv.Flush();
        return count;
    }

    /// <summary>Credit notes issued from..to, one row each, by number.</summary>
    public static int WriteCreditNotes(Stream output, IEnumerable<CreditNote> notes)
    {
        using var csv = CsvWriter.Create(output, Options, leaveOpen: true);
        csv.WriteHeader(CreditNoteColumns);
        var count = 0;
        foreach (var note in notes)
        {
            var digits = note.CurrencyInfo.MinorDigits;
            var totals = note.Totals;
            csv.WriteField(note.Number);
            csv.WriteField(note.Id);
            csv.WriteField(note.IssueDate, "yyyy-MM-dd");
            csv.WriteField(note.InvoiceNumber);
            csv.WriteField(note.InvoiceId);
            csv.WriteField(note.CustomerId);
            csv.WriteField(note.Customer.Name);
            csv.WriteField(note.Currency);
            csv.WriteField(note.Reason);
            Money(csv, totals.Subtotal, digits);
            Money(csv, totals.Discount, digits);
            Money(csv, totals.Tax, digits);
            Money(csv, totals.Total, digits);
            Money(csv, note.Owed, digits);
            Money(csv, note.Refunded, digits);
            Money(csv, note.OwedToCustomer, digits);
            csv.EndRecord();
            count++;
        }
        csv.Flush();
        return count;
    }

    public static int WriteCustomers(Stream output, IEnumerable<Customer> customers)
    {
        using var csv = CsvWriter.Create(output, Options, leaveOpen: true);
        csv.WriteHeader(CustomerColumns);
        var count = 0;
        foreach (var customer in customers)
        {
            var details = customer.Details;
            csv.WriteField(customer.Id);
            csv.WriteField(details.Name);
            csv.WriteField(details.Email);
            csv.WriteField(details.Phone);
            csv.WriteField(details.TaxId);
            csv.WriteField(details.Language);
            csv.WriteField(details.Address?.Line1);
            csv.WriteField(details.Address?.Line2);
            csv.WriteField(details.Address?.City);
            csv.WriteField(details.Address?.Region);
            csv.WriteField(details.Address?.PostalCode);
            csv.WriteField(details.Address?.Country);
            csv.WriteField(details.RemindersOff ? "false" : "true");
            csv.WriteField(customer.InvoiceCount, default);
            Time(csv, customer.CreatedAt);
            csv.EndRecord();
            count++;
        }
        csv.Flush();
        return count;
    }

    private static void WriteIdentity(CsvWriter csv, Invoice invoice)
    {
        csv.WriteField(invoice.Number);
        csv.WriteField(invoice.Id);
        csv.WriteField(invoice.Status.ToString());
        csv.WriteField(invoice.Content.IssueDate, "yyyy-MM-dd");
        csv.WriteField(invoice.DueDate, "yyyy-MM-dd");
        csv.WriteField(invoice.Content.CustomerId);
        csv.WriteField(invoice.Customer.Name);
    }

    // Always the currency's digits (12.50, 1000, 1.250): what the invoice shows, and what a SUM in the sheet adds up to.
    private static void Money(CsvWriter csv, decimal amount, int digits) =>
        csv.WriteField(amount, digits switch { 0 => "F0", 3 => "F3", 4 => "F4", _ => "F2" });

    private static void Date(CsvWriter csv, DateOnly? date)
    {
        if (date is { } d) csv.WriteField(d, "yyyy-MM-dd");
        else csv.WriteField((string?)null);
    }

    private static void Time(CsvWriter csv, DateTimeOffset? time)
    {
        if (time is { } t) csv.WriteField(t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        else csv.WriteField((string?)null);
    }
}
