using SmallPay.Domain.Dashboard;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Recurring;

namespace SmallPay.Domain.Tests.Dashboard;

public sealed class RecurringForecastTests
{
    private static readonly DateOnly Today = new(2027, 3, 10);
    private static DateTimeOffset At(DateOnly day) => new(day.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero);
    private static int _ids;

    /// <summary>A profile created today: 500 + 19 % tax = 595 per invoice (or <paramref name="price"/> without tax).</summary>
    private static RecurringProfile Profile(RecurringSchedule schedule, string currency = "EUR", decimal price = 500m, decimal tax = 19m) =>
        RecurringRules.Create($"prf_{++_ids:D26}", "tenant-a", "Retainer",
            new InvoiceContent("cus_01ARZ3NDEKTSV4RRFFQ69G5FAV", currency, schedule.StartDate, null, 14, [new InvoiceLine("Retainer", 1m, price, 0m, tax)], InvoiceDiscount.None, null),
            schedule, RecurringAction.Draft, Today, At(Today), "owner");

    private static RecurringSchedule Monthly(DateOnly start) => new(RecurrenceUnit.Month, 1, start);
    private static RecurringSchedule Weekly(DateOnly start, RecurringEndKind end = RecurringEndKind.Never, int? count = null, DateOnly? endDate = null) =>
        new(RecurrenceUnit.Week, 1, start, End: end, EndAfterCount: count, EndDate: endDate);

    [Fact]
    public void The_window_is_thirty_days_from_today()
    {
        var forecast = RecurringForecaster.Compute([], Today);
        Assert.Equal(Today, forecast.From);
        Assert.Equal(new DateOnly(2027, 4, 8), forecast.Until);
        Assert.Empty(forecast.Currencies);
    }

    [Fact]
    public void A_monthly_profile_bills_its_total_with_tax_once()
    {
        var eur = Assert.Single(RecurringForecaster.Compute([Profile(Monthly(Today.AddDays(5)))], Today).Currencies);
        Assert.Equal(new RecurringForecastCurrency("EUR", 595m, 1, 1), eur);
    }

    [Fact]
    public void A_weekly_profile_bills_every_run_in_the_window_including_today()
    {
        var profile = Profile(Weekly(Today));
        Assert.Equal([Today, Today.AddDays(7), Today.AddDays(14), Today.AddDays(21), Today.AddDays(28)], RecurringForecaster.RunDates(profile, Today, Today.AddDays(29)));
        Assert.Equal(new RecurringForecastCurrency("EUR", 2975m, 5, 1), Assert.Single(RecurringForecaster.Compute([profile], Today).Currencies));
    }

    [Fact]
    public void The_last_day_of_the_window_counts_and_the_day_after_does_not()
    {
        Assert.Single(RecurringForecaster.Compute([Profile(Monthly(Today.AddDays(29)))], Today).Currencies);
        Assert.Empty(RecurringForecaster.Compute([Profile(Monthly(Today.AddDays(30)))], Today).Currencies);
    }

    [Fact]
    public void Paused_and_ended_profiles_bill_nothing()
    {
        var paused = RecurringRules.Pause(Profile(Weekly(Today)), At(Today), "owner");
        var ended = Profile(Weekly(Today)) with { Status = RecurringStatus.Ended, NextRun = null };
        Assert.Empty(RecurringForecaster.Compute([paused, ended], Today).Currencies);
    }

    [Fact]
    public void An_end_after_a_count_stops_at_the_invoices_left()
    {
        var profile = Profile(Weekly(Today, RecurringEndKind.AfterCount, count: 3)) with { InvoicesMade = 1 };
        Assert.Equal([Today, Today.AddDays(7)], RecurringForecaster.RunDates(profile, Today, Today.AddDays(29)));
        Assert.Equal(2, Assert.Single(RecurringForecaster.Compute([profile], Today).Currencies).Invoices);
    }

    [Fact]
    public void An_end_date_in_the_window_stops_the_runs_inclusive()
    {
        var profile = Profile(Weekly(Today, RecurringEndKind.OnDate, endDate: Today.AddDays(14)));
        Assert.Equal([Today, Today.AddDays(7), Today.AddDays(14)], RecurringForecaster.RunDates(profile, Today, Today.AddDays(29)));
    }

    [Fact]
    public void Periods_missed_while_paused_make_one_invoice_today_then_the_schedule_goes_on()
    {
        // Created on 1 January, paused before its first run, resumed on 10 March: its next run is still 1 January.
        var profile = Profile(Weekly(Today)) with { Schedule = Monthly(new DateOnly(2027, 1, 1)), NextRun = new DateOnly(2027, 1, 1) };
        Assert.Equal([Today, new DateOnly(2027, 4, 1)], RecurringForecaster.RunDates(profile, Today, Today.AddDays(29)));
    }

    [Fact]
    public void Currencies_are_never_added_together()
    {
        RecurringProfile[] profiles =
        [
            Profile(Monthly(Today.AddDays(1))),
            Profile(Monthly(Today.AddDays(2)), price: 100m, tax: 0m),
            Profile(Weekly(Today.AddDays(3)), "JPY", price: 12000m, tax: 10m),
        ];
        var forecast = RecurringForecaster.Compute(profiles, Today);
        Assert.Equal(
            [new RecurringForecastCurrency("EUR", 695m, 2, 2), new RecurringForecastCurrency("JPY", 52800m, 4, 1)],
            forecast.Currencies);
    }
}
