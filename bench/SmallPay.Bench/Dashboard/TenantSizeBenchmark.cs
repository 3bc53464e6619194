using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SmallPay.Bench.Cost;
using SmallPay.Bench.Infrastructure;
using SmallPay.Bench.Report;
using SmallPay.Bench.Scenarios;
using SmallPay.Domain;
using SmallPay.Domain.Invoices;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Storage;
using SmallPay.Local;
using SmallPay.Local.RuntimeApi;

namespace SmallPay.Bench.Dashboard;

/// <summary>The first GET /dashboard of a tenant whose invoices predate its summary: it builds the summary.</summary>
public sealed record SummaryBuild(string Conditions, double Ms, double? PeakRssMiB, CapacityTally Requests, bool WithinTimeout, TimeSpan Timeout, string? Failure)
{
    /// <summary>Process start → the summary item's write (the build's first PutItem): from then on a timed-out build still left a summary.</summary>
    public double? SummaryWrittenMs { get; init; }
}

/// <summary>A tenant's summary item once built: its attributes and what reading it costs.</summary>
public sealed record SummaryItem(int Attributes, double Kib, double ReadUnits);

/// <summary>Steady-state GET /dashboard calls of one tenant.</summary>
public sealed record DashboardSteady(Summary? Latency, int MinRequests, int MaxRequests, string Operations, IReadOnlyDictionary<string, Summary> OperationMs);

/// <summary>Pages of GET /invoices with one filter, followed by their cursors.</summary>
public sealed record ListWalk(int Pages, int MaxRoundTrips, int Items, bool ReachedEnd, Summary? PageLatency);

public sealed class TenantSizeResults
{
    /// <summary>Per tenant size: the build at the template's MemorySize (CPU share and memory limit), and without limits if that one failed.</summary>
    public Dictionary<int, List<SummaryBuild>> Builds { get; } = [];
    public Dictionary<int, DashboardSteady> Dashboards { get; } = [];
    /// <summary>Per filter label, per tenant size.</summary>
    public Dictionary<string, Dictionary<int, ListWalk>> Lists { get; } = new(StringComparer.Ordinal);
    public Dictionary<int, double> SeedSeconds { get; } = [];
    public Dictionary<int, SummaryItem> SummaryItems { get; } = [];
    public List<string> Notes { get; } = [];
    public bool Native { get; set; }
}

/// <summary>
/// GET /dashboard and GET /invoices against the tenant's size: two fresh tenants with a small and a large number of invoices
/// (written straight into the table with BatchWriteItem, as ItemMapping makes the items, without the summary and the
/// "rank" attributes: as the release before the running summary left them). The first dashboard call of each builds
/// the summary once (measured in the function executable, through <see cref="CapacityCountingProxy"/>); then the
/// steady-state calls, and pages of GET /invoices under each filter, run through FunctionCatalog's handler whose SDK
/// clients send through a counting HttpMessageHandler (<see cref="AwsTransport"/>): DynamoDB round trips per call, and time.
/// </summary>
public sealed class TenantSizeBenchmark(BenchStack stack, EventTemplates events, BenchCounts counts, string functions, string? workDirectory = null)
{
    private static readonly Func<Invoice, Dictionary<string, AttributeValue>> ToItem = ItemMappingToItem();

    /// <summary>The filters of GET /invoices measured (label, query string; {customer}, {from}, {to} filled in).</summary>
    public static readonly (string Label, string Query)[] Filters =
    [
        ("none", ""),
        ("status=open", "status=open"),
        ("status=overdue", "status=overdue"),
        ("customerId", "customerId={customer}"),
        ("q=<a customer's name>", "q=customer%2007"),
        ("q=<matches nothing>", "q=nothing-matches-this"),
        ("from/to (one month)", "from={from}&to={to}"),
        ("status=paid&customerId", "status=paid&customerId={customer}"),
    ];

