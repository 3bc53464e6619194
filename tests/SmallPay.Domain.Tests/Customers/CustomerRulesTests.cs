using SmallPay.Domain.Customers;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Validation;

namespace SmallPay.Domain.Tests.Customers;

public class CustomerRulesTests
{
    private static readonly CustomerDetails Valid = new("Acme GmbH", "billing@acme.example", "+49 30 1234567",
        new PostalAddress("Hauptstr. 1", null, "Berlin", null, "10115", "DE"), "DE123456789");

    private static string[] ErrorPaths(CustomerDetails details) =>
        [.. Assert.Throws<DomainValidationException>(() => CustomerRules.Validate(details)).Errors.Select(e => e.Path)];

    [Fact]
    public void Complete_customer_is_valid() => Assert.Null(Record.Exception(() => CustomerRules.Validate(Valid)));

    [Fact]
    public void Customer_with_only_a_name_is_valid() =>
        Assert.Null(Record.Exception(() => CustomerRules.Validate(new CustomerDetails("Jane Doe", null, null, null, null))));

    [Theory]
    [InlineData("a@b.com")]
    [InlineData("A@B.COM")]
    [InlineData("first.last+invoices@mail.example.co.uk")]
    [InlineData("o'brien@example.ie")]
    [InlineData("jürgen@example.de")]
    public void Plain_email_addresses_are_accepted(string email) =>
        Assert.Null(Record.Exception(() => CustomerRules.Validate(Valid with { Email = email })));

    [Theory]
    [InlineData("")]
    [InlineData("plainaddress")]
    [InlineData("a@b")]
    [InlineData("first.last@localhost")]
    [InlineData("@example.com")]
    [InlineData("a@")]
    [InlineData("a b@example.com")]
    [InlineData("a@example..com")]
    [InlineData(" a@example.com")]
    [InlineData("a@example.com ")]
    [InlineData("Jane <jane@example.com>")]
    [InlineData("a@b.com, c@d.com")]
    public void Malformed_email_is_reported_on_the_email_field(string email) =>
        Assert.Equal(["email"], ErrorPaths(Valid with { Email = email }));

    [Fact]
    public void Email_longer_than_254_characters_is_refused()
    {
        var email = new string('a', 64) + "@" + new string('b', 185) + ".com"; // 254
        Assert.Null(Record.Exception(() => CustomerRules.Validate(Valid with { Email = email })));

        var error = Assert.Throws<DomainValidationException>(() => CustomerRules.Validate(Valid with { Email = "a" + email }));
        Assert.Equal("email", Assert.Single(error.Errors).Path);
        Assert.Contains("254", error.Errors[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ja")]
    [InlineData("zh-Hans")]
    [InlineData("ar")]
    public void A_supported_language_is_accepted(string language) =>
        Assert.Null(Record.Exception(() => CustomerRules.Validate(Valid with { Language = language })));

    [Theory]
    [InlineData("")]
    [InlineData("EN")]
    [InlineData("zh")]
    [InlineData("zh-hans")]
    [InlineData("klingon")]
    public void A_language_outside_the_supported_list_is_reported_on_the_language_field(string language) =>
        Assert.Equal(["language"], ErrorPaths(Valid with { Language = language }));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Name_is_required(string name) => Assert.Equal(["name"], ErrorPaths(Valid with { Name = name }));

    public static TheoryData<string> TooLongFields() =>
        ["name", "phone", "taxId", "address/line1", "address/line2", "address/city", "address/region", "address/postalCode", "address/country"];

    [Theory]
    [MemberData(nameof(TooLongFields))]
    public void Field_one_character_over_its_limit_is_reported_on_its_path(string path)
    {
        var (atLimit, overLimit) = (WithLength(path, 0), WithLength(path, 1));

        Assert.Null(Record.Exception(() => CustomerRules.Validate(atLimit)));
        Assert.Equal([path], ErrorPaths(overLimit));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var details = new CustomerDetails(" ", "nope", new string('9', 41), null, new string('T', 51));

        Assert.Equal(["email", "name", "phone", "taxId"], ErrorPaths(details).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(" Billing@Acme.Example ", "billing@acme.example")]
    [InlineData("a@b.com", "a@b.com")]
    [InlineData("", null)]
    [InlineData("   ", null)]
    [InlineData(null, null)]
    public void Email_is_normalized_to_trimmed_lower_case_for_uniqueness(string? email, string? expected) =>
        Assert.Equal(expected, Customer.NormalizeEmail(email));

    [Fact]
    public void Snapshot_carries_what_an_invoice_prints()
    {
        var customer = new Customer { Id = "cus_x", Tenant = "t", Details = Valid, CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch };

        Assert.Equal(new CustomerSnapshot(Valid.Name, Valid.Email, Valid.Address, Valid.TaxId), customer.Snapshot());
    }

    private static CustomerDetails WithLength(string path, int over)
    {
        string Text(int limit) => new('x', limit + over);
        var address = Valid.Address!;
        return path switch
        {
            "name" => Valid with { Name = Text(CustomerRules.MaxNameLength) },
            "phone" => Valid with { Phone = Text(CustomerRules.MaxPhoneLength) },
            "taxId" => Valid with { TaxId = Text(CustomerRules.MaxTaxIdLength) },
            "address/line1" => Valid with { Address = address with { Line1 = Text(CustomerRules.MaxAddressLineLength) } },
            "address/line2" => Valid with { Address = address with { Line2 = Text(CustomerRules.MaxAddressLineLength) } },
            "address/city" => Valid with { Address = address with { City = Text(100) } },
            "address/region" => Valid with { Address = address with { Region = Text(100) } },
            "address/postalCode" => Valid with { Address = address with { PostalCode = Text(20) } },
            "address/country" => Valid with { Address = address with { Country = Text(100) } },
            _ => throw new ArgumentOutOfRangeException(nameof(path), path, null),
        };
    }
}
