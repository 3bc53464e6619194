using System.Diagnostics;

namespace SmallPay.Local.Aws;

/// <summary>
/// DynamoDB Local (AWS's own engine, a Java jar) as a child process: the local DynamoDB and DynamoDB Streams.
/// Chosen over moto's DynamoDB because moto deep-copies a whole table on every transaction (transactions slow down
/// as tables grow) and runs parallel requests without locking (two conditional transactions can both pass).
/// The jar is unpacked by scripts/setup.sh from the npm package amplify-dynamodb-simulator (its license forbids
/// redistribution, so it is never committed).
/// </summary>
public sealed class DynamoDbLocalServer : IAsyncDisposable
{
    public const string DirectoryVariable = "SMALLPAY_DYNAMODB_LOCAL_DIR";

    private readonly ChildProcess _process;

    private DynamoDbLocalServer(ChildProcess process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    /// <summary>Starts the jar on 127.0.0.1:<paramref name="port"/> (0 = a free port) without waiting for it.</summary>
    public static DynamoDbLocalServer Launch(int port, string repositoryRoot)
    {
        var directory = Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } configured
            ? configured
            : Path.Combine(repositoryRoot, ".local-state", "dynamodb-local");
        var jar = Path.Combine(directory, "DynamoDBLocal.jar");
        if (!File.Exists(jar))
            throw new InvalidOperationException($"DynamoDB Local is not installed at {directory}. Run ./scripts/setup.sh (make run and make test do).");
        if (port == 0) port = MotoServer.FreeTcpPort();

        var start = new ProcessStartInfo("java") { WorkingDirectory = directory };
        // Client JIT and serial GC: the server starts in ~3 s instead of ~10 s on two cores. -sharedDb: one database
        // whatever the caller's credentials and region (the host, the functions and the tests use different ones).
        foreach (var argument in new[]
                 {
                     "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx512m",
                     $"-Djava.library.path={Path.Combine(directory, "DynamoDBLocal_lib")}",
                     "-jar", jar, "-inMemory", "-sharedDb", "-disableTelemetry", "-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                 })
            start.ArgumentList.Add(argument);

        ChildProcess process;
        try { process = ChildProcess.Start(start); }
        catch (System.ComponentModel.Win32Exception error)
        {
            throw new InvalidOperationException($"Cannot run java ({error.Message}): DynamoDB Local needs Java 17.", error);
        }

        return new DynamoDbLocalServer(process, new Uri($"http://127.0.0.1:{port}"));
    }

    public async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await MotoServer.WaitUntilAnsweringAsync(Endpoint, () => _process.HasExited, TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch (TimeoutException)
        {
            var output = _process.RecentOutput;
            await DisposeAsync();
            throw new InvalidOperationException($"DynamoDB Local did not start on {Endpoint}:{Environment.NewLine}{output}");
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
