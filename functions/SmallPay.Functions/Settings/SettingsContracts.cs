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
        var updated = current with
        {
            BusinessName = (BusinessName ?? "").Trim(),
            Address = Address?.ToAddress() is { IsEmpty: false } address ? address : null,
            Email = AddressInput.Clean(Email),
            Phone = AddressInput.Clean(Phone),
            TaxId = AddressInput.Clean(TaxId),
            DefaultCurrency = (DefaultCurrency ?? current.DefaultCurrency).Trim(),
            PaymentTermsDays = PaymentTermsDays ?? current.PaymentTermsDays,
            NumberPrefix = NumberPrefix ?? current.NumberPrefix,
            NextNumber = NextNumber ?? current.NextNumber,
            Language = Language?.Trim() ?? current.Language,
            Version = current.Version + 1,
        };
        BusinessSettings.Validate(updated);
        return updated;
    }
}

public sealed record SettingsView(
    string BusinessName, AddressView? Address, string? Email, string? Phone, string? TaxId, string DefaultCurrency,
    int PaymentTermsDays, string NumberPrefix, long NextNumber, string NextInvoiceNumber, string Language, long Version)
{
    public static SettingsView From(BusinessSettings s) => new(s.BusinessName, AddressView.From(s.Address), s.Email, s.Phone, s.TaxId,
        s.DefaultCurrency, s.PaymentTermsDays, s.NumberPrefix, s.NextNumber,
        SmallPay.Domain.Invoices.InvoiceNumberFormat.Format(s.NumberPrefix, s.NextNumber), s.Language, s.Version);
}
