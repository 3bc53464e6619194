namespace SmallPay.Domain.Settings;

/// <summary>
/// The languages invoices (PDF and e-mail) can be written in: BCP 47 tags, exactly as listed. A customer's language
/// defaults to the business's.
/// </summary>
public static class Languages
{
    public const string Default = "en";

    public static readonly IReadOnlyList<string> Supported = ["en", "de", "fr", "es", "it", "pt", "nl", "pl", "ja", "zh-Hans", "ar"];

    public static bool IsSupported(string? tag) => tag is not null && Supported.Contains(tag, StringComparer.Ordinal);

    public static string Describe => string.Join(", ", Supported);
}
