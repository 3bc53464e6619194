using SmallPay.Domain.Customers;
using SmallPay.Domain.Invoices;

namespace SmallPay.Functions.Customers;

public sealed class AddressInput
{
    public string? Line1 { get; set; }
    public string? Line2 { get; set; }
    public string? City { get; set; }
    public string? Region { get; set; }
    public string? PostalCode { get; set; }
    public string? Country { get; set; }

    public PostalAddress ToAddress() => new(Line1, Line2, City, Region, PostalCode, Country);

}

/// <summary>The body of POST /customers and PUT /customers/{id}.</summary>
public sealed class CustomerInput
{
    public string? Name { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public AddressInput? Address { get; set; }
    public string? TaxId { get; set; }
    /// <summary>The language of this customer's invoices (one of the supported tags); absent: the business's.</summary>
    public string? Language { get; set; }
    /// <summary>Whether the business's reminder plan sends this customer payment reminders; absent: it does.</summary>
    public bool? RemindersEnabled { get; set; }

    public CustomerDetails ToDetails()
    {
        var details = CustomerRules.Normalize(new CustomerDetails(Name ?? "", Email, Phone, Address?.ToAddress(), TaxId, Language, RemindersEnabled == false));
        CustomerRules.Validate(details);
        return details;
    }
}

public sealed record AddressView(string? Line1, string? Line2, string? City, string? Region, string? PostalCode, string? Country)
{
    public static AddressView? From(PostalAddress? a) => a is null ? null : new(a.Line1, a.Line2, a.City, a.Region, a.PostalCode, a.Country);
}

public sealed record CustomerSnapshotView(string Name, string? Email, AddressView? Address, string? TaxId, string? Language)
{
    public static CustomerSnapshotView From(CustomerSnapshot c) => new(c.Name, c.Email, AddressView.From(c.Address), c.TaxId, c.Language);
}

public sealed record CustomerView(
    string Id, string Name, string? Email, string? Phone, AddressView? Address, string? TaxId, string? Language, int InvoiceCount, long Version,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>Whether the reminder plan sends this customer payment reminders.</summary>
    public bool RemindersEnabled { get; init; } = true;

    public static CustomerView From(Customer c) => new(c.Id, c.Details.Name, c.Details.Email, c.Details.Phone,
        AddressView.From(c.Details.Address), c.Details.TaxId, c.Details.Language, c.InvoiceCount, c.Version, c.CreatedAt, c.UpdatedAt)
    {
        RemindersEnabled = !c.Details.RemindersOff,
    };
}

public sealed record CustomerListView(IReadOnlyList<CustomerView> Items, string? NextCursor);
