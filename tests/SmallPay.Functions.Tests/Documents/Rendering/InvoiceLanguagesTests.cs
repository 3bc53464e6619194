using MimeKit;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Settings;
using SmallPay.Functions.Documents.Localization;
using SmallPay.Functions.Documents.Rendering;

namespace SmallPay.Functions.Tests.Documents.Rendering;

/// <summary>
/// An invoice in each supported language: the PDF's labels, dates and amounts and the e-mail's subject and body come from
/// Documents/Localization/{language}.json, chosen by the customer's language, else the business's.
/// </summary>
public sealed class InvoiceLanguagesTests
{
    private static readonly InvoicePdfRenderer Renderer = new();

    // language: the title, the "Total" label, the issue date (2 March 2026), the balance due (2,826.25 EUR), the e-mail subject
    public static TheoryData<string, string, string, string, string, string> Languages => new()
    {
        { "en", "INVOICE", "Total", "2 Mar 2026", "2,826.25 EUR", "Invoice INV-000042 from Nordlicht Design Studio GmbH" },
        { "de", "RECHNUNG", "Gesamtbetrag", "2. März 2026", "2.826,25 EUR", "Rechnung INV-000042 von Nordlicht Design Studio GmbH" },
        { "fr", "FACTURE", "Total", "2 mars 2026", "2\u202f826,25 EUR", "Facture INV-000042 de Nordlicht Design Studio GmbH" },
        { "es", "FACTURA", "Total", "2 de marzo de 2026", "2.826,25 EUR", "Factura INV-000042 de Nordlicht Design Studio GmbH" },
        { "it", "FATTURA", "Totale", "2 marzo 2026", "2.826,25 EUR", "Fattura INV-000042 da Nordlicht Design Studio GmbH" },
        { "pt", "FATURA", "Total", "2 de março de 2026", "2.826,25 EUR", "Fatura INV-000042 de Nordlicht Design Studio GmbH" },
        { "nl", "FACTUUR", "Totaal", "2 maart 2026", "2.826,25 EUR", "Factuur INV-000042 van Nordlicht Design Studio GmbH" },
        { "pl", "FAKTURA", "Razem", "2 marca 2026", "2\u00a0826,25 EUR", "Faktura INV-000042 od Nordlicht Design Studio GmbH" },
        { "ja", "請求書", "合計", "2026年3月2日", "2,826.25 EUR", "Nordlicht Design Studio GmbHより請求書 INV-000042 のご送付" },
        { "zh-Hans", "发票", "合计", "2026年3月2日", "2,826.25 EUR", "来自Nordlicht Design Studio GmbH的发票 INV-000042" },
        { "ar", "فاتورة", "الإجمالي", "٢ مارس ٢٠٢٦", "٢٬٨٢٦٫٢٥ EUR", "الفاتورة INV-000042 من Nordlicht Design Studio GmbH" },
    };

    private static Invoice InvoiceFor(string? customerLanguage) => new InvoiceDocumentBuilder()
        .ForCustomer(new CustomerSnapshot("Kunde Customer 顧客 عميل", "billing@customer.example", null, null, customerLanguage))
        .WithLines(new InvoiceLine("Design", 2m, 1250m, 0m, 19m))
        .Open();

    [Theory]
    [MemberData(nameof(Languages))]
    public void The_pdf_reads_back_in_the_customers_language(string language, string title, string total, string date, string balance, string _)
    {
        var pdf = Renderer.Render(InvoiceFor(language), TestBusinesses.Nordlicht, InvoiceDocumentBuilder.BeforeDue);
        if (Environment.GetEnvironmentVariable("SMALLPAY_KEEP_PDF") is { Length: > 0 } keep) File.WriteAllBytes(Path.Combine(keep, $"lang-{language}.pdf"), pdf);

        // Whitespace compares as one space (poppler turns no-break spaces into spaces). In a right-to-left line poppler
        // puts the space between a number and a word on the number's other side (" ٢مارس" for "٢ مارس"), so there the
        // text is compared without spaces: every letter and digit must still come in logical order.
        var rightToLeft = DocumentLanguage.Get(language).RightToLeft;
        string Normal(string text) => rightToLeft ? string.Concat(text.Where(c => !char.IsWhiteSpace(c))) : System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");
        var text = Normal(Poppler.ReadingText(pdf));
        foreach (var expected in new[] { title, total, date, balance, "INV-000042", "Nordlicht Design Studio GmbH" })
            Assert.True(text.Contains(Normal(expected), StringComparison.Ordinal), $"{language}: '{expected}' not in: {text}");
        var l = DocumentLanguage.Get(language);
        foreach (var key in new[] { "invoice.billTo", "invoice.description", "invoice.subtotal", "invoice.balanceDue", "invoice.amountPaid" })
            Assert.True(text.Contains(Normal(l[key]), StringComparison.Ordinal), $"{language}: {key} '{l[key]}' not in: {text}");
    }

