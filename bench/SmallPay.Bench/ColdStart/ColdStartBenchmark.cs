using System.Diagnostics;
using System.Globalization;
using SmallPay.Bench.Infrastructure;
using SmallPay.Bench.Report;
using SmallPay.Bench.Scenarios;
using SmallPay.Local;
using SmallPay.Local.RuntimeApi;

namespace SmallPay.Bench.ColdStart;

/// <summary>What the cold-start runs gave, per subject (a function, a floor or the Node peer).</summary>
public sealed class ColdStartResults
{
    public const string Hello = ".NET floor: hello (prints, exits)";
    public const string RawPost = ".NET floor: one raw HttpClient POST";
    public const string SdkPutItem = ".NET floor: one AWSSDK PutItem";
    public const string NodePeer = "Node 20 peer: one SDK v3 PutItem";

    public Dictionary<string, List<double>> ColdMs { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, List<double>> PeakRssMiB { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, List<string>> Failures { get; } = new(StringComparer.Ordinal);
    public int WarmPerProcess { get; set; }

    /// <summary>
    /// The runtime settings tried on one function in the same rounds (template.yaml sets DOTNET_TieredPGO=0 and
    /// DOTNET_TC_QuickJitForLoops=1; each variant overrides one of them), to choose them by measurement.
    /// </summary>
    public static readonly (string Label, string Variable, string Value)[] RuntimeVariants =
    [
        ("TieredPGO on", "DOTNET_TieredPGO", "1"),
        ("QuickJitForLoops off", "DOTNET_TC_QuickJitForLoops", "0"),
        ("TieredCompilation off", "DOTNET_TieredCompilation", "0"),
    ];

    public const string VariantFunction = "GetInvoice";

    /// <summary>Functions also cold-started from the build without ReadyToRun.</summary>
    public static readonly string[] JitOnlyFunctions = ["GetInvoice", "DocumentWorker"];

    public static string JitOnlySubject(string function) => $"{function} · without ReadyToRun";

    public static string VariantSubject(string label) => $"{VariantFunction} · {label}";

    public Summary? Cold(string subject) => Summary.Of(ColdMs.GetValueOrDefault(subject) ?? []);

    public void Fail(string subject, string failure) =>
        (Failures.TryGetValue(subject, out var list) ? list : Failures[subject] = []).Add(failure);

    public void Add(Dictionary<string, List<double>> into, string subject, double value) =>
        (into.TryGetValue(subject, out var list) ? list : into[subject] = []).Add(value);
}

/// <summary>
/// Cold start through the production entry path: the published SmallPay.Functions started as Lambda starts it
/// (`dotnet SmallPay.Functions.dll`, the environment template.yaml gives the function, a Runtime API to poll), timed from
/// process start to its first response. The floors and the Node peer run in the same rounds, interleaved with the
/// functions, so a load change on the machine hits every subject alike.
/// </summary>
public sealed class ColdStartBenchmark(BenchStack stack, ScenarioContext context, RepositoryPaths paths, string functionsDll, BenchCounts counts,
    string? jitOnlyFunctionsDll = null)
{
    public async Task<ColdStartResults> RunAsync(CancellationToken ct)
    {
        var results = new ColdStartResults { WarmPerProcess = counts.WarmPerProcess };
        var scenarios = ApiScenarios.All
            .Where(s => s.Name != ApiScenarios.WorkerWithoutMail && (counts.ColdFunctions is null || counts.ColdFunctions.Contains(s.Name)))
            .ToList();
        var subjects = new List<(string Name, Func<Task> Run)>
        {
            (ColdStartResults.Hello, () => FloorAsync(results, ColdStartResults.Hello, DotnetHost(), [Floor("Hello")], ct)),
            (ColdStartResults.RawPost, () => FloorAsync(results, ColdStartResults.RawPost, DotnetHost(), [Floor("RawPost"), stack.Host.DynamoDbEndpoint.ToString()], ct)),
            (ColdStartResults.SdkPutItem, () => FloorAsync(results, ColdStartResults.SdkPutItem, DotnetHost(), [Floor("SdkPutItem"), stack.InvoicesTable], ct)),
            (ColdStartResults.NodePeer, () => FloorAsync(results, ColdStartResults.NodePeer, "node", [Path.Combine(paths.NodeScripts, "put-item.mjs"), stack.InvoicesTable], ct)),
        };
        foreach (var scenario in scenarios)
            subjects.Add((scenario.Name, () => FunctionAsync(results, scenario.Name, scenario, null, functionsDll, ct)));
        if (jitOnlyFunctionsDll is not null && jitOnlyFunctionsDll != functionsDll)
            foreach (var scenario in scenarios.Where(s => ColdStartResults.JitOnlyFunctions.Contains(s.Name)))
                subjects.Add((ColdStartResults.JitOnlySubject(scenario.Name), () =>
                    FunctionAsync(results, ColdStartResults.JitOnlySubject(scenario.Name), scenario, null, jitOnlyFunctionsDll, ct)));
        if (scenarios.FirstOrDefault(s => s.Name == ColdStartResults.VariantFunction) is { } variantScenario && counts.ColdFunctions is null)
            foreach (var (label, variable, value) in ColdStartResults.RuntimeVariants)
                subjects.Add((ColdStartResults.VariantSubject(label), () =>
                    FunctionAsync(results, ColdStartResults.VariantSubject(label), variantScenario, (variable, value), functionsDll, ct)));

        for (var round = 0; round < counts.ColdRounds; round++)
        {
            // Rotate the order each round: no subject always runs right after the same neighbour.
            for (var k = 0; k < subjects.Count; k++)
            {
                var (name, run) = subjects[(k + round) % subjects.Count];
                try
                {
                    await run();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    results.Fail(name, e.Message);
                }
            }
            Console.Error.WriteLine($"bench: cold start round {round + 1}/{counts.ColdRounds} done (load {MachineInfo.LoadAverage()})");
        }
        return results;
    }

    public static void Report(ColdStartResults results, BenchRun run, IReadOnlyCollection<string> functions)
    {
        var section = run.Add("cold-start", "Cold start (process start → first response)",
            "Each function: SmallPay.Functions published (Release, framework-dependent, ReadyToRun, as `sam build` publishes it with " +
            "the Makefile's default; rows \"without ReadyToRun\" start the same build published without it) and started as " +
            "`dotnet SmallPay.Functions.dll` with the environment template.yaml gives that function (plus the local endpoints) " +
            "against a local Lambda Runtime API (SmallPay.Local's RuntimeApiEmulator/FunctionProcess); its sample event from " +
            "events/, aimed at seeded data (reads) or a fresh target (writes); timed from process start to its first response. " +
            "Floors and peer: separate processes timed from start to exit; the PutItems go to DynamoDB Local, the POST to its " +
            "endpoint. All subjects interleaved round by round. Median, p90 and min–max over the fresh processes; × Node = " +
            "median ÷ the Node peer's median.");
        section.KeyHeader = "subject";
        var node = results.Cold(ColdStartResults.NodePeer)?.Median;
        foreach (var subject in new[] { ColdStartResults.Hello, ColdStartResults.RawPost, ColdStartResults.SdkPutItem, ColdStartResults.NodePeer }.Concat(functions))
        {
            var summary = results.Cold(subject);
            var isFunction = functions.Contains(subject);
            var goal = !isFunction ? null : subject == "DocumentWorker" ? "≤ 2.0× Node" : "≤ 1.0× Node";
            if (summary is null)
            {
                section.Add(subject, results.Failures.ContainsKey(subject) ? "failed (see notes)" : "not measured in this mode", null, goal);
                continue;
            }
            var ratio = node is > 0 ? $" · {Summary.Ratio(summary.Median / node.Value)} Node" : "";
            section.Add(subject, $"{Summary.Ms(summary.Median)} ms (p90 {Summary.Ms(summary.P90)}, {Summary.Ms(summary.Min)}–{Summary.Ms(summary.Max)}, n={summary.Count}){ratio}",
                summary.Median, goal);
        }
        foreach (var function in ColdStartResults.JitOnlyFunctions)
        {
            if (results.Cold(ColdStartResults.JitOnlySubject(function)) is not { } jit) continue;
            var withR2R = results.Cold(function)?.Median;
            var ratios = (node is > 0 ? $" · {Summary.Ratio(jit.Median / node.Value)} Node" : "") +
                         (withR2R is > 0 ? $" · ReadyToRun saves {Summary.Ms(jit.Median - withR2R.Value)} ms" : "");
            section.Add(ColdStartResults.JitOnlySubject(function),
                $"{Summary.Ms(jit.Median)} ms (p90 {Summary.Ms(jit.P90)}, {Summary.Ms(jit.Min)}–{Summary.Ms(jit.Max)}, n={jit.Count}){ratios}", jit.Median, null);
        }
        var templateSettings = results.Cold(ColdStartResults.VariantFunction)?.Median;
        foreach (var (label, variable, value) in ColdStartResults.RuntimeVariants)
        {
            var subject = ColdStartResults.VariantSubject(label);
            if (results.Cold(subject) is not { } variant) continue;
            var versus = templateSettings is > 0 ? $" · {Summary.Ratio(variant.Median / templateSettings.Value)} the template's settings" : "";
            section.Add($"{subject} ({variable}={value})",
                $"{Summary.Ms(variant.Median)} ms (p90 {Summary.Ms(variant.P90)}, {Summary.Ms(variant.Min)}–{Summary.Ms(variant.Max)}, n={variant.Count}){versus}",
                variant.Median, null);
        }
        foreach (var (subject, failures) in results.Failures)
            section.Note($"{subject}: {failures.Count} failed run(s), e.g. {failures[0]}");
    }

    private async Task FunctionAsync(ColdStartResults results, string subject, Scenario scenario, (string Name, string Value)? setting, string dll,
        CancellationToken ct)
    {
        // The first event is made before the process starts; each warm one just before its call (UpdateSettings needs the
        // version the previous call left). Neither is timed: only the first response is.
        var firstEvent = await scenario.PrepareAsync(context, 0, ct);
        var function = stack.Function(scenario.Function);
        var timeout = function.Timeout;
        await using var emulator = await RuntimeApiEmulator.StartAsync(
            functionArn: $"arn:aws:lambda:{LocalResourceNames.Region}:000000000000:function:{function.LogicalId}", cancellationToken: ct);
        var output = new List<string>();
        await using var process = FunctionProcess.Start(new FunctionProcessOptions(dll, emulator.Address, scenario.Function)
        {
            LambdaFunctionName = function.LogicalId,
            MemorySizeMb = stack.MemorySizeMb(scenario.Function),
            Environment = setting is { } extra ? new Dictionary<string, string>(stack.Variables(scenario.Function)) { [extra.Name] = extra.Value } : stack.Variables(scenario.Function),
            OnOutputLine = line => { lock (output) if (output.Count < 20) output.Add(line); },
        });
        for (var k = 0; k <= counts.WarmPerProcess; k++)
        {
            var eventJson = k == 0 ? firstEvent : await scenario.PrepareAsync(context, k, ct);
            var result = await process.InvokeAsync(emulator, eventJson, timeout, ct);
            var failure = !result.Succeeded
                ? $"{result.Outcome}: {result.Error?.ErrorType} {result.Error?.ErrorMessage} {string.Join(" | ", output.Take(3))}"
                : ApiScenarios.Failure(scenario, result.Payload);
            if (failure is not null) results.Fail(subject, (k == 0 ? "first call: " : "warm call: ") + failure);
            if (k == 0)
            {
                if (process.StartToFirstResponse is not { } cold) return; // no cold start to time: the failure says why
                results.Add(results.ColdMs, subject, cold.TotalMilliseconds);
            }
        }
        if (setting is null && dll == functionsDll && ProcessMemory.FindChild(Path.GetFileName(dll)) is { } pid && ProcessMemory.PeakRssMiB(pid) is { } peak)
            results.Add(results.PeakRssMiB, subject, peak);
    }

    private async Task FloorAsync(ColdStartResults results, string subject, string program, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var environment = FloorEnvironment();
        var outcome = await ChildProcess.RunAsync(program, arguments, TimeSpan.FromSeconds(60), environment, paths.NodeScripts, ct);
        if (outcome.ExitCode != 0)
        {
            var stderr = outcome.Stderr.Trim();
            results.Fail(subject, $"exit {outcome.ExitCode}: {(stderr.Length > 400 ? "…" + stderr[^400..] : stderr)}");
            return;
        }
        results.Add(results.ColdMs, subject, outcome.Elapsed.TotalMilliseconds);
    }

    /// <summary>What a Lambda function would have: the region, credentials and endpoint, and template.yaml's DOTNET_* runtime settings.</summary>
    private Dictionary<string, string?> FloorEnvironment()
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var inherited in Environment.GetEnvironmentVariables().Keys.Cast<string>())
            if (inherited.StartsWith("AWS_", StringComparison.Ordinal) || inherited.StartsWith("NODE_", StringComparison.Ordinal) || inherited.StartsWith("DOTNET_Tiered", StringComparison.Ordinal) || inherited.StartsWith("DOTNET_TC_", StringComparison.Ordinal))
                variables[inherited] = null;
        foreach (var (name, value) in stack.Variables("GetInvoice"))
            if (name.StartsWith("DOTNET_", StringComparison.Ordinal) || name is "AWS_REGION" or "AWS_DEFAULT_REGION" or "AWS_ENDPOINT_URL_DYNAMODB" or "AWS_ACCESS_KEY_ID" or "AWS_SECRET_ACCESS_KEY")
                variables[name] = value;
        variables["TZ"] = ":UTC";
        return variables;
    }

    private string Floor(string name) => paths.BuildOutput(Path.Combine("bench", "floors", name), "SmallPay.Bench.Floor." + name);

    private static string DotnetHost() =>
        Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
}
