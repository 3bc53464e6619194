using SmallPay.Domain.CreditNotes;
using SmallPay.Domain.Dashboard;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Tests.Builders;
using SmallPay.Domain.Validation;

namespace SmallPay.Domain.Tests.CreditNotes;

/// <summary>The credit note rules: what may be credited and how much, the invoice's balance and status after it, what is owed back, refunds, the dashboard figures.</summary>
public sealed class CreditNoteRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 3, 10);

    private static (CreditNote Note, Invoice Invoice) Issue(Invoice invoice, CreditRequest request) =>
        CreditNoteRules.Issue(invoice, request, "crn_01JE43C1N2P3M4Q5R6S7T8V9W0", "CN-000001", Now, Today, "user");

    private static CreditRequest Amount(decimal amount) => new(null, amount, "Goodwill");

    private static CreditRequest Lines(params (int Index, decimal Quantity)[] lines) => new(lines, null, "Returned");

    [Fact]
    public void A_fixed_invoice_discount_falls_on_the_credited_lines_in_proportion_so_crediting_all_lines_credits_the_total()
    {
        var invoice = new InvoiceBuilder().WithLine(3, 100m, taxRatePercent: 19).WithLine(1, 50m, taxRatePercent: 7).WithAmountDiscount(35m).Open();
        var (all, _) = Issue(invoice, Lines((0, 3), (1, 1)));
        Assert.Equal(invoice.Totals.Total, all.Total);
        var (one, _) = Issue(invoice, Lines((1, 1)));
        Assert.Equal(5.00m, one.Totals.Discount); // 35 × 50/350
    }

    [Fact]
    public void Credits_lower_the_balance_never_below_zero_and_the_excess_is_owed_back()
    {
        var invoice = new InvoiceBuilder().Totalling(100m).WithPayments((70m, Today));
        var (note, credited) = Issue(invoice, Amount(50m));
        Assert.Equal(20m, note.Owed);
        Assert.Equal(0m, credited.Totals.BalanceDue);
        Assert.Equal(InvoiceStatus.Paid, credited.Status);
        Assert.Equal(Today, credited.PaidDate);
        Assert.Equal(20m, credited.OwedToCustomer);
        Assert.Equal(50m, CreditNoteRules.Creditable(credited));
    }

    [Fact]
    public void A_partial_credit_keeps_an_unpaid_invoice_open_and_owes_nothing()
    {
        var (note, credited) = Issue(new InvoiceBuilder().Totalling(100m).Open(), Amount(40m));
        Assert.Equal(0m, note.Owed);
        Assert.Equal(InvoiceStatus.Open, credited.Status);
        Assert.Equal(60m, credited.Totals.BalanceDue);
    }

    [Fact]
    public void Drafts_void_invoices_fully_credited_ones_and_the_51st_credit_note_are_refused()
    {
        Assert.Throws<InvoiceStateException>(() => Issue(new InvoiceBuilder().Totalling(100m).Draft(), Amount(1m)));
        Assert.Throws<InvoiceStateException>(() => Issue(new InvoiceBuilder().Totalling(100m).Void(), Amount(1m)));
        var full = Issue(new InvoiceBuilder().Totalling(100m).Open(), Amount(100m)).Invoice;
        Assert.Throws<InvoiceStateException>(() => Issue(full, Amount(1m)));
        var many = new InvoiceBuilder().Totalling(1000m).Open() with
        {
            Credits = Enumerable.Range(1, CreditNoteRules.MaxPerInvoice).Select(n => new InvoiceCredit($"crn_{n}", $"CN-{n}", 1m, Now, 0m)).ToList(),
        };
        Assert.Throws<InvoiceStateException>(() => Issue(many, Amount(1m)));
    }

    [Fact]
    public void More_than_is_left_to_credit_is_refused_on_the_field()
    {
        var once = Issue(new InvoiceBuilder().Totalling(100m).Open(), Amount(60m)).Invoice;
        var refused = Assert.Throws<DomainValidationException>(() => Issue(once, Amount(40.01m)));
        Assert.Equal("amount", Assert.Single(refused.Errors).Path);
    }

    [Fact]
    public void A_credited_invoice_cannot_be_voided()
    {
        var credited = Issue(new InvoiceBuilder().Totalling(100m).Open(), Amount(10m)).Invoice;
        Assert.Throws<InvoiceStateException>(() => InvoiceLifecycle.Void(credited, "Mistake", Now));
    }

    [Fact]
    public void Refunds_never_exceed_what_is_owed_and_net_the_dashboard_s_received_figures_in_their_month()
    {
        var paid = new InvoiceBuilder().Totalling(100m).Paid(new DateOnly(2026, 3, 5));
        var (note, credited) = Issue(paid, Amount(30m));
        credited = credited with { Version = paid.Version + 1 };
        var over = new CreditNoteRefund("rfd_1", 30.01m, new DateOnly(2026, 4, 2), PaymentMethod.BankTransfer, null, Now);
        Assert.Equal("amount", Assert.Single(Assert.Throws<DomainValidationException>(() => CreditNoteRules.Refund(note, credited, over, new DateOnly(2026, 4, 2))).Errors).Path);

        var refund = over with { Amount = 30m };
        var (refunded, listed) = CreditNoteRules.Refund(note, credited, refund, new DateOnly(2026, 4, 2));
        Assert.Equal(0m, refunded.OwedToCustomer);
        Assert.Equal(0m, listed.OwedToCustomer);
        Assert.Same(refunded, CreditNoteRules.Refund(refunded, listed, refund, new DateOnly(2026, 4, 2)).Note); // the same refund again: nothing new
        Assert.Throws<InvoiceStateException>(() => CreditNoteRules.Refund(refunded, listed, refund with { Id = "rfd_2", Amount = 1m }, new DateOnly(2026, 4, 2)));

        var change = InvoiceTally.Change(credited, listed);
        Assert.Equal(-30m, change[InvoiceTally.ReceivedPrefix + "EUR"]);
        Assert.Equal(-30m, change[InvoiceTally.MonthPrefix + "EUR:2026-04"]);
        Assert.Equal(70m, InvoiceTally.Of(listed)[InvoiceTally.ReceivedPrefix + "EUR"]);
    }

    [Theory]
    [InlineData("JPY", 1000, 10, 550, 500)]
    [InlineData("USD", 100, 19, 59.50, 50.00)]
    [InlineData("KWD", 10, 5, 5.250, 5.000)]
    [InlineData("EUR", 10, 19, 0.07, 0.06)] // 0.06 + 0.01 tax: the net whose rounded tax brings it to the amount
    public void An_amount_is_credited_exactly_at_the_invoice_s_tax_rate(string currency, decimal unitPrice, decimal rate, decimal amount, decimal net)
    {
        var invoice = new InvoiceBuilder().InCurrency(currency).WithLine(1, unitPrice, taxRatePercent: rate).Open();
        var (note, _) = Issue(invoice, Amount(amount));
        Assert.Equal(amount, note.Total);
        Assert.Equal(net, Assert.Single(note.Lines).UnitPrice);
    }

    [Fact]
    public void An_amount_is_shared_among_the_invoice_s_tax_rates_as_they_make_up_its_total()
    {
        var invoice = new InvoiceBuilder().WithLine(1, 100m, taxRatePercent: 19).WithLine(1, 100m, taxRatePercent: 7).Open(); // 119 + 107 = 226
        var (note, _) = Issue(invoice, Amount(113m));
        Assert.Equal(113m, note.Total);
        Assert.Equal([7m, 19m], note.Lines.Select(l => l.TaxRatePercent));
        Assert.Equal(53.50m, note.Totals.Taxes[0].Taxable + note.Totals.Taxes[0].Tax);
    }
}
