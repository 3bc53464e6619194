using SmallPay.Domain.Invoices;
using SmallPay.Functions.Documents.Rendering;

namespace SmallPay.Functions.Tests.Documents.Rendering;

/// <summary>
/// Names, addresses and line items in every supported script: rendered, read back with poppler's pdftotext, and found
/// in logical order (the order they were typed in), in the font chosen for them, embedded as a subset with a ToUnicode map.
/// </summary>
public sealed class InvoiceScriptsTests
{
    private static readonly InvoicePdfRenderer Renderer = new();

    public static TheoryData<string, string, string, string> Scripts => new()
    {
        // script, customer name, a line item, the font that must set it
        { "Latin", "Müller & Söhne Łódź SARL", "Façade rénovation, größere Fläche", "DejaVuSans" },
        { "Greek", "Ελληνική Εταιρεία Δοκιμών ΑΕ", "Σχεδιασμός λογότυπου", "DejaVuSans" },
        { "Cyrillic", "ООО Тестовая Компания", "Разработка фирменного стиля", "DejaVuSans" },
        { "Arabic", "شركة الاختبار", "تصميم الشعار لا إله", "NotoSansArabic" },
        { "Hebrew", "חברת הבדיקה בע״מ", "עיצוב לוגו", "NotoSansHebrew" },
        { "Devanagari", "परीक्षण कंपनी", "लोगो डिज़ाइन और क्षमता", "NotoSansDevanagari" },
        { "Bengali", "পরীক্ষা কোম্পানি", "লোগো নকশা", "NotoSansBengali" },
        { "Tamil", "சோதனை நிறுவனம்", "சின்ன வடிவமைப்பு", "NotoSansTamil" },
        { "Thai", "บริษัท ทดสอบ จำกัด", "ออกแบบโลโก้", "NotoSansThai" },
        { "Japanese", "株式会社テスト商事", "ロゴデザイン（３案）", "NotoSansCJKjp" },
        { "Chinese", "测试贸易有限公司", "标志设计，三个方案", "NotoSansCJKjp" },
        { "Korean", "테스트 주식회사", "로고 디자인", "NotoSansCJKjp" },
    };

    [Theory]
    [MemberData(nameof(Scripts))]
    public void A_name_and_a_line_in_the_script_read_back_in_logical_order(string script, string name, string item, string font)
    {
        var invoice = new InvoiceDocumentBuilder()
            .ForCustomer(new CustomerSnapshot(name, "billing@test.example", new PostalAddress(item, null, null, null, null, null), null))
            .WithLines(new InvoiceLine(item, 2m, 1250m, 0m, 19m))
            .Open();
        var pdf = Renderer.Render(invoice, TestBusinesses.Nordlicht, InvoiceDocumentBuilder.BeforeDue);

        if (Environment.GetEnvironmentVariable("SMALLPAY_KEEP_PDF") is { Length: > 0 } keep) File.WriteAllBytes(Path.Combine(keep, script + ".pdf"), pdf);
        var text = Poppler.ReadingText(pdf);
        Assert.True(text.Contains(name, StringComparison.Ordinal), $"{script}: '{name}' not in: {text}");
        Assert.True(text.Contains(item, StringComparison.Ordinal), $"{script}: '{item}' not in: {text}");
        var fonts = Poppler.Fonts(pdf);
        Assert.Contains(fonts, f => f.Name.EndsWith("+" + font + "-Bold", StringComparison.Ordinal) || f.Name.EndsWith("+" + font, StringComparison.Ordinal) || f.Name.Contains("+" + font + "-", StringComparison.Ordinal));
        Assert.All(fonts, f => Assert.True(f.Embedded && f.Subset && f.Unicode, $"{f.Name}: embedded {f.Embedded}, subset {f.Subset}, ToUnicode {f.Unicode}"));
    }
}
