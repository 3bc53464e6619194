using SmallPay.Domain.Invoices;
using SmallPay.Domain.Money;
using SmallPay.Functions.Documents.Rendering;

namespace SmallPay.Functions.Tests.Documents.Rendering;

public sealed class InvoiceFormatTests
{
    [Theory]
    [InlineData("EUR", "1234.5", "1,234.50 EUR")]
    [InlineData("JPY", "1234567", "1,234,567 JPY")]
    [InlineData("KWD", "1234.5", "1,234.500 KWD")]
    [InlineData("EUR", "-246.49", "-246.49 EUR")]
    [InlineData("USD", "0", "0.00 USD")]
    public void Money_has_the_currency_minor_digits_thousands_separators_and_code(string code, string amount, string expected)
    {
        Assert.Equal(expected, InvoiceFormat.Money(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), Currencies.Get(code)));
    }

    [Theory]
    [InlineData("EUR", "89.9", "89.90")]
    [InlineData("EUR", "0.0125", "0.0125")]
    [InlineData("JPY", "1500", "1,500")]
    [InlineData("JPY", "12.5", "12.5")]
    public void Unit_prices_show_at_least_the_currency_digits_and_any_finer_ones(string code, string price, string expected)
    {
        Assert.Equal(expected, InvoiceFormat.UnitPrice(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture), Currencies.Get(code)));
    }

    [Fact]
    public void Quantities_percentages_and_dates_read_plainly()
    {
        Assert.Equal("2.5", InvoiceFormat.Quantity(2.500m));
        Assert.Equal("1,000", InvoiceFormat.Quantity(1000m));
        Assert.Equal("19%", InvoiceFormat.Percent(19.000m));
        Assert.Equal("7.5%", InvoiceFormat.Percent(7.5m));
        Assert.Equal("5 Mar 2026", InvoiceFormat.Date(new DateOnly(2026, 3, 5)));
    }

    [Fact]
    public void Payment_terms_name_the_days_unless_a_due_date_was_set()
    {
        var builder = new InvoiceDocumentBuilder();
        Assert.Equal("Net 14 days", InvoiceFormat.PaymentTerms(builder.WithPaymentTerms(14).Content()));
        Assert.Equal("Net 1 day", InvoiceFormat.PaymentTerms(builder.WithPaymentTerms(1).Content()));
        Assert.Equal("Due on receipt", InvoiceFormat.PaymentTerms(builder.WithPaymentTerms(0).Content()));
        Assert.Null(InvoiceFormat.PaymentTerms(builder.DueOn(new DateOnly(2026, 4, 1)).Content()));
    }

    [Fact]
    public void A_draft_is_numbered_draft()
    {
        Assert.Equal("DRAFT", InvoiceFormat.Number(new InvoiceDocumentBuilder().Draft()));
        Assert.Equal("INV-000007", InvoiceFormat.Number(new InvoiceDocumentBuilder().Open("INV-000007")));
    }
}
