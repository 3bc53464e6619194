using SmallPay.Domain.Validation;

namespace SmallPay.Domain.Recurring;

/// <summary>How often a recurring profile makes an invoice: every <c>Interval</c> weeks, months, quarters or years.</summary>
public enum RecurrenceUnit { Week, Month, Quarter, Year }

/// <summary>When a recurring profile stops: never, after a number of invoices, or after a date.</summary>
public enum RecurringEndKind { Never, AfterCount, OnDate }

/// <summary>
/// A recurring profile's calendar. Dates are calendar days (UTC: a period is due from 00:00 UTC of its date).
/// <list type="bullet">
/// <item>Weeks: <c>StartDate</c> + 7 × <c>Interval</c> × k.</item>
/// <item>Months, quarters (3 months), years (12 months): month <c>StartDate</c>'s month + k × step, on
/// <c>DayOfMonth</c> (default: the start date's day), clamped to the month's last day (day 31 in April is the 30th, day
/// 29 in February of a common year is the 28th), or on the month's last day when <c>LastDayOfMonth</c> (Jan 31 →
/// Feb 28/29 → Mar 31). Each date is computed from the start, never from the previous date, so a clamp never drifts
/// (31 Jan → 28 Feb → 31 Mar, not 28 Mar). A first date before <c>StartDate</c> (start 15 Jan, day 10) is not part of
/// the series: it begins at the first date on or after the start.</item>
/// <item>The end: <see cref="RecurringEndKind.OnDate"/> stops after <c>EndDate</c> (inclusive);
/// <see cref="RecurringEndKind.AfterCount"/> counts invoices made, which the profile tracks
/// (<see cref="RecurringProfile.InvoicesMade"/>), so the schedule alone does not stop there.</item>
/// </list>
/// </summary>
public sealed record RecurringSchedule(
    RecurrenceUnit Unit,
    int Interval,
    DateOnly StartDate,
    int? DayOfMonth = null,
    bool LastDayOfMonth = false,
    RecurringEndKind End = RecurringEndKind.Never,
    int? EndAfterCount = null,
    DateOnly? EndDate = null)
{
    public const int MaxInterval = 99;
    public const int MaxCount = 1000;

    /// <summary>The series' dates on or after <paramref name="from"/>, at most <paramref name="count"/>, up to the end date.</summary>
    public IReadOnlyList<DateOnly> NextRuns(DateOnly from, int count)
    {
        var runs = new List<DateOnly>(Math.Max(0, Math.Min(count, 64)));
        if (count <= 0) return runs;
        foreach (var date in Dates(from))
        {
            runs.Add(date);
            if (runs.Count == count) break;
        }
        return runs;
    }

    /// <summary>The series' dates from <paramref name="from"/> (inclusive) up to <paramref name="until"/> (inclusive).</summary>
    public IReadOnlyList<DateOnly> Between(DateOnly from, DateOnly until)
    {
        var dates = new List<DateOnly>();
        foreach (var date in Dates(from))
        {
            if (date > until) break;
            dates.Add(date);
        }
        return dates;
    }

    /// <summary>The series' dates on or after <paramref name="from"/>, ascending, ending at the end date (or year 9999).</summary>
    public IEnumerable<DateOnly> Dates(DateOnly from)
    {
        if (Interval < 1) yield break;
        var start = from > StartDate ? from : StartDate;
        if (Unit == RecurrenceUnit.Week)
        {
            var step = 7L * Interval;
            // Skip straight to the first period on or after `from`.
            var k = Math.Max(0L, (start.DayNumber - StartDate.DayNumber + step - 1) / step);
            for (; ; k++)
            {
                var dayNumber = StartDate.DayNumber + k * step;
                if (dayNumber > DateOnly.MaxValue.DayNumber) yield break;
                var date = DateOnly.FromDayNumber((int)dayNumber);
                if (EndDate is { } end && End == RecurringEndKind.OnDate && date > end) yield break;
                yield return date;
            }
        }
        var months = MonthsPerPeriod * Interval;
        var startIndex = StartDate.Year * 12 + StartDate.Month - 1;
        var fromIndex = start.Year * 12 + start.Month - 1;
        var n = Math.Max(0, (fromIndex - startIndex) / months - 1);
        for (; ; n++)
        {
            var index = startIndex + (long)n * months;
            if (index / 12 > 9999) yield break;
            var date = InMonth((int)(index / 12), (int)(index % 12) + 1);
            if (date < start) continue;
            if (EndDate is { } end && End == RecurringEndKind.OnDate && date > end) yield break;
            yield return date;
        }
    }

    private int MonthsPerPeriod => Unit switch { RecurrenceUnit.Quarter => 3, RecurrenceUnit.Year => 12, _ => 1 };

    private DateOnly InMonth(int year, int month)
    {
        var last = DateTime.DaysInMonth(year, month);
        var day = LastDayOfMonth ? last : Math.Min(DayOfMonth ?? StartDate.Day, last);
        return new DateOnly(year, month, day);
    }

    /// <summary>The schedule's own rules; paths start with <paramref name="prefix"/> (e.g. "schedule/").</summary>
    public void Validate(ValidationErrors errors, string prefix = "schedule/")
    {
        if (Interval is < 1 or > MaxInterval) errors.Add(prefix + "interval", $"must be between 1 and {MaxInterval}");
        if (!Enum.IsDefined(Unit)) errors.Add(prefix + "unit", "must be Week, Month, Quarter or Year");
        if (Unit == RecurrenceUnit.Week && (DayOfMonth is not null || LastDayOfMonth))
            errors.Add(prefix + (DayOfMonth is not null ? "dayOfMonth" : "lastDayOfMonth"), "applies to months, quarters and years, not weeks");
        if (DayOfMonth is { } day && day is < 1 or > 31) errors.Add(prefix + "dayOfMonth", "must be between 1 and 31");
        if (DayOfMonth is not null && LastDayOfMonth) errors.Add(prefix + "dayOfMonth", "give either a day of the month or the last day, not both");
        switch (End)
        {
            case RecurringEndKind.AfterCount when EndAfterCount is not { } count:
                errors.Add(prefix + "end/count", "is required when the schedule ends after a number of invoices");
                break;
            case RecurringEndKind.AfterCount when EndAfterCount is < 1 or > MaxCount:
                errors.Add(prefix + "end/count", $"must be between 1 and {MaxCount}");
                break;
            case RecurringEndKind.OnDate when EndDate is not { } date:
                errors.Add(prefix + "end/date", "is required when the schedule ends on a date");
                break;
            case RecurringEndKind.OnDate when EndDate < StartDate:
                errors.Add(prefix + "end/date", "must be on or after the start date");
                break;
            case RecurringEndKind.Never or RecurringEndKind.AfterCount or RecurringEndKind.OnDate:
                break;
            default:
                errors.Add(prefix + "end/kind", "must be Never, AfterCount or OnDate");
                break;
        }
        if (StartDate.Year is < 2000 or > 2200) errors.Add(prefix + "startDate", "must be a date between the years 2000 and 2200");
    }
}
