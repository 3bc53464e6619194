using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Money;
using SmallPay.Domain.Settings;

namespace SmallPay.Functions.Documents.Localization;

/// <summary>
/// The words and formats of invoice documents (PDF and e-mail) in one language, from Documents/Localization/{tag}.json:
/// one flat file per language that a translator edits without touching code. The functions run without ICU
/// (InvariantGlobalization), so dates and numbers are formatted here from the file's patterns, month names,
/// separators and digits, never from CultureInfo. Files are embedded in the assembly and read once per language.
/// </summary>
/// <remarks>
/// Keys: <c>direction</c> (ltr/rtl), <c>format.digits</c> (the ten digits), <c>format.decimal</c>, <c>format.group</c>,
/// <c>format.date</c> ({d} {dd} {M} {MM} {MMM} {MMMM} {yyyy}), <c>format.months</c> (twelve, |-separated),
/// <c>format.money</c> ({amount} {currency}), <c>format.percent</c> ({value}); then the texts, with {named} placeholders.
/// A key missing in a language falls back to English.
/// </remarks>
public sealed class DocumentLanguage
{
    private static readonly ConcurrentDictionary<string, DocumentLanguage> Loaded = new(StringComparer.Ordinal);

    public static DocumentLanguage English => Get(Languages.Default);

    /// <summary>The language <paramref name="tag"/>, English when it is not a supported one.</summary>
    public static DocumentLanguage Get(string? tag) =>
        Loaded.GetOrAdd(Languages.IsSupported(tag) ? tag! : Languages.Default, t => new DocumentLanguage(t));

    /// <summary>The language of an invoice's documents: its customer's, else the business's.</summary>
    public static DocumentLanguage For(Invoice invoice, BusinessSettings business)
    {
        var language = Get(invoice.Customer.Language ?? business.Language);
        return invoice.Kind switch
        {
            SmallPay.Domain.Links.LinkedDocumentKind.Quote => language.ForQuotes,
            SmallPay.Domain.Links.LinkedDocumentKind.CreditNote => language.ForCreditNotes,
            _ => language,
        };
    }

    /// <summary>
    /// The same language for a quote's documents: each text <c>x</c> is read as <c>quote.x</c> where the file has one
    /// ("QUOTE" for "INVOICE", "Valid until" for "Due date"), so the PDF, e-mail and page need no second layout.
    /// </summary>
    public DocumentLanguage ForQuotes => _quotes ??= new DocumentLanguage(this, "quote.");

    /// <summary>The same for a credit note's documents: <c>credit.x</c> where the file has one ("CREDIT NOTE" for "INVOICE").</summary>
    public DocumentLanguage ForCreditNotes => _creditNotes ??= new DocumentLanguage(this, "credit.");

    private DocumentLanguage? _quotes;
    private DocumentLanguage? _creditNotes;
    /// <summary>The prefix of this kind's own texts ("quote.", "credit."), or null for an invoice's.</summary>
    private readonly string? _kindPrefix;

    private readonly Dictionary<string, string> _texts;
    private readonly DocumentLanguage? _fallback;
    private readonly string[] _months;
    private readonly string _digits;

    private DocumentLanguage(string tag)
    {
        Tag = tag;
        _texts = Read(tag);
        _fallback = tag == Languages.Default ? null : English;
        RightToLeft = this["direction"] == "rtl";
        _months = this["format.months"].Split('|');
        _digits = this["format.digits"];
        if (_months.Length != 12 || _digits.Length != 10)
            throw new InvalidDataException($"Documents/Localization/{tag}.json: format.months needs 12 names and format.digits 10 digits.");
    }

    private DocumentLanguage(DocumentLanguage plain, string kindPrefix)
    {
        Tag = plain.Tag;
        _texts = plain._texts;
        _fallback = kindPrefix == "quote." ? plain._fallback?.ForQuotes : plain._fallback?.ForCreditNotes;
        _kindPrefix = kindPrefix;
        RightToLeft = plain.RightToLeft;
        _months = plain._months;
        _digits = plain._digits;
    }

    /// <summary>The BCP 47 tag (also what HarfBuzz gets, for language-specific glyph forms).</summary>
    public string Tag { get; }
    public bool RightToLeft { get; }

