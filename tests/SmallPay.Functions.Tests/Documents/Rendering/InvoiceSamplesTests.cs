using SmallPay.Domain.Invoices;
using SmallPay.Functions.Documents.Rendering;

namespace SmallPay.Functions.Tests.Documents.Rendering;

/// <summary>
/// The sample invoices shown in docs/invoices (first pages at 80 dpi): a Japanese customer in Japanese, an Arabic one in
/// Arabic (laid out right to left), a Hindi one in English. Each is read back with pdftotext; with
/// <c>SMALLPAY_WRITE_SAMPLES=1</c> the PNGs are rewritten (then look at them).
/// </summary>
public sealed class InvoiceSamplesTests
{
    public static TheoryData<string> Samples => new() { "ja", "ar", "hi" };

    private static (Invoice Invoice, string[] Expected) Sample(string sample) => sample switch
    {
        "ja" => (new InvoiceDocumentBuilder()
            .ForCustomer(new CustomerSnapshot("株式会社テスト商事", "keiri@test-shoji.example", new PostalAddress("千代田区丸の内一丁目1番1号", "丸の内ビル 12階", "東京都", null, "100-0005", "日本"), "T1234567890123", "ja"))
            .WithLines(new InvoiceLine("ブランドアイデンティティ ワークショップ（2日間）", 2m, 1250m, 0m, 10m),
                new InvoiceLine("ロゴデザイン、3案と修正2回を含む", 1m, 2400m, 10m, 10m),
                new InvoiceLine("名刺の印刷（両面カラー、500枚）", 3m, 89.9m, 0m, 8m))
            .WithNotes("お振込みの際は請求書番号をご記載ください。")
            .Open(), ["株式会社テスト商事", "請求書", "ロゴデザイン、3案と修正2回を含む", "お振込みの際は請求書番号をご記載ください。"]),
        "ar" => (new InvoiceDocumentBuilder()
            .ForCustomer(new CustomerSnapshot("شركة الاختبار للتجارة", "accounts@test-trading.example", new PostalAddress("شارع الملك فهد ١٢", null, "الرياض", null, "12211", "المملكة العربية السعودية"), "300123456700003", "ar"))
            .WithLines(new InvoiceLine("ورشة عمل الهوية التجارية (يومان)", 2m, 1250m, 0m, 15m),
                new InvoiceLine("تصميم الشعار، ثلاثة مقترحات", 1m, 2400m, 10m, 15m),
                new InvoiceLine("طباعة بطاقات العمل", 3m, 89.9m, 0m, 15m))
            .WithNotes("يرجى ذكر رقم الفاتورة عند التحويل.")
            .Open(), ["شركة الاختبار للتجارة", "فاتورة", "تصميم الشعار، ثلاثة مقترحات", "الإجمالي"]),
        _ => (new InvoiceDocumentBuilder()
            .ForCustomer(new CustomerSnapshot("परीक्षण कंपनी प्राइवेट लिमिटेड", "accounts@pariksha.example", new PostalAddress("१२, महात्मा गांधी मार्ग", null, "नई दिल्ली", null, "110001", "भारत"), "07AABCP1234C1Z5", "en"))
            .WithLines(new InvoiceLine("ब्रांड पहचान कार्यशाला (दो दिन)", 2m, 1250m, 0m, 18m),
                new InvoiceLine("लोगो डिज़ाइन, तीन प्रस्ताव", 1m, 2400m, 10m, 18m),
                new InvoiceLine("विज़िटिंग कार्ड की छपाई", 3m, 89.9m, 0m, 18m))
            .Open(), ["परीक्षण कंपनी प्राइवेट लिमिटेड", "INVOICE", "लोगो डिज़ाइन, तीन प्रस्ताव", "विज़िटिंग कार्ड की छपाई"]),
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void The_sample_invoice_reads_back(string sample)
    {
        var (invoice, expected) = Sample(sample);
        var pdf = new InvoicePdfRenderer().Render(invoice, TestBusinesses.Nordlicht, InvoiceDocumentBuilder.BeforeDue);
        // Right to left, poppler puts the space next to a comma or a number on its other side: compared without spaces
        // (every letter still in logical order), as in InvoiceLanguagesTests.
        string Normal(string t) => sample == "ar" ? string.Concat(t.Where(c => !char.IsWhiteSpace(c))) : t;
        var text = Normal(Poppler.ReadingText(pdf));
        foreach (var e in expected)
            Assert.True(text.Contains(Normal(e), StringComparison.Ordinal), $"{sample}: '{e}' not in: {text}");

        if (Environment.GetEnvironmentVariable("SMALLPAY_WRITE_SAMPLES") == "1")
        {
            var directory = Path.Combine(RepositoryRoot(), "docs", "invoices");
            Directory.CreateDirectory(directory);
            File.WriteAllBytes(Path.Combine(directory, $"invoice-{sample}.png"), Poppler.FirstPagePng(pdf, 80));
            File.WriteAllBytes(Path.Combine(directory, $"invoice-{sample}.pdf"), pdf);
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "SmallPay.sln"))) return directory.FullName;
        throw new DirectoryNotFoundException("SmallPay.sln");
    }
}
