using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SmallPay.Local.Aws;

/// <summary>
/// A moto server child process (the local AWS). Stopped when disposed; a watchdog thread inside the
/// Python process also ends it when its parent disappears (a killed host leaves no orphan moto).
/// </summary>
public sealed class MotoServer : IAsyncDisposable
{
    // moto's server with two changes: requests are applied one at a time, and a daemon thread exits once the parent
    // process is gone (re-parented). moto's own server runs requests on parallel threads without locking its
    // backends, so two concurrent DynamoDB transactions can both pass their conditions (seen here: 50 racing
    // conditional transactions issued one number twice). Real DynamoDB is atomic; serialising restores that. The
    // HTTP server stays threaded, so keep-alive connections don't block each other.
    // MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP: moto checks the codes of two-step sign-in (VerifySoftwareToken and the
    // SOFTWARE_TOKEN_MFA challenge) as RFC 6238 codes of the current 30 s step, instead of taking any code. Its secret
    // is one fixed value for every user (AssociateSoftwareToken always returns it).
    private const string Launcher = """
        import argparse, os, sys, threading, time
        parent = os.getppid()
        def watch():
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(0)
        threading.Thread(target=watch, daemon=True).start()
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
        from werkzeug.serving import run_simple
        args = argparse.ArgumentParser()
        args.add_argument("-H", "--host", default="127.0.0.1")
        args.add_argument("-p", "--port", type=int, default=5010)
        args = args.parse_args(sys.argv[1:])
        os.environ.setdefault("MOTO_PORT", str(args.port))
        os.environ.setdefault("MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP", "true")
        app = DomainDispatcherApplication(create_backend_app)
        lock = threading.Lock()
        def serialized(environ, start_response):
            with lock:
                result = app(environ, start_response)
                try:
                    body = b"".join(result)
                finally:
                    if hasattr(result, "close"):
                        result.close()
            return [body]
        run_simple(args.host, args.port, serialized, threaded=True)
        """;

    private readonly ChildProcess _process;

    private MotoServer(ChildProcess process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Completes when the moto process exits, for whatever reason.</summary>
    public Task Completion => _process.Completion;

    /// <summary>Starts moto on 127.0.0.1:<paramref name="port"/> (0 = a free port) and waits until it answers.</summary>
    public static async Task<MotoServer> StartAsync(int port, CancellationToken cancellationToken, string python = "python3")
    {
        var server = Launch(port, python);
        await server.WaitUntilReadyAsync(cancellationToken);
        return server;
    }

    /// <summary>
    /// Starts the moto process without waiting: moto needs a second or more to import, which the caller
    /// can spend on its own start-up before <see cref="WaitUntilReadyAsync"/>.
    /// </summary>
    public static MotoServer Launch(int port, string python = "python3")
    {
        if (port == 0) port = FreeTcpPort();
        else if (!IsPortFree(port))
            throw new InvalidOperationException(
                $"Port {port} is in use. Pass --aws-port <free port>, or --aws-endpoint http://127.0.0.1:{port} if a moto server already runs there.");

        var start = new ProcessStartInfo(python);
        foreach (var argument in new[] { "-c", Launcher, "-H", "127.0.0.1", "-p", port.ToString() }) start.ArgumentList.Add(argument);

        ChildProcess process;
        try
        {
            process = ChildProcess.Start(start);
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            throw new InvalidOperationException($"Cannot run {python} ({error.Message}). Run ./scripts/setup.sh to install moto.", error);
        }

        return new MotoServer(process, new Uri($"http://127.0.0.1:{port}"));
    }

    /// <summary>Waits until moto answers; if it exits or takes over 60 s, stops it and says what it printed.</summary>
    public async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await WaitUntilAnsweringAsync(Endpoint, () => _process.HasExited, TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch (Exception error) when (error is TimeoutException)
        {
            await DisposeAsync();
            throw new InvalidOperationException($"moto did not start on {Endpoint}:{Environment.NewLine}{RecentOutput}");
        }
    }

    /// <summary>Polls the endpoint until it answers (moto takes a second or two to import).</summary>
    public static async Task WaitUntilAnsweringAsync(Uri endpoint, Func<bool> gaveUp, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                // Any HTTP answer will do: the emulator is up (moto answers GET / as S3's ListBuckets).
                using var response = await http.GetAsync(endpoint, cancellationToken);
                return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            if (gaveUp() || DateTime.UtcNow > deadline) throw new TimeoutException($"no AWS emulator answers at {endpoint}");
            await Task.Delay(100, cancellationToken);
        }
    }

    public string RecentOutput => _process.RecentOutput;

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsPortFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
