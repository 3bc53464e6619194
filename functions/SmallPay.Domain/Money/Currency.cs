namespace SmallPay.Domain.Money;

/// <summary>An ISO 4217 currency; amounts in it are rounded to its minor-unit digits.</summary>
public sealed record Currency(string Code, int MinorDigits)
{
    /// <summary>
    /// Commercial rounding (half away from zero), as invoices and tax authorities expect. The result always carries
    /// exactly the currency's digits (1075 EUR is 1075.00), so amounts read the same however they were computed.
    /// </summary>
    public decimal Round(decimal amount) => Math.Round(amount, MinorDigits, MidpointRounding.AwayFromZero) + ZeroAtScale[MinorDigits];

    // 0 with 0, 1, 2, 3… decimal places: adding it raises a decimal's scale without changing its value.
    private static readonly decimal[] ZeroAtScale = [0m, 0.0m, 0.00m, 0.000m, 0.0000m];

    public bool HasAtMostMinorDigits(decimal amount) => Decimals.Scale(amount) <= MinorDigits;
}

public static class Decimals
{
    /// <summary>Significant decimal places (2.50 has 1).</summary>
    public static int Scale(decimal value)
    {
        value /= 1.0000000000000000000000000000m; // normalises trailing zeros away
        return (decimal.GetBits(value)[3] >> 16) & 0xFF;
    }
}
