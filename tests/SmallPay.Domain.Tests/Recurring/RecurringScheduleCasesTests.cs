using System.Text.Json;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Recurring;

namespace SmallPay.Domain.Tests.Recurring;

/// <summary>
/// tests/cases/recurring-schedule.json: the schedule cases the SPA's preview of the next run dates (frontend/src/recurring/schedule.ts)
/// runs too. Each case asks a profile whose next run is <c>from</c>, with <c>invoicesMade</c> made, for its next <c>count</c> dates.
/// </summary>
public sealed class RecurringScheduleCasesTests
{
    public sealed record EndCase(string Kind, int? Count, DateOnly? Date);
    public sealed record ScheduleCase(string Unit, int Interval, DateOnly StartDate, int? DayOfMonth, bool? LastDayOfMonth, EndCase End);
    public sealed record Case(string Name, ScheduleCase Schedule, DateOnly From, int Count, int InvoicesMade, List<DateOnly> Expected);

    private static readonly Lazy<IReadOnlyList<Case>> Loaded = new(() =>
    {
        var path = SharedCaseFiles.PathOf("recurring-schedule.json");
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow };
        return JsonSerializer.Deserialize<List<Case>>(File.ReadAllText(path), options) ?? throw new InvalidOperationException($"{path} holds no cases.");
    });

    public static TheoryData<string> Names() => [.. Loaded.Value.Select(c => c.Name)];

    [Fact]
    public void The_shared_file_has_cases_of_every_unit_and_end()
    {
        Assert.True(Loaded.Value.Count >= 20);
        Assert.Equal(["Month", "Quarter", "Week", "Year"], Loaded.Value.Select(c => c.Schedule.Unit).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(["AfterCount", "Never", "OnDate"], Loaded.Value.Select(c => c.Schedule.End.Kind).Distinct().Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Upcoming_runs_match_the_shared_case(string name)
    {
        var c = Loaded.Value.Single(x => x.Name == name);
        var s = c.Schedule;
        var schedule = new RecurringSchedule(Enum.Parse<RecurrenceUnit>(s.Unit), s.Interval, s.StartDate, s.DayOfMonth, s.LastDayOfMonth ?? false,
            Enum.Parse<RecurringEndKind>(s.End.Kind), s.End.Count, s.End.Date);
        var profile = new RecurringProfile
        {
            Id = "prf_01ARZ3NDEKTSV4RRFFQ69G5FAV", Tenant = "tenant-a", Schedule = schedule, NextRun = c.From, InvoicesMade = c.InvoicesMade,
            Content = new InvoiceContent("cus_01ARZ3NDEKTSV4RRFFQ69G5FAV", "EUR", s.StartDate, null, 14, [new InvoiceLine("Retainer", 1m, 100m, 0m, 0m)], InvoiceDiscount.None, null),
            CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch,
        };

        Assert.Equal(c.Expected, profile.UpcomingRuns(c.Count));
    }
}
