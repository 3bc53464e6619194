using System.Text.Json;
using SmallPay.Domain.Documents;
using SmallPay.Functions.Documents;
using SmallPay.Functions.Documents.Mail;
using SmallPay.Functions.Documents.Rendering;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Hosting.Logging;
using SmallPay.Functions.Hosting.Sqs;

namespace SmallPay.Functions.Tests.Documents;

/// <summary>
/// The worker with the real composer and MailKit sender against the scripted SMTP server: what each recipient gets is
/// read from the SMTP traffic itself (envelopes and messages the server accepted), the outcome from the store.
/// </summary>
public sealed class DocumentWorkerSmtpTests
{
    private readonly InMemoryWorkerStore _store = new();
    private readonly ManualClock _clock = new(WorkerData.Now);
    private readonly StringWriter _logs = new();

    private const string A = "ap@mueller.example", B = "boss@mueller.example", C = "archive@mueller.example";

    private SqsBatchFunction Worker(ScriptedSmtpServer server) => new(
        new DocumentWorker(_store, new FixedSettingsStore(WorkerData.Business), new FakeDocumentStorage(), new CountingRenderer(),
            new DeliveryEmailComposer(new InvoiceEmailComposer("invoices@smallpay.example")),
            new SmtpMailSender(new SmtpSettings("127.0.0.1", server.Port, "invoices@smallpay.example", false, null), new NoSmtpCredentials()),
            _clock),
        new JsonLog("DocumentWorker", _logs), _clock);

    private async Task<List<string>> RunAsync(ScriptedSmtpServer server, SmallPay.Domain.Invoices.Invoice invoice)
    {
        var invocation = new LambdaInvocation("req-1", _clock.GetUtcNow() + TimeSpan.FromSeconds(30), null, null);
        var output = await Worker(server).HandleAsync(WorkerData.Batch(("m1", WorkerData.Record(invoice))), invocation, CancellationToken.None);
        return JsonSerializer.Deserialize(output, SqsJsonContext.Default.SqsBatchResponse)!.BatchItemFailures.Select(f => f.ItemIdentifier).ToList();
    }

    private DeliveryResult Result(string invoiceId) => _store.Get(invoiceId).DeliveryResults["dlv_smtp"];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task One_of_three_refused_for_now_the_two_accepted_get_one_copy_and_the_retry_goes_only_to_the_third(bool pipelining)
    {
        var invoice = WorkerData.Sent(WorkerData.Open(), new DeliveryInput(To: [A, B], Cc: [C]), "dlv_smtp");
        _store.Put(invoice);
        await using var server = new ScriptedSmtpServer(address => address == C ? "450 4.2.1 mailbox busy, try later" : "250 2.1.5 OK", pipelining: pipelining);

        var first = await RunAsync(server, invoice);

        Assert.Equal(["m1"], first); // retried by SQS
        Assert.Equal(new Dictionary<string, int> { [A] = 1, [B] = 1 }, server.CopiesPerRecipient());
        var progress = Result(invoice.Id);
        Assert.Equal(DeliveryStatus.Pending, InvoiceDeliveries.Deliveries(_store.Get(invoice.Id), _clock.Now).Single().Status);
        Assert.Equal([RecipientStatus.Delivered, RecipientStatus.Delivered, RecipientStatus.Pending], progress.Recipients!.Select(r => r.Status));
        Assert.Contains("450", progress.Recipients![2].Reason, StringComparison.Ordinal);

        server.RcptReply = _ => "250 2.1.5 OK";
        _clock.Now += TimeSpan.FromMinutes(3); // the visibility timeout
        var retry = await RunAsync(server, invoice);

        Assert.Empty(retry);
        Assert.Equal(new Dictionary<string, int> { [A] = 1, [B] = 1, [C] = 1 }, server.CopiesPerRecipient());
        var (_, to, data) = server.Deliveries[^1];
        Assert.Equal([C], to); // the envelope of the retry: the third recipient only
        Assert.Contains($"To: {A}, {B}", data, StringComparison.Ordinal); // the headers still name everyone
        Assert.Contains($"Cc: {C}", data, StringComparison.Ordinal);
        Assert.Equal(server.Deliveries[0].Data.Split("Message-Id: ")[1].Split("\r\n")[0], data.Split("Message-Id: ")[1].Split("\r\n")[0]);
        var final = Result(invoice.Id);
        Assert.Equal((DeliveryStatus.Sent, 2), (final.Status, final.Attempts));
        Assert.All(final.Recipients!, r => Assert.Equal(RecipientStatus.Delivered, r.Status));
    }

