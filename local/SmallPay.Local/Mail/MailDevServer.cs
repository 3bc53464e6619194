using System.Diagnostics;
using System.Globalization;
using SmallPay.Local.Aws;

namespace SmallPay.Local.Mail;

/// <summary>
/// maildev (npm, installed into local/node_modules by scripts/setup.sh) as a child process: an SMTP server that
/// keeps every message, with a web page and a REST API (<c>/api/email</c>) to read them. A watchdog inside the
/// node process ends it when its parent disappears, so a killed host leaves no orphan.
/// </summary>
public sealed class MailDevServer : IAsyncDisposable
{
    public const string PackageDirectory = "local/node_modules/maildev";

    // Runs maildev's CLI in this node process after starting the watchdog; argv stays [node, maildev.js, args...].
    private const string Launcher = """
        import { pathToFileURL } from 'node:url';
        const parent = process.ppid;
        setInterval(() => { if (process.ppid !== parent) process.exit(0); }, 500).unref();
        await import(pathToFileURL(process.argv[1]).href);
        """;

    private readonly ChildProcess _process;
    private readonly string _mailDirectory;
    private int _disposed;

    private MailDevServer(ChildProcess process, int smtpPort, Uri webUrl, string mailDirectory)
    {
        _process = process;
        SmtpPort = smtpPort;
        WebUrl = webUrl;
        _mailDirectory = mailDirectory;
    }

    /// <summary>maildev's own SMTP port on 127.0.0.1.</summary>
    public int SmtpPort { get; }

    /// <summary>The web page (and <c>api/email</c> under it).</summary>
    public Uri WebUrl { get; }

    /// <summary>Completes when the node process exits, for whatever reason.</summary>
    public Task Completion => _process.Completion;

    public bool HasExited => _process.HasExited;

    public static string CliPath(string repositoryRoot) => Path.Combine(repositoryRoot, PackageDirectory, "dist", "bin", "maildev.js");

    /// <summary>Starts maildev on 127.0.0.1 (SMTP and web ports; 0 = free ones) without waiting for it (it takes a second or two).</summary>
    public static MailDevServer Launch(int smtpPort, int webPort, string repositoryRoot, string node = "node")
    {
        var cli = CliPath(repositoryRoot);
        if (!File.Exists(cli))
            throw new InvalidOperationException($"maildev is not installed ({cli} is missing). Run ./scripts/setup.sh (make run and make test do).");
        if (smtpPort == 0) smtpPort = MotoServer.FreeTcpPort();
        if (webPort == 0) webPort = MotoServer.FreeTcpPort();

        // A fresh folder per run: maildev keeps messages and attachments there and would restore an old one's.
        var mailDirectory = Path.Combine(Path.GetTempPath(), $"smallpay-maildev-{Guid.NewGuid():N}");
        Directory.CreateDirectory(mailDirectory);
        var start = new ProcessStartInfo(node)
        {
            // maildev looks for .maildevrc.json / maildev.config.js from its working directory up: start where there is none.
            WorkingDirectory = mailDirectory,
        };
        foreach (var name in start.Environment.Keys.Where(key => key.StartsWith("MAILDEV_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        foreach (var argument in new[]
                 {
                     "--input-type=module", "-e", Launcher, cli,
                     "--smtp", smtpPort.ToString(CultureInfo.InvariantCulture), "--ip", "127.0.0.1",
                     "--web", webPort.ToString(CultureInfo.InvariantCulture), "--web-ip", "127.0.0.1",
                     "--mail-directory", mailDirectory,
                     // One command, one reply: the SMTP gate in front answers some commands itself (see SmtpGate).
                     "--hide-extensions", "PIPELINING",
                 })
            start.ArgumentList.Add(argument);

        ChildProcess process;
        try { process = ChildProcess.Start(start); }
        catch (System.ComponentModel.Win32Exception error)
        {
            throw new InvalidOperationException($"Cannot run {node} ({error.Message}): the local SMTP sink (maildev) needs Node.js 20.", error);
        }

        return new MailDevServer(process, smtpPort, new Uri($"http://127.0.0.1:{webPort}/"), mailDirectory);
    }

    /// <summary>Waits until the API answers (SMTP listens before it); if maildev exits or takes over 60 s, stops it and says what it printed.</summary>
    public async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                using var response = await http.GetAsync(new Uri(WebUrl, "api/healthz"), cancellationToken);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                await DisposeAsync();
                throw new InvalidOperationException($"maildev did not start on {WebUrl}:{Environment.NewLine}{RecentOutput}");
            }
            await Task.Delay(50, cancellationToken);
        }
    }

    public string RecentOutput => _process.RecentOutput;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _process.DisposeAsync();
        try { Directory.Delete(_mailDirectory, recursive: true); }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException) { }
    }
}
