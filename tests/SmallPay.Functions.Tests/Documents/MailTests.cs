using System.Net;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using SmallPay.Domain.Documents;
using SmallPay.Functions.Documents.Mail;
using SmallPay.Functions.Hosting;

namespace SmallPay.Functions.Tests.Documents;

/// <summary>SMTP settings, sending with MailKit against a scripted server (asserting on its transcript), and how failures are sorted.</summary>
public sealed class MailTests
{
    private static readonly MailboxAddress From = MailboxAddress.Parse("invoices@smallpay.example");

    private static MimeMessage Message(params string[] to)
    {
        var message = new MimeMessage { Subject = "Invoice INV-000042", Body = new TextPart("plain") { Text = "Hello" } };
        message.From.Add(new MailboxAddress("Atelier Sommer", From.Address));
        foreach (var address in to) message.To.Add(MailboxAddress.Parse(address));
        return message;
    }

    private static SmtpMailSender Sender(int port, bool startTls = false, ISmtpCredentialsSource? credentials = null) =>
        new(new SmtpSettings("127.0.0.1", port, From.Address, startTls, credentials is null ? null : "smallpay/smtp"),
            credentials ?? new NoSmtpCredentials(), ScriptedSmtpServer.TrustOurCertificate);

    private static Task<IReadOnlyList<RecipientReply>> SendAsync(SmtpMailSender sender, MimeMessage message) =>
        sender.SendAsync(message, From, message.To.Mailboxes.ToList(), CancellationToken.None);

