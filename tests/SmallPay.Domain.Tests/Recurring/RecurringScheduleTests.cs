using SmallPay.Domain.Recurring;
using SmallPay.Domain.Validation;

namespace SmallPay.Domain.Tests.Recurring;

public sealed class RecurringScheduleTests
{
    private static DateOnly D(int y, int m, int d) => new(y, m, d);

    private static RecurringSchedule Monthly(DateOnly start, int? day = null, bool last = false, int every = 1) =>
        new(RecurrenceUnit.Month, every, start, day, last);

    [Fact]
    public void Last_day_of_the_month_follows_every_month_end()
    {
        var runs = Monthly(D(2027, 1, 31), last: true).NextRuns(D(2027, 1, 1), 4);
        Assert.Equal([D(2027, 1, 31), D(2027, 2, 28), D(2027, 3, 31), D(2027, 4, 30)], runs);
    }

    [Fact]
    public void Last_day_of_february_in_a_leap_year_is_the_29th()
    {
        var runs = Monthly(D(2028, 1, 31), last: true).NextRuns(D(2028, 1, 1), 3);
        Assert.Equal([D(2028, 1, 31), D(2028, 2, 29), D(2028, 3, 31)], runs);
    }

    [Fact]
    public void Day_31_clamps_to_shorter_months_without_drifting()
    {
        var runs = Monthly(D(2027, 1, 31), day: 31).NextRuns(D(2027, 1, 1), 6);
        Assert.Equal([D(2027, 1, 31), D(2027, 2, 28), D(2027, 3, 31), D(2027, 4, 30), D(2027, 5, 31), D(2027, 6, 30)], runs);
    }

    [Fact]
    public void Default_day_is_the_start_dates_day()
    {
        var runs = Monthly(D(2027, 1, 30)).NextRuns(D(2027, 1, 1), 3);
        Assert.Equal([D(2027, 1, 30), D(2027, 2, 28), D(2027, 3, 30)], runs);
    }

    [Fact]
    public void A_day_before_the_start_in_the_first_month_begins_next_month()
    {
        var runs = Monthly(D(2027, 1, 15), day: 10).NextRuns(D(2027, 1, 1), 2);
        Assert.Equal([D(2027, 2, 10), D(2027, 3, 10)], runs);
    }

    [Fact]
    public void Every_two_months_from_a_later_date_keeps_the_start_phase()
    {
        var runs = Monthly(D(2027, 1, 5), every: 2).NextRuns(D(2027, 4, 1), 3);
        Assert.Equal([D(2027, 5, 5), D(2027, 7, 5), D(2027, 9, 5)], runs);
    }

    [Fact]
    public void Quarters_are_three_months_and_clamp()
    {
        var runs = new RecurringSchedule(RecurrenceUnit.Quarter, 1, D(2027, 11, 30)).NextRuns(D(2027, 1, 1), 4);
        Assert.Equal([D(2027, 11, 30), D(2028, 2, 29), D(2028, 5, 30), D(2028, 8, 30)], runs);
    }

    [Fact]
    public void Years_from_february_29th_clamp_in_common_years()
    {
        var runs = new RecurringSchedule(RecurrenceUnit.Year, 1, D(2028, 2, 29)).NextRuns(D(2028, 1, 1), 5);
        Assert.Equal([D(2028, 2, 29), D(2029, 2, 28), D(2030, 2, 28), D(2031, 2, 28), D(2032, 2, 29)], runs);
    }

    [Fact]
    public void Weeks_step_by_seven_days_times_the_interval()
    {
        var schedule = new RecurringSchedule(RecurrenceUnit.Week, 2, D(2027, 12, 20));
        Assert.Equal([D(2027, 12, 20), D(2028, 1, 3), D(2028, 1, 17)], schedule.NextRuns(D(2027, 1, 1), 3));
        Assert.Equal([D(2028, 1, 17), D(2028, 1, 31)], schedule.NextRuns(D(2028, 1, 4), 2));
        Assert.Equal([D(2028, 1, 3)], schedule.NextRuns(D(2028, 1, 3), 1));
    }

    [Fact]
    public void An_end_date_stops_the_series_inclusive()
    {
        var schedule = new RecurringSchedule(RecurrenceUnit.Month, 1, D(2027, 1, 1), End: RecurringEndKind.OnDate, EndDate: D(2027, 3, 1));
        Assert.Equal([D(2027, 1, 1), D(2027, 2, 1), D(2027, 3, 1)], schedule.NextRuns(D(2026, 1, 1), 10));
        Assert.Empty(schedule.NextRuns(D(2027, 3, 2), 10));
    }

    [Fact]
    public void Between_lists_every_date_in_the_range()
    {
        var dates = Monthly(D(2027, 1, 31), last: true).Between(D(2027, 2, 1), D(2027, 5, 30));
        Assert.Equal([D(2027, 2, 28), D(2027, 3, 31), D(2027, 4, 30)], dates);
    }

    [Theory]
    [InlineData(RecurrenceUnit.Month, 0, null, false, RecurringEndKind.Never, null, "schedule/interval")]
    [InlineData(RecurrenceUnit.Month, 100, null, false, RecurringEndKind.Never, null, "schedule/interval")]
    [InlineData(RecurrenceUnit.Month, 1, 32, false, RecurringEndKind.Never, null, "schedule/dayOfMonth")]
    [InlineData(RecurrenceUnit.Month, 1, 5, true, RecurringEndKind.Never, null, "schedule/dayOfMonth")]
    [InlineData(RecurrenceUnit.Week, 1, 5, false, RecurringEndKind.Never, null, "schedule/dayOfMonth")]
    [InlineData(RecurrenceUnit.Month, 1, null, false, RecurringEndKind.AfterCount, null, "schedule/end/count")]
    [InlineData(RecurrenceUnit.Month, 1, null, false, RecurringEndKind.AfterCount, 0, "schedule/end/count")]
    [InlineData(RecurrenceUnit.Month, 1, null, false, RecurringEndKind.OnDate, null, "schedule/end/date")]
    public void Bad_schedules_name_the_field(RecurrenceUnit unit, int interval, int? day, bool last, RecurringEndKind end, int? count, string path)
    {
        var errors = new ValidationErrors();
        new RecurringSchedule(unit, interval, D(2027, 1, 1), day, last, end, count).Validate(errors);
        Assert.Contains(errors.All, e => e.Path == path);
    }

    [Fact]
    public void An_end_date_before_the_start_is_refused()
    {
        var errors = new ValidationErrors();
        new RecurringSchedule(RecurrenceUnit.Month, 1, D(2027, 1, 1), End: RecurringEndKind.OnDate, EndDate: D(2026, 12, 31)).Validate(errors);
        Assert.Equal("schedule/end/date", Assert.Single(errors.All).Path);
    }
}