    [Fact]
    public async Task One_refused_for_good_is_delivered_to_the_other_two_recorded_per_recipient_and_not_retried()
    {
        var invoice = WorkerData.Sent(WorkerData.Open(), new DeliveryInput(To: [A, B], Cc: [C]), "dlv_smtp");
        _store.Put(invoice);
        await using var server = new ScriptedSmtpServer(address => address == B ? "550 5.1.1 no such user" : "250 2.1.5 OK");

        Assert.Empty(await RunAsync(server, invoice));
        _clock.Now += TimeSpan.FromMinutes(3);
        Assert.Empty(await RunAsync(server, invoice)); // the same record again: nothing more happens

        Assert.Equal(new Dictionary<string, int> { [A] = 1, [C] = 1 }, server.CopiesPerRecipient());
        Assert.Single(server.Deliveries);
        Assert.Equal(1, server.Sessions);
        var result = Result(invoice.Id);
        Assert.Equal(DeliveryStatus.PartlySent, result.Status);
        Assert.Equal([(A, RecipientStatus.Delivered), (B, RecipientStatus.Refused), (C, RecipientStatus.Delivered)],
            result.Recipients!.Select(r => (r.Address, r.Status)));
        Assert.Equal("550 5.1.1 no such user", result.Recipients![1].Reason);
        Assert.Equal([A, C], result.To);
        var view = InvoiceDeliveries.Deliveries(_store.Get(invoice.Id), _clock.Now).Single();
        Assert.Contains(B, view.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_recipient_refused_for_good_is_a_failed_delivery_without_DATA()
    {
        var invoice = WorkerData.Sent(WorkerData.Open(), new DeliveryInput(To: [A, B]), "dlv_smtp");
        _store.Put(invoice);
        await using var server = new ScriptedSmtpServer(_ => "550 5.1.1 no such user");

        Assert.Empty(await RunAsync(server, invoice));

        Assert.Empty(server.Deliveries);
        Assert.DoesNotContain("DATA", server.Commands);
        Assert.Equal(DeliveryStatus.Failed, Result(invoice.Id).Status);
        Assert.All(Result(invoice.Id).Recipients!, r => Assert.Equal(RecipientStatus.Refused, r.Status));
    }

    [Fact]
    public async Task An_internationalised_address_is_delivered_with_SMTPUTF8_when_the_server_offers_it()
    {
        var invoice = WorkerData.Sent(WorkerData.Open(), new DeliveryInput(To: ["jörg@example.de", A]), "dlv_smtp");
        _store.Put(invoice);
        await using var server = new ScriptedSmtpServer(smtpUtf8: true);

        Assert.Empty(await RunAsync(server, invoice));

        Assert.Contains(server.Commands, c => c.StartsWith("MAIL FROM:<invoices@smallpay.example> SMTPUTF8", StringComparison.Ordinal));
        Assert.Contains("RCPT TO:<jörg@example.de>", server.Commands);
        Assert.Equal(new Dictionary<string, int> { ["jörg@example.de"] = 1, [A] = 1 }, server.CopiesPerRecipient());
        Assert.Equal(DeliveryStatus.Sent, Result(invoice.Id).Status);
    }

    [Fact]
    public async Task An_internationalised_address_fails_for_good_when_the_server_has_no_SMTPUTF8_and_the_others_still_get_it()
    {
        var invoice = WorkerData.Sent(WorkerData.Open(), new DeliveryInput(To: ["jörg@example.de", A]), "dlv_smtp");
        _store.Put(invoice);
        await using var server = new ScriptedSmtpServer(smtpUtf8: false);

        Assert.Empty(await RunAsync(server, invoice)); // not retried: it would never get better

        Assert.DoesNotContain(server.Commands, c => c.Contains("jörg", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Commands, c => c.Contains("SMTPUTF8", StringComparison.Ordinal));
        var (_, to, data) = Assert.Single(server.Deliveries);
        Assert.Equal([A], to);
        Assert.DoesNotContain("jörg", data, StringComparison.Ordinal); // the headers stay ASCII for a server without SMTPUTF8
        var result = Result(invoice.Id);
        Assert.Equal(DeliveryStatus.PartlySent, result.Status);
        Assert.Equal((RecipientStatus.Refused, SmtpMailSender.NoSmtpUtf8), (result.Recipients![0].Status, result.Recipients[0].Reason));
    }

    [Fact]
    public async Task Alone_an_internationalised_address_without_SMTPUTF8_is_a_failed_delivery_with_a_clear_reason_and_no_retry()
    {
        var invoice = WorkerData.Sent(WorkerData.Open(), new DeliveryInput(To: ["jörg@example.de"]), "dlv_smtp");
        _store.Put(invoice);
        await using var server = new ScriptedSmtpServer(smtpUtf8: false);

        Assert.Empty(await RunAsync(server, invoice));

        Assert.Empty(server.Deliveries);
        Assert.DoesNotContain(server.Commands, c => c.StartsWith("MAIL", StringComparison.Ordinal));
        var delivery = InvoiceDeliveries.Deliveries(_store.Get(invoice.Id), _clock.Now).Single();
        Assert.Equal(DeliveryStatus.Failed, delivery.Status);
        Assert.Contains("does not accept internationalised addresses", delivery.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_non_ASCII_domain_goes_as_IDNA_without_SMTPUTF8()
    {
        var invoice = WorkerData.Sent(WorkerData.Open(), new DeliveryInput(To: ["info@bücher.example"]), "dlv_smtp");
        _store.Put(invoice);
        await using var server = new ScriptedSmtpServer(smtpUtf8: false);

        Assert.Empty(await RunAsync(server, invoice));

        Assert.Contains("RCPT TO:<info@xn--bcher-kva.example>", server.Commands);
        Assert.Contains("To: info@xn--bcher-kva.example", Assert.Single(server.Deliveries).Data, StringComparison.Ordinal);
        Assert.Equal(DeliveryStatus.Sent, Result(invoice.Id).Status);
    }

    [Fact]
    public async Task A_session_failure_after_some_recipients_were_accepted_delivers_to_nobody_and_is_retried_for_all()
    {
        var invoice = WorkerData.Sent(WorkerData.Open(), new DeliveryInput(To: [A, B]), "dlv_smtp");
        _store.Put(invoice);
        await using var server = new ScriptedSmtpServer(dataReply: () => "451 4.3.0 local error in processing");

        Assert.Equal(["m1"], await RunAsync(server, invoice));
        Assert.Empty(server.Deliveries);
        Assert.All(InvoiceDeliveries.RecipientsOf(invoice.DeliveryRequests[0], Result(invoice.Id)), r => Assert.Equal(RecipientStatus.Pending, r.Status));

        server.DataReply = () => "250 2.0.0 queued";
        _clock.Now += TimeSpan.FromMinutes(3);
        Assert.Empty(await RunAsync(server, invoice));
        Assert.Equal(new Dictionary<string, int> { [A] = 1, [B] = 1 }, server.CopiesPerRecipient());
    }
}