    [Fact]
    public async Task A_message_is_handed_to_the_server()
    {
        await using var server = new ScriptedSmtpServer();
        using var message = Message("billing@mueller.example");

        var reply = Assert.Single(await SendAsync(Sender(server.Port), message));

        Assert.Equal(RecipientStatus.Delivered, reply.Status);
        var data = Assert.Single(server.Messages);
        Assert.Contains("Subject: Invoice INV-000042", data, StringComparison.Ordinal);
        Assert.Contains("RCPT TO:<billing@mueller.example>", server.Commands);
        Assert.Equal("QUIT", server.Commands[^1]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Each_recipient_gets_its_own_answer_and_the_message_goes_to_the_accepted_ones(bool pipelining)
    {
        await using var server = new ScriptedSmtpServer(address => address switch
        {
            "nobody@mueller.example" => "550 5.1.1 no such user",
            "busy@mueller.example" => "450 4.2.1 mailbox busy",
            _ => "250 2.1.5 OK",
        }, pipelining: pipelining);
        using var message = Message("ap@mueller.example", "nobody@mueller.example", "busy@mueller.example");

        var replies = await SendAsync(Sender(server.Port), message);

        Assert.Equal([RecipientStatus.Delivered, RecipientStatus.Refused, RecipientStatus.Pending], replies.Select(r => r.Status));
        Assert.Equal("550 5.1.1 no such user", replies[1].Reason);
        Assert.Equal("450 4.2.1 mailbox busy", replies[2].Reason);
        Assert.Equal(["ap@mueller.example"], Assert.Single(server.Deliveries).To);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task When_no_recipient_is_accepted_there_is_no_DATA_and_no_exception(bool pipelining)
    {
        await using var server = new ScriptedSmtpServer(address => address.StartsWith("busy", StringComparison.Ordinal) ? "452 4.2.2 over quota" : "550 5.1.1 no such user", pipelining: pipelining);
        using var message = Message("nobody@mueller.example", "busy@mueller.example");

        var replies = await SendAsync(Sender(server.Port), message);

        Assert.Equal([RecipientStatus.Refused, RecipientStatus.Pending], replies.Select(r => r.Status));
        Assert.DoesNotContain("DATA", server.Commands);
        Assert.Empty(server.Deliveries);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_refused_sender_fails_the_session_as_a_whole_not_the_recipients(bool pipelining)
    {
        // Pipelined, the RCPT TO answers (503) come with the MAIL FROM refusal: they must not read as refused recipients.
        await using var server = new ScriptedSmtpServer(pipelining: pipelining, mailReply: _ => "550 5.7.1 sender address not verified");
        using var message = Message("ap@mueller.example");

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => SendAsync(Sender(server.Port), message));

        Assert.Equal(SmtpErrorCode.SenderNotAccepted, error.ErrorCode);
        Assert.Empty(server.Deliveries);
        var failure = SmtpFailures.Classify(error);
        Assert.False(failure.Permanent);
        Assert.Contains("MAIL FROM", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_without_SMTPUTF8_never_sees_a_non_ASCII_local_part_and_that_recipient_is_refused_for_good()
    {
        await using var server = new ScriptedSmtpServer(smtpUtf8: false);
        using var message = Message("jörg@example.de", "ap@mueller.example");

        var replies = await SendAsync(Sender(server.Port), message);

        Assert.Equal([RecipientStatus.Refused, RecipientStatus.Delivered], replies.Select(r => r.Status));
        Assert.Equal(SmtpMailSender.NoSmtpUtf8, replies[0].Reason);
        Assert.DoesNotContain(server.Commands, c => c.Contains("jörg", StringComparison.Ordinal));
        Assert.DoesNotContain("jörg", Assert.Single(server.Messages), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_with_SMTPUTF8_gets_the_address_as_it_is()
    {
        await using var server = new ScriptedSmtpServer(smtpUtf8: true);
        using var message = Message("jörg@example.de");

        Assert.Equal(RecipientStatus.Delivered, Assert.Single(await SendAsync(Sender(server.Port), message)).Status);

        Assert.Contains("MAIL FROM:<invoices@smallpay.example> SMTPUTF8", server.Commands.Single(c => c.StartsWith("MAIL", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("RCPT TO:<jörg@example.de>", server.Commands);
        Assert.Contains("To: jörg@example.de", Assert.Single(server.Messages), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_are_never_sent_to_a_server_without_STARTTLS()
    {
        await using var server = new ScriptedSmtpServer(startTls: false, login: (_, _) => true);
        using var message = Message("billing@mueller.example");
        var credentials = new FixedCredentials(new NetworkCredential("AKIAEXAMPLE", "s3cr3t"));

        var error = await Assert.ThrowsAsync<SmtpConfigurationException>(() => SendAsync(Sender(server.Port, startTls: true, credentials), message));

        Assert.Contains("STARTTLS", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Logins);
        Assert.DoesNotContain(server.Commands, c => c.StartsWith("AUTH", StringComparison.Ordinal) || c.Contains(Convert.ToBase64String("\0AKIAEXAMPLE\0s3cr3t"u8), StringComparison.Ordinal));
        Assert.Empty(server.Deliveries);
        var failure = SmtpFailures.Classify(error);
        Assert.False(failure.Permanent);
        Assert.True(failure.Configuration);
    }

    [Fact]
    public async Task Credentials_with_STARTTLS_switched_off_in_the_settings_are_refused_before_connecting()
    {
        await using var server = new ScriptedSmtpServer(login: (_, _) => true);
        using var message = Message("billing@mueller.example");

        await Assert.ThrowsAsync<SmtpConfigurationException>(() =>
            SendAsync(Sender(server.Port, startTls: false, new FixedCredentials(new NetworkCredential("u", "p"))), message));

        Assert.Equal(0, server.Sessions);
    }

    [Fact]
    public async Task Credentials_go_only_after_STARTTLS()
    {
        await using var server = new ScriptedSmtpServer(startTls: true, login: (user, password) => (user, password) == ("AKIAEXAMPLE", "s3cr3t"));
        using var message = Message("billing@mueller.example");

        Assert.Equal(RecipientStatus.Delivered, Assert.Single(await SendAsync(Sender(server.Port, startTls: true, new FixedCredentials(new NetworkCredential("AKIAEXAMPLE", "s3cr3t"))), message)).Status);

        Assert.Equal([("AKIAEXAMPLE", "s3cr3t", true)], server.Logins);
        Assert.All(server.Transcript.SkipWhile(t => t.Line != "STARTTLS").Skip(1), t => Assert.True(t.Tls, t.Line));
        Assert.Single(server.Deliveries);
    }

    [Fact]
    public async Task Rotated_credentials_are_read_again_after_a_refused_login_and_the_second_login_succeeds()
    {
        var secrets = new SecretsExtensionStub("""{"SecretString":"{\"username\":\"AKIAOLD\",\"password\":\"old\"}"}""");
        var credentials = new SecretsExtensionCredentials(new HttpClient(secrets), "smallpay/smtp", "t");
        await credentials.GetAsync(CancellationToken.None); // cached by an earlier delivery of this execution environment
        secrets.Body = """{"SecretString":"{\"username\":\"AKIANEW\",\"password\":\"new\"}"}"""; // rotated since
        await using var server = new ScriptedSmtpServer(startTls: true, login: (user, password) => (user, password) == ("AKIANEW", "new"));
        using var message = Message("billing@mueller.example");

        Assert.Equal(RecipientStatus.Delivered, Assert.Single(await SendAsync(Sender(server.Port, startTls: true, credentials), message)).Status);

        Assert.Equal([("AKIAOLD", "old", true), ("AKIANEW", "new", true)], server.Logins);
        Assert.Equal(1, server.Sessions); // the same delivery, the same connection
        Assert.Single(server.Deliveries);
        Assert.Equal(2, secrets.Requests.Count);
        Assert.Equal("AKIANEW", (await credentials.GetAsync(CancellationToken.None))!.UserName); // kept for the next delivery
    }

    [Fact]
    public async Task A_refused_login_with_unchanged_credentials_is_not_tried_twice_and_is_transient()
    {
        var credentials = new FixedCredentials(new NetworkCredential("AKIAEXAMPLE", "wrong"));
        await using var server = new ScriptedSmtpServer(startTls: true, login: (_, _) => false);
        using var message = Message("billing@mueller.example");

        var error = await Assert.ThrowsAsync<AuthenticationException>(() => SendAsync(Sender(server.Port, startTls: true, credentials), message));

        Assert.Single(server.Logins);
        Assert.Equal(1, credentials.Forgotten);
        Assert.Empty(server.Deliveries);
        Assert.False(SmtpFailures.Classify(error).Permanent);
    }

    [Fact]
    public async Task A_server_that_is_not_there_is_transient()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens on the port now
        using var message = Message("billing@mueller.example");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => SendAsync(Sender(port), message));

        Assert.False(SmtpFailures.Classify(error).Permanent, SmtpFailures.Classify(error).Reason);
    }

    [Fact]
    public async Task A_server_refusing_the_session_is_transient()
    {
        await using var server = new ScriptedSmtpServer(greeting: "421 4.3.2 service not available, closing channel");
        using var message = Message("billing@mueller.example");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => SendAsync(Sender(server.Port), message));

        Assert.False(SmtpFailures.Classify(error).Permanent);
    }

    [Theory]
    [InlineData("554 5.7.1 Message rejected: Email address is not verified", false)]
    [InlineData("451 4.3.0 local error", false)]
    [InlineData("552 5.3.4 message too big", true)]
    public async Task An_answer_to_DATA_is_about_the_message_as_a_whole(string answer, bool permanent)
    {
        await using var server = new ScriptedSmtpServer(dataReply: () => answer);
        using var message = Message("billing@mueller.example");

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => SendAsync(Sender(server.Port), message));

        Assert.Equal(permanent, SmtpFailures.Classify(error).Permanent);
        Assert.Contains(answer[..3], SmtpFailures.Classify(error).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Unparseable_addresses_are_permanent_and_timeouts_sockets_and_configuration_transient()
    {
        Assert.True(SmtpFailures.Classify(new FormatException("'x' is not a valid e-mail address.")).Permanent);
        Assert.True(SmtpFailures.Classify(new ParseException("bad", 0, 1)).Permanent);
        Assert.False(SmtpFailures.Classify(new TimeoutException()).Permanent);
        Assert.False(SmtpFailures.Classify(new SocketException((int)SocketError.HostUnreachable)).Permanent);
        Assert.False(SmtpFailures.Classify(new SmtpCommandException(SmtpErrorCode.SenderNotAccepted, SmtpStatusCode.MailboxUnavailable, "sender not verified")).Permanent);
        Assert.False(SmtpFailures.Classify(new ServiceNotAuthenticatedException("530 authentication required")).Permanent);
        Assert.False(SmtpFailures.Classify(new InvalidOperationException("something else")).Permanent);
    }

    [Fact]
    public void Settings_come_from_the_environment_with_587_and_STARTTLS_by_default()
    {
        var defaults = SmtpSettings.From(Environment(new() { ["SMTP_HOST"] = "email-smtp.eu-central-1.amazonaws.com", ["SMTP_SENDER"] = "invoices@atelier.example" }));
        var local = SmtpSettings.From(Environment(new()
        {
            ["SMTP_HOST"] = "127.0.0.1", ["SMTP_PORT"] = "1025", ["SMTP_SENDER"] = "invoices@smallpay.example", ["SMTP_STARTTLS"] = "false", ["SMTP_SECRET_NAME"] = "",
        }));

        Assert.Equal(new SmtpSettings("email-smtp.eu-central-1.amazonaws.com", 587, "invoices@atelier.example", true, null), defaults);
        Assert.Equal(new SmtpSettings("127.0.0.1", 1025, "invoices@smallpay.example", false, null), local);
        Assert.Throws<InvalidOperationException>(() => SmtpSettings.From(Environment(new() { ["SMTP_HOST"] = "h", ["SMTP_SENDER"] = "a@b.example", ["SMTP_PORT"] = "smtp" })));
        Assert.Throws<InvalidOperationException>(() => SmtpSettings.From(Environment(new() { ["SMTP_SENDER"] = "a@b.example" })));
    }

    [Fact]
    public void A_stack_without_a_sender_yet_still_builds_its_worker_so_PDFs_are_rendered()
    {
        var environment = Environment(new() { ["SMTP_HOST"] = "email-smtp.eu-central-1.amazonaws.com", ["SMTP_SENDER"] = "" });

        Assert.Equal(SmtpSettings.UnsetSender, SmtpSettings.From(environment).Sender);
        Assert.NotNull(SmallPay.Functions.Documents.DocumentWorkerSetup.Create(environment, new SmallPay.Testing.InMemoryFunctionServices()));
    }

    [Fact]
    public async Task Credentials_come_from_the_secrets_extension_once_with_the_session_token()
    {
        var handler = new SecretsExtensionStub("""{"ARN":"arn:aws:secretsmanager:eu-central-1:123456789012:secret:smallpay/smtp-AbCdEf","Name":"smallpay/smtp","SecretString":"{\"username\":\"AKIAEXAMPLE\",\"password\":\"s3cr3t\"}"}""");
        var source = new SecretsExtensionCredentials(new HttpClient(handler), "smallpay/smtp", "session-token-123");

        var first = await source.GetAsync(CancellationToken.None);
        var second = await source.GetAsync(CancellationToken.None);

        Assert.Equal(("AKIAEXAMPLE", "s3cr3t"), (first!.UserName, first.Password));
        Assert.Same(first, second);
        var request = Assert.Single(handler.Requests);
        Assert.Equal("http://localhost:2773/secretsmanager/get?secretId=smallpay%2Fsmtp", request.Uri);
        Assert.Equal("session-token-123", request.Token);
    }

    [Fact]
    public async Task A_failed_secret_fetch_is_not_kept()
    {
        var handler = new SecretsExtensionStub(null);
        var source = new SecretsExtensionCredentials(new HttpClient(handler), "smallpay/smtp", "t");

        await Assert.ThrowsAsync<HttpRequestException>(() => source.GetAsync(CancellationToken.None));
        handler.Body = """{"SecretString":"{\"username\":\"u\",\"password\":\"p\"}"}""";
        Assert.Equal("u", (await source.GetAsync(CancellationToken.None))!.UserName);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task A_secret_without_username_and_password_is_refused()
    {
        var source = new SecretsExtensionCredentials(new HttpClient(new SecretsExtensionStub("""{"SecretString":"{\"user\":\"u\"}"}""")), "smtp", "t");

        await Assert.ThrowsAsync<InvalidDataException>(() => source.GetAsync(CancellationToken.None));
    }

    /// <summary>Always the same credentials; counts how often they were dropped as refused.</summary>
    private sealed class FixedCredentials(NetworkCredential credential) : ISmtpCredentialsSource
    {
        public int Forgotten { get; private set; }
        public Task<NetworkCredential?> GetAsync(CancellationToken ct) => Task.FromResult<NetworkCredential?>(credential);
        public void Forget(NetworkCredential stale) => Forgotten++;
    }

    private static FunctionEnvironment Environment(Dictionary<string, string> variables) =>
        new(name => variables.GetValueOrDefault(name));

    /// <summary>Answers like the extension: 200 with GetSecretValue's JSON, or 400 while <see cref="Body"/> is null.</summary>
    private sealed class SecretsExtensionStub(string? body) : HttpMessageHandler
    {
        public string? Body { get; set; } = body;
        public List<(string Uri, string? Token)> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add((request.RequestUri!.AbsoluteUri, request.Headers.TryGetValues("X-Aws-Parameters-Secrets-Token", out var values) ? values.Single() : null));
            return Task.FromResult(Body is null
                ? new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StringContent("not ready") }
                : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Body) });
        }
    }
}
