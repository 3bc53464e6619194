namespace SmallPay.Domain.Money;

public sealed record Currency(string Code, int MinorDigits)
{
    public decimal Round(decimal amount) => Math.Round(amount, MinorDigits, MidpointRounding.AwayFromZero);
}
