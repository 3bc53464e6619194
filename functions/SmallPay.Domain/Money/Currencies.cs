using System.Collections.Frozen;

namespace SmallPay.Domain.Money;

/// <summary>Active ISO 4217 currencies and their minor-unit digits.</summary>
public static class Currencies
{
    // Codes grouped by minor-unit digits; everything not listed under 0 or 3 has 2.
    private const string ZeroDigits = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF";
    private const string ThreeDigits = "BHD IQD JOD KWD LYD OMR TND";
    private const string TwoDigits =
        "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CNY COP " +
        "CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR " +
        "JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN " +
        "NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP " +
        "SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VES WST XCD YER ZAR ZMW ZWG";

    private static readonly FrozenDictionary<string, Currency> ByCode = Build();

    public static IEnumerable<Currency> All => ByCode.Values;

    public static bool TryGet(string? code, out Currency currency)
    {
        currency = null!;
        return code is { Length: 3 } && ByCode.TryGetValue(code, out currency!);
    }

    public static Currency Get(string code) =>
        TryGet(code, out var currency) ? currency : throw new ArgumentException($"Unknown currency '{code}'.", nameof(code));

    private static FrozenDictionary<string, Currency> Build()
    {
        var all = new Dictionary<string, Currency>(StringComparer.Ordinal);
        void Add(string codes, int digits)
        {
            foreach (var code in codes.Split(' ', StringSplitOptions.RemoveEmptyEntries)) all[code] = new Currency(code, digits);
        }
        Add(TwoDigits, 2);
        Add(ZeroDigits, 0);
        Add(ThreeDigits, 3);
        return all.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