    public string this[string key] =>
        _kindPrefix is not null && _texts.TryGetValue(_kindPrefix + key, out var kindText) ? kindText
        : _texts.TryGetValue(key, out var text) ? text
        : _fallback is not null ? _fallback[key]
        : throw new KeyNotFoundException($"No text '{key}' in Documents/Localization/en.json.");

    /// <summary>The text <paramref name="key"/> with its {placeholders} filled in.</summary>
    public string Text(string key, params (string Name, string Value)[] values)
    {
        var text = this[key];
        foreach (var (name, value) in values)
            text = text.Replace("{" + name + "}", value, StringComparison.Ordinal);
        return text;
    }

    // ---- figures and dates ----

    /// <summary>An amount with the currency code, e.g. <c>1,234.50 EUR</c>, <c>1.234,50 EUR</c>.</summary>
    public string Money(decimal amount, Currency currency) =>
        Text("format.money", ("amount", Amount(amount, currency)), ("currency", currency.Code));

    /// <summary>An amount without the code: exactly the currency's minor digits.</summary>
    public string Amount(decimal amount, Currency currency) => Localize(amount.ToString("N" + currency.MinorDigits, CultureInfo.InvariantCulture));

    /// <summary>A unit price: the currency's digits, more when the price has them.</summary>
    public string UnitPrice(decimal price, Currency currency) =>
        Localize(price.ToString("N" + Math.Max(currency.MinorDigits, Decimals.Scale(price)), CultureInfo.InvariantCulture));

    /// <summary>A quantity without trailing zeros.</summary>
    public string Quantity(decimal quantity) => Localize(quantity.ToString("#,0.####", CultureInfo.InvariantCulture));

    /// <summary>A percentage without trailing zeros.</summary>
    public string Percent(decimal percent) => Text("format.percent", ("value", Localize(percent.ToString("0.###", CultureInfo.InvariantCulture))));

    /// <summary>A date with the month spelled out (or, in Chinese and Japanese, the usual 年月日), so no reader mistakes day for month.</summary>
    public string Date(DateOnly date) => Text("format.date",
        ("dd", Digits(date.Day.ToString("00", CultureInfo.InvariantCulture))),
        ("d", Digits(date.Day.ToString(CultureInfo.InvariantCulture))),
        ("MMMM", _months[date.Month - 1]),
        ("MMM", _months[date.Month - 1]),
        ("MM", Digits(date.Month.ToString("00", CultureInfo.InvariantCulture))),
        ("M", Digits(date.Month.ToString(CultureInfo.InvariantCulture))),
        ("yyyy", Digits(date.Year.ToString("0000", CultureInfo.InvariantCulture))));

    /// <summary>A whole number in this language's digits.</summary>
    public string Integer(long value) => Digits(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>The number printed for an invoice; a draft has none yet.</summary>
    public string Number(Invoice invoice) => invoice.Number ?? this["invoice.draftNumber"];

    /// <summary>How the due date was agreed (Net 14 days, Due on receipt), or null when a date was set directly.</summary>
    public string? PaymentTerms(InvoiceContent content) => content.DueDate is not null ? null : (content.PaymentTermsDays ?? 0) switch
    {
        0 => this["terms.dueOnReceipt"],
        1 => this["terms.net1"],
        var days => Text("terms.netDays", ("days", Integer(days))),
    };

    /// <summary>Invariant digits and separators (1,234.5) in this language's.</summary>
    private string Localize(string invariant)
    {
        var decimalSeparator = this["format.decimal"];
        var groupSeparator = this["format.group"];
        var text = new StringBuilder(invariant.Length + 4);
        foreach (var c in invariant)
        {
            _ = c switch
            {
                '.' => text.Append(decimalSeparator),
                ',' => text.Append(groupSeparator),
                >= '0' and <= '9' => text.Append(_digits[c - '0']),
                _ => text.Append(c),
            };
        }
        return text.ToString();
    }

    private string Digits(string invariant) => _digits == "0123456789" ? invariant : Localize(invariant);

    private static Dictionary<string, string> Read(string tag)
    {
        var name = $"SmallPay.Localization.{tag}.json";
        using var stream = typeof(DocumentLanguage).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The language resource {name} is missing from the assembly.");
        return JsonSerializer.Deserialize(stream, LocalizationJson.Default.DictionaryStringString)
            ?? throw new InvalidDataException($"{name} is empty.");
    }
}

[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class LocalizationJson : JsonSerializerContext;
