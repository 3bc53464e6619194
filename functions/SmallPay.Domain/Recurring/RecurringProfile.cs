using SmallPay.Domain.Invoices;
using SmallPay.Domain.Validation;

namespace SmallPay.Domain.Recurring;

/// <summary>What each run does with the invoice it makes.</summary>
public enum RecurringAction { Draft, FinalizeAndSend }

/// <summary>Active profiles run; paused ones wait for a resume; ended ones have no dates left.</summary>
public enum RecurringStatus { Active, Paused, Ended }

/// <summary>One period of a profile: the invoice it made, or none (skipped under the missed-period rule).</summary>
public sealed record RecurringRun(DateOnly Period, string? InvoiceId, DateTimeOffset At)
{
    public bool Skipped => InvoiceId is null;
}

/// <summary>
/// A recurring profile: an invoice's content (<see cref="InvoiceContent"/>; its issue date is each period's date, its due
/// date the issue date + payment terms) and a <see cref="RecurringSchedule"/>. <see cref="NextRun"/> is the next period
/// to invoice (null once ended).
/// </summary>
public sealed record RecurringProfile
{
    public required string Id { get; init; }
    public required string Tenant { get; init; }
    public string? Name { get; init; }
    public required InvoiceContent Content { get; init; }
    public required RecurringSchedule Schedule { get; init; }
    public RecurringAction Action { get; init; } = RecurringAction.Draft;
    public RecurringStatus Status { get; init; } = RecurringStatus.Active;
    public DateOnly? NextRun { get; init; }
    public int InvoicesMade { get; init; }
    /// <summary>The latest periods (at most <see cref="RecurringRules.RunsKept"/>), oldest first: invoiced or skipped.</summary>
    public IReadOnlyList<RecurringRun> Runs { get; init; } = [];
    /// <summary>Why the scheduler paused the profile (its customer was deleted), else null.</summary>
    public string? PausedReason { get; init; }
    public long Version { get; init; } = 1;
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public string? UpdatedBy { get; init; }

    /// <summary>The periods after the last invoiced one that are still to come (null: no limit).</summary>
    public int? Remaining => Schedule.End == RecurringEndKind.AfterCount ? Math.Max(0, (Schedule.EndAfterCount ?? 0) - InvoicesMade) : null;

    /// <summary>The next <paramref name="count"/> dates this profile will invoice, if it stays as it is (none while paused or ended).</summary>
    public IReadOnlyList<DateOnly> UpcomingRuns(int count) =>
        Status != RecurringStatus.Active || NextRun is not { } next ? [] : Schedule.NextRuns(next, Math.Min(count, Remaining ?? count));
}

/// <summary>What one run of a due profile does: invoice <see cref="Period"/>, record <see cref="Skipped"/>, store <see cref="Advanced"/>.</summary>
public sealed record RecurringRunPlan(DateOnly Period, IReadOnlyList<DateOnly> Skipped, RecurringProfile Advanced);

/// <summary>
/// The rules of recurring profiles.
/// <para><b>Missed periods.</b> A run invoices only the most recent period that is due (its date ≤ today) and records
/// the earlier due ones, if any, as skipped (no invoice, ever). Periods are missed when the scheduler did not run (the
/// service was down) or the profile was paused: a resumed profile keeps its next run, so its next run invoices the
/// latest period that passed while it was paused — once — and skips the ones before it. A skipped period does not count
/// towards "after N invoices".</para>
/// <para><b>Edits</b> take effect from the next period: the content of an edit applies to the next invoice made; a
/// changed schedule's first run is its first date after both the last period already run (invoiced or skipped) and
/// yesterday, so an edit never makes a second invoice for a period already invoiced.</para>
/// </summary>
public static class RecurringRules
{
    public const int RunsKept = 50;
    public const int NameMaxLength = 200;

    public static RecurringProfile Create(string id, string tenant, string? name, InvoiceContent content, RecurringSchedule schedule,
        RecurringAction action, DateOnly today, DateTimeOffset now, string? actor)
    {
        Validate(name, content, schedule, action);
        var profile = new RecurringProfile
        {
            Id = id, Tenant = tenant, Name = Clean(name), Content = Template(content, schedule), Schedule = schedule, Action = action,
            CreatedAt = now, UpdatedAt = now, UpdatedBy = actor,
        };
        // Periods before today are not invoiced: the first run is the first date on or after today.
        return WithNextRun(profile, schedule.NextRuns(today, 1) is [var first] ? first : null);
    }

    /// <summary>The change of PUT: content, name and action apply to the next invoice; a changed schedule restarts from the next period.</summary>
    public static RecurringProfile Edit(RecurringProfile current, string? name, InvoiceContent content, RecurringSchedule schedule,
        RecurringAction action, DateOnly today, DateTimeOffset now, string? actor)
    {
        if (current.Status == RecurringStatus.Ended && schedule == current.Schedule)
            throw new InvoiceStateException("This recurring profile has ended. Change its schedule to continue it, or create a new one.");
        Validate(name, content, schedule, action);
        var edited = current with
        {
            Name = Clean(name), Content = Template(content, schedule), Schedule = schedule, Action = action,
            UpdatedAt = now, UpdatedBy = actor, Version = current.Version + 1,
            Status = current.Status == RecurringStatus.Ended ? RecurringStatus.Active : current.Status,
        };
        if (schedule == current.Schedule && current.Status != RecurringStatus.Ended) return edited;
        var after = current.Runs.Count > 0 ? current.Runs[^1].Period.AddDays(1) : DateOnly.MinValue;
        var from = after > today ? after : today;
        return WithNextRun(edited, schedule.NextRuns(from, 1) is [var next] ? next : null);
    }

