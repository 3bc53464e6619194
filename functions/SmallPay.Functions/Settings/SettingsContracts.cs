using SmallPay.Domain.Settings;
using SmallPay.Functions.Customers;

namespace SmallPay.Functions.Settings;

/// <summary>The body of PUT /settings: the whole profile (absent optional fields are cleared).</summary>
public sealed class SettingsInput
{
    public string? BusinessName { get; set; }
    public AddressInput? Address { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? TaxId { get; set; }
    public string? DefaultCurrency { get; set; }
    public int? PaymentTermsDays { get; set; }
    public string? NumberPrefix { get; set; }
    public long? NextNumber { get; set; }
    /// <summary>The language of invoices to customers without one of their own; absent: unchanged.</summary>
    public string? Language { get; set; }

    public BusinessSettings ApplyTo(BusinessSettings current)
    {
        var updated = BusinessSettings.Normalize(current with
        {
            BusinessName = BusinessName ?? "",
            Address = Address?.ToAddress(),
            Email = Email,
            Phone = Phone,
            TaxId = TaxId,
            DefaultCurrency = DefaultCurrency ?? current.DefaultCurrency,
            PaymentTermsDays = PaymentTermsDays ?? current.PaymentTermsDays,
            NumberPrefix = NumberPrefix ?? current.NumberPrefix,
            NextNumber = NextNumber ?? current.NextNumber,
            Language = Language?.Trim() ?? current.Language,
            Version = current.Version + 1,
        });
        BusinessSettings.Validate(updated);
        return updated;
    }
}

/// <param name="Established">The business has been paid (or the operator set its limit): the larger limit applies.</param>
public sealed record SendingView(int DailyLimit, int UsedToday, bool Established, DateTimeOffset ResetsAt);

public sealed record SettingsView(
    string BusinessName, AddressView? Address, string? Email, string? Phone, string? TaxId, string DefaultCurrency,
    int PaymentTermsDays, string NumberPrefix, long NextNumber, string NextInvoiceNumber, string Language, long Version)
{
    /// <summary>The business's daily sending limit and today's use (GET /settings).</summary>
    public SendingView? Sending { get; init; }

    /// <summary>Whether <see cref="Email"/> has been confirmed with a code: only then is it the Reply-To of the business's e-mails.</summary>
    public bool EmailVerified { get; init; }

    public static SettingsView From(BusinessSettings s, SmallPay.Domain.Documents.SendingAllowance? sending) =>
        From(s) with { Sending = sending is null ? null : new SendingView(sending.DailyLimit, sending.UsedToday, sending.Established, sending.ResetsAt) };

    public static SettingsView From(BusinessSettings s) => new(s.BusinessName, AddressView.From(s.Address), s.Email, s.Phone, s.TaxId,
        s.DefaultCurrency, s.PaymentTermsDays, s.NumberPrefix, s.NextNumber,
        SmallPay.Domain.Invoices.InvoiceNumberFormat.Format(s.NumberPrefix, s.NextNumber), s.Language, s.Version)
    {
        EmailVerified = s.EmailVerified,
    };
}
