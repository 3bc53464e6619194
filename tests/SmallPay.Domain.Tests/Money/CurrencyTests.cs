using SmallPay.Domain.Money;

namespace SmallPay.Domain.Tests.Money;

public class CurrencyTests
{
    [Theory]
    [InlineData("JPY", 0, 10.5, 11)]
    [InlineData("USD", 2, 1.005, 1.01)]
    [InlineData("KWD", 3, 2.0005, 2.001)]
    public void Round_uses_the_currency_minor_digits_half_away_from_zero(string code, int digits, double amount, double expected) =>
        Assert.Equal((decimal)expected, new Currency(code, digits).Round((decimal)amount));
}