    public static RecurringProfile Pause(RecurringProfile current, DateTimeOffset now, string? actor, string? reason = null) => current.Status switch
    {
        RecurringStatus.Paused => current,
        RecurringStatus.Ended => throw new InvoiceStateException("This recurring profile has ended; there is nothing to pause."),
        _ => current with { Status = RecurringStatus.Paused, PausedReason = reason, UpdatedAt = now, UpdatedBy = actor, Version = current.Version + 1 },
    };

    /// <summary>Active again with its next run kept: the next run invoices the latest period missed while paused (the missed-period rule).</summary>
    public static RecurringProfile Resume(RecurringProfile current, DateTimeOffset now, string? actor) => current.Status switch
    {
        RecurringStatus.Active => current,
        RecurringStatus.Ended => throw new InvoiceStateException("This recurring profile has ended. Change its schedule to continue it."),
        _ => WithNextRun(current with { Status = RecurringStatus.Active, PausedReason = null, UpdatedAt = now, UpdatedBy = actor, Version = current.Version + 1 }, current.NextRun),
    };

    /// <summary>Null when the profile is not due on <paramref name="today"/> (paused, ended, or its next run is later).</summary>
    public static RecurringRunPlan? Plan(RecurringProfile profile, DateOnly today, DateTimeOffset now)
    {
        if (profile.Status != RecurringStatus.Active || profile.NextRun is not { } next || next > today) return null;
        if (profile.Remaining is 0) return null;
        var due = profile.Schedule.Between(next, today);
        if (due.Count == 0)
        {
            // The schedule ended between the next run and today (an end date): nothing left to invoice.
            return null;
        }
        var period = due[^1];
        var skipped = due.Take(due.Count - 1).ToList();
        var runs = profile.Runs.Concat(skipped.Select(d => new RecurringRun(d, null, now))).Append(new RecurringRun(period, InvoiceIdFor(profile.Id, period), now));
        var made = profile.InvoicesMade + 1;
        var advanced = profile with
        {
            InvoicesMade = made,
            Runs = runs.TakeLast(RunsKept).ToList(),
            UpdatedAt = now,
            Version = profile.Version + 1,
        };
        // The period is the latest date on or before today, so the next run is the schedule's first date after today.
        var following = profile.Schedule.NextRuns(period.AddDays(1), 1) is [var n] ? n : (DateOnly?)null;
        return new RecurringRunPlan(period, skipped, WithNextRun(advanced, following));
    }

    /// <summary>The ended profile of a plan whose due dates all fell past the end: no invoice, recorded as ended.</summary>
    public static RecurringProfile? EndIfExhausted(RecurringProfile profile, DateOnly today, DateTimeOffset now)
    {
        if (profile.Status != RecurringStatus.Active || profile.NextRun is not { } next || next > today) return null;
        if (profile.Remaining is not 0 && profile.Schedule.Between(next, today).Count > 0) return null;
        return profile with { Status = RecurringStatus.Ended, NextRun = null, UpdatedAt = now, Version = profile.Version + 1 };
    }

    /// <summary>The one invoice id a profile's period can have: a second attempt at the same period names the same invoice.</summary>
    public static string InvoiceIdFor(string profileId, DateOnly period) => Ids.FromSeed("inv", $"recurring#{profileId}#{period:yyyy-MM-dd}");

    /// <summary>The invoice content of one period: issued on the period's date, due after the profile's payment terms.</summary>
    public static InvoiceContent ContentFor(RecurringProfile profile, DateOnly period) => profile.Content with { IssueDate = period, DueDate = null };

    private static RecurringProfile WithNextRun(RecurringProfile profile, DateOnly? next)
    {
        var ended = next is null || profile.Remaining is 0;
        return profile with
        {
            NextRun = ended ? null : next,
            Status = ended ? RecurringStatus.Ended : profile.Status,
        };
    }

    private static InvoiceContent Template(InvoiceContent content, RecurringSchedule schedule) => content with { IssueDate = schedule.StartDate, DueDate = null };

    private static string? Clean(string? name) => string.IsNullOrWhiteSpace(name) ? null : name.Trim();

    private static void Validate(string? name, InvoiceContent content, RecurringSchedule schedule, RecurringAction action)
    {
        var errors = new ValidationErrors();
        if (name is { Length: > NameMaxLength }) errors.Add("name", $"must be at most {NameMaxLength} characters");
        if (content.DueDate is not null) errors.Add("invoice/dueDate", "a recurring invoice's due date follows from its payment terms (paymentTermsDays)");
        if (!Enum.IsDefined(action)) errors.Add("action", "must be Draft or FinalizeAndSend");
        schedule.Validate(errors);
        errors.ThrowIfAny("The recurring profile is not valid.");
    }
}
