using SmallPay.Domain;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Settings;

namespace SmallPay.Bench.Shared;

/// <summary>
/// The business and the invoices the PDF benchmark renders. Compiled into the harness and into bench/NativePdf (the
/// same renderer published with Native AOT, as the worker runs it), so both render exactly the same documents.
/// </summary>
public static class BenchInvoices
{
    /// <summary>Invoice sizes rendered (lines).</summary>
    public static readonly int[] Sizes = [10, 60, 300];

    public static readonly BusinessSettings Business = BusinessSettings.Defaults with
    {
        BusinessName = "Atelier Sommer",
        Address = new PostalAddress("Oranienstraße 24", null, "Berlin", null, "10999", "DE"),
        Email = "hello@atelier-sommer.example",
        Phone = "+49 30 5550123",
        TaxId = "DE298765432",
        NextNumber = 8,
        Version = 1,
    };

    private static readonly string[] Descriptions =
    [
        "Design work (hours)",
        "Printed proofs, 200 g/m² silk, including two correction rounds and delivery to the studio",
        "Logo licence (print)",
        "Photography: half-day shoot on location, editing and colour grading of the 25 selected images",
        "Copy editing",
        "Brand guidelines, 24 pages",
    ];

    /// <summary>An open invoice with <paramref name="lines"/> lines, partly paid, as a business would send it.</summary>
    public static Invoice Invoice(int lines, DateOnly today)
    {
        var content = new InvoiceContent("cus_01JE3Z4Q6M8N9P0R2S4T6V8W0X", "EUR", today.AddDays(-3), null, 30,
            Enumerable.Range(0, lines).Select(i => new InvoiceLine(
                $"{Descriptions[i % Descriptions.Length]} ({i + 1})", 1m + i % 9, 12.5m + i * 3.75m % 480m, i % 7 == 0 ? 10m : 0m, i % 5 == 0 ? 7m : 19m)).ToList(),
            new InvoiceDiscount(DiscountKind.Percent, 5m),
            "Thank you for your business. Please pay by bank transfer to DE89 3704 0044 0532 0130 00, quoting the invoice number.");
        var customer = new CustomerSnapshot("Müller GmbH", "billing@mueller-gmbh.example",
            new PostalAddress("Hauptstraße 5", null, "Berlin", null, "10115", "DE"), "DE123456789");
        var now = DateTimeOffset.UtcNow;
        var draft = InvoiceLifecycle.CreateDraft(Ids.New("inv"), "bench", content, customer, now);
        var open = InvoiceLifecycle.Finalize(draft, $"INV-{lines:000000}", customer, now);
        var payment = new Payment(Ids.New("pay"), Math.Round(open.Totals.Total / 3, 2), today, PaymentMethod.BankTransfer, null, now);
        return InvoiceLifecycle.RecordPayment(open, payment, today);
    }
}