    public async Task<TenantSizeResults> RunAsync(CancellationToken ct)
    {
        var results = new TenantSizeResults { Native = ColdStart.ColdStartBenchmark.IsNative(functions) };
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var sizes = new[] { counts.SmallTenantInvoices, counts.LargeTenantInvoices };
        var tenants = new Dictionary<int, (BenchTenant Tenant, string Customer)>();
        foreach (var size in sizes)
        {
            var started = Stopwatch.GetTimestamp();
            tenants[size] = await SeedAsync(size, today, ct);
            results.SeedSeconds[size] = Stopwatch.GetElapsedTime(started).TotalSeconds;
            Console.Error.WriteLine($"bench:   seeded {size:N0} invoices in {results.SeedSeconds[size]:0.0} s");
        }

        // The one-time build, in the function executable as Lambda runs it: with the CPU share and memory limit of the
        // function's MemorySize where cgroups allow (its Timeout relaxed so it can finish); if that fails, again without limits.
        var memorySize = stack.MemorySizeMb("GetDashboard");
        using var share = results.Native && workDirectory is not null ? LambdaShare.TryCreate(memorySize, workDirectory, out var why) : null;
        foreach (var size in sizes)
        {
            var builds = results.Builds[size] = [];
            builds.Add(await BuildInExecutableAsync(tenants[size].Tenant, share, ct));
            if (builds[0].Failure is not null && share is not null)
            {
                // Built from scratch again: whatever the failed attempt wrote of the summary goes first.
                await stack.Host.DynamoDb.DeleteItemAsync(new DeleteItemRequest
                {
                    TableName = stack.InvoicesTable,
                    Key = new() { ["id"] = new AttributeValue { S = SummaryId(tenants[size].Tenant) } },
                }, ct);
                builds.Add(await BuildInExecutableAsync(tenants[size].Tenant, null, ct));
            }
            foreach (var build in builds)
                Console.Error.WriteLine($"bench:   {size:N0} invoices, {build.Conditions}: summary built in {build.Ms:0} ms, {build.Requests.Requests} requests{(build.Failure is null ? "" : ", " + build.Failure)}");
        }

        // The summary item each build left (it holds a figure per currency and due date with money owed, so it grows with those).
        foreach (var size in sizes)
        {
            var read = await stack.Host.DynamoDb.GetItemAsync(new GetItemRequest
            {
                TableName = stack.InvoicesTable, ConsistentRead = true, ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
                Key = new() { ["id"] = new AttributeValue { S = SummaryId(tenants[size].Tenant) } },
            }, ct);
            if (read.Item is { Count: > 0 } item)
                results.SummaryItems[size] = new SummaryItem(item.Count, ItemBytes(item) / 1024.0, read.ConsumedCapacity?.CapacityUnits ?? 0);
        }

        // Steady state: the dashboard of both tenants, interleaved.
        var dashboards = sizes.ToDictionary(size => size, _ => new CountedHandler(stack, "GetDashboard"));
        var samples = sizes.ToDictionary(size => size, _ => new List<double>());
        var requests = sizes.ToDictionary(size => size, _ => new List<CapacityTally>());
        var operationMs = sizes.ToDictionary(size => size, _ => new Dictionary<string, List<double>>(StringComparer.Ordinal));
        for (var i = 0; i < counts.DashboardWarmup + counts.DashboardIterations; i++)
            foreach (var size in sizes)
            {
                var eventJson = events.Build("GetDashboard", tenants[size].Tenant, []);
                var (ms, tally, failure) = await dashboards[size].CallAsync(eventJson, ct);
                if (failure is not null) results.Notes.Add($"GET /dashboard, {size:N0} invoices: {failure}");
                if (i < counts.DashboardWarmup) continue;
                samples[size].Add(ms);
                requests[size].Add(tally);
                foreach (var (operation, spent) in dashboards[size].LastOperationMs)
                    (operationMs[size].TryGetValue(operation, out var spentSoFar) ? spentSoFar : operationMs[size][operation] = []).Add(spent);
            }
        foreach (var size in sizes)
        {
            var tallies = requests[size];
            var operations = tallies.Count == 0 ? "" : string.Join(", ", tallies[^1].Operations.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}"));
            results.Dashboards[size] = new DashboardSteady(Summary.Of(samples[size]),
                tallies.Count == 0 ? 0 : tallies.Min(t => t.Requests), tallies.Count == 0 ? 0 : tallies.Max(t => t.Requests), operations,
                operationMs[size].Where(o => Summary.Of(o.Value) is not null).ToDictionary(o => o.Key, o => Summary.Of(o.Value)!));
        }

        // GET /invoices: each filter's pages, followed by their cursors, on both tenants.
        var list = new CountedHandler(stack, "ListInvoices");
        foreach (var (label, query) in Filters)
        {
            results.Lists[label] = [];
            foreach (var size in sizes)
            {
                var (tenant, customer) = tenants[size];
                var filled = query.Replace("{customer}", customer, StringComparison.Ordinal)
                    .Replace("{from}", $"{today.AddDays(-120):yyyy-MM-dd}", StringComparison.Ordinal)
                    .Replace("{to}", $"{today.AddDays(-90):yyyy-MM-dd}", StringComparison.Ordinal);
                results.Lists[label][size] = await WalkAsync(list, tenant, filled, results, ct);
            }
        }
        return results;
    }

