using SmallPay.Domain.Invoices;
using SmallPay.Domain.Money;
using SmallPay.Domain.Recurring;

namespace SmallPay.Domain.Dashboard;

/// <summary>What the active recurring profiles of one currency will invoice in the window.</summary>
public sealed record RecurringForecastCurrency(string Currency, decimal Amount, int Invoices, int Profiles);

/// <summary>What recurring profiles will bill from <see cref="From"/> to <see cref="Until"/> (both inclusive), per currency.</summary>
public sealed record RecurringForecast(DateOnly From, DateOnly Until, IReadOnlyList<RecurringForecastCurrency> Currencies);

/// <summary>
/// The dashboard's "recurring, next 30 days": every run each active profile will make in the window, at the total of the
/// invoice it makes today (edits apply to the next invoice; taxes included), added up per currency.
/// </summary>
public static class RecurringForecaster
{
    public const int Days = 30;

    public static RecurringForecast Compute(IEnumerable<RecurringProfile> profiles, DateOnly today, int days = Days)
    {
        var until = today.AddDays(days - 1);
        var byCurrency = new SortedDictionary<string, (decimal Amount, int Invoices, int Profiles)>(StringComparer.Ordinal);
        foreach (var profile in profiles)
        {
            var runs = RunDates(profile, today, until).Count;
            if (runs == 0) continue;
            var content = profile.Content;
            var total = InvoiceCalculator.Calculate(Currencies.Get(content.Currency), content.Lines, content.Discount).Total;
            var sum = byCurrency.GetValueOrDefault(content.Currency);
            byCurrency[content.Currency] = (sum.Amount + total * runs, sum.Invoices + runs, sum.Profiles + 1);
        }
        return new RecurringForecast(today, until, byCurrency.Select(c => new RecurringForecastCurrency(c.Key, c.Value.Amount, c.Value.Invoices, c.Value.Profiles)).ToList());
    }

    /// <summary>
    /// The dates of the invoices <paramref name="profile"/> will make from <paramref name="today"/> to <paramref name="until"/>:
    /// none unless active; periods already due (its next run is today or was missed) make one invoice, today (the
    /// missed-period rule); then every later date of the schedule, until its end date or its remaining count.
    /// </summary>
    public static IReadOnlyList<DateOnly> RunDates(RecurringProfile profile, DateOnly today, DateOnly until)
    {
        if (profile.Status != RecurringStatus.Active || profile.NextRun is not { } next || until < today) return [];
        var remaining = profile.Remaining ?? int.MaxValue;
        var dates = new List<DateOnly>();
        if (next <= today && profile.Schedule.Between(next, today).Count > 0) dates.Add(today);
        var later = next > today ? next : today.AddDays(1);
        foreach (var date in profile.Schedule.Dates(later))
        {
            if (date > until || dates.Count >= remaining) break;
            dates.Add(date);
        }
        return dates.Count > remaining ? dates.Take(remaining).ToList() : dates;
    }
}
