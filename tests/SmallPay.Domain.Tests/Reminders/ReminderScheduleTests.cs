using SmallPay.Domain.Reminders;
using SmallPay.Domain.Validation;

namespace SmallPay.Domain.Tests.Reminders;

public sealed class ReminderScheduleTests
{
    private static readonly DateOnly Due = new(2027, 3, 15);
    private static readonly DateOnly Finalized = new(2027, 3, 1);

    private static readonly ReminderPlan Plan = new(true,
    [
        new ReminderStep(ReminderTiming.BeforeDue, 3, "Soon: {number}", "Due on {dueDate}"),
        new ReminderStep(ReminderTiming.OnDueDate, 0, "Today: {number}", "Due today"),
        new ReminderStep(ReminderTiming.AfterDue, 7, "Overdue: {number}", "{daysOverdue} days late", RepeatEveryDays: 14, Repeats: 2),
    ]);

    private static DateTimeOffset At(int month, int day, int hour = 9) => new(2027, month, day, hour, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Occurrences_fall_before_on_and_after_the_due_date_with_numbered_repeats()
    {
        var all = ReminderSchedule.Occurrences(Plan, Due);
        Assert.Equal(["before-3", "due", "after-7", "after-7-r1", "after-7-r2"], all.Select(o => o.Key));
        Assert.Equal([new DateOnly(2027, 3, 12), Due, new DateOnly(2027, 3, 22), new DateOnly(2027, 4, 5), new DateOnly(2027, 4, 19)], all.Select(o => o.Date));
        Assert.Equal("7 days after the due date, repeat 2", all[^1].Describe());
        Assert.Equal("3 days before the due date", all[0].Describe());
    }

    [Fact]
    public void Nothing_is_due_before_the_first_reminder_and_the_next_look_is_its_morning()
    {
        var decision = ReminderSchedule.Decide(Plan, Due, Finalized, At(3, 5));
        Assert.Null(decision.Send);
        Assert.Equal(Finalized, decision.HandledThrough);
        Assert.Equal(new DateTimeOffset(2027, 3, 12, ReminderSchedule.SendHourUtc, 0, 0, TimeSpan.Zero), decision.NextAt);
    }

    [Fact]
    public void A_reminder_falls_at_the_send_hour_of_its_day_not_at_midnight()
    {
        Assert.Null(ReminderSchedule.Decide(Plan, Due, Finalized, At(3, 12, hour: ReminderSchedule.SendHourUtc - 1)).Send);
        Assert.Equal("before-3", ReminderSchedule.Decide(Plan, Due, Finalized, At(3, 12, hour: ReminderSchedule.SendHourUtc)).Send!.Key);
    }

    [Fact]
    public void Each_reminder_is_decided_once_the_look_moves_past_it()
    {
        var first = ReminderSchedule.Decide(Plan, Due, Finalized, At(3, 12));
        Assert.Equal("before-3", first.Send!.Key);
        Assert.Equal(new DateOnly(2027, 3, 12), first.HandledThrough);
        Assert.Equal(At(3, 15, ReminderSchedule.SendHourUtc), first.NextAt);

        // The same day again (a second scheduler fire): nothing.
        Assert.Null(ReminderSchedule.Decide(Plan, Due, first.HandledThrough, At(3, 12, 23)).Send);
        var second = ReminderSchedule.Decide(Plan, Due, first.HandledThrough, At(3, 15));
        Assert.Equal("due", second.Send!.Key);
    }

    [Fact]
    public void After_a_pause_only_the_latest_fallen_reminder_is_sent_and_the_earlier_ones_are_skipped()
    {
        var decision = ReminderSchedule.Decide(Plan, Due, Finalized, At(4, 6));
        Assert.Equal("after-7-r1", decision.Send!.Key);
        Assert.Equal(["before-3", "due", "after-7"], decision.Skipped.Select(o => o.Key));
        Assert.Equal(At(4, 19, ReminderSchedule.SendHourUtc), decision.NextAt);
    }

    [Fact]
    public void No_reminder_falls_on_or_before_the_day_the_invoice_was_finalized()
    {
        // Finalized on the due date itself: the before-due and on-due reminders are behind it.
        var decision = ReminderSchedule.Decide(Plan, Due, Due, At(3, 16));
        Assert.Null(decision.Send);
        Assert.Equal(At(3, 22, ReminderSchedule.SendHourUtc), decision.NextAt);
    }

    [Fact]
    public void After_the_last_repeat_the_plan_has_nothing_left()
    {
        var last = ReminderSchedule.Decide(Plan, Due, new DateOnly(2027, 4, 5), At(4, 19));
        Assert.Equal("after-7-r2", last.Send!.Key);
        Assert.Null(last.NextAt);
        Assert.Null(ReminderSchedule.Upcoming(Plan, Due, last.HandledThrough));
    }

    public static TheoryData<string, string, string[]> SharedTextCases()
    {
        var data = new TheoryData<string, string, string[]>();
        foreach (var c in TextCases.RootElement.GetProperty("cases").EnumerateArray())
            data.Add(c.GetProperty("template").GetString()!, c.GetProperty("expected").GetString()!,
                c.GetProperty("unknown").EnumerateArray().Select(u => u.GetString()!).ToArray());
        return data;
    }

    private static readonly System.Text.Json.JsonDocument TextCases = System.Text.Json.JsonDocument.Parse(File.ReadAllText(FindCases("reminder-text.json")));

    private static string FindCases(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "tests", "cases", name))) return Path.Combine(dir.FullName, "tests", "cases", name);
        throw new FileNotFoundException(name);
    }

    /// <summary>The cases the web app's preview runs too (tests/cases/reminder-text.json).</summary>
    [Theory]
    [MemberData(nameof(SharedTextCases))]
    public void Placeholders_are_filled_and_other_braces_stay(string template, string expected, string[] unknown)
    {
        var v = TextCases.RootElement.GetProperty("values");
        var values = new ReminderValues(v.GetProperty("number").GetString()!, v.GetProperty("amountDue").GetString()!, v.GetProperty("dueDate").GetString()!,
            v.GetProperty("daysOverdue").GetInt32(), v.GetProperty("businessName").GetString()!, v.GetProperty("customerName").GetString()!);
        Assert.Equal(expected, ReminderText.Fill(template, values));
        Assert.Equal(unknown, ReminderText.UnknownPlaceholders(template).ToArray());
    }

    [Fact]
    public void A_plan_with_an_unknown_placeholder_bad_days_or_a_repeated_day_is_refused_with_every_problem()
    {
        var plan = new ReminderPlan(true,
        [
            new ReminderStep(ReminderTiming.BeforeDue, 0, "x", "Pay {amountdue}"),
            new ReminderStep(ReminderTiming.OnDueDate, 2, "", "fine"),
            new ReminderStep(ReminderTiming.AfterDue, 7, "a\nb", "m", RepeatEveryDays: 0, Repeats: 3),
            new ReminderStep(ReminderTiming.AfterDue, 7, "s", "m"),
            new ReminderStep(ReminderTiming.BeforeDue, 5, "s", "m", RepeatEveryDays: 3, Repeats: 1),
        ]);
        var errors = new ValidationErrors();
        ReminderPlan.Validate(plan, errors, "reminders");
        var paths = errors.All.Select(e => e.Path).ToList();
        Assert.Contains("reminders/steps/0/days", paths);
        Assert.Contains(errors.All, e => e.Path == "reminders/steps/0/message" && e.Message.Contains("{amountdue}", StringComparison.Ordinal));
        Assert.Contains("reminders/steps/1/days", paths);
        Assert.Contains("reminders/steps/1/subject", paths);
        Assert.Contains("reminders/steps/2/subject", paths); // a line break
        Assert.Contains("reminders/steps/2/repeatEveryDays", paths);
        Assert.Contains("reminders/steps/3/days", paths); // the same day as step 2
        Assert.Contains("reminders/steps/4/repeats", paths);
    }

    [Fact]
    public void The_default_plan_is_valid_off_and_uses_only_known_placeholders()
    {
        var errors = new ValidationErrors();
        ReminderPlan.Validate(ReminderPlan.Default with { Enabled = true }, errors, "reminders");
        Assert.Empty(errors.All);
        Assert.False(ReminderPlan.Default.Enabled);
    }

    [Fact]
    public void A_plan_that_is_on_needs_a_step()
    {
        var errors = new ValidationErrors();
        ReminderPlan.Validate(new ReminderPlan(true, []), errors, "reminders");
        Assert.Equal("reminders/steps", Assert.Single(errors.All).Path);
    }
}