    public static void Report(BenchRun run, TenantSizeResults results, BenchCounts counts)
    {
        var small = counts.SmallTenantInvoices;
        var large = counts.LargeTenantInvoices;
        var section = run.Add("tenant-size", "Dashboard and invoice list against the tenant's size",
            $"Two fresh tenants on DynamoDB Local with {small:N0} and {large:N0} invoices over the last year (drafts, open, partly paid, " +
            "paid, void; 20 customers), written with BatchWriteItem as ItemMapping makes the items but without the summary and the \"rank\" " +
            "attributes, as the release before the running summary left a tenant. One-time build: the first GET /dashboard of each, in the " +
            $"function executable ({(results.Native ? "the native bootstrap" : "the JIT build")}) with DynamoDB behind bench's counting proxy " +
            "(process start → first response, its peak RSS, the requests and capacity units it sent; the function's Timeout relaxed so it " +
            "can finish), with what Lambda gives the template's MemorySize (CPU share and memory limit, as in the cold-start rows \"as at " +
            "MemorySize N\") where cgroups allow; if that fails, again without limits. Steady state: GET /dashboard through FunctionCatalog's handler in this process (JIT, warm), its SDK clients sending " +
            "through a counting HttpMessageHandler (`new AwsClients(environment, new AwsTransport(...))`), the two tenants interleaved, " +
            $"{counts.DashboardWarmup} warm-up calls then {counts.DashboardIterations} each (\"flat\": the same requests per call and the " +
            "large tenant's p50 within 1.5× the small one's). GET /invoices: with each filter, up to " +
            $"{counts.ListPages} pages of 25 followed by their cursors; round trips = DynamoDB requests per page.");
        section.KeyHeader = "figure";
        foreach (var size in new[] { small, large })
        {
            if (results.SeedSeconds.TryGetValue(size, out var seed))
                section.Note($"{size:N0} invoices seeded in {seed:0.0} s (BatchWriteItem, 25 items per request).");
            if (!results.Builds.TryGetValue(size, out var builds)) continue;
            foreach (var build in builds)
            {
                var ops = string.Join(", ", build.Requests.Operations.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}"));
                var value = (build.Failure is not null ? $"FAILED after {Summary.Ms(build.Ms)} ms: {build.Failure}" : $"{Summary.Ms(build.Ms)} ms") +
                            $" · {build.Requests.Requests} requests ({ops}) · {build.Requests.ReadUnits:0.#} RRU, {build.Requests.WriteUnits:0.#} WRU" +
                            (build.PeakRssMiB is { } rss ? $" · peak RSS {rss:0} MiB" : "") +
                            (build.Failure is not null ? "" : build.WithinTimeout ? $" · within the function's {build.Timeout.TotalSeconds:0} s Timeout"
                                : $" · LONGER than the function's {build.Timeout.TotalSeconds:0} s Timeout") +
                            (build.SummaryWrittenMs is { } written ? $" · summary item written {Summary.Ms(written)} ms after process start" : "");
                section.Add($"GET /dashboard, one-time summary build, {size:N0} invoices, {build.Conditions}", value, build.Failure is null ? build.Ms : null);
            }
        }
        foreach (var size in new[] { small, large })
            if (results.SummaryItems.TryGetValue(size, out var summaryItem))
                section.Add($"GET /dashboard, {size:N0} invoices: the summary item it reads",
                    $"{summaryItem.Attributes} attributes, ~{summaryItem.Kib:0.0} KiB · {summaryItem.ReadUnits:0.#} RRU per strongly consistent read", summaryItem.Kib);
        foreach (var size in new[] { small, large })
        {
            if (!results.Dashboards.TryGetValue(size, out var steady) || steady.Latency is not { } latency) continue;
            var requests = steady.MinRequests == steady.MaxRequests ? $"{steady.MaxRequests}" : $"{steady.MinRequests}–{steady.MaxRequests}";
            section.Add($"GET /dashboard, {size:N0} invoices: DynamoDB requests per call", $"{requests} ({steady.Operations})", steady.MaxRequests,
                size == large ? "same as at " + small.ToString("N0", CultureInfo.InvariantCulture) : null);
            var dynamo = string.Join(", ", steady.OperationMs.OrderBy(o => o.Key).Select(o => $"{o.Key} {Summary.Ms(o.Value.Median)}"));
            section.Add($"GET /dashboard, {size:N0} invoices: time per call",
                $"p50 {Summary.Ms(latency.Median)} ms · p99 {Summary.Ms(latency.P99)} ms (n={latency.Count})" +
                (dynamo.Length > 0 ? $" · of which DynamoDB Local, p50 ms per call: {dynamo}" : ""),
                latency.Median, size == large ? "flat" : null);
        }
        if (results.Dashboards.GetValueOrDefault(small)?.Latency is { } s && results.Dashboards.GetValueOrDefault(large)?.Latency is { } l)
            section.Add($"GET /dashboard: {large:N0} ÷ {small:N0} invoices", $"time p50 {Summary.Ratio(l.Median / s.Median)}; requests " +
                $"{results.Dashboards[large].MaxRequests} vs {results.Dashboards[small].MaxRequests}", l.Median / s.Median, "≈ 1×");
        foreach (var (label, walks) in results.Lists)
        {
            var parts = new List<string>();
            double? worst = null;
            foreach (var size in new[] { large, small })
            {
                if (!walks.TryGetValue(size, out var walk)) continue;
                if (size == large) worst = walk.MaxRoundTrips;
                parts.Add($"{size:N0}: max {walk.MaxRoundTrips} round trip(s)/page over {walk.Pages} page(s), {walk.Items} invoices" +
                          (walk.ReachedEnd ? " (all)" : "") + (walk.PageLatency is { } p ? $", p50 {Summary.Ms(p.Median)} ms/page" : ""));
            }
            section.Add($"GET /invoices, filter {label}", string.Join(" · ", parts), worst, "≤ 2 round trips per page");
        }
        foreach (var note in results.Notes.Distinct().Take(10)) section.Note(note);
    }

