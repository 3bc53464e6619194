using SmallPay.Domain.Invoices;
using SmallPay.Domain.Money;
using SmallPay.Domain.Tests.Builders;
using static SmallPay.Domain.Tests.Invoices.InvoiceTotalsCases;

namespace SmallPay.Domain.Tests.Invoices;

public class InvoiceCalculatorTests
{
    public static TheoryData<string> CaseNames() => [.. All.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Shared_case_computes_the_expected_totals(string name)
    {
        var c = Named(name);
        var totals = InvoiceCalculator.Calculate(Currencies.Get(c.Currency), Lines(c), Discount(c), Dec(c.AmountPaid));

        var expected = c.Expected;
        Assert.Equal(expected.LineAmounts.Select(Dec), totals.LineAmounts);
        Assert.Equal(Dec(expected.Subtotal), totals.Subtotal);
        Assert.Equal(Dec(expected.Discount), totals.Discount);
        Assert.Equal(
            expected.Taxes.Select(t => new TaxAmount(Dec(t.RatePercent), Dec(t.Taxable), Dec(t.Tax))),
            totals.Taxes);
        Assert.Equal(Dec(expected.Tax), totals.Tax);
        Assert.Equal(Dec(expected.Total), totals.Total);
        Assert.Equal(Dec(expected.AmountPaid), totals.AmountPaid);
        Assert.Equal(Dec(expected.BalanceDue), totals.BalanceDue);
    }

    /// <summary>Guards the file itself, which the SPA trusts too: a typo in an expected figure shows up here by name.</summary>
    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Shared_case_expectations_add_up_and_are_rounded_to_the_currency(string name)
    {
        var c = Named(name);
        var currency = Currencies.Get(c.Currency);
        var e = c.Expected;
        var subtotal = Dec(e.Subtotal);
        var discount = Dec(e.Discount);

        Assert.Equal(c.Lines.Count, e.LineAmounts.Count);
        Assert.Equal(subtotal, e.LineAmounts.Sum(Dec));
        Assert.Equal(subtotal - discount, e.Taxes.Sum(t => Dec(t.Taxable)));
        Assert.Equal(Dec(e.Tax), e.Taxes.Sum(t => Dec(t.Tax)));
        Assert.Equal(subtotal - discount + Dec(e.Tax), Dec(e.Total));
        Assert.Equal(Dec(e.Total) - Dec(e.AmountPaid), Dec(e.BalanceDue));
        Assert.Equal(Dec(c.AmountPaid), Dec(e.AmountPaid));
        Assert.Equal(e.Taxes.Select(t => Dec(t.RatePercent)).Order(), e.Taxes.Select(t => Dec(t.RatePercent)));
        var money = e.LineAmounts.Append(e.Subtotal).Append(e.Discount).Append(e.Tax).Append(e.Total).Append(e.BalanceDue)
            .Concat(e.Taxes.SelectMany(t => new[] { t.Taxable, t.Tax }));
        Assert.All(money, m => Assert.True(currency.HasAtMostMinorDigits(Dec(m)), $"{m} has more than {currency.MinorDigits} decimals"));
    }

    [Fact]
    public void Shared_cases_cover_zero_two_and_three_digit_currencies_and_both_discount_kinds()
    {
        var digits = All.Select(c => Currencies.Get(c.Currency).MinorDigits).ToHashSet();
        Assert.Equal([0, 2, 3], digits.Order());
        Assert.Contains(All, c => c.Discount.Kind == "Amount");
        Assert.Contains(All, c => c.Discount.Kind == "Percent" && Dec(c.Discount.Value) > 0m);
        Assert.Contains(All, c => c.Expected.Taxes.Count == 3);
        Assert.Contains(All, c => c.Lines.Count == 0);
        Assert.Equal(All.Count, All.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Taxes_are_listed_by_ascending_rate_whatever_the_line_order()
    {
        var totals = InvoiceCalculator.Calculate(Currencies.Get("EUR"),
            [Line(10m, tax: 19m), Line(10m, tax: 0m), Line(10m, tax: 7m)], InvoiceDiscount.None);

        Assert.Equal([0m, 7m, 19m], totals.Taxes.Select(t => t.RatePercent));
    }

    [Fact]
    public void Line_amounts_keep_the_order_of_the_lines()
    {
        var totals = InvoiceCalculator.Calculate(Currencies.Get("EUR"),
            [Line(3m, tax: 19m), Line(1m, tax: 0m), Line(2m, tax: 7m)], InvoiceDiscount.None);

        Assert.Equal([3m, 1m, 2m], totals.LineAmounts);
    }

    [Fact]
    public void Line_discount_is_applied_before_rounding_not_after()
    {
        // 1 × 0.015 less 10% = 0.0135 → 0.01; rounding the gross first would give 0.02 less 10% = 0.018 → 0.02.
        var totals = InvoiceCalculator.Calculate(Currencies.Get("EUR"),
            [new InvoiceLine("x", 1m, 0.015m, 10m, 0m)], InvoiceDiscount.None);

        Assert.Equal(0.01m, totals.LineAmounts[0]);
    }

    [Fact]
    public void Amount_discount_with_more_decimals_than_the_currency_is_rounded_to_it()
    {
        var totals = InvoiceCalculator.Calculate(Currencies.Get("JPY"), [Line(1000m)], new InvoiceDiscount(DiscountKind.Amount, 10.5m));

        Assert.Equal(11m, totals.Discount);
        Assert.Equal(989m, totals.Total);
    }

    [Fact]
    public void Invoice_totals_use_the_sum_of_its_payments()
    {
        var invoice = new InvoiceBuilder().WithLine(1m, 100m, taxRatePercent: 19m)
            .WithPayments((20m, new DateOnly(2026, 3, 2)), (30.50m, new DateOnly(2026, 3, 3)));

        Assert.Equal(50.50m, invoice.AmountPaid);
        Assert.Equal(50.50m, invoice.Totals.AmountPaid);
        Assert.Equal(119m - 50.50m, invoice.Totals.BalanceDue);
    }

    private static InvoiceLine Line(decimal unitPrice, decimal tax = 0m) => new("x", 1m, unitPrice, 0m, tax);
}
