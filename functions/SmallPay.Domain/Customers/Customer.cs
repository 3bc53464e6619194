using MimeKit;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Validation;

namespace SmallPay.Domain.Customers;

/// <param name="Language">The language invoices to this customer are written in (<see cref="Settings.Languages"/>); null: the business's.</param>
/// <param name="RemindersOff">The business sends this customer no automatic payment reminders (its reminder plan skips them).</param>
public sealed record CustomerDetails(string Name, string? Email, string? Phone, PostalAddress? Address, string? TaxId, string? Language = null, bool RemindersOff = false);

public sealed record Customer
{
    public required string Id { get; init; }
    public required string Tenant { get; init; }
    public required CustomerDetails Details { get; init; }
    public long Version { get; init; } = 1;
    /// <summary>How many invoices reference this customer; a customer with any cannot be deleted.</summary>
    public int InvoiceCount { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    /// <summary>The user (Cognito sub) whose request wrote this version.</summary>
    public string? UpdatedBy { get; init; }

    public CustomerSnapshot Snapshot() => new(Details.Name, Details.Email, Details.Address, Details.TaxId, Details.Language);

    /// <summary>E-mail addresses are unique per tenant regardless of case.</summary>
    public static string? NormalizeEmail(string? email) => string.IsNullOrWhiteSpace(email) ? null : email.Trim().ToLowerInvariant();
}

public static class CustomerRules
{
    public const int MaxNameLength = 200;
    public const int MaxEmailLength = 254;
    public const int MaxPhoneLength = 40;
    public const int MaxTaxIdLength = 50;
    public const int MaxAddressLineLength = 200;

    /// <summary>
    /// The details as they are kept: names, phone, tax id and address without bidirectional controls
    /// (<see cref="PlainText"/>), trimmed, empty ones none. The e-mail is only trimmed: validation refuses anything else in it.
    /// </summary>
    public static CustomerDetails Normalize(CustomerDetails details) => new(
        PlainText.CleanRequired(details.Name),
        string.IsNullOrWhiteSpace(details.Email) ? null : details.Email.Trim(),
        PlainText.Clean(details.Phone),
        Normalize(details.Address),
        PlainText.Clean(details.TaxId),
        string.IsNullOrWhiteSpace(details.Language) ? null : details.Language.Trim(),
        details.RemindersOff);

    /// <summary>Each line without bidirectional controls and trimmed; an address with nothing left is none.</summary>
    public static PostalAddress? Normalize(PostalAddress? address)
    {
        if (address is null) return null;
        var clean = new PostalAddress(PlainText.Clean(address.Line1), PlainText.Clean(address.Line2), PlainText.Clean(address.City),
            PlainText.Clean(address.Region), PlainText.Clean(address.PostalCode), PlainText.Clean(address.Country));
        return clean.IsEmpty ? null : clean;
    }

    public static void Validate(CustomerDetails details)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(details.Name)) errors.Add("name", "is required");
        InvoiceRules.CheckText(errors, "name", details.Name, MaxNameLength);
        CheckEmail(errors, "email", details.Email);
        InvoiceRules.CheckText(errors, "phone", details.Phone, MaxPhoneLength);
        InvoiceRules.CheckText(errors, "taxId", details.TaxId, MaxTaxIdLength);
        CheckAddress(errors, "address", details.Address);
        if (details.Language is not null && !Settings.Languages.IsSupported(details.Language))
            errors.Add("language", $"must be one of {Settings.Languages.Describe}");
        errors.ThrowIfAny("The customer has invalid fields.");
    }

    public static void CheckEmail(ValidationErrors errors, string path, string? email)
    {
        if (email is null) return;
        if (email.Length > MaxEmailLength) errors.Add(path, $"must be at most {MaxEmailLength} characters");
        else if (!IsEmail(email)) errors.Add(path, "is not a valid e-mail address");
    }

    public static void CheckAddress(ValidationErrors errors, string path, PostalAddress? address)
    {
        if (address is null) return;
        InvoiceRules.CheckText(errors, $"{path}/line1", address.Line1, MaxAddressLineLength);
        InvoiceRules.CheckText(errors, $"{path}/line2", address.Line2, MaxAddressLineLength);
        InvoiceRules.CheckText(errors, $"{path}/city", address.City, 100);
        InvoiceRules.CheckText(errors, $"{path}/region", address.Region, 100);
        InvoiceRules.CheckText(errors, $"{path}/postalCode", address.PostalCode, 20);
        InvoiceRules.CheckText(errors, $"{path}/country", address.Country, 100);
    }

    // MimeKit's parser, as the mailer's: an address accepted here is one the invoice e-mail can be addressed to. A bare
    // address (no display name, no comments, nothing around it), and the dot must be in the domain: "first.last@localhost"
    // is not an address we can send invoices to.
    private static readonly ParserOptions StrictAddresses = new()
    {
        AddressParserComplianceMode = RfcComplianceMode.Strict,
        AllowAddressesWithoutDomain = false,
    };

    private static bool IsEmail(string email) =>
        email.Trim() == email && MailboxAddress.TryParse(StrictAddresses, email, out var parsed) && string.IsNullOrEmpty(parsed.Name)
        && parsed.Route.Count == 0 && parsed.Address == email && parsed.Domain.Contains('.', StringComparison.Ordinal)
        && !parsed.Domain.Contains("..", StringComparison.Ordinal);
}
