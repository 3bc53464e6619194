using System.Globalization;
using System.Text.Json;
using SmallPay.Domain.Invoices;

namespace SmallPay.Domain.Tests.Invoices;

/// <summary>
/// tests/cases/invoice-totals.json: the totals cases shared with the SPA's TypeScript mirror of the calculation.
/// Numbers are strings so both sides read them as exact decimals.
/// </summary>
public static class InvoiceTotalsCases
{
    public sealed record LineCase(string Quantity, string UnitPrice, string DiscountPercent, string TaxRatePercent);
    public sealed record DiscountCase(string Kind, string Value);
    public sealed record TaxCase(string RatePercent, string Taxable, string Tax);
    public sealed record ExpectedCase(
        List<string> LineAmounts, string Subtotal, string Discount, List<TaxCase> Taxes,
        string Tax, string Total, string AmountPaid, string BalanceDue);
    public sealed record TotalsCase(string Name, string Currency, List<LineCase> Lines, DiscountCase Discount, string AmountPaid, ExpectedCase Expected);

    private static readonly Lazy<IReadOnlyList<TotalsCase>> Loaded = new(Load);

    public static IReadOnlyList<TotalsCase> All => Loaded.Value;

    public static TotalsCase Named(string name) => All.Single(c => c.Name == name);

    public static string FilePath => SharedCaseFiles.PathOf("invoice-totals.json");

    public static decimal Dec(string value) => decimal.Parse(value, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    public static IReadOnlyList<InvoiceLine> Lines(TotalsCase c) =>
        [.. c.Lines.Select((l, i) => new InvoiceLine($"line {i}", Dec(l.Quantity), Dec(l.UnitPrice), Dec(l.DiscountPercent), Dec(l.TaxRatePercent)))];

    public static InvoiceDiscount Discount(TotalsCase c) => new(Enum.Parse<DiscountKind>(c.Discount.Kind), Dec(c.Discount.Value));

    private static IReadOnlyList<TotalsCase> Load()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow };
        return JsonSerializer.Deserialize<List<TotalsCase>>(File.ReadAllText(FilePath), options)
            ?? throw new InvalidOperationException($"{FilePath} holds no cases.");
    }
}
