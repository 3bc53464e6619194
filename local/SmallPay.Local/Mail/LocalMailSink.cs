using System.Net;

namespace SmallPay.Local.Mail;

/// <summary>
/// The local stand-in for SES: maildev keeps every message the functions send and shows it on a web page;
/// the functions reach it through <see cref="SmtpGate"/> on <see cref="Smtp"/> (plain SMTP, no credentials).
/// </summary>
public sealed class LocalMailSink : IAsyncDisposable
{
    private readonly MailDevServer _maildev;
    private readonly SmtpGate _gate;

    private LocalMailSink(MailDevServer maildev, SmtpGate gate)
    {
        _maildev = maildev;
        _gate = gate;
    }

    /// <summary>What the functions get as SMTP_HOST/SMTP_PORT.</summary>
    public SmtpEndpoint Smtp => new("127.0.0.1", _gate.Port);

    /// <summary>maildev's page: every message, its HTML and text, its attachments.</summary>
    public Uri WebUrl => _maildev.WebUrl;

    /// <summary>maildev's REST API: <c>GET api/email</c>, <c>DELETE api/email/all</c>, <c>GET api/email/{id}/attachment/{file}</c>.</summary>
    public Uri ApiUrl => new(_maildev.WebUrl, "api/");

    /// <summary>False while the SMTP port is closed by <see cref="StopSmtpAsync"/>.</summary>
    public bool SmtpAccepting => _gate.IsAccepting;

    public int RefusedRecipients => _gate.RefusedRecipients;

    public Task Completion => _maildev.Completion;

    public bool HasExited => _maildev.HasExited;

    public string RecentOutput => _maildev.RecentOutput;

    /// <summary>
    /// Starts maildev and opens the SMTP port at once (sessions arriving before maildev answers get a 421);
    /// <see cref="WaitUntilReadyAsync"/> waits for maildev.
    /// </summary>
    /// <param name="smtpPort">The SMTP port the functions use (0 = a free one).</param>
    /// <param name="webPort">The web page's port (0 = a free one).</param>
    public static LocalMailSink Launch(int smtpPort, int webPort, string repositoryRoot)
    {
        foreach (var (port, flag) in new[] { (smtpPort, "--smtp-port"), (webPort, "--mail-web-port") })
            if (port != 0 && !PortIsFree(port))
                throw new InvalidOperationException($"Port {port} is in use. Pass {flag} <free port>.");

        var maildev = MailDevServer.Launch(0, webPort, repositoryRoot);
        var gate = new SmtpGate(smtpPort, () => new IPEndPoint(IPAddress.Loopback, maildev.SmtpPort));
        try
        {
            gate.Start();
        }
        catch
        {
            _ = maildev.DisposeAsync().AsTask();
            throw;
        }
        return new LocalMailSink(maildev, gate);
    }

    public Task WaitUntilReadyAsync(CancellationToken cancellationToken) => _maildev.WaitUntilReadyAsync(cancellationToken);

    /// <summary>Fault injection: the SMTP port refuses connections (open sessions are cut) until <see cref="StartSmtp"/>.</summary>
    public Task StopSmtpAsync() => _gate.StopAsync();

    /// <summary>Opens the SMTP port again, on the same port number.</summary>
    public void StartSmtp() => _gate.Start();

    public async ValueTask DisposeAsync()
    {
        await _gate.DisposeAsync();
        await _maildev.DisposeAsync();
    }

    private static bool PortIsFree(int port)
    {
        try
        {
            var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
