using System.Text.Json;
using SmallPay.Domain.Invoices;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Recurring;
using SmallPay.Functions.Tests.Api;
using SmallPay.Testing;

namespace SmallPay.Functions.Tests.Recurring;

/// <summary>Recurring profiles through the in-memory API, and RunRecurring on a clock the test moves.</summary>
public sealed class RecurringInvoiceTests
{
    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private readonly Clock _clock = new(new DateTimeOffset(2027, 1, 31, 9, 0, 0, TimeSpan.Zero));
    private readonly InMemoryApi _api;
    private readonly ApiClient _owner;

    public RecurringInvoiceTests()
    {
        _api = new InMemoryApi(new InMemoryFunctionServices(clock: _clock));
        _owner = new ApiClient(_api.CreateClient(), InMemoryApi.TokenPrefix + Guid.NewGuid());
    }

    private async Task<(string CustomerId, ApiResult Profile)> CreateProfileAsync(string action = "Draft", object? schedule = null)
    {
        var customer = (await _owner.PostAsync("/customers", ApiData.Customer())).Expect(201);
        var profile = (await _owner.PostAsync("/recurring", new
        {
            name = "Monthly retainer",
            invoice = new { customerId = customer.Id, currency = "EUR", paymentTermsDays = 14, lines = new[] { ApiData.Line("Retainer", 1, 500, taxRate: 19) } },
            schedule = schedule ?? new { unit = "Month", interval = 1, lastDayOfMonth = true, startDate = "2027-01-31" },
            action,
        })).Expect(201);
        return (customer.Id, profile);
    }

    private async Task<RecurringRunReport> RunAsync()
    {
        var output = await _api.Services.Function("RunRecurring").HandleAsync("{}"u8.ToArray(), LambdaInvocation.Local(TimeSpan.FromSeconds(60)), CancellationToken.None);
        return JsonSerializer.Deserialize<RecurringRunReport>(output, SmallPay.Functions.Tests.Api.TestJson.Options)!;
    }

    private IReadOnlyList<Invoice> Invoices(string profileId) =>
        _api.Services.Stores.Invoices.All.Where(i => i.RecurringProfileId == profileId).OrderBy(i => i.Content.IssueDate).ToList();

    [Fact]
    public async Task Twelve_months_on_the_moved_clock_make_twelve_invoices_with_consecutive_numbers_on_each_month_end()
    {
        var (_, profile) = await CreateProfileAsync("FinalizeAndSend");
        Assert.Equal("2027-01-31", profile.Body["nextRunDate"]!.GetValue<string>());
        Assert.Equal(["2027-01-31", "2027-02-28", "2027-03-31"], profile.Body["nextRuns"]!.AsArray().Take(3).Select(d => d!.GetValue<string>()));

        for (var month = 0; month < 12; month++)
        {
            var day = new DateOnly(2027, 1, 31).AddMonths(month);
            day = new DateOnly(day.Year, day.Month, DateTime.DaysInMonth(day.Year, day.Month));
            _clock.Now = new DateTimeOffset(day.ToDateTime(new TimeOnly(2, 0)), TimeSpan.Zero);
            var report = await RunAsync();
            Assert.Equal(1, report.Invoiced);
            Assert.Equal(1, report.Sent);
            Assert.Equal(0, (await RunAsync()).Invoiced); // the same hour again: nothing more
        }

        var invoices = Invoices(profile.Id);
        Assert.Equal(12, invoices.Count);
        Assert.Equal(Enumerable.Range(1, 12).Select(m => new DateOnly(2027, m, DateTime.DaysInMonth(2027, m))), invoices.Select(i => i.Content.IssueDate));
        Assert.All(invoices, i => Assert.Equal(InvoiceStatus.Open, i.Status));
        Assert.All(invoices, i => Assert.Single(i.DeliveryRequests));
        var numbers = invoices.Select(i => int.Parse(i.Number!.Split('-')[^1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(numbers[0], 12), numbers);
        Assert.All(invoices, i => Assert.Equal(i.Content.IssueDate.AddDays(14), i.DueDate));

        var read = (await _owner.GetAsync($"/recurring/{profile.Id}")).Expect(200);
        Assert.Equal(12, read.Body["invoicesMade"]!.GetValue<int>());
        Assert.Equal(12, read.Body["runs"]!.AsArray().Count(r => r!["number"] is not null));
        Assert.Equal("2028-01-31", read.Body["nextRunDate"]!.GetValue<string>());
    }

    [Fact]
    public async Task Repeated_and_concurrent_runs_make_one_invoice_per_period()
    {
        var (_, profile) = await CreateProfileAsync();
        _clock.Now = new DateTimeOffset(2027, 1, 31, 3, 0, 0, TimeSpan.Zero);

        var reports = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(RunAsync)));
        reports = [.. reports, await RunAsync(), await RunAsync()];

        Assert.Equal(1, reports.Sum(r => r.Invoiced));
        var invoice = Assert.Single(Invoices(profile.Id));
        Assert.Equal(InvoiceStatus.Draft, invoice.Status);
        Assert.Equal(new DateOnly(2027, 1, 31), invoice.Content.IssueDate);
    }

