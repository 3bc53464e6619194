using System.Globalization;
using System.Text.Json.Nodes;
using SmallPay.Local.RuntimeApi;
using SmallPay.Local.Template;

namespace SmallPay.Local.Invoke;

/// <summary>
/// <c>SmallPay.Local invoke CreateInvoiceFunction -e events/create-invoice.json</c>: what
/// <c>sam local invoke</c> does, without Docker. The function runs as its own process against a local
/// Runtime API; its response goes to stdout, its logs to stderr. Exit 0 on success, 1 on a function error.
/// </summary>
public static class InvokeCommand
{
    // Lambda's limit for the init phase; the function's own Timeout only starts once it asks for the event.
    private static readonly TimeSpan InitLimit = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(string[] args)
    {
        InvokeOptions options;
        SamTemplate template;
        SamFunction function;
        byte[] eventJson;
        Dictionary<string, string> environment;
        string executable;
        try
        {
            options = InvokeOptions.Parse(args);
            template = SamTemplate.Load(options.TemplatePath ?? FindTemplate());
            function = FindFunction(template, options.Function);
            eventJson = await ReadEventAsync(options.EventPath);
            var envVars = options.EnvVarsPath is null ? null : JsonNode.Parse(await File.ReadAllTextAsync(options.EnvVarsPath)) as JsonObject;
            environment = InvokeEnvironment.Build(template, function, InvokeEnvironment.Endpoint(options.Endpoint), envVars);
            executable = options.FunctionPath ?? DefaultFunctionPath();
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or System.Text.Json.JsonException)
        {
            await Console.Error.WriteLineAsync($"invoke: {e.Message}\n{InvokeOptions.Usage}");
            return 2;
        }

        var resolver = new IntrinsicResolver(template);
        var timeout = TimeSpan.FromSeconds(resolver.Resolve(function.Properties["Timeout"]).AsInt() ?? 3);
        var memory = resolver.Resolve(function.Properties["MemorySize"]).AsInt() ?? 128;
        var functionArn = $"arn:aws:lambda:{LocalResourceNames.Region}:{LocalResourceNames.AccountId}:function:{function.LogicalId}";

        using var interrupted = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; interrupted.Cancel(); };

        await using var emulator = await RuntimeApiEmulator.StartAsync(functionArn: functionArn);
        await using var process = FunctionProcess.Start(new FunctionProcessOptions(executable, emulator.Address, function.CatalogName)
        {
            LambdaFunctionName = function.LogicalId,
            MemorySizeMb = memory,
            Region = LocalResourceNames.Region,
            Environment = environment,
            OnOutputLine = Console.Error.WriteLine,
        });

        InvocationResult result;
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(interrupted.Token);
            limit.CancelAfter(InitLimit + timeout);
            result = await process.InvokeAsync(emulator, eventJson, timeout, limit.Token);
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync(interrupted.IsCancellationRequested
                ? "invoke: interrupted"
                : $"invoke: {function.LogicalId} did not answer within {(InitLimit + timeout).TotalSeconds:0} s (init limit + Timeout)");
            return 1;
        }

        await Console.Error.WriteLineAsync(
            $"REPORT RequestId: {result.RequestId} Duration: {result.Duration.TotalMilliseconds.ToString("0.00", CultureInfo.InvariantCulture)} ms " +
            $"Start to first response: {process.StartToFirstResponse?.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) ?? "-"} ms " +
            $"Memory Size: {memory} MB");
        await using (var stdout = Console.OpenStandardOutput())
        {
            await stdout.WriteAsync(result.Payload);
            await stdout.WriteAsync("\n"u8.ToArray());
        }
        if (result.Succeeded)
            return 0;
        await Console.Error.WriteLineAsync($"invoke: {result.Outcome}: {result.Error?.ErrorType}: {result.Error?.ErrorMessage}");
        return 1;
    }

    /// <summary>By logical id (<c>CreateInvoiceFunction</c>), catalogue name (<c>CreateInvoice</c>) or logical id without "Function".</summary>
    public static SamFunction FindFunction(SamTemplate template, string logicalIdOrName)
    {
        var functions = SamFunction.ReadAll(template);
        return functions.FirstOrDefault(f => f.LogicalId == logicalIdOrName)
            ?? functions.FirstOrDefault(f => f.CatalogName == logicalIdOrName)
            ?? functions.FirstOrDefault(f => f.LogicalId == logicalIdOrName + "Function")
            ?? throw new ArgumentException(
                $"{template.Path} has no function '{logicalIdOrName}'. Functions: {string.Join(", ", functions.Select(f => f.LogicalId))}");
    }

    private static async Task<byte[]> ReadEventAsync(string? path)
    {
        if (path is null)
            return "{}"u8.ToArray();
        if (path != "-")
            return await File.ReadAllBytesAsync(path);
        using var buffer = new MemoryStream();
        await Console.OpenStandardInput().CopyToAsync(buffer);
        return buffer.ToArray();
    }

    /// <summary>template.yaml in the current directory or the nearest one above it, as run from anywhere in the repo.</summary>
    private static string FindTemplate()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "template.yaml");
            if (File.Exists(candidate))
                return candidate;
        }
        throw new ArgumentException("no template.yaml here or above; pass --template");
    }

    /// <summary>
    /// The native executable Lambda runs (scripts/publish-functions.sh, which `make invoke` runs first): the same
    /// <c>bootstrap</c> that <c>sam build</c> packages, started exactly as Lambda's provided.al2023 runtime starts it.
    /// </summary>
    internal static string DefaultFunctionPath()
    {
        var rid = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        var root = RepositoryLayout.FindRoot() ?? throw new ArgumentException("not inside the SmallPay repository; pass --function-path <bootstrap>");
        var path = Path.Combine(root, "artifacts", "functions", rid, "bootstrap");
        return File.Exists(path)
            ? path
            : throw new ArgumentException($"no native build at {path}: run scripts/publish-functions.sh {rid} (make invoke does), or pass --function-path");
    }
}
