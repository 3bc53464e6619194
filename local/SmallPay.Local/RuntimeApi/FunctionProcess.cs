using System.Diagnostics;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Hosting.Runtime;

namespace SmallPay.Local.RuntimeApi;

/// <summary>How to start one function's execution environment locally.</summary>
public sealed record FunctionProcessOptions(string ExecutablePath, string RuntimeApiAddress, string FunctionName)
{
    /// <summary>AWS_LAMBDA_FUNCTION_NAME: in AWS the deployed name; locally the template's logical id.</summary>
    public string LambdaFunctionName { get; init; } = FunctionName;

    public int MemorySizeMb { get; init; } = 128;

    public string Region { get; init; } = LocalResourceNames.Region;

    /// <summary>The function's own variables (template, --env-vars); they win over the ones Lambda sets.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Receives every line the function writes, stdout and stderr alike (Lambda sends both to its log).</summary>
    public Action<string>? OnOutputLine { get; init; }
}

/// <summary>
/// The SmallPay.Functions executable running as one Lambda execution environment against a
/// <see cref="RuntimeApiEmulator"/>: the environment Lambda would give it, its output captured.
/// </summary>
public sealed class FunctionProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Stopwatch _sinceStart;
    private readonly List<string> _output = [];
    private readonly Action<string>? _onOutputLine;
    private TimeSpan? _startToFirstResponse;

    private FunctionProcess(Process process, Stopwatch sinceStart, Action<string>? onOutputLine)
    {
        _process = process;
        _sinceStart = sinceStart;
        _onOutputLine = onOutputLine;
    }

    /// <summary>Completes with the exit code when the process has ended and its output has been read.</summary>
    public Task<int> Exited { get; private set; } = Task.FromResult(0);

    /// <summary>Process start → first successful response: the cold start as a caller sees it.</summary>
    public TimeSpan? StartToFirstResponse => _startToFirstResponse;

    public IReadOnlyList<string> OutputLines
    {
        get { lock (_output) return [.. _output]; }
    }

    public static FunctionProcess Start(FunctionProcessOptions options)
    {
        var path = Path.GetFullPath(options.ExecutablePath);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Function executable not found: {path}. Build functions/SmallPay.Functions first.", path);

        // A .dll runs under the dotnet host; anything else is the apphost.
        var isDll = path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(isDll ? DotnetHost() : path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(path)!,
        };
        if (isDll)
            start.ArgumentList.Add(path);
        foreach (var (name, value) in LambdaEnvironment(options, Path.GetDirectoryName(path)!))
            start.Environment[name] = value;

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var sinceStart = Stopwatch.StartNew();
        var functionProcess = new FunctionProcess(process, sinceStart, options.OnOutputLine);
        process.OutputDataReceived += (_, line) => functionProcess.Capture(line.Data);
        process.ErrorDataReceived += (_, line) => functionProcess.Capture(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        functionProcess.Exited = WaitForExitAsync(process);
        return functionProcess;
    }

    /// <summary>
    /// Invokes through <paramref name="emulator"/>, which this process polls. If the process ends first,
    /// the invocation fails as in Lambda (<c>Runtime.ExitError</c>) instead of waiting for its timeout.
    /// </summary>
    public async Task<InvocationResult> InvokeAsync(RuntimeApiEmulator emulator, byte[] eventJson, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var invocation = emulator.InvokeAsync(eventJson, timeout, cancellationToken);
        if (await Task.WhenAny(invocation, Exited) != invocation && !invocation.IsCompleted)
        {
            var exitCode = await Exited;
            emulator.FailAll(InvocationOutcome.ProcessExited,
                new RuntimeError($"Runtime exited with error: exit status {exitCode}", "Runtime.ExitError", null));
        }
        var result = await invocation;
        if (result.Succeeded && _startToFirstResponse is null)
            _startToFirstResponse = _sinceStart.Elapsed;
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // exited meanwhile
            }
        }
        await Exited;
        _process.Dispose();
    }

    /// <summary>
    /// What Lambda puts in an execution environment's environment, then the function's own variables.
    /// Inherited AWS_* variables are dropped so a developer's real credentials or profile never reach a local run.
    /// </summary>
    internal static IEnumerable<KeyValuePair<string, string?>> LambdaEnvironment(FunctionProcessOptions options, string taskRoot)
    {
        foreach (var inherited in System.Environment.GetEnvironmentVariables().Keys.Cast<string>())
            if (inherited.StartsWith("AWS_", StringComparison.OrdinalIgnoreCase) || inherited == LambdaRuntimeLoop.TraceIdVariable)
                yield return new(inherited, null);

        yield return new(RuntimeApiClient.RuntimeApiVariable, options.RuntimeApiAddress);
        yield return new(FunctionCatalog.SelectorVariable, options.FunctionName);
        yield return new("AWS_REGION", options.Region);
        yield return new("AWS_DEFAULT_REGION", options.Region);
        yield return new("AWS_LAMBDA_FUNCTION_NAME", options.LambdaFunctionName);
        yield return new("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", options.MemorySizeMb.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return new("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        yield return new("_HANDLER", "bootstrap");
        yield return new("LAMBDA_TASK_ROOT", taskRoot);
        yield return new("TZ", ":UTC"); // Lambda runs in UTC; local clocks should not leak into dates
        foreach (var (name, value) in options.Environment)
            yield return new(name, value);
    }

    private void Capture(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Add(line);
        _onOutputLine?.Invoke(line);
    }

    private static async Task<int> WaitForExitAsync(Process process)
    {
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    /// <summary>The dotnet host running this tool, so a function runs on the same runtime it was built for.</summary>
    private static string DotnetHost() =>
        System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : System.Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet"
                ? self
                : "dotnet";
}
