using System.Diagnostics;
using System.Text.Json;
using SmallPay.Bench.Report;
using SmallPay.Bench.Scenarios;
using SmallPay.Domain;
using SmallPay.Domain.Customers;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Recurring;
using SmallPay.Domain.Reminders;
using SmallPay.Domain.Settings;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Recurring;
using SmallPay.Functions.Reminders;
using SmallPay.Functions.Storage;

namespace SmallPay.Bench.Scheduled;

/// <summary>One scheduled run measured: how many items it handled, in how many invocations, and how long it took.</summary>
public sealed record ScheduledRun(string What, int Items, int Done, int Invocations, double Seconds, string? Problem)
{
    public double PerSecond => Seconds > 0 ? Done / Seconds : 0;
}

/// <summary>
/// The scheduled functions against many due items at once, in process over DynamoDB Local (the handler FunctionCatalog
/// builds from the function's template environment): N recurring profiles due today spread over fifty businesses,
/// RunRecurring invoked (as the hourly schedule would, again while it reports more) until every period is invoiced;
/// once with profiles that make drafts, once with profiles that finalize and send (numbering and the e-mail request in
/// the same transactions). Then RunReminders on the N finalized invoices two days later, every business with its plan
/// on: the first look at each (no reminder is due yet: it moves each marker to its next reminder's day).
/// </summary>
public static class ScheduledRunBenchmark
{
    /// <summary>Enough businesses that each stays within a new business's daily sending limit (50 recipients).</summary>
    public const int Businesses = 50;

