using System.Net;
using System.Net.Mail;
using System.Net.Sockets;
using SmallPay.Functions.Documents.Mail;
using SmallPay.Functions.Hosting;

namespace SmallPay.Functions.Tests.Documents;

/// <summary>SMTP settings, sending with System.Net.Mail against a scripted server, and how failures are sorted.</summary>
public sealed class MailTests
{
    private static MailMessage Message(params string[] to)
    {
        var message = new MailMessage { From = new MailAddress("invoices@smallpay.example", "Atelier Sommer"), Subject = "Invoice INV-000042", Body = "Hello" };
        foreach (var address in to) message.To.Add(address);
        return message;
    }

    private static SmtpMailSender Sender(int port) => new(new SmtpSettings("127.0.0.1", port, "invoices@smallpay.example", false, null), new NoSmtpCredentials());

    [Fact]
    public async Task A_message_is_handed_to_the_server()
    {
        await using var server = new ScriptedSmtpServer();
        using var message = Message("billing@mueller.example");

        await Sender(server.Port).SendAsync(message, CancellationToken.None);

        var data = Assert.Single(server.Messages);
        Assert.Contains("Subject: Invoice INV-000042", data, StringComparison.Ordinal);
        Assert.Contains("RCPT TO:<billing@mueller.example>", server.Commands);
    }

    [Fact]
    public async Task A_recipient_refused_with_550_is_a_permanent_failure()
    {
        await using var server = new ScriptedSmtpServer(address => address.StartsWith("nobody", StringComparison.Ordinal) ? "550 5.1.1 no such user" : "250 OK");
        using var message = Message("nobody@mueller.example");

        var error = await Assert.ThrowsAnyAsync<SmtpException>(() => Sender(server.Port).SendAsync(message, CancellationToken.None));
        var failure = SmtpFailures.Classify(error);

        Assert.True(failure.Permanent, failure.Reason);
        Assert.Contains("nobody@mueller.example", failure.Reason, StringComparison.Ordinal);
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task One_refused_recipient_among_others_is_permanent_because_the_others_got_it()
    {
        await using var server = new ScriptedSmtpServer(address => address.StartsWith("nobody", StringComparison.Ordinal) ? "550 5.1.1 no such user" : "250 OK");
        using var message = Message("nobody@mueller.example", "ap@mueller.example");

        var error = await Assert.ThrowsAnyAsync<SmtpException>(() => Sender(server.Port).SendAsync(message, CancellationToken.None));

        Assert.True(SmtpFailures.Classify(error).Permanent);
        Assert.Single(server.Messages); // a retry would mail ap@ twice
    }

    [Fact]
    public async Task A_recipient_deferred_with_450_is_transient()
    {
        await using var server = new ScriptedSmtpServer(_ => "450 4.2.1 mailbox busy, try later");
        using var message = Message("billing@mueller.example");

        var error = await Assert.ThrowsAnyAsync<SmtpException>(() => Sender(server.Port).SendAsync(message, CancellationToken.None));

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

        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sender(port).SendAsync(message, CancellationToken.None));

        Assert.False(SmtpFailures.Classify(error).Permanent, SmtpFailures.Classify(error).Reason);
    }

    [Fact]
    public async Task A_server_refusing_the_session_is_transient()
    {
        await using var server = new ScriptedSmtpServer(greeting: "421 4.3.2 service not available, closing channel");
        using var message = Message("billing@mueller.example");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sender(server.Port).SendAsync(message, CancellationToken.None));

        Assert.False(SmtpFailures.Classify(error).Permanent);
    }

    [Theory]
    [InlineData(SmtpStatusCode.MailboxUnavailable, true)]
    [InlineData(SmtpStatusCode.MailboxNameNotAllowed, true)]
    [InlineData(SmtpStatusCode.UserNotLocalTryAlternatePath, true)]
    [InlineData(SmtpStatusCode.ExceededStorageAllocation, true)]
    [InlineData(SmtpStatusCode.TransactionFailed, false)]
    [InlineData(SmtpStatusCode.ServiceNotAvailable, false)]
    [InlineData(SmtpStatusCode.MailboxBusy, false)]
    [InlineData(SmtpStatusCode.ClientNotPermitted, false)]
    [InlineData(SmtpStatusCode.MustIssueStartTlsFirst, false)]
    [InlineData((SmtpStatusCode)535, false)]
    [InlineData(SmtpStatusCode.GeneralFailure, false)]
    public void Smtp_statuses_are_sorted_into_permanent_and_transient(SmtpStatusCode status, bool permanent)
    {
        Assert.Equal(permanent, SmtpFailures.Classify(new SmtpException(status, "server said so")).Permanent);
    }

    [Fact]
    public void Unparseable_addresses_are_permanent_and_timeouts_and_sockets_transient()
    {
        Assert.True(SmtpFailures.Classify(new FormatException("'x' is not a valid e-mail address.")).Permanent);
        Assert.False(SmtpFailures.Classify(new TimeoutException()).Permanent);
        Assert.False(SmtpFailures.Classify(new SocketException((int)SocketError.HostUnreachable)).Permanent);
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
