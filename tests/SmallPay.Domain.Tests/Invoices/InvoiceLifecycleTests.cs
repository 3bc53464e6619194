using SmallPay.Domain.Invoices;
using SmallPay.Domain.Tests.Builders;
using SmallPay.Domain.Validation;

namespace SmallPay.Domain.Tests.Invoices;

public class InvoiceLifecycleTests
{
    private static readonly DateTimeOffset Later = InvoiceBuilder.CreatedAt.AddDays(3);
    private static readonly DateOnly March10 = new(2026, 3, 10);

    // ---- drafts and finalizing ----

    [Fact]
    public void New_draft_has_no_number_and_starts_at_version_1()
    {
        var draft = new InvoiceBuilder().WithLine().Draft();

        Assert.Equal(InvoiceStatus.Draft, draft.Status);
        Assert.Null(draft.Number);
        Assert.False(draft.IsFinalized);
        Assert.Equal(1, draft.Version);
        Assert.Null(draft.FinalizedAt);
        Assert.Empty(draft.Payments);
    }

    [Fact]
    public void Finalize_opens_the_draft_with_its_number_and_freezes_the_customer_as_given()
    {
        var builder = new InvoiceBuilder().WithLine();
        var draft = builder.Draft();
        var atFinalize = new CustomerSnapshot("Acme GmbH (renamed)", "ap@acme.example", null, "DE999");

        var open = InvoiceLifecycle.Finalize(draft, "INV-000042", atFinalize, Later);

        Assert.Equal(InvoiceStatus.Open, open.Status);
        Assert.True(open.IsFinalized);
        Assert.Equal("INV-000042", open.Number);
        Assert.Equal(atFinalize, open.Customer);
        Assert.Equal(Later, open.FinalizedAt);
        Assert.Equal(Later, open.UpdatedAt);
        Assert.Equal(draft.Content, open.Content);
    }