    public static async Task<List<ScheduledRun>> RunAsync(BenchStack stack, int profiles, CancellationToken ct)
    {
        var results = new List<ScheduledRun>();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        foreach (var action in new[] { RecurringAction.Draft, RecurringAction.FinalizeAndSend })
        {
            var businesses = await SeedAsync(stack, profiles, action, today, ct);
            var run = await InvokeUntilDoneAsync(stack, "RunRecurring", profiles, ct, output =>
            {
                var report = JsonSerializer.Deserialize<RecurringRunReport>(output, Json)!;
                return (report.Invoiced, report.More || report.Failed > 0);
            });
            results.Add(run with { What = action == RecurringAction.Draft ? "RunRecurring: due profiles → drafts" : "RunRecurring: due profiles → finalized and sent" });
            Console.Error.WriteLine($"bench:   {results[^1].What}: {run.Done} of {profiles} in {run.Seconds:0.0} s ({run.Invocations} invocation(s))");
            if (action == RecurringAction.FinalizeAndSend)
            {
                foreach (var business in businesses) await EnablePlanAsync(stack, business, ct);
                // An invoice's first look is the day after it was finalized (no reminder right behind the invoice): two days on.
                var looks = await InvokeUntilDoneAsync(stack, "RunReminders", profiles, ct, output =>
                {
                    var report = JsonSerializer.Deserialize<ReminderRunReport>(output, Json)!;
                    return (report.Looked, report.More || report.Failed > 0);
                }, TimeSpan.FromDays(2));
                results.Add(looks with { What = "RunReminders: first look at finalized invoices" });
                Console.Error.WriteLine($"bench:   {looks.What}: {looks.Done} in {looks.Seconds:0.0} s ({looks.Invocations} invocation(s))");
            }
        }
        return results;
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The business's "now" some time ahead of the machine's (as the local host's clock moves it).</summary>
    private sealed class AheadClock(TimeSpan ahead) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + ahead;
    }

    private static async Task<ScheduledRun> InvokeUntilDoneAsync(BenchStack stack, string function, int items, CancellationToken ct,
        Func<byte[], (int Done, bool More)> read, TimeSpan? later = null)
    {
        var environment = FunctionEnvironment.From(stack.Variables(function), later is { } ahead ? new AheadClock(ahead) : TimeProvider.System);
        var handler = FunctionCatalog.Create(function, environment);
        var started = Stopwatch.GetTimestamp();
        int done = 0, invocations = 0;
        string? problem = null;
        for (var more = true; more && invocations < 20; invocations++)
        {
            var (count, again) = read(await handler.HandleAsync("{}"u8.ToArray(), LambdaInvocation.Local(stack.Function(function).Timeout), ct));
            done += count;
            more = again && count > 0;
        }
        if (done < items) problem = $"{function} handled {done} of {items}";
        return new ScheduledRun(function, items, done, invocations, Stopwatch.GetElapsedTime(started).TotalSeconds, problem);
    }

    /// <summary><see cref="Businesses"/> businesses with a customer each and <paramref name="profiles"/> profiles among them, all due today.</summary>
    private static async Task<List<string>> SeedAsync(BenchStack stack, int profiles, RecurringAction action, DateOnly today, CancellationToken ct)
    {
        var customers = new DynamoDbCustomerStore(stack.Host.DynamoDb, stack.CustomersTable);
        var recurring = new DynamoDbRecurringStore(stack.Host.DynamoDb, stack.InvoicesTable, stack.CustomersTable);
        var settings = new DynamoDbSettingsStore(stack.Host.DynamoDb, stack.InvoicesTable);
        var now = DateTimeOffset.UtcNow;
        var businesses = Enumerable.Range(0, Businesses).Select(_ => $"bench-scheduled-{Guid.NewGuid():N}").ToList();
        var customerOf = new Dictionary<string, string>();
        foreach (var business in businesses)
        {
            await settings.SaveAsync(business, BusinessSettings.Defaults with { BusinessName = "Bench Studio", Version = 1 }, ct);
            var id = Ids.New("cus", now);
            await customers.CreateAsync(new Customer
            {
                Id = id, Tenant = business, CreatedAt = now, UpdatedAt = now,
                Details = new CustomerDetails("Bench Customer GmbH", $"{id.ToLowerInvariant()}@bench.example", null, null, null),
            }, ct);
            customerOf[business] = id;
        }
        var seeding = Enumerable.Range(0, profiles).Select(async i =>
        {
            var business = businesses[i % Businesses];
            var content = new InvoiceContent(customerOf[business], "EUR", today, null, 14, [new InvoiceLine("Monthly retainer", 1m, 500m, 0m, 19m)], InvoiceDiscount.None, null);
            await recurring.CreateAsync(RecurringRules.Create(Ids.New("prf", now), business, $"Profile {i}", content,
                new RecurringSchedule(RecurrenceUnit.Month, 1, today), action, today, now, business), ct);
        }).ToList();
        // A few at a time: DynamoDB Local on this machine is the bottleneck either way.
        foreach (var chunk in seeding.Chunk(16)) await Task.WhenAll(chunk);
        return businesses;
    }

    private static async Task EnablePlanAsync(BenchStack stack, string business, CancellationToken ct)
    {
        var settings = new DynamoDbSettingsStore(stack.Host.DynamoDb, stack.InvoicesTable);
        var current = await settings.GetAsync(business, ct);
        await settings.SaveAsync(business, current with { Reminders = ReminderPlan.Default with { Enabled = true }, Version = current.Version + 1 }, ct);
    }

    public static void Report(BenchRun run, IReadOnlyList<ScheduledRun> results, int profiles)
    {
        var section = run.Add("scheduled", "Scheduled runs: 1,000 due items",
            $"{profiles} recurring profiles due today over {Businesses} businesses, seeded into DynamoDB Local; the function's handler in the " +
            "harness's process (as FunctionCatalog builds it from its template environment) invoked as the schedule would, again while it reports " +
            "more, until every item is done. Time = first invocation's start → last invocation's end. Finalize-and-send also numbers each " +
            "invoice (gapless, one counter per business) and records its e-mail request with the daily quota in the same transactions; " +
            "the e-mails themselves are the documents pipeline's (see above). RunReminders then looks at each finalized invoice once.");
        section.KeyHeader = "run";
        foreach (var r in results)
            section.Add(r.What, r.Problem ?? $"{r.Done:N0} in {r.Seconds:0.0} s · {r.PerSecond:0} /s · {r.Invocations} invocation(s)", r.Problem is null ? r.Seconds : null);
    }
}
