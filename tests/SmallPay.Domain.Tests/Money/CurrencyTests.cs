using System.Globalization;
using SmallPay.Domain.Money;

namespace SmallPay.Domain.Tests.Money;

public class CurrencyTests
{
    private static decimal Dec(string value) => decimal.Parse(value, NumberStyles.Number, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("JPY", 0, "10.5", "11")]
    [InlineData("JPY", 0, "10.4999", "10")]
    [InlineData("USD", 2, "1.005", "1.01")]
    [InlineData("USD", 2, "1.0049", "1.00")]
    [InlineData("USD", 2, "-1.005", "-1.01")]
    [InlineData("KWD", 3, "2.0005", "2.001")]
    [InlineData("KWD", 3, "2.0015", "2.002")]
    public void Round_uses_the_currency_minor_digits_half_away_from_zero(string code, int digits, string amount, string expected) =>
        Assert.Equal(Dec(expected), new Currency(code, digits).Round(Dec(amount)));

    [Theory]
    [InlineData("JPY", 0)]
    [InlineData("KRW", 0)]
    [InlineData("ISK", 0)]
    [InlineData("USD", 2)]
    [InlineData("EUR", 2)]
    [InlineData("GBP", 2)]
    [InlineData("KWD", 3)]
    [InlineData("BHD", 3)]
    [InlineData("TND", 3)]
    public void Known_currency_has_its_ISO_4217_minor_digits(string code, int digits)
    {
        Assert.True(Currencies.TryGet(code, out var currency));
        Assert.Equal(new Currency(code, digits), currency);
        Assert.Equal(digits, Currencies.Get(code).MinorDigits);
    }

    [Theory]
    [InlineData("XYZ")]
    [InlineData("eur")]
    [InlineData("Eur")]
    [InlineData("EU")]
    [InlineData("EURO")]
    [InlineData(" EUR")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_or_miswritten_currency_is_not_found(string? code)
    {
        Assert.False(Currencies.TryGet(code, out _));
        if (code is not null) Assert.Throws<ArgumentException>(() => Currencies.Get(code));
    }

    [Fact]
    public void Every_listed_currency_is_three_upper_case_letters_with_0_2_or_3_digits()
    {
        var all = Currencies.All.ToList();

        Assert.True(all.Count > 150, $"only {all.Count} currencies");
        Assert.All(all, c =>
        {
            Assert.Matches("^[A-Z]{3}$", c.Code);
            Assert.Contains(c.MinorDigits, new[] { 0, 2, 3 });
        });
        Assert.Equal(all.Count, all.Select(c => c.Code).Distinct().Count());
    }

    [Theory]
    [InlineData("2.50", 1)]
    [InlineData("2.5", 1)]
    [InlineData("100", 0)]
    [InlineData("100.00", 0)]
    [InlineData("0", 0)]
    [InlineData("0.000", 0)]
    [InlineData("0.0001", 4)]
    [InlineData("-2.50", 1)]
    [InlineData("1.2345678901234567890123456789", 28)]
    [InlineData("79228162514264337593543950335", 0)]
    public void Scale_counts_significant_decimal_places(string value, int scale) =>
        Assert.Equal(scale, Decimals.Scale(Dec(value)));

    [Theory]
    [InlineData("JPY", "100", true)]
    [InlineData("JPY", "100.0", true)]
    [InlineData("JPY", "100.5", false)]
    [InlineData("USD", "1.01", true)]
    [InlineData("USD", "1.010", true)]
    [InlineData("USD", "1.005", false)]
    [InlineData("KWD", "1.005", true)]
    [InlineData("KWD", "1.0005", false)]
    public void HasAtMostMinorDigits_ignores_trailing_zeros(string code, string amount, bool expected) =>
        Assert.Equal(expected, Currencies.Get(code).HasAtMostMinorDigits(Dec(amount)));
}
