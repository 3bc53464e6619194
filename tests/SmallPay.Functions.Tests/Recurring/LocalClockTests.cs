using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SmallPay.Functions.Tests.Api;
using SmallPay.Functions.Tests.Infrastructure;
using SmallPay.Local.Time;

namespace SmallPay.Functions.Tests.Recurring;

/// <summary>
/// The local stack runs the template's schedule (RunRecurring), and POST /_local/clock moves the time every local
/// function sees: three months of a monthly profile in one request, through the HTTP API and DynamoDB Local.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed class LocalClockTests(LocalStackFixture stack) : IAsyncLifetime
{
    public Task InitializeAsync()
    {
        LocalClock.Shared.Reset();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        LocalClock.Shared.Reset(); // the other tests of the stack see the machine's time again
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Moving_the_local_clock_three_months_makes_three_monthly_drafts_one_per_period()
    {
        var api = await TestApi.ForNewUserAsync(stack);
        var customer = (await api.PostAsync("/customers", ApiData.Customer())).Expect(201).Id;
        var start = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1);
        var profile = (await api.PostAsync("/recurring", new
        {
            name = "Monthly retainer",
            invoice = new { customerId = customer, currency = "EUR", paymentTermsDays = 14, lines = new[] { ApiData.Line("Retainer", 1, 500, taxRate: 19) } },
            schedule = new { unit = "Month", interval = 1, startDate = start.ToString("yyyy-MM-dd"), dayOfMonth = Math.Min(start.Day, 28) is var day && day == start.Day ? day : 28 },
            action = "Draft",
        })).Expect(201);
        using var http = stack.CreateHttpClient();

        var before = JsonNode.Parse(await http.GetStringAsync("_local/clock"))!;
        Assert.Equal(0, before["offsetSeconds"]!.GetValue<long>());
        using var moved = await http.PostAsJsonAsync("_local/clock", new { advance = "P3M", step = "P1D" });
        var answer = JsonNode.Parse(await moved.Content.ReadAsStringAsync())!;

        Assert.True(moved.StatusCode == System.Net.HttpStatusCode.OK && answer["steps"] is not null, $"{moved.StatusCode}: {answer.ToJsonString()}");
        Assert.InRange(answer["steps"]!.GetValue<int>(), 89, 92);
        Assert.True(answer["scheduledRuns"]!.GetValue<int>() >= answer["steps"]!.GetValue<int>());
        var shown = (await api.GetAsync($"/recurring/{profile.Id}")).Expect(200).Body;
        Assert.True(shown["invoicesMade"]!.GetValue<int>() == 3, $"{shown.ToJsonString()}\nclock: {answer.ToJsonString()}");
        var runs = shown["runs"]!.AsArray().Where(r => !r!["skipped"]!.GetValue<bool>()).ToList();
        Assert.Equal(3, runs.Count);
        Assert.Equal(3, runs.Select(r => r!["period"]!.GetValue<string>()).Distinct().Count());
        // Ordinary drafts, one per month, issued on their periods' dates as the moved clock saw them.
        var list = (await api.GetAsync("/invoices?limit=50")).Expect(200).Body["items"]!.AsArray();
        Assert.Equal(3, list.Count); // a new business: these three and nothing else
        foreach (var run in runs)
        {
            var invoice = (await api.GetAsync($"/invoices/{run!["invoiceId"]!.GetValue<string>()}")).Expect(200).Body;
            Assert.Equal(profile.Id, invoice["recurringProfileId"]!.GetValue<string>());
            Assert.Equal("Draft", invoice["status"]!.GetValue<string>());
            Assert.Equal(run["period"]!.GetValue<string>(), invoice["issueDate"]!.GetValue<string>());
        }

        // Bad input gets a clear answer, and the clock goes back.
        using var bad = await http.PostAsJsonAsync("_local/clock", new { advance = "next month" });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        using var reset = await http.PostAsJsonAsync("_local/clock", new { reset = true });
        Assert.Equal(0, JsonNode.Parse(await reset.Content.ReadAsStringAsync())!["offsetSeconds"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("P1M", "2027-02-28T10:00:00Z")]
    [InlineData("P1D", "2027-02-01T10:00:00Z")]
    [InlineData("PT36H", "2027-02-01T22:00:00Z")]
    [InlineData("P1Y2W", "2028-02-14T10:00:00Z")]
    [InlineData("P", null)]
    [InlineData("PT", null)]
    [InlineData("1M", null)]
    [InlineData("P-1D", null)]
    public void Durations_are_ISO_8601_with_calendar_months(string duration, string? expected)
    {
        var from = DateTimeOffset.Parse("2027-01-31T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected is null ? null : DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), LocalClockEndpoint.Target(from, duration));
    }
}
