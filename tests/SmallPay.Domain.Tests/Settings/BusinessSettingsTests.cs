using SmallPay.Domain.Invoices;
using SmallPay.Domain.Settings;
using SmallPay.Domain.Validation;

namespace SmallPay.Domain.Tests.Settings;

public class BusinessSettingsTests
{
    private static string[] ErrorPaths(BusinessSettings settings) =>
        [.. Assert.Throws<DomainValidationException>(() => BusinessSettings.Validate(settings)).Errors.Select(e => e.Path)];

    private static void AssertValid(BusinessSettings settings) => Assert.Null(Record.Exception(() => BusinessSettings.Validate(settings)));

    [Fact]
    public void Defaults_are_valid_and_never_saved()
    {
        var defaults = BusinessSettings.Defaults;

        AssertValid(defaults);
        Assert.Equal("EUR", defaults.DefaultCurrency);
        Assert.Equal(14, defaults.PaymentTermsDays);
        Assert.Equal("INV-", defaults.NumberPrefix);
        Assert.Equal(1, defaults.NextNumber);
        Assert.Equal(0, defaults.Version);
    }

    [Fact]
    public void Complete_profile_is_valid() => AssertValid(BusinessSettings.Defaults with
    {
        BusinessName = "Jane's Bakery",
        Email = "jane@bakery.example",
        Phone = "+1 555 0100",
        TaxId = "US-12-3456789",
        Address = new PostalAddress("1 Main St", null, "Springfield", "IL", "62701", "US"),
        DefaultCurrency = "USD",
    });

    [Theory]
    [InlineData("")]
    [InlineData("INV-")]
    [InlineData("2026/")]
    [InlineData("A_B.C-")]
    [InlineData("ABCDEFGHIJKL")]
    public void Prefix_of_letters_digits_and_separators_up_to_12_characters_is_accepted(string prefix) =>
        AssertValid(BusinessSettings.Defaults with { NumberPrefix = prefix });

    [Theory]
    [InlineData("ABCDEFGHIJKLM")]
    [InlineData("INV ")]
    [InlineData("INV#")]
    [InlineData("RÉ-")]
    [InlineData("INV\\")]
    [InlineData("<b>")]
    public void Prefix_too_long_or_with_other_characters_is_refused(string prefix) =>
        Assert.Equal(["numberPrefix"], ErrorPaths(BusinessSettings.Defaults with { NumberPrefix = prefix }));

    [Fact]
    public void Every_supported_language_is_accepted_and_english_is_the_default()
    {
        Assert.Equal("en", BusinessSettings.Defaults.Language);
        foreach (var language in Languages.Supported)
            AssertValid(BusinessSettings.Defaults with { Language = language });
        Assert.Equal(11, Languages.Supported.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("de-DE")]
    [InlineData("xx")]
    public void An_unsupported_language_is_refused(string language) =>
        Assert.Equal(["language"], ErrorPaths(BusinessSettings.Defaults with { Language = language }));

    [Theory]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(BusinessSettings.MaxNextNumber)]
    public void Next_number_within_bounds_is_accepted(long next) => AssertValid(BusinessSettings.Defaults with { NextNumber = next });

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(BusinessSettings.MaxNextNumber + 1)]
    public void Next_number_out_of_bounds_is_refused(long next) =>
        Assert.Equal(["nextNumber"], ErrorPaths(BusinessSettings.Defaults with { NextNumber = next }));

    [Theory]
    [InlineData("eur")]
    [InlineData("XYZ")]
    [InlineData("")]
    public void Default_currency_must_be_an_ISO_code(string currency) =>
        Assert.Equal(["defaultCurrency"], ErrorPaths(BusinessSettings.Defaults with { DefaultCurrency = currency }));

    [Theory]
    [InlineData(0, true)]
    [InlineData(InvoiceRules.MaxPaymentTermsDays, true)]
    [InlineData(-1, false)]
    [InlineData(InvoiceRules.MaxPaymentTermsDays + 1, false)]
    public void Payment_terms_are_0_to_365_days(int days, bool valid)
    {
        var settings = BusinessSettings.Defaults with { PaymentTermsDays = days };

        if (valid) AssertValid(settings);
        else Assert.Equal(["paymentTermsDays"], ErrorPaths(settings));
    }

    [Fact]
    public void Profile_fields_use_the_customer_rules_with_their_own_paths()
    {
        var settings = BusinessSettings.Defaults with
        {
            BusinessName = new string('b', 201),
            Email = "not-an-email",
            Phone = new string('9', 41),
            TaxId = new string('T', 51),
            Address = new PostalAddress(new string('l', 201), null, null, null, null, null),
        };

        Assert.Equal(["address/line1", "businessName", "email", "phone", "taxId"], ErrorPaths(settings).Order(StringComparer.Ordinal));
    }
}
