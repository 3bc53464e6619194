using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SmallPay.Functions.Tests.Documents;

/// <summary>
/// A minimal SMTP server on 127.0.0.1 that answers every command as scripted, so MailKit's real behaviour (what it sends,
/// what it throws for which answer) can be tested on the wire. Optional: SMTPUTF8, PIPELINING, STARTTLS (with
/// <see cref="Certificate"/>, self-signed) and AUTH PLAIN (offered after STARTTLS when there is TLS, else in clear).
/// One session at a time; every line it reads is kept in <see cref="Transcript"/>, with whether it came over TLS.
/// </summary>
internal sealed class ScriptedSmtpServer : IAsyncDisposable
{
    /// <summary>A self-signed certificate for 127.0.0.1/localhost, made once per test run.</summary>
    public static readonly X509Certificate2 Certificate = CreateCertificate();

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <param name="rcptReply">The answer to RCPT TO for an address (default 250).</param>
    /// <param name="login">Which user name and password AUTH PLAIN accepts; null: no AUTH offered.</param>
    public ScriptedSmtpServer(Func<string, string>? rcptReply = null, string greeting = "220 scripted ESMTP", bool smtpUtf8 = false,
        bool pipelining = false, bool startTls = false, Func<string, string, bool>? login = null, Func<string>? dataReply = null,
        Func<string, string>? mailReply = null)
    {
        RcptReply = rcptReply ?? (_ => "250 2.1.5 OK");
        Greeting = greeting;
        SmtpUtf8 = smtpUtf8;
        Pipelining = pipelining;
        StartTls = startTls;
        Login = login;
        DataReply = dataReply ?? (() => "250 2.0.0 queued");
        MailReply = mailReply ?? (_ => "250 2.1.0 OK");
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public Func<string, string> RcptReply { get; set; }
    public Func<string> DataReply { get; set; }

    /// <summary>The answer to MAIL FROM for a sender (default 250); after a refusal RCPT TO is answered 503.</summary>
    public Func<string, string> MailReply { get; set; }
    public string Greeting { get; }
    public bool SmtpUtf8 { get; }
    public bool Pipelining { get; }
    public bool StartTls { get; }
    public Func<string, string, bool>? Login { get; }

    /// <summary>Every line received, in order, and whether it came over TLS.</summary>
    public List<(bool Tls, string Line)> Transcript { get; } = [];

    /// <summary>The lines received (commands), in order.</summary>
    public List<string> Commands { get { lock (Transcript) return Transcript.Select(t => t.Line).ToList(); } }

    /// <summary>The messages accepted: the envelope (MAIL FROM line, accepted RCPT TO addresses) and the data.</summary>
    public List<(string MailFrom, List<string> To, string Data)> Deliveries { get; } = [];

    public List<string> Messages { get { lock (Deliveries) return Deliveries.Select(d => d.Data).ToList(); } }

    /// <summary>Logins tried with AUTH PLAIN: user name, password, and whether they came over TLS.</summary>
    public List<(string User, string Password, bool Tls)> Logins { get; } = [];

    public int Sessions { get; private set; }

    /// <summary>How many copies of the message each address got (each accepted RCPT TO of a message that was accepted).</summary>
    public Dictionary<string, int> CopiesPerRecipient()
    {
        lock (Deliveries)
            return Deliveries.SelectMany(d => d.To).GroupBy(a => a, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            Sessions++;
            try
            {
                using (client) await SessionAsync(client);
            }
            catch (Exception e) when (e is IOException or SocketException or AuthenticationException or ObjectDisposedException or OperationCanceledException)
            {
                // the client went away (or failed the TLS handshake): next session
            }
        }
    }

    private async Task SessionAsync(TcpClient client)
    {
        Stream stream = client.GetStream();
        var tls = false;
        var reader = new StreamReader(stream, new UTF8Encoding(false));
        var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync(Greeting);
        if (!Greeting.StartsWith("220", StringComparison.Ordinal)) return;
        string? mailFrom = null;
        var accepted = new List<string>();
        while (await reader.ReadLineAsync(_stop.Token) is { } line)
        {
            lock (Transcript) Transcript.Add((tls, line));
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    var features = new List<string> { "scripted", "8BITMIME", "ENHANCEDSTATUSCODES" };
                    if (SmtpUtf8) features.Add("SMTPUTF8");
                    if (Pipelining) features.Add("PIPELINING");
                    if (StartTls && !tls) features.Add("STARTTLS");
                    if (Login is not null && (tls || !StartTls)) features.Add("AUTH PLAIN");
                    for (var i = 0; i < features.Count; i++)
                        await writer.WriteLineAsync($"250{(i == features.Count - 1 ? ' ' : '-')}{features[i]}");
                    break;
                case "HELO": await writer.WriteLineAsync("250 scripted"); break;
                case "STARTTLS" when StartTls && !tls:
                    await writer.WriteLineAsync("220 2.0.0 ready to start TLS");
                    var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                    await ssl.AuthenticateAsServerAsync(Certificate);
                    stream = ssl;
                    tls = true;
                    reader = new StreamReader(stream, new UTF8Encoding(false));
                    writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
                    break;
                case "AUTH" when Login is not null:
                    var parts = line.Split(' ', 3);
                    var initial = parts.Length == 3 ? parts[2] : null;
                    if (initial is null)
                    {
                        await writer.WriteLineAsync("334 ");
                        initial = await reader.ReadLineAsync(_stop.Token) ?? "";
                    }
                    var fields = Encoding.UTF8.GetString(Convert.FromBase64String(initial)).Split('\0');
                    var (user, password) = (fields.Length > 1 ? fields[1] : "", fields.Length > 2 ? fields[2] : "");
                    lock (Logins) Logins.Add((user, password, tls));
                    await writer.WriteLineAsync(Login(user, password) ? "235 2.7.0 Authentication successful" : "535 5.7.8 Authentication credentials invalid");
                    break;
                case "MAIL":
                    accepted.Clear();
                    var mailAnswer = MailReply(line[(line.IndexOf('<') + 1)..line.IndexOf('>')]);
                    mailFrom = mailAnswer.StartsWith('2') ? line : null;
                    await writer.WriteLineAsync(mailAnswer);
                    break;
                case "RCPT":
                    var address = line[(line.IndexOf('<') + 1)..line.IndexOf('>')];
                    var reply = mailFrom is null ? "503 5.5.1 need MAIL first" : RcptReply(address);
                    if (reply.StartsWith('2')) accepted.Add(address);
                    await writer.WriteLineAsync(reply);
                    break;
                case "RSET":
                    mailFrom = null;
                    accepted.Clear();
                    await writer.WriteLineAsync("250 2.0.0 OK");
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 go ahead");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync(_stop.Token) is { } dataLine && dataLine != ".") data.Append(dataLine).Append("\r\n");
                    var dataReply = DataReply();
                    if (dataReply.StartsWith('2'))
                        lock (Deliveries) Deliveries.Add((mailFrom ?? "", [.. accepted], data.ToString()));
                    await writer.WriteLineAsync(dataReply);
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 2.0.0 bye");
                    return;
                default: await writer.WriteLineAsync("502 5.5.1 not implemented"); break;
            }
        }
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        // Through PKCS#12 so SslStream can use the private key on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    /// <summary>For the client: trust exactly <see cref="Certificate"/>, nothing else.</summary>
    public static bool TrustOurCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        certificate is not null && certificate.GetCertHashString() == Certificate.GetCertHashString();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _loop; } catch (Exception e) when (e is OperationCanceledException or SocketException or IOException) { }
        _stop.Dispose();
    }
}