    [Fact]
    public void The_arabic_invoice_is_laid_out_right_to_left()
    {
        // pdftotext -bbox gives each word's characters as drawn, left to right: an Arabic word reversed.
        static string Drawn(string word) => new([.. word.Reverse()]);
        var words = Poppler.Words(Renderer.Render(InvoiceFor("ar"), TestBusinesses.Nordlicht, InvoiceDocumentBuilder.BeforeDue));
        var title = words.Single(w => w.Text == Drawn("فاتورة") && w.YMin < 100);
        var business = words.First(w => w.Text == "GmbH");
        // The title sits at the left margin, the business at the right; a label stands right of its figure.
        Assert.True(title.XMin < 100, $"title at {title.XMin}");
        Assert.True(business.XMax > 540, $"business name ends at {business.XMax}");
        var totalLabel = words.Single(w => w.Text == Drawn("الإجمالي"));
        var totalFigure = words.Where(w => Math.Abs(w.YMin - totalLabel.YMin) < 3 && w.Text.Contains('٢')).MinBy(w => w.XMin)!;
        Assert.True(totalLabel.XMin > totalFigure.XMin, "the Total label should stand right of its figure");
    }

    [Fact]
    public void A_customer_without_a_language_gets_the_business_language()
    {
        var business = TestBusinesses.Nordlicht with { Language = "de" };
        var text = Poppler.ReadingText(Renderer.Render(InvoiceFor(null), business, InvoiceDocumentBuilder.BeforeDue));
        Assert.Contains("RECHNUNG", text);
        Assert.Contains("Bitte überweisen Sie 2.826,25 EUR bis zum 16. März 2026", text);
        Assert.Equal("de", DocumentLanguage.For(InvoiceFor(null), business).Tag);
        Assert.Equal("ja", DocumentLanguage.For(InvoiceFor("ja"), business).Tag);
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void The_email_subject_and_body_are_in_the_customers_language(string language, string _, string total, string date, string balance, string subject)
    {
        var composer = new InvoiceEmailComposer("invoices@smallpay.example");
        using var mail = composer.Compose(InvoiceFor(language), TestBusinesses.Nordlicht, [0x25, 0x50], ["billing@customer.example"], [], null, null);
        var l = DocumentLanguage.Get(language);

        Assert.Equal(subject, mail.Subject);
        var plain = mail.BodyParts.OfType<TextPart>().Single(p => p.IsPlain).Text;
        var html = mail.HtmlBody;
        foreach (var body in new[] { plain, html })
        {
            Assert.Contains(balance, body);
            Assert.Contains(total, body);
            Assert.Contains(date, body);
            Assert.Contains(l.Text("mail.greeting", ("name", "Kunde Customer 顧客 عميل")), body);
            Assert.Contains(l["mail.regards"], body);
        }
        Assert.Contains($"dir=\"{(language == "ar" ? "rtl" : "ltr")}\"", html);
    }

    [Fact]
    public void Every_language_file_has_every_key_of_the_english_one()
    {
        var english = Keys("en");
        foreach (var language in SmallPay.Domain.Settings.Languages.Supported)
            Assert.Equal(english, Keys(language));

        static SortedSet<string> Keys(string language)
        {
            using var stream = typeof(DocumentLanguage).Assembly.GetManifestResourceStream($"SmallPay.Localization.{language}.json")!;
            return [.. System.Text.Json.JsonDocument.Parse(stream).RootElement.EnumerateObject().Select(p => p.Name)];
        }
    }
}
