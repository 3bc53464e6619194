using SmallPay.Domain.Customers;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Money;
using SmallPay.Domain.Reminders;
using SmallPay.Domain.Validation;

namespace SmallPay.Domain.Settings;

/// <summary>The tenant's business profile (printed on invoices) and invoice numbering.</summary>
public sealed record BusinessSettings
{
    public string BusinessName { get; init; } = "";
    public PostalAddress? Address { get; init; }
    public string? Email { get; init; }
    /// <summary>The address whose code the owner confirmed (POST /settings/email-verification/confirm); a changed <see cref="Email"/> is unverified again.</summary>
    public string? VerifiedEmail { get; init; }

    /// <summary>True when <see cref="Email"/> is the confirmed address: only then do e-mails carry it as Reply-To.</summary>
    public bool EmailVerified => Email is not null && string.Equals(Email, VerifiedEmail, StringComparison.OrdinalIgnoreCase);

    /// <summary>The Reply-To of the business's e-mails: its address once verified, else none (a new account cannot make replies go anywhere it likes).</summary>
    public string? ReplyTo => EmailVerified ? Email : null;
    public string? Phone { get; init; }
    public string? TaxId { get; init; }
    public string DefaultCurrency { get; init; } = "EUR";
    public int PaymentTermsDays { get; init; } = 14;
    public string NumberPrefix { get; init; } = "INV-";
    /// <summary>The language of invoices to customers without one of their own (<see cref="Languages"/>).</summary>
    public string Language { get; init; } = Languages.Default;
    /// <summary>The payment reminders sent for unpaid invoices (off until the owner turns them on).</summary>
    public ReminderPlan Reminders { get; init; } = ReminderPlan.Default;
    /// <summary>The sequence the next finalized invoice gets.</summary>
    public long NextNumber { get; init; } = 1;
    /// <summary>The quotes' own number series: prefix and the sequence the next quote sent gets.</summary>
    public string QuoteNumberPrefix { get; init; } = "QUO-";
    public long QuoteNextNumber { get; init; } = 1;
    /// <summary>The credit notes' own number series: prefix and the sequence the next credit note issued gets.</summary>
    public string CreditNotePrefix { get; init; } = "CN-";
    public long CreditNoteNextNumber { get; init; } = 1;
    /// <summary>0 means never saved: defaults.</summary>
    public long Version { get; init; }
    /// <summary>The user (Cognito sub) whose request wrote this version.</summary>
    public string? UpdatedBy { get; init; }

    public static readonly BusinessSettings Defaults = new();

    public const int MaxPrefixLength = 12;
    public const long MaxNextNumber = 999_999_999;

    /// <summary>The profile as it is kept: the business's name, phone, tax id and address like a customer's (<see cref="CustomerRules.Normalize(CustomerDetails)"/>).</summary>
    public static BusinessSettings Normalize(BusinessSettings settings) => settings with
    {
        BusinessName = PlainText.CleanRequired(settings.BusinessName),
        Address = CustomerRules.Normalize(settings.Address),
        Email = string.IsNullOrWhiteSpace(settings.Email) ? null : settings.Email.Trim(),
        Phone = PlainText.Clean(settings.Phone),
        TaxId = PlainText.Clean(settings.TaxId),
        DefaultCurrency = settings.DefaultCurrency.Trim(),
        Reminders = ReminderPlan.Normalize(settings.Reminders),
    };

    public static void Validate(BusinessSettings settings)
    {
        var errors = new ValidationErrors();
        InvoiceRules.CheckText(errors, "businessName", settings.BusinessName, CustomerRules.MaxNameLength);
        CustomerRules.CheckEmail(errors, "email", settings.Email);
        InvoiceRules.CheckText(errors, "phone", settings.Phone, CustomerRules.MaxPhoneLength);
        InvoiceRules.CheckText(errors, "taxId", settings.TaxId, CustomerRules.MaxTaxIdLength);
        CustomerRules.CheckAddress(errors, "address", settings.Address);
        if (!Currencies.TryGet(settings.DefaultCurrency, out _)) errors.Add("defaultCurrency", "is not an ISO 4217 currency code");
        if (settings.PaymentTermsDays is < 0 or > InvoiceRules.MaxPaymentTermsDays) errors.Add("paymentTermsDays", $"must be between 0 and {InvoiceRules.MaxPaymentTermsDays}");
        if (settings.NumberPrefix.Length > MaxPrefixLength || settings.NumberPrefix.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '/' or '.')))
            errors.Add("numberPrefix", $"up to {MaxPrefixLength} letters, digits or - _ / .");
        if (settings.QuoteNumberPrefix.Length > MaxPrefixLength || settings.QuoteNumberPrefix.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '/' or '.')))
            errors.Add("quoteNumberPrefix", $"up to {MaxPrefixLength} letters, digits or - _ / .");
        if (settings.QuoteNextNumber is < 1 or > MaxNextNumber) errors.Add("quoteNextNumber", $"must be between 1 and {MaxNextNumber}");
        if (settings.CreditNotePrefix.Length > MaxPrefixLength || settings.CreditNotePrefix.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '/' or '.')))
            errors.Add("creditNotePrefix", $"up to {MaxPrefixLength} letters, digits or - _ / .");
        if (settings.CreditNoteNextNumber is < 1 or > MaxNextNumber) errors.Add("creditNoteNextNumber", $"must be between 1 and {MaxNextNumber}");
        if (!Languages.IsSupported(settings.Language)) errors.Add("language", $"must be one of {Languages.Describe}");
        if (settings.NextNumber is < 1 or > MaxNextNumber) errors.Add("nextNumber", $"must be between 1 and {MaxNextNumber}");
        ReminderPlan.Validate(settings.Reminders, errors, "reminders");
        errors.ThrowIfAny("The settings have invalid fields.");
    }
}