    [Fact]
    public async Task A_paused_profile_makes_none_and_on_resume_invoices_only_the_latest_missed_period()
    {
        var (_, profile) = await CreateProfileAsync();
        (await _owner.PostAsync($"/recurring/{profile.Id}/pause")).Expect(200);
        foreach (var day in new[] { new DateTime(2027, 1, 31), new DateTime(2027, 2, 28), new DateTime(2027, 3, 31) })
        {
            _clock.Now = new DateTimeOffset(day.AddHours(5), TimeSpan.Zero);
            Assert.Equal(0, (await RunAsync()).Due);
        }
        Assert.Empty(Invoices(profile.Id));

        _clock.Now = new DateTimeOffset(2027, 4, 10, 8, 0, 0, TimeSpan.Zero);
        var resumed = (await _owner.PostAsync($"/recurring/{profile.Id}/resume")).Expect(200);
        Assert.Equal("Active", resumed.Body["status"]!.GetValue<string>());
        var report = await RunAsync();

        Assert.Equal(1, report.Invoiced);
        Assert.Equal(2, report.Skipped);
        Assert.Equal(new DateOnly(2027, 3, 31), Assert.Single(Invoices(profile.Id)).Content.IssueDate);
        var read = (await _owner.GetAsync($"/recurring/{profile.Id}")).Expect(200);
        Assert.Equal(2, read.Body["runs"]!.AsArray().Count(r => r!["skipped"]!.GetValue<bool>()));
        Assert.Equal("2027-04-30", read.Body["nextRunDate"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_edit_takes_effect_from_the_next_period()
    {
        var (customerId, profile) = await CreateProfileAsync();
        _clock.Now = new DateTimeOffset(2027, 1, 31, 1, 0, 0, TimeSpan.Zero);
        Assert.Equal(1, (await RunAsync()).Invoiced);

        _clock.Now = new DateTimeOffset(2027, 2, 10, 1, 0, 0, TimeSpan.Zero);
        var current = (await _owner.GetAsync($"/recurring/{profile.Id}")).Expect(200);
        var edit = new
        {
            name = "Monthly retainer (new rate)",
            invoice = new { customerId, currency = "EUR", paymentTermsDays = 30, lines = new[] { ApiData.Line("Retainer", 1, 650, taxRate: 19) } },
            schedule = new { unit = "Month", interval = 1, lastDayOfMonth = true, startDate = "2027-01-31" },
            action = "Draft",
        };
        (await _owner.PutAsync($"/recurring/{profile.Id}", edit, current.ETag)).Expect(200);
        // A stale If-Match is refused.
        (await _owner.PutAsync($"/recurring/{profile.Id}", edit, current.ETag)).Expect(412);

        _clock.Now = new DateTimeOffset(2027, 2, 28, 1, 0, 0, TimeSpan.Zero);
        Assert.Equal(1, (await RunAsync()).Invoiced);

        var invoices = Invoices(profile.Id);
        Assert.Equal(2, invoices.Count);
        Assert.Equal(500m, invoices[0].Content.Lines[0].UnitPrice);
        Assert.Equal(650m, invoices[1].Content.Lines[0].UnitPrice);
        Assert.Equal(new DateOnly(2027, 3, 30), invoices[1].DueDate);
    }

    [Fact]
    public async Task Bad_input_is_a_422_naming_each_field_and_other_businesses_see_nothing()
    {
        var bad = (await _owner.PostAsync("/recurring", new
        {
            invoice = new { currency = "EUR", dueDate = "2027-02-01" },
            schedule = new { unit = "Week", interval = 0, dayOfMonth = 3, end = new { kind = "AfterCount" } },
        })).Expect(422);
        Assert.Contains("/invoice/customerId", bad.ErrorPointers());

        var bad2 = (await _owner.PostAsync("/recurring", new
        {
            invoice = new { customerId = "cus_01ARZ3NDEKTSV4RRFFQ69G5FAV", currency = "EUR" },
            schedule = new { unit = "Week", interval = 0, dayOfMonth = 3, end = new { kind = "AfterCount" } },
        })).Expect(422);
        Assert.Contains("/schedule/interval", bad2.ErrorPointers());
        Assert.Contains("/schedule/dayOfMonth", bad2.ErrorPointers());
        Assert.Contains("/schedule/end/count", bad2.ErrorPointers());
        (await _owner.PostAsync("/recurring", new { schedule = new { unit = "Fortnight" } })).Expect(400);

        var (_, profile) = await CreateProfileAsync();
        var stranger = new ApiClient(_api.CreateClient(), InMemoryApi.TokenPrefix + Guid.NewGuid());
        (await stranger.GetAsync($"/recurring/{profile.Id}")).Expect(404);
        Assert.Empty((await stranger.GetAsync("/recurring")).Expect(200).Body["items"]!.AsArray());
        Assert.Single((await _owner.GetAsync("/recurring")).Expect(200).Body["items"]!.AsArray());
    }
}