    /// <summary>
    /// The tenant's invoices, written straight into the table 25 at a time (a few requests in flight), as the previous release
    /// left them: no summary item, no "rank" attributes. Returns the tenant and one of its customers' ids.
    /// </summary>
    private async Task<(BenchTenant Tenant, string Customer)> SeedAsync(int invoices, DateOnly today, CancellationToken ct)
    {
        var sub = Guid.NewGuid().ToString();
        var customers = Enumerable.Range(0, 20).Select(c => (Id: Ids.New("cus"), Snapshot: new CustomerSnapshot($"Customer {c + 1:00} {Work[c % Work.Length].Split(' ')[0]} AG",
            $"accounts{c + 1}@customer{c + 1}.example", new PostalAddress($"Street {c + 1}", null, "Hamburg", null, "20095", "DE"), null))).ToList();
        var items = new List<Dictionary<string, AttributeValue>>(invoices);
        var stamp = TenantSeeder.Seeded;
        for (var i = 0; i < invoices; i++)
        {
            // Not i % 20: every status (i % 10) would then belong to the same two customers.
            var (customerId, snapshot) = customers[(i + i / 10) % customers.Count];
            var issued = today.AddDays(-(int)((long)i * 365 / Math.Max(1, invoices)) - 1);
            var lines = Enumerable.Range(0, 1 + i % 8)
                .Select(k => new InvoiceLine(Work[(i + k) % Work.Length], 1m + (i + k) % 12, 35m + (i * 7 + k * 13) % 400, k % 3 == 0 ? 5m : 0m, k % 4 == 0 ? 7m : 19m))
                .ToList();
            var invoice = InvoiceLifecycle.CreateDraft(Ids.New("inv"), sub,
                new InvoiceContent(customerId, "EUR", issued, null, 14, lines, InvoiceDiscount.None, null), snapshot, stamp.AddMinutes(i));
            if (i % 10 >= 2)
            {
                invoice = InvoiceLifecycle.Finalize(invoice, string.Create(CultureInfo.InvariantCulture, $"INV-{i + 1:000000}"), snapshot, stamp.AddMinutes(i) ) with { Version = 2 };
                invoice = (i % 10) switch
                {
                    6 => Pay(invoice, Math.Round(invoice.Totals.BalanceDue / 2, 2), issued.AddDays(10)),
                    7 or 8 => Pay(invoice, invoice.Totals.BalanceDue, issued.AddDays(12)),
                    9 => InvoiceLifecycle.Void(invoice, "Issued twice", stamp.AddMinutes(i)) with { Version = 3 },
                    _ => invoice,
                };
            }
            var item = ToItem(invoice);
            item.Remove("rankedIn");
            item.Remove("rank");
            items.Add(item);
        }
        using var gate = new SemaphoreSlim(4);
        await Task.WhenAll(items.Chunk(25).Select(async chunk =>
        {
            await gate.WaitAsync(ct);
            try { await BatchWriteAsync(stack.Host.DynamoDb, stack.InvoicesTable, chunk, ct); }
            finally { gate.Release(); }
        }));
        return (new BenchTenant(sub, customers[6].Id, customers[6].Snapshot.Email!), customers[6].Id);

        static Invoice Pay(Invoice invoice, decimal amount, DateOnly date)
        {
            var payment = new Payment(Ids.New("pay"), amount, date, PaymentMethod.BankTransfer, null, TenantSeeder.Seeded);
            return InvoiceLifecycle.RecordPayment(invoice, payment, date) with { Version = invoice.Version + 1 };
        }
    }

