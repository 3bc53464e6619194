using SmallPay.Domain.Invoices;
using SmallPay.Domain.Recurring;

namespace SmallPay.Domain.Tests.Recurring;

public sealed class RecurringRulesTests
{
    private static DateOnly D(int y, int m, int d) => new(y, m, d);
    private static DateTimeOffset At(DateOnly day) => new(day.ToDateTime(new TimeOnly(1, 0)), TimeSpan.Zero);

    private static readonly InvoiceContent Content = new("cus_01ARZ3NDEKTSV4RRFFQ69G5FAV", "EUR", D(2027, 1, 1), null, 14,
        [new InvoiceLine("Retainer", 1m, 500m, 0m, 19m)], InvoiceDiscount.None, null);

    private static RecurringProfile Monthly(DateOnly start, DateOnly today, RecurringEndKind end = RecurringEndKind.Never, int? count = null) =>
        RecurringRules.Create("prf_01ARZ3NDEKTSV4RRFFQ69G5FAV", "tenant-a", "Retainer", Content,
            new RecurringSchedule(RecurrenceUnit.Month, 1, start, End: end, EndAfterCount: count), RecurringAction.Draft, today, At(today), "owner");

    [Fact]
    public void A_new_profile_runs_first_on_the_first_date_from_today()
    {
        Assert.Equal(D(2027, 1, 1), Monthly(D(2027, 1, 1), D(2027, 1, 1)).NextRun);
        // A start in the past does not invoice the periods before the profile existed.
        Assert.Equal(D(2027, 4, 1), Monthly(D(2027, 1, 1), D(2027, 3, 20)).NextRun);
    }

    [Fact]
    public void A_run_invoices_its_period_and_moves_to_the_next()
    {
        var profile = Monthly(D(2027, 1, 1), D(2027, 1, 1));
        var plan = RecurringRules.Plan(profile, D(2027, 1, 1), At(D(2027, 1, 1)))!;
        Assert.Equal(D(2027, 1, 1), plan.Period);
        Assert.Empty(plan.Skipped);
        Assert.Equal(D(2027, 2, 1), plan.Advanced.NextRun);
        Assert.Equal(1, plan.Advanced.InvoicesMade);
        Assert.Equal(profile.Version + 1, plan.Advanced.Version);
        Assert.Equal(RecurringRules.InvoiceIdFor(profile.Id, D(2027, 1, 1)), plan.Advanced.Runs[^1].InvoiceId);
        Assert.Null(RecurringRules.Plan(plan.Advanced, D(2027, 1, 31), At(D(2027, 1, 31))));
    }

    [Fact]
    public void Missed_periods_invoice_only_the_latest_and_skip_the_rest()
    {
        var profile = Monthly(D(2027, 1, 1), D(2027, 1, 1));
        var plan = RecurringRules.Plan(profile, D(2027, 4, 15), At(D(2027, 4, 15)))!;
        Assert.Equal(D(2027, 4, 1), plan.Period);
        Assert.Equal([D(2027, 1, 1), D(2027, 2, 1), D(2027, 3, 1)], plan.Skipped);
        Assert.Equal(D(2027, 5, 1), plan.Advanced.NextRun);
        Assert.Equal(1, plan.Advanced.InvoicesMade);
        Assert.Equal(3, plan.Advanced.Runs.Count(r => r.Skipped));
    }

    [Fact]
    public void A_paused_profile_is_never_due_and_resumes_with_the_missed_period_rule()
    {
        var profile = RecurringRules.Pause(Monthly(D(2027, 1, 1), D(2027, 1, 1)), At(D(2027, 1, 1)), "owner");
        Assert.Null(RecurringRules.Plan(profile, D(2027, 3, 5), At(D(2027, 3, 5))));
        Assert.Empty(profile.UpcomingRuns(3));
        var resumed = RecurringRules.Resume(profile, At(D(2027, 3, 5)), "owner");
        var plan = RecurringRules.Plan(resumed, D(2027, 3, 5), At(D(2027, 3, 5)))!;
        Assert.Equal(D(2027, 3, 1), plan.Period);
        Assert.Equal([D(2027, 1, 1), D(2027, 2, 1)], plan.Skipped);
    }

    [Fact]
    public void After_n_invoices_the_profile_ends()
    {
        var profile = Monthly(D(2027, 1, 1), D(2027, 1, 1), RecurringEndKind.AfterCount, 2);
        Assert.Equal([D(2027, 1, 1), D(2027, 2, 1)], profile.UpcomingRuns(5));
        var first = RecurringRules.Plan(profile, D(2027, 1, 1), At(D(2027, 1, 1)))!.Advanced;
        var second = RecurringRules.Plan(first, D(2027, 2, 1), At(D(2027, 2, 1)))!.Advanced;
        Assert.Equal(RecurringStatus.Ended, second.Status);
        Assert.Null(second.NextRun);
        Assert.Null(RecurringRules.Plan(second, D(2027, 3, 1), At(D(2027, 3, 1))));
    }

    [Fact]
    public void A_changed_schedule_starts_after_the_last_period_run()
    {
        var profile = Monthly(D(2027, 1, 1), D(2027, 1, 1));
        var ran = RecurringRules.Plan(profile, D(2027, 1, 1), At(D(2027, 1, 1)))!.Advanced;
        // Moved to the 1st of every month again but starting the same day: January is not invoiced twice.
        var edited = RecurringRules.Edit(ran, "Retainer", Content, ran.Schedule with { DayOfMonth = 1, StartDate = D(2027, 1, 1) },
            RecurringAction.Draft, D(2027, 1, 1), At(D(2027, 1, 1)), "owner");
        Assert.Equal(D(2027, 2, 1), edited.NextRun);
        // Content-only edits keep the next run.
        var contentOnly = RecurringRules.Edit(ran, "Renamed", Content with { Notes = "Thanks" }, ran.Schedule, RecurringAction.FinalizeAndSend,
            D(2027, 1, 10), At(D(2027, 1, 10)), "owner");
        Assert.Equal(D(2027, 2, 1), contentOnly.NextRun);
        Assert.Equal(ran.Version + 1, contentOnly.Version);
    }

    [Fact]
    public void A_fixed_due_date_is_refused()
    {
        var error = Assert.Throws<SmallPay.Domain.Validation.DomainValidationException>(() =>
            RecurringRules.Create("prf_x", "t", null, Content with { DueDate = D(2027, 2, 1) }, new RecurringSchedule(RecurrenceUnit.Month, 1, D(2027, 1, 1)),
                RecurringAction.Draft, D(2027, 1, 1), At(D(2027, 1, 1)), null));
        Assert.Contains(error.Errors, e => e.Path == "invoice/dueDate");
    }
}
