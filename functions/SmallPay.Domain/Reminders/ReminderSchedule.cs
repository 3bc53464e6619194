namespace SmallPay.Domain.Reminders;

/// <summary>One reminder an invoice may get: its step, the day it falls on, and its key (repeats are numbered).</summary>
public sealed record ReminderOccurrence(string Key, int StepIndex, ReminderStep Step, DateOnly Date, int Repeat)
{
    /// <summary>"3 days before the due date", "on the due date", "7 days after the due date (2nd repeat)": what the timeline says.</summary>
    public string Describe()
    {
        var when = Step.Timing switch
        {
            ReminderTiming.BeforeDue => $"{Step.Days} day{(Step.Days == 1 ? "" : "s")} before the due date",
            ReminderTiming.OnDueDate => "on the due date",
            _ => $"{Step.Days} day{(Step.Days == 1 ? "" : "s")} after the due date",
        };
        return Repeat == 0 ? when : $"{when}, repeat {Repeat}";
    }
}

/// <summary>What one look at an invoice's reminders decided.</summary>
/// <param name="Send">The reminder to send now, or null.</param>
/// <param name="Skipped">Reminders that fell due together with <paramref name="Send"/> (while reminders were off, or the service was down): only the latest goes.</param>
/// <param name="HandledThrough">The day up to which every reminder is sent or skipped.</param>
/// <param name="NextAt">When the invoice's next reminder falls, or null when the plan has none left for it.</param>
public sealed record ReminderDecision(ReminderOccurrence? Send, IReadOnlyList<ReminderOccurrence> Skipped, DateOnly HandledThrough, DateTimeOffset? NextAt);

/// <summary>
/// When an invoice's reminders fall, and which one is due. Rules (README, "Reminders"):
/// <list type="bullet">
/// <item>A reminder falls at <see cref="SendHourUtc"/>:00 UTC on its day; reminders on or before the day the invoice was
/// finalized are never sent (no reminder right behind the invoice itself).</item>
/// <item>When several reminders are due at one look, only the latest is sent and the earlier ones are skipped: a customer
/// never gets a burst of reminders after a pause.</item>
/// <item>Each reminder has a key (its step's timing and days, and the repeat's number); a key is sent at most once per
/// invoice, however the plan's words change.</item>
/// </list>
/// </summary>
public static class ReminderSchedule
{
    public const int SendHourUtc = 8;

    public static DateTimeOffset SendAt(DateOnly day) => new(day.ToDateTime(new TimeOnly(SendHourUtc, 0)), TimeSpan.Zero);

    /// <summary>Every reminder the plan gives an invoice due on <paramref name="dueDate"/>, earliest first.</summary>
    public static IReadOnlyList<ReminderOccurrence> Occurrences(ReminderPlan plan, DateOnly dueDate)
    {
        var all = new List<ReminderOccurrence>();
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            var step = plan.Steps[i];
            switch (step.Timing)
            {
                case ReminderTiming.BeforeDue: all.Add(new(step.Key, i, step, dueDate.AddDays(-step.Days), 0)); break;
                case ReminderTiming.OnDueDate: all.Add(new(step.Key, i, step, dueDate, 0)); break;
                default:
                    for (var repeat = 0; repeat <= step.Repeats; repeat++)
                        all.Add(new(repeat == 0 ? step.Key : $"{step.Key}-r{repeat}", i, step, dueDate.AddDays(step.Days + repeat * step.RepeatEveryDays), repeat));
                    break;
            }
        }
        return all.OrderBy(o => o.Date).ThenBy(o => o.StepIndex).ToList();
    }

    /// <param name="handledThrough">Every reminder up to this day (inclusive) is done with: first the day the invoice was finalized.</param>
    public static ReminderDecision Decide(ReminderPlan plan, DateOnly dueDate, DateOnly handledThrough, DateTimeOffset now)
    {
        var occurrences = Occurrences(plan, dueDate).Where(o => o.Date > handledThrough).ToList();
        var due = occurrences.Where(o => SendAt(o.Date) <= now).ToList();
        var send = due.Count == 0 ? null : due[^1];
        var next = occurrences.FirstOrDefault(o => SendAt(o.Date) > now && (send is null || o.Date > send.Date));
        return new ReminderDecision(send, send is null ? [] : due.Take(due.Count - 1).ToList(),
            send?.Date ?? handledThrough, next is null ? null : SendAt(next.Date));
    }

    /// <summary>The reminder after <paramref name="handledThrough"/> the plan gives (the app shows it on the invoice), or null.</summary>
    public static ReminderOccurrence? Upcoming(ReminderPlan plan, DateOnly dueDate, DateOnly handledThrough) =>
        Occurrences(plan, dueDate).FirstOrDefault(o => o.Date > handledThrough);
}