    /// <summary>The summary item's key (ItemMapping.SummaryId, internal to SmallPay.Functions).</summary>
    private static string SummaryId(BenchTenant tenant) => $"summary#{tenant.Sub}";

    /// <summary>An item's size as DynamoDB counts it, roughly: attribute names and values (numbers as their text).</summary>
    private static long ItemBytes(Dictionary<string, AttributeValue> item) =>
        item.Sum(a => (long)System.Text.Encoding.UTF8.GetByteCount(a.Key) + (a.Value.S is { } text ? System.Text.Encoding.UTF8.GetByteCount(text)
            : a.Value.N is { } number ? number.Length : 8));

    private static async Task BatchWriteAsync(IAmazonDynamoDB dynamo, string table, IReadOnlyList<Dictionary<string, AttributeValue>> items, CancellationToken ct)
    {
        var pending = new Dictionary<string, List<WriteRequest>>
        {
            [table] = items.Select(item => new WriteRequest { PutRequest = new PutRequest { Item = item } }).ToList(),
        };
        for (var attempt = 0; pending.Count > 0 && pending.Values.Any(v => v.Count > 0); attempt++)
        {
            if (attempt > 0) await Task.Delay(50 * attempt, ct);
            if (attempt > 20) throw new InvalidOperationException("BatchWriteItem kept leaving items unprocessed");
            var response = await dynamo.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = pending }, ct);
            pending = response.UnprocessedItems ?? [];
        }
    }

    /// <summary>The first GET /dashboard of the tenant in a fresh function process: it builds the summary.</summary>
    private async Task<SummaryBuild> BuildInExecutableAsync(BenchTenant tenant, LambdaShare? share, CancellationToken ct)
    {
        var conditions = share is null ? "without limits" : $"as at MemorySize {share.MemoryMb}";
        var killedBefore = share?.OomKills() ?? 0;
        await using var proxy = await CapacityCountingProxy.StartAsync(stack.Host.DynamoDbEndpoint, ct);
        var function = stack.Function("GetDashboard");
        await using var emulator = await RuntimeApiEmulator.StartAsync(
            functionArn: $"arn:aws:lambda:{LocalResourceNames.Region}:000000000000:function:{function.LogicalId}", cancellationToken: ct);
        var output = new List<string>();
        var processStarted = Stopwatch.GetTimestamp();
        await using var process = FunctionProcess.Start(new FunctionProcessOptions(share?.Wrap(functions) ?? functions, emulator.Address, "GetDashboard")
        {
            LambdaFunctionName = function.LogicalId,
            MemorySizeMb = stack.MemorySizeMb("GetDashboard"),
            Environment = stack.Variables("GetDashboard", proxy.Endpoint),
            OnOutputLine = line => { lock (output) if (output.Count < 20) output.Add(line); },
        });
        var eventJson = events.Build("GetDashboard", tenant, []);
        proxy.TakeTally();
        var result = await process.InvokeAsync(emulator, eventJson, TimeSpan.FromMinutes(10), ct);
        double? summaryWritten = proxy.FirstSeen("PutItem") is { } put && put > processStarted
            ? Stopwatch.GetElapsedTime(processStarted, put).TotalMilliseconds : null;
        var tally = proxy.TakeTally();
        var failure = !result.Succeeded
            ? $"{result.Outcome}: {result.Error?.ErrorType} {result.Error?.ErrorMessage} {string.Join(" | ", output.Take(3))}"
            : ApiScenarios.Failure(ApiScenarios.All.First(s => s.Name == "GetDashboard"), result.Payload);
        var ms = process.StartToFirstResponse?.TotalMilliseconds ?? result.Duration.TotalMilliseconds;
        if (failure is not null && share is not null && share.OomKills() > killedBefore)
            failure = $"killed by the {share.MemoryMb} MB memory limit (peak use {share.MaxUsageMiB():0} MiB)";
        var pid = ProcessMemory.FindChild(Path.GetFileName(functions));
        var peak = pid is { } id ? ProcessMemory.PeakRssMiB(id) : null;
        return new SummaryBuild(conditions, ms, peak ?? (failure is not null ? share?.MaxUsageMiB() : null), tally, ms <= function.Timeout.TotalMilliseconds, function.Timeout, failure)
        {
            SummaryWrittenMs = summaryWritten,
        };
    }

    private async Task<ListWalk> WalkAsync(CountedHandler list, BenchTenant tenant, string query, TenantSizeResults results, CancellationToken ct)
    {
        string? cursor = null;
        int pages = 0, maxTrips = 0, items = 0;
        var latency = new List<double>();
        var reachedEnd = false;
        while (pages < counts.ListPages)
        {
            var q = string.Join('&', new[] { query, "limit=25", cursor is null ? "" : "cursor=" + Uri.EscapeDataString(cursor) }.Where(p => p.Length > 0));
            var eventJson = events.Build("ListInvoices", tenant, [], e => SetQuery(e, q));
            var (ms, tally, failure) = await list.CallAsync(eventJson, ct);
            if (failure is not null)
            {
                results.Notes.Add($"GET /invoices?{query}: {failure}");
                break;
            }
            pages++;
            latency.Add(ms);
            maxTrips = Math.Max(maxTrips, tally.Requests);
            var body = JsonNode.Parse(list.LastBody!)!;
            items += body["items"]!.AsArray().Count;
            cursor = body["nextCursor"]?.GetValue<string>();
            if (cursor is null)
            {
                reachedEnd = true;
                break;
            }
        }
        return new ListWalk(pages, maxTrips, items, reachedEnd, Summary.Of(latency));
    }

    /// <summary>Sets rawQueryString and queryStringParameters of an HTTP API event, as API Gateway fills both.</summary>
    private static void SetQuery(JsonObject httpEvent, string query)
    {
        httpEvent["rawQueryString"] = query;
        var parameters = new JsonObject();
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = pair.IndexOf('=');
            parameters[Uri.UnescapeDataString(pair[..at])] = Uri.UnescapeDataString(pair[(at + 1)..]);
        }
        httpEvent["queryStringParameters"] = parameters;
    }

    private static readonly string[] Work =
    [
        "Design work (hours)", "Printed proofs", "Logo licence (print)", "Photography, half day", "Copy editing",
        "Brand guidelines, 24 pages, including colour and typography sections", "Website illustrations", "Travel costs",
    ];

    /// <summary>ItemMapping.ToItem(Invoice): internal to SmallPay.Functions, reached by reflection (the harness runs on the JIT).</summary>
    private static Func<Invoice, Dictionary<string, AttributeValue>> ItemMappingToItem()
    {
        var mapping = typeof(DynamoDbInvoiceStore).Assembly.GetType("SmallPay.Functions.Storage.ItemMapping", throwOnError: true)!;
        var method = mapping.GetMethod("ToItem", BindingFlags.Public | BindingFlags.Static, [typeof(Invoice)])
                     ?? throw new MissingMethodException("ItemMapping.ToItem(Invoice)");
        return method.CreateDelegate<Func<Invoice, Dictionary<string, AttributeValue>>>();
    }
}

