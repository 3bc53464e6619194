using System.Diagnostics;
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
    public const string AotHello = "Native AOT floor: hello (prints, exits)";
    public const string AotSdkPutItem = "Native AOT floor: one AWSSDK PutItem";
    public const string NodePeer = "Node 20 peer: one SDK v3 PutItem";

    /// <summary>Functions also cold-started from the framework-dependent JIT build, for a same-run native ÷ JIT ratio.</summary>
    public static readonly string[] JitFunctions = ["GetInvoice", "DocumentWorker"];

    /// <summary>Functions also cold-started with what Lambda gives these memory sizes: CPU share and memory limit (<see cref="LambdaShare"/>).</summary>
    public static readonly (string Function, int[] MemoryMb)[] CappedFunctions =
    [
        ("GetInvoice", [128, 256, 512, 1024]),
        ("DocumentWorker", [128, 256, 512, 1024]),
    ];

    /// <summary>The Node peer at the same sizes as the first of <see cref="CappedFunctions"/>: the ratio at Lambda's CPU share.</summary>
    public static int[] NodeCappedSizes => CappedFunctions[0].MemoryMb;

    public static string JitSubject(string function) => $"{function} · JIT build (dotnet SmallPay.Functions.dll)";

    public static string VariantSubject(string function, string label) => $"{function} · native build with {label}";

    public static string CappedSubject(string function, int memoryMb) =>
        $"{function} · as at MemorySize {memoryMb} ({LambdaShare.Fraction(memoryMb):P1} of a core, {memoryMb} MB limit)";

    public Dictionary<string, List<double>> ColdMs { get; } = new(StringComparer.Ordinal);
    /// <summary>CPU time the process had used when its first response arrived (all its threads).</summary>
    public Dictionary<string, List<double>> CpuMs { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, List<double>> PeakRssMiB { get; } = new(StringComparer.Ordinal);
    /// <summary>The warm invocations each cold-started process served after its first (through the Runtime API, with emulator I/O).</summary>
    public Dictionary<string, List<double>> WarmMs { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, List<string>> Failures { get; } = new(StringComparer.Ordinal);
    public List<string> Notes { get; } = [];
    public int WarmPerProcess { get; set; }

    /// <summary>The labels of the other native builds cold-started (<c>--variant</c>).</summary>
    public List<string> Variants { get; } = [];

    /// <summary>True when the functions cold-started were the native executable (not a SmallPay.Functions.dll).</summary>
    public bool Native { get; set; }

    public Summary? Cold(string subject) => Summary.Of(ColdMs.GetValueOrDefault(subject) ?? []);

    public void Fail(string subject, string failure) =>
        (Failures.TryGetValue(subject, out var list) ? list : Failures[subject] = []).Add(failure);

    public void Add(Dictionary<string, List<double>> into, string subject, double value) =>
        (into.TryGetValue(subject, out var list) ? list : into[subject] = []).Add(value);
}

/// <summary>
/// Cold start through the production entry path: the function executable started as Lambda starts it (the native
/// <c>bootstrap</c> on provided.al2023, or <c>dotnet SmallPay.Functions.dll</c> for the JIT build), with the environment
/// template.yaml gives the function and a Runtime API to poll, timed from process start to its first response. The floors
/// and the Node peer run in the same rounds, interleaved with the functions, so a load change on the machine hits every
/// subject alike.
/// </summary>
public sealed class ColdStartBenchmark(BenchStack stack, ScenarioContext context, RepositoryPaths paths, string functions, BenchCounts counts,
    string? jitFunctionsDll = null, string? aotFloors = null, string? workDirectory = null, IReadOnlyList<(string Label, string Executable)>? variants = null)
{
    private static readonly bool Trace = Environment.GetEnvironmentVariable("SMALLPAY_STARTUP_TRACE") == "1";

    public static bool IsNative(string executable) => !executable.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);

    public async Task<ColdStartResults> RunAsync(CancellationToken ct)
    {
        var results = new ColdStartResults { WarmPerProcess = counts.WarmPerProcess, Native = IsNative(functions) };
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
        if (AotFloor("Hello") is { } aotHello)
            subjects.Add((ColdStartResults.AotHello, () => FloorAsync(results, ColdStartResults.AotHello, aotHello, [], ct)));
        if (AotFloor("SdkPutItem") is { } aotPut)
            subjects.Add((ColdStartResults.AotSdkPutItem, () => FloorAsync(results, ColdStartResults.AotSdkPutItem, aotPut, [stack.InvoicesTable], ct)));
        foreach (var scenario in scenarios)
            subjects.Add((scenario.Name, () => FunctionAsync(results, scenario.Name, scenario, functions, memory: true, ct)));
        if (jitFunctionsDll is not null && jitFunctionsDll != functions)
            foreach (var scenario in scenarios.Where(s => ColdStartResults.JitFunctions.Contains(s.Name)))
                subjects.Add((ColdStartResults.JitSubject(scenario.Name), () =>
                    FunctionAsync(results, ColdStartResults.JitSubject(scenario.Name), scenario, jitFunctionsDll, memory: true, ct)));

        foreach (var (label, executable) in variants ?? [])
        {
            results.Variants.Add(label);
            foreach (var scenario in scenarios.Where(s => ColdStartResults.JitFunctions.Contains(s.Name)))
            {
                var subject = ColdStartResults.VariantSubject(scenario.Name, label);
                subjects.Add((subject, () => FunctionAsync(results, subject, scenario, executable, memory: true, ct)));
            }
        }

        // What Lambda gives each memory size (full run, native executable, writable cgroups): what MemorySize does to the start.
        var shares = new List<LambdaShare>();
        try
        {
            if (results.Native && counts.ColdFunctions is null && workDirectory is not null)
                AddCappedSubjects(results, scenarios, subjects, shares, workDirectory, ct);
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
            foreach (var share in shares) results.Notes.Add($"MemorySize {share.MemoryMb}: {share.Stats()} over its runs.");
        }
        finally
        {
            foreach (var share in shares) share.Dispose();
        }
        return results;
    }

    private void AddCappedSubjects(ColdStartResults results, List<Scenario> scenarios, List<(string Name, Func<Task> Run)> subjects, List<LambdaShare> shares,
        string work, CancellationToken ct)
    {
        foreach (var (function, sizes) in ColdStartResults.CappedFunctions)
        {
            if (scenarios.FirstOrDefault(s => s.Name == function) is not { } scenario) continue;
            foreach (var size in sizes)
            {
                var share = shares.FirstOrDefault(s => s.MemoryMb == size);
                if (share is null)
                {
                    share = LambdaShare.TryCreate(size, work, out var why);
                    if (share is null)
                    {
                        results.Notes.Add($"Not measured with Lambda's CPU share and memory limit: {why}.");
                        return;
                    }
                    shares.Add(share);
                }
                var wrapper = share.Wrap(functions);
                var subject = ColdStartResults.CappedSubject(function, size);
                // The worker's warm calls at a small share take seconds each: only the API function serves its warm calls there.
                var warm = scenario.IsWorker ? 0 : counts.WarmPerProcess;
                subjects.Add((subject, () => FunctionAsync(results, subject, scenario, wrapper, memory: false, ct, warmCalls: warm, recordWarm: warm > 0)));
            }
        }
        if (ChildProcess.Which("node") is not { } node) return;
        foreach (var size in ColdStartResults.NodeCappedSizes)
        {
            if (shares.FirstOrDefault(s => s.MemoryMb == size) is not { } share) continue;
            var subject = ColdStartResults.CappedSubject(ColdStartResults.NodePeer, size);
            var wrapper = share.Wrap(node);
            subjects.Add((subject, () => FloorAsync(results, subject, wrapper, [Path.Combine(paths.NodeScripts, "put-item.mjs"), stack.InvoicesTable], ct)));
        }
    }

    public static void Report(ColdStartResults results, BenchRun run, IReadOnlyCollection<string> functions)
    {
        var what = results.Native
            ? "Each function: the Native AOT executable Lambda runs on provided.al2023 (scripts/publish-functions.sh: artifacts/functions/<rid>/bootstrap, " +
              "one binary for every function, SMALLPAY_FUNCTION picks the handler), started directly as Lambda starts bootstrap"
            : "Each function: SmallPay.Functions.dll (the harness's own build, framework-dependent JIT) started as `dotnet SmallPay.Functions.dll`";
        var section = run.Add("cold-start", "Cold start (process start → first response)",
            what + ", with the environment template.yaml gives that function (plus the local endpoints) against a local Lambda Runtime API " +
            "(SmallPay.Local's RuntimeApiEmulator/FunctionProcess); its sample event from events/, aimed at seeded data (reads) or a fresh " +
            "target (writes); timed from process start to its first response. Rows \"JIT build\": the same source published " +
            "framework-dependent (`dotnet publish -c Release -p:PublishAot=false`, no ReadyToRun) and started as `dotnet SmallPay.Functions.dll`, " +
            "as Lambda's managed runtime would. Rows \"as at MemorySize N\": the native executable (and the Node peer) in cgroups giving it " +
            "what Lambda gives that MemorySize: a CFS quota of N ÷ 1,769 of one core per 100 ms period and an N MB memory limit without swap " +
            "(bench/SmallPay.Bench/Infrastructure/LambdaShare.cs; this assumes Lambda applies the share from process start, init included); " +
            "first call only (GetInvoice's warm calls there are in the section on warm invocations). Rows \"native build with …\": the same source published with other settings (bench/run.sh), in the same rounds. " +
            "CPU = the " +
            "process's CPU time (all threads) when its first response arrived. Floors and peer: separate processes timed from start to exit; " +
            "the PutItems go to DynamoDB Local, the POST to its endpoint; the Native AOT floors are bench/floors' programs published with " +
            "PublishAot. All subjects interleaved round by round. Median, p90 and min–max over the fresh processes; × Node = median ÷ the " +
            "Node peer's median. The baseline and after columns started the JIT build with ReadyToRun (and DOTNET_ setting variants), " +
            "which the native build has no use for: those rows stay for reference.");
        section.KeyHeader = "subject";
        var node = results.Cold(ColdStartResults.NodePeer)?.Median;
        string Spread(Summary s) => $"{Summary.Ms(s.Median)} ms (p90 {Summary.Ms(s.P90)}, {Summary.Ms(s.Min)}–{Summary.Ms(s.Max)}, n={s.Count})";
        string VersusNode(double median) => node is > 0 ? $" · {Summary.Ratio(median / node.Value)} Node" : "";
        string Cpu(string subject) => Summary.Of(results.CpuMs.GetValueOrDefault(subject) ?? []) is { } cpu ? $" · CPU {Summary.Ms(cpu.Median)} ms" : "";

        var floors = new[] { ColdStartResults.Hello, ColdStartResults.RawPost, ColdStartResults.SdkPutItem, ColdStartResults.AotHello, ColdStartResults.AotSdkPutItem, ColdStartResults.NodePeer };
        foreach (var subject in floors.Concat(functions))
        {
            var isFunction = functions.Contains(subject);
            var goal = !isFunction || !results.Native ? null : subject == "DocumentWorker" ? "≤ 0.8× Node" : "≤ 0.4× Node";
            if (results.Cold(subject) is not { } summary)
            {
                if (!isFunction && !results.Failures.ContainsKey(subject) && subject is ColdStartResults.AotHello or ColdStartResults.AotSdkPutItem) continue;
                section.Add(subject, results.Failures.ContainsKey(subject) ? "failed (see notes)" : "not measured in this mode", null, goal);
                continue;
            }
            section.Add(subject, Spread(summary) + VersusNode(summary.Median) + Cpu(subject), summary.Median, goal);
        }
        foreach (var function in ColdStartResults.JitFunctions)
        {
            var subject = ColdStartResults.JitSubject(function);
            if (results.Cold(subject) is not { } jit) continue;
            var native = results.Cold(function)?.Median;
            var versus = native is > 0 ? $" · native ÷ JIT = {Summary.Ratio(native.Value / jit.Median)}" : "";
            section.Add(subject, Spread(jit) + VersusNode(jit.Median) + Cpu(subject) + versus, jit.Median, null);
        }
        foreach (var label in results.Variants)
            foreach (var function in ColdStartResults.JitFunctions)
            {
                var subject = ColdStartResults.VariantSubject(function, label);
                if (results.Cold(subject) is not { } variant) continue;
                var standard = results.Cold(function)?.Median;
                var versus = standard is > 0 ? $" · {Summary.Ratio(variant.Median / standard.Value)} the default build" : "";
                var rss = Summary.Of(results.PeakRssMiB.GetValueOrDefault(subject) ?? []) is { } peak ? $" · peak RSS {peak.Max:0} MiB" : "";
                section.Add(subject, Spread(variant) + VersusNode(variant.Median) + Cpu(subject) + rss + versus, variant.Median, null);
            }
        foreach (var (function, sizes) in ColdStartResults.CappedFunctions.Append((ColdStartResults.NodePeer, ColdStartResults.NodeCappedSizes)))
            foreach (var size in sizes)
            {
                var subject = ColdStartResults.CappedSubject(function, size);
                if (results.Cold(subject) is not { } capped) continue;
                var free = results.Cold(function)?.Median;
                var versus = free is > 0 ? $" · {Summary.Ratio(capped.Median / free.Value)} the uncapped start" : "";
                var nodeThere = results.Cold(ColdStartResults.CappedSubject(ColdStartResults.NodePeer, size))?.Median;
                if (function != ColdStartResults.NodePeer && nodeThere is > 0) versus += $" · {Summary.Ratio(capped.Median / nodeThere.Value)} Node at the same share";
                section.Add(subject, Spread(capped) + Cpu(subject) + versus, capped.Median, null);
            }
        foreach (var note in results.Notes) section.Note(note);
        foreach (var (subject, failures) in results.Failures)
            section.Note($"{subject}: {failures.Count} failed run(s), e.g. {failures[0]}");
    }

    private async Task FunctionAsync(ColdStartResults results, string subject, Scenario scenario, string executable, bool memory, CancellationToken ct,
        int? warmCalls = null, bool? recordWarm = null)
    {
        // The first event is made before the process starts; each warm one just before its call (UpdateSettings needs the
        // version the previous call left). Neither is timed: only the first response is (and, separately, each warm call).
        var firstEvent = await scenario.PrepareAsync(context, 0, ct);
        var function = stack.Function(scenario.Function);
        var timeout = function.Timeout;
        await using var emulator = await RuntimeApiEmulator.StartAsync(
            functionArn: $"arn:aws:lambda:{LocalResourceNames.Region}:000000000000:function:{function.LogicalId}", cancellationToken: ct);
        var output = new List<string>();
        // The process is found by its program's name: the native executable's, or the JIT build's dll on the dotnet command line.
        var marker = Path.GetFileName(executable).StartsWith("capped-", StringComparison.Ordinal) ? Path.GetFileName(functions) : Path.GetFileName(executable);
        await using var process = FunctionProcess.Start(new FunctionProcessOptions(executable, emulator.Address, scenario.Function)
        {
            LambdaFunctionName = function.LogicalId,
            MemorySizeMb = stack.MemorySizeMb(scenario.Function),
            Environment = stack.Variables(scenario.Function),
            OnOutputLine = line => { lock (output) if (output.Count < 40) output.Add(line); },
        });
        int? pid = null;
        for (var k = 0; k <= (warmCalls ?? counts.WarmPerProcess); k++)
        {
            var eventJson = k == 0 ? firstEvent : await scenario.PrepareAsync(context, k, ct);
            var started = Stopwatch.GetTimestamp();
            var result = await process.InvokeAsync(emulator, eventJson, timeout, ct);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var failure = !result.Succeeded
                ? $"{result.Outcome}: {result.Error?.ErrorType} {result.Error?.ErrorMessage} {string.Join(" | ", output.Take(3))}"
                : ApiScenarios.Failure(scenario, result.Payload);
            if (failure is not null) results.Fail(subject, (k == 0 ? "first call: " : "warm call: ") + failure);
            if (k == 0)
            {
                if (process.StartToFirstResponse is not { } cold) return; // no cold start to time: the failure says why
                results.Add(results.ColdMs, subject, cold.TotalMilliseconds);
                pid = ProcessMemory.FindChild(marker);
                if (pid is { } p && ProcessMemory.CpuMs(p) is { } cpu) results.Add(results.CpuMs, subject, cpu);
            }
            else if (failure is null && (recordWarm ?? memory)) results.Add(results.WarmMs, subject, elapsed);
        }
        if (memory && pid is { } id && ProcessMemory.PeakRssMiB(id) is { } peak)
            results.Add(results.PeakRssMiB, subject, peak);
        if (Trace)
            lock (output)
                Console.Error.WriteLine($"bench: {subject}: {string.Join("\n  ", output.Where(l => !l.StartsWith('{')))}");
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

    /// <summary>What a Lambda function would have: the region, credentials and endpoint.</summary>
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

    /// <summary>A floor published with Native AOT by bench/run.sh (<c>&lt;aot floors&gt;/aot-Name/SmallPay.Bench.Floor.Name</c>), if there is one.</summary>
    private string? AotFloor(string name) =>
        aotFloors is not null && Path.Combine(aotFloors, "aot-" + name, "SmallPay.Bench.Floor." + name) is var path && File.Exists(path) ? path : null;

    private static string DotnetHost() =>
        Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
}
