using SmallPay.Domain.Invoices;

namespace SmallPay.Domain.Tests.Invoices;

public class InvoiceNumberFormatTests
{
    [Theory]
    [InlineData("INV-", 42, "INV-000042")]
    [InlineData("INV-", 1, "INV-000001")]
    [InlineData("INV-", 999_999, "INV-999999")]
    [InlineData("INV-", 1_000_000, "INV-1000000")]
    [InlineData("INV-", 999_999_999, "INV-999999999")]
    [InlineData("", 42, "000042")]
    [InlineData("2026/", 7, "2026/000007")]
    public void Number_is_the_prefix_and_the_sequence_padded_to_six_digits(string prefix, long sequence, string expected) =>
        Assert.Equal(expected, InvoiceNumberFormat.Format(prefix, sequence));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(long.MinValue)]
    public void Sequence_below_1_is_refused(long sequence) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => InvoiceNumberFormat.Format("INV-", sequence));

    [Fact]
    public void Numbers_of_the_same_width_sort_in_sequence_order()
    {
        var numbers = Enumerable.Range(1, 120).Select(i => InvoiceNumberFormat.Format("INV-", i)).ToList();

        Assert.Equal(numbers, numbers.Order(StringComparer.Ordinal));
    }
}