/// <summary>
/// A function's handler as FunctionCatalog builds it over the DynamoDB and S3 stores, its SDK clients sending through a
/// handler that counts each request (by X-Amz-Target): what one call cost in round trips.
/// </summary>
public sealed class CountedHandler
{
    private readonly ILambdaHandler _handler;
    private readonly Scenario _scenario;
    private readonly object _lock = new();
    private CapacityTally _tally = new();
    private Dictionary<string, double> _operationMs = new(StringComparer.Ordinal);

    public CountedHandler(BenchStack stack, string function)
    {
        var environment = stack.EnvironmentOf(function);
        var clients = new AwsClients(environment, new AwsTransport(() => new CountingHandler(this)));
        _handler = FunctionCatalog.Create(function, new FunctionServices(environment, clients));
        _scenario = ApiScenarios.All.First(s => s.Function == function);
    }

    public string? LastBody { get; private set; }

    /// <summary>The last call's time in DynamoDB, per operation (sent → answered, summed over its requests).</summary>
    public IReadOnlyDictionary<string, double> LastOperationMs { get; private set; } = new Dictionary<string, double>();

    public async Task<(double Ms, CapacityTally Requests, string? Failure)> CallAsync(byte[] eventJson, CancellationToken ct)
    {
        lock (_lock)
        {
            _tally = new CapacityTally();
            _operationMs = new Dictionary<string, double>(StringComparer.Ordinal);
        }
        var started = Stopwatch.GetTimestamp();
        var response = await _handler.HandleAsync(eventJson, LambdaInvocation.Local(TimeSpan.FromSeconds(30)), ct);
        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        CapacityTally tally;
        lock (_lock)
        {
            tally = _tally;
            LastOperationMs = _operationMs;
        }
        var failure = ApiScenarios.Failure(_scenario, response);
        LastBody = failure is null ? JsonNode.Parse(response)?["body"]?.GetValue<string>() : null;
        return (ms, tally, failure);
    }

    private void Count(string operation, double ms)
    {
        lock (_lock)
        {
            _tally = _tally.Add(operation, 0, 0);
            _operationMs[operation] = _operationMs.GetValueOrDefault(operation) + ms;
        }
    }

    private sealed class CountingHandler(CountedHandler owner) : DelegatingHandler(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var target = request.Headers.TryGetValues("X-Amz-Target", out var values) ? values.FirstOrDefault() ?? "" : "";
            var started = Stopwatch.GetTimestamp();
            var response = await base.SendAsync(request, cancellationToken);
            owner.Count(target.Length > 0 ? target[(target.IndexOf('.') + 1)..] : request.Method + " " + request.RequestUri?.AbsolutePath,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
    }
}