    [Fact]
    public void Finalize_without_lines_is_refused_on_the_lines_field()
    {
        var draft = new InvoiceBuilder().WithoutLines().Draft();

        var error = Assert.Throws<DomainValidationException>(() => InvoiceLifecycle.Finalize(draft, "INV-000001", draft.Customer, Later));

        Assert.Equal(["lines"], error.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Finalize_of_an_invoice_with_nothing_to_pay_settles_it_at_once()
    {
        var draft = new InvoiceBuilder().WithLine(quantity: 2m, unitPrice: 50m).WithAmountDiscount(100m).Draft();

        var issued = InvoiceLifecycle.Finalize(draft, "INV-000007", draft.Customer, Later);

        Assert.Equal(InvoiceStatus.Paid, issued.Status);
        Assert.Equal(draft.Content.IssueDate, issued.PaidDate);
        Assert.Equal("INV-000007", issued.Number);
    }

    public static TheoryData<string> NonDraftStates() => ["Open", "PartiallyPaid", "Paid", "Void"];

    [Theory]
    [MemberData(nameof(NonDraftStates))]
    public void Finalize_of_an_invoice_that_is_not_a_draft_is_refused(string state)
    {
        var invoice = InState(state);

        Assert.Throws<InvoiceStateException>(() => InvoiceLifecycle.Finalize(invoice, "INV-000099", invoice.Customer, Later));
    }

    [Fact]
    public void Finalized_invoice_keeps_its_number_and_customer_after_an_edit()
    {
        var open = new InvoiceBuilder().WithLine().Open("INV-000007");

        var edited = InvoiceLifecycle.Edit(open, open.Content with { Notes = "Thanks!" },
            new CustomerSnapshot("Someone else", null, null, null), Later);

        Assert.Equal("INV-000007", edited.Number);
        Assert.Equal(open.Customer, edited.Customer);
        Assert.Equal("Thanks!", edited.Content.Notes);
    }

    // ---- editing ----

    [Fact]
    public void Draft_edit_replaces_every_field_and_the_customer()
    {
        var draft = new InvoiceBuilder().WithLine().Draft();
        var content = new InvoiceBuilder().ForCustomer("cus_01BX5ZZKBKACTAV9WEVGEMMVRZ", "Globex").InCurrency("USD")
            .IssuedOn(new DateOnly(2026, 4, 1)).DueOn(new DateOnly(2026, 5, 1)).WithLine(2m, 50m, 10m, 8m).WithAmountDiscount(5m).WithNotes("n")
            .Content();
        var customer = new CustomerSnapshot("Globex", null, null, null);

        var edited = InvoiceLifecycle.Edit(draft, content, customer, Later);

        Assert.Equal(content, edited.Content);
        Assert.Equal(customer, edited.Customer);
        Assert.Equal(Later, edited.UpdatedAt);
        Assert.Equal(InvoiceStatus.Draft, edited.Status);
    }

    [Fact]
    public void Finalized_invoice_takes_new_notes_and_due_date()
    {
        var open = new InvoiceBuilder().WithLine().Open();
        var due = new DateOnly(2026, 6, 30);

        var edited = InvoiceLifecycle.Edit(open, open.Content with { Notes = "Pay by wire", DueDate = due }, open.Customer, Later);

        Assert.Equal("Pay by wire", edited.Content.Notes);
        Assert.Equal(due, edited.DueDate);
        Assert.Null(edited.Content.PaymentTermsDays);
        Assert.Equal(Later, edited.UpdatedAt);
        Assert.Equal(InvoiceStatus.Open, edited.Status);
    }

    [Fact]
    public void Finalized_invoice_due_date_can_be_moved_with_payment_terms()
    {
        var open = new InvoiceBuilder().WithLine().WithPaymentTerms(14).Open();

        var edited = InvoiceLifecycle.Edit(open, open.Content with { DueDate = null, PaymentTermsDays = 30 }, open.Customer, Later);

        Assert.Equal(InvoiceBuilder.DefaultIssueDate.AddDays(30), edited.DueDate);
        Assert.Equal(30, edited.Content.PaymentTermsDays);
    }

    [Fact]
    public void Finalized_invoice_lines_equal_by_value_are_not_a_change()
    {
        var open = new InvoiceBuilder().WithLine(2.5m, 10.00m, 0m, 19m).Open();
        var sameLines = new List<InvoiceLine> { new("Consulting", 2.50m, 10m, 0.0m, 19.00m) };

        var edited = InvoiceLifecycle.Edit(open, open.Content with { Lines = sameLines, Notes = "n" }, open.Customer, Later);

        Assert.Equal("n", edited.Content.Notes);
    }

    public static TheoryData<string> LockedFields() => ["customerId", "currency", "issueDate", "discount", "lines"];

    [Theory]
    [MemberData(nameof(LockedFields))]
    public void Finalized_invoice_refuses_a_change_to_a_locked_field_with_that_field_error(string field)
    {
        var open = new InvoiceBuilder().WithLine().Open();

        var error = Assert.Throws<DomainValidationException>(() => InvoiceLifecycle.Edit(open, ChangeField(open.Content, field), open.Customer, Later));

        Assert.Equal([field], error.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Finalized_invoice_reports_every_locked_field_changed_at_once()
    {
        var open = new InvoiceBuilder().WithLine().Open();
        var content = new[] { "customerId", "currency", "issueDate", "discount", "lines" }.Aggregate(open.Content, ChangeField);

        var error = Assert.Throws<DomainValidationException>(() => InvoiceLifecycle.Edit(open, content, open.Customer, Later));

        Assert.Equal(["currency", "customerId", "discount", "issueDate", "lines"], error.Errors.Select(e => e.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Finalized_invoice_refuses_a_due_date_before_the_issue_date()
    {
        var open = new InvoiceBuilder().WithLine().Open();

        var error = Assert.Throws<DomainValidationException>(() =>
            InvoiceLifecycle.Edit(open, open.Content with { DueDate = InvoiceBuilder.DefaultIssueDate.AddDays(-1) }, open.Customer, Later));

        Assert.Equal(["dueDate"], error.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Paid_invoice_still_takes_new_notes()
    {
        var paid = new InvoiceBuilder().WithLine().Paid(March10);

        var edited = InvoiceLifecycle.Edit(paid, paid.Content with { Notes = "Received with thanks" }, paid.Customer, Later);

        Assert.Equal("Received with thanks", edited.Content.Notes);
        Assert.Equal(InvoiceStatus.Paid, edited.Status);
    }

    [Fact]
    public void Void_invoice_cannot_be_edited()
    {
        var voided = new InvoiceBuilder().WithLine().Void();

        Assert.Throws<InvoiceStateException>(() => InvoiceLifecycle.Edit(voided, voided.Content with { Notes = "x" }, voided.Customer, Later));
    }

    // ---- deleting and voiding ----

    [Fact]
    public void Draft_can_be_deleted()
    {
        var draft = new InvoiceBuilder().WithLine().Draft();

        var thrown = Record.Exception(() => InvoiceLifecycle.EnsureDeletable(draft));

        Assert.Null(thrown);
    }

    [Theory]
    [MemberData(nameof(NonDraftStates))]
    public void Finalized_invoice_cannot_be_deleted(string state)
    {
        var invoice = InState(state);

        Assert.Throws<InvoiceStateException>(() => InvoiceLifecycle.EnsureDeletable(invoice));
    }

    [Fact]
    public void Open_invoice_can_be_voided_with_a_reason()
    {
        var open = new InvoiceBuilder().WithLine().Open("INV-000003");

        var voided = InvoiceLifecycle.Void(open, "Wrong customer", Later);

        Assert.Equal(InvoiceStatus.Void, voided.Status);
        Assert.Equal("INV-000003", voided.Number);
        Assert.Equal("Wrong customer", voided.VoidReason);
        Assert.Equal(Later, voided.VoidedAt);
        Assert.Equal(Later, voided.UpdatedAt);
    }

    [Theory]
    [InlineData("Draft")]
    [InlineData("PartiallyPaid")]
    [InlineData("Paid")]
    [InlineData("Void")]
    public void Void_is_refused_for_drafts_invoices_with_payments_and_void_invoices(string state)
    {
        var invoice = InState(state);

        Assert.Throws<InvoiceStateException>(() => InvoiceLifecycle.Void(invoice, null, Later));
    }

    // ---- payments ----

    [Fact]
    public void An_invoice_takes_at_most_a_hundred_payments_so_its_item_stays_bounded()
    {
        var invoice = new InvoiceBuilder().WithLine(1m, 1000m, taxRatePercent: 0m).Open();
        for (var i = 0; i < InvoiceLifecycle.MaxPayments; i++) invoice = InvoiceLifecycle.RecordPayment(invoice, Payments.Of(0.01m, March10), March10);

        var refused = Assert.Throws<InvoiceStateException>(() => InvoiceLifecycle.RecordPayment(invoice, Payments.Of(0.01m, March10), March10));
        Assert.Contains("100 payments", refused.Message);
        Assert.Equal(100, invoice.Payments.Count);
        Assert.Equal(999m, invoice.Totals.BalanceDue);
    }

    [Fact]
    public void Partial_payment_makes_the_invoice_partially_paid()
    {
        var open = new InvoiceBuilder().WithLine(1m, 100m, taxRatePercent: 19m).Open();

        var paid = InvoiceLifecycle.RecordPayment(open, Payments.Of(19m, March10), March10);

        Assert.Equal(InvoiceStatus.PartiallyPaid, paid.Status);
        Assert.Null(paid.PaidDate);
        Assert.Equal(100m, paid.Totals.BalanceDue);
        Assert.Single(paid.Payments);
    }

    [Fact]
    public void Payment_of_the_whole_balance_makes_the_invoice_paid_on_the_payment_date()
    {
        var open = new InvoiceBuilder().WithLine(1m, 100m, taxRatePercent: 19m).Open();

        var paid = InvoiceLifecycle.RecordPayment(open, Payments.Of(119m, March10), March10);

        Assert.Equal(InvoiceStatus.Paid, paid.Status);
        Assert.Equal(March10, paid.PaidDate);
        Assert.Equal(0m, paid.Totals.BalanceDue);
    }

    [Fact]
    public void Last_payment_settles_a_partially_paid_invoice_and_sets_its_paid_date()
    {
        var partly = new InvoiceBuilder().WithLine(1m, 100m).WithPayments((40m, new DateOnly(2026, 3, 5)));
        var settleOn = new DateOnly(2026, 3, 20);

        var paid = InvoiceLifecycle.RecordPayment(partly, Payments.Of(60m, settleOn), settleOn);

        Assert.Equal(InvoiceStatus.Paid, paid.Status);
        Assert.Equal(settleOn, paid.PaidDate);
        Assert.Equal(2, paid.Payments.Count);
    }

    [Fact]
    public void Paid_date_is_the_latest_payment_date_even_when_the_settling_payment_is_backdated()
    {
        var partly = new InvoiceBuilder().WithLine(1m, 100m).WithPayments((40m, new DateOnly(2026, 3, 20)));

        var paid = InvoiceLifecycle.RecordPayment(partly, Payments.Of(60m, new DateOnly(2026, 3, 5)), new DateOnly(2026, 3, 21));

        Assert.Equal(new DateOnly(2026, 3, 20), paid.PaidDate);
    }

    [Fact]
    public void Payment_records_when_it_was_recorded_as_the_update_time()
    {
        var open = new InvoiceBuilder().WithLine().Open();
        var payment = Payments.Of(10m, March10);

        var paid = InvoiceLifecycle.RecordPayment(open, payment, March10);

        Assert.Equal(payment.RecordedAt, paid.UpdatedAt);
    }

    [Fact]
    public void Payment_above_balance_is_rejected_as_overpayment()
    {
        var open = new InvoiceBuilder().WithLine(1m, 100m).Open();

        var error = Assert.Throws<DomainValidationException>(() => InvoiceLifecycle.RecordPayment(open, Payments.Of(100.01m, March10), March10));

        Assert.Equal(["amount"], error.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Payment_above_the_remaining_balance_of_a_partially_paid_invoice_is_rejected()
    {
        var partly = new InvoiceBuilder().WithLine(1m, 100m).WithPayments((70m, March10));

        var error = Assert.Throws<DomainValidationException>(() => InvoiceLifecycle.RecordPayment(partly, Payments.Of(30.01m, March10), March10));

        Assert.Equal(["amount"], error.Errors.Select(e => e.Path));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    public void Payment_must_be_positive(string amount)
    {
        var open = new InvoiceBuilder().WithLine().Open();

        var error = Assert.Throws<DomainValidationException>(() => InvoiceLifecycle.RecordPayment(open, Payments.Of(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), March10), March10));

        Assert.Equal(["amount"], error.Errors.Select(e => e.Path));
    }

    [Theory]
    [InlineData("EUR", "10.001")]
    [InlineData("JPY", "10.5")]
    [InlineData("KWD", "1.0001")]
    public void Payment_with_more_decimals_than_the_currency_is_refused(string currency, string amount)
    {
        var open = new InvoiceBuilder().InCurrency(currency).WithLine(1m, 1000m).Open();

        var error = Assert.Throws<DomainValidationException>(() =>
            InvoiceLifecycle.RecordPayment(open, Payments.Of(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), March10), March10));

        Assert.Equal(["amount"], error.Errors.Select(e => e.Path));
    }

    [Theory]
    [InlineData("EUR", "10.01")]
    [InlineData("EUR", "10.000")]
    [InlineData("JPY", "10")]
    [InlineData("KWD", "1.001")]
    public void Payment_within_the_currency_decimals_is_accepted(string currency, string amount)
    {
        var open = new InvoiceBuilder().InCurrency(currency).WithLine(1m, 1000m).Open();

        var paid = InvoiceLifecycle.RecordPayment(open, Payments.Of(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), March10), March10);

        Assert.Equal(InvoiceStatus.PartiallyPaid, paid.Status);
    }

    [Theory]
    [InlineData("Draft")]
    [InlineData("Void")]
    [InlineData("Paid")]
    public void Payment_on_a_draft_void_or_paid_invoice_is_refused(string state)
    {
        var invoice = InState(state);

        Assert.Throws<InvoiceStateException>(() => InvoiceLifecycle.RecordPayment(invoice, Payments.Of(1m, March10), March10));
    }

    [Fact]
    public void Payment_dated_after_tomorrow_is_refused_but_tomorrow_is_allowed_for_time_zones()
    {
        var open = new InvoiceBuilder().WithLine().Open();

        var error = Assert.Throws<DomainValidationException>(() => InvoiceLifecycle.RecordPayment(open, Payments.Of(1m, March10.AddDays(2)), March10));
        var accepted = InvoiceLifecycle.RecordPayment(open, Payments.Of(1m, March10.AddDays(1)), March10);

        Assert.Equal(["date"], error.Errors.Select(e => e.Path));
        Assert.Equal(InvoiceStatus.PartiallyPaid, accepted.Status);
    }

    [Fact]
    public void Payment_dated_more_than_a_year_before_the_issue_date_is_refused()
    {
        var open = new InvoiceBuilder().WithLine().Open();
        var tooEarly = InvoiceBuilder.DefaultIssueDate.AddYears(-1).AddDays(-1);

        var error = Assert.Throws<DomainValidationException>(() => InvoiceLifecycle.RecordPayment(open, Payments.Of(1m, tooEarly), March10));

        Assert.Equal(["date"], error.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Rejected_payment_reports_amount_and_date_together()
    {
        var open = new InvoiceBuilder().WithLine(1m, 100m).Open();

        var error = Assert.Throws<DomainValidationException>(() => InvoiceLifecycle.RecordPayment(open, Payments.Of(500m, March10.AddDays(5)), March10));

        Assert.Equal(["amount", "date"], error.Errors.Select(e => e.Path));
    }

    // ---- due date and overdue ----

    [Fact]
    public void Due_date_is_issue_date_plus_payment_terms_unless_given()
    {
        Assert.Equal(new DateOnly(2026, 3, 31), new InvoiceBuilder().WithPaymentTerms(30).Content().EffectiveDueDate);
        Assert.Equal(InvoiceBuilder.DefaultIssueDate, new InvoiceBuilder().WithPaymentTerms(null).Content().EffectiveDueDate);
        Assert.Equal(new DateOnly(2026, 4, 2), new InvoiceBuilder().WithPaymentTerms(30).DueOn(new DateOnly(2026, 4, 2)).Content().EffectiveDueDate);
    }

    [Fact]
    public void Open_invoice_is_overdue_the_day_after_its_due_date()
    {
        var due = new DateOnly(2026, 3, 15);
        var open = new InvoiceBuilder().WithLine().DueOn(due).Open();

        Assert.False(open.IsOverdue(due));
        Assert.Equal(0, open.DaysOverdue(due));
        Assert.True(open.IsOverdue(due.AddDays(1)));
        Assert.Equal(1, open.DaysOverdue(due.AddDays(1)));
        Assert.Equal(45, open.DaysOverdue(due.AddDays(45)));
    }

    [Fact]
    public void Partially_paid_invoice_past_due_is_overdue()
    {
        var due = new DateOnly(2026, 3, 15);
        var partly = new InvoiceBuilder().WithLine(1m, 100m).DueOn(due).WithPayments((10m, March10));

        Assert.True(partly.IsOverdue(due.AddDays(3)));
        Assert.Equal(3, partly.DaysOverdue(due.AddDays(3)));
    }

    [Theory]
    [InlineData("Draft")]
    [InlineData("Paid")]
    [InlineData("Void")]
    public void Drafts_paid_and_void_invoices_are_never_overdue(string state)
    {
        var invoice = InState(state);
        var longAfter = invoice.DueDate.AddYears(2);

        Assert.False(invoice.IsOverdue(longAfter));
        Assert.Equal(0, invoice.DaysOverdue(longAfter));
    }

    [Fact]
    public void Open_invoice_with_nothing_to_pay_is_not_overdue()
    {
        var free = new InvoiceBuilder().WithLine(1m, 0m).Open();

        Assert.False(free.IsOverdue(free.DueDate.AddDays(10)));
    }

    /// <summary>A one-line EUR invoice of 100.00 (no tax) in the named state.</summary>
    internal static Invoice InState(string state)
    {
        var builder = new InvoiceBuilder().WithLine(1m, 100m);
        return state switch
        {
            "Draft" => builder.Draft(),
            "Open" => builder.Open(),
            "PartiallyPaid" => builder.WithPayments((25m, March10)),
            "Paid" => builder.Paid(March10),
            "Void" => builder.Void(),
            _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
        };
    }

    private static InvoiceContent ChangeField(InvoiceContent content, string field) => field switch
    {
        "customerId" => content with { CustomerId = "cus_01BX5ZZKBKACTAV9WEVGEMMVRZ" },
        "currency" => content with { Currency = "USD" },
        "issueDate" => content with { IssueDate = content.IssueDate.AddDays(1) },
        "discount" => content with { Discount = new InvoiceDiscount(DiscountKind.Percent, 5m) },
        "lines" => content with { Lines = [.. content.Lines, new InvoiceLine("Extra", 1m, 1m, 0m, 0m)] },
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };
}
