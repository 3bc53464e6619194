using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;
using System.Text.Json;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Functions.Documents;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Hosting.Logging;
using SmallPay.Functions.Hosting.Sqs;

namespace SmallPay.Functions.Tests.Documents;

/// <summary>The worker's per-record algorithm, through the SQS batch adapter's JSON in and out, with fakes around it.</summary>
public sealed class DocumentWorkerTests
{
    private readonly InMemoryWorkerStore _store = new();
    private readonly FakeDocumentStorage _storage = new();
    private readonly CountingRenderer _renderer = new();
    private readonly RecordingMailSender _mail = new();
    private readonly ManualClock _clock = new(WorkerData.Now);
    private readonly StringWriter _logs = new();

    private SqsBatchFunction Worker() => new(
        new DocumentWorker(_store, new FixedSettingsStore(WorkerData.Business), _storage, _renderer, new SimpleComposer(), _mail, _clock),
        new JsonLog("DocumentWorker", _logs), _clock);

    private async Task<List<string>> RunAsync(byte[] batch, TimeSpan? timeLeft = null)
    {
        var invocation = new LambdaInvocation("req-1", _clock.GetUtcNow() + (timeLeft ?? TimeSpan.FromSeconds(30)), null, null);
        var output = await Worker().HandleAsync(batch, invocation, CancellationToken.None);
        var response = JsonSerializer.Deserialize(output, SqsJsonContext.Default.SqsBatchResponse)!;
        return response.BatchItemFailures.Select(f => f.ItemIdentifier).ToList();
    }

    [Fact]
    public async Task A_sent_invoice_is_rendered_to_its_versioned_key_recorded_and_mailed_once()
    {
        var invoice = WorkerData.Sent(WorkerData.Open(), requestId: "dlv_one");
        _store.Put(invoice);

        var failures = await RunAsync(WorkerData.Batch(("m1", WorkerData.Record(invoice))));

        Assert.Empty(failures);
        var key = $"invoices/{WorkerData.Tenant}/{invoice.Id}/v3.pdf";
        Assert.Equal([key], _storage.Objects.Keys);
        var stored = _store.Get(invoice.Id);
        Assert.Equal(new StoredDocument(key, 3, WorkerData.Now, _storage.Objects[key].Length), stored.Document);
        var (to, subject, attachments) = Assert.Single(_mail.Sent);
        Assert.Equal(("billing@mueller.example", "Invoice INV-000042 from Atelier Sommer", 1), (to, subject, attachments));
        var result = stored.DeliveryResults["dlv_one"];
        Assert.Equal((DeliveryStatus.Sent, WorkerData.Now, 1), (result.Status, result.SentAt, result.Attempts));
        Assert.Equal(3, stored.Version); // the worker never moves the API's version
        Assert.Equal(["document v3", "claim dlv_one", "sent dlv_one"], _store.Writes);
        Assert.Contains("\"message\":\"processed\"", _logs.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_pipes_small_message_and_a_whole_stream_record_queued_before_it_are_both_handled_once()
    {
        var invoice = WorkerData.Sent(WorkerData.Open(), requestId: "dlv_both");
        _store.Put(invoice);

        // The message the input template makes, then the same change as the whole record (queued before a stack update).
        var failures = await RunAsync(WorkerData.Batch(("m-new", WorkerData.Message(invoice)), ("m-old", WorkerData.Record(invoice))));

        Assert.Empty(failures);
        Assert.Single(_mail.Sent);
        Assert.Equal(DeliveryStatus.Sent, _store.Get(invoice.Id).DeliveryResults["dlv_both"].Status);
        Assert.Equal(1, _renderer.Renders);
    }

    [Theory]
    [InlineData("""{"eventName":"MODIFY","entity":"Invoice","id":"inv_x","version":"3"}""", "inv_x", 3L, "Invoice")]
    [InlineData("""{"eventName":"MODIFY","entity":"Invoice","id":"inv_x","version":3}""", "inv_x", 3L, "Invoice")]
    [InlineData("""{"eventName":"INSERT","entity":"Invitation","id":"invitation#i1","version":""}""", "invitation#i1", 0L, "Invitation")]
    [InlineData("""{"eventName":"INSERT","entity":"Invitation","id":"invitation#i1"}""", "invitation#i1", 0L, "Invitation")]
    [InlineData("""{"eventName":"REMOVE","entity":"","id":"settings#t"}""", "settings#t", 0L, null)]
    public void The_small_message_is_read_whatever_the_version_looks_like(string body, string id, long version, string? entity)
    {
        var change = InvoiceChange.Parse(body);

        Assert.Equal((id, version, entity), (change.InvoiceId, change.Version, change.Entity));
    }

    [Theory]
    [InlineData("""{"eventName":"MODIFY","entity":"Invoice","id":"inv_x","version":""}""")]
    [InlineData("""{"eventName":"MODIFY","entity":"Invoice","id":"inv_x","version":"three"}""")]
    [InlineData("""{"eventName":"MODIFY","entity":"Invoice","id":"","version":"3"}""")]
    [InlineData("""{"eventName":"MODIFY","entity":"Invoice"}""")]
    [InlineData("""["not", "an", "object"]""")]
    public void A_small_message_without_what_the_worker_needs_is_malformed(string body) =>
        Assert.Throws<MalformedRecordException>(() => InvoiceChange.Parse(body));

    [Fact]
    public async Task An_invoice_change_without_deliveries_only_renders()
    {
        var invoice = WorkerData.Open();
        _store.Put(invoice);

        Assert.Empty(await RunAsync(WorkerData.Batch(("m1", WorkerData.Record(invoice)))));

        Assert.Equal(1, _renderer.Renders);
        Assert.Empty(_mail.Sent);
        Assert.Equal(2, _store.Get(invoice.Id).Document!.Version);
    }

    [Fact]
    public async Task A_stale_record_is_skipped_without_rendering_or_sending()
    {
        var older = WorkerData.Sent(WorkerData.Open());
        var current = older with { Version = older.Version + 1, Status = InvoiceStatus.Paid };
        _store.Put(current);

        var failures = await RunAsync(WorkerData.Batch(("m-old", WorkerData.Record(older))));

        Assert.Empty(failures);
        Assert.Equal(0, _renderer.Renders);
        Assert.Empty(_mail.Sent);
        Assert.Empty(_store.Writes);
        Assert.Contains("skipped: stale record", _logs.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_record_delivered_twice_sends_one_mail()
    {
        var invoice = WorkerData.Sent(WorkerData.Open());
        _store.Put(invoice);
        var record = WorkerData.Record(invoice);

        var first = await RunAsync(WorkerData.Batch(("m1", record), ("m1-duplicate", record)));
        _clock.Now += TimeSpan.FromMinutes(10);
        var again = await RunAsync(WorkerData.Batch(("m1", record)));

        Assert.Empty(first);
        Assert.Empty(again);
        Assert.Single(_mail.Sent);
        Assert.Equal(1, _renderer.Renders);
    }

    [Fact]
    public async Task A_delivery_claimed_by_another_worker_is_left_to_it()
    {
        var invoice = WorkerData.Sent(WorkerData.Open(), requestId: "dlv_busy");
        _store.Put(invoice);
        _store.BeforeClaim = (id, requestId) =>
            _store.SetResult(id, requestId, new DeliveryResult(DeliveryStatus.Sending, WorkerData.Now.AddSeconds(60), Attempts: 1));

        var failures = await RunAsync(WorkerData.Batch(("m1", WorkerData.Record(invoice))));

        Assert.Empty(failures);
        Assert.Empty(_mail.Sent);
        Assert.Equal(DeliveryStatus.Sending, _store.Get(invoice.Id).DeliveryResults["dlv_busy"].Status);
    }

    [Fact]
    public async Task A_claim_whose_lease_ran_out_is_taken_over()
    {
        var invoice = WorkerData.Sent(WorkerData.Open(), requestId: "dlv_crashed");
        _store.Put(invoice);
        _store.SetResult(invoice.Id, "dlv_crashed", new DeliveryResult(DeliveryStatus.Sending, WorkerData.Now.AddSeconds(-1), Attempts: 1));

        Assert.Empty(await RunAsync(WorkerData.Batch(("m1", WorkerData.Record(invoice)))));

        Assert.Single(_mail.Sent);
        Assert.Equal((DeliveryStatus.Sent, 2), (_store.Get(invoice.Id).DeliveryResults["dlv_crashed"].Status, _store.Get(invoice.Id).DeliveryResults["dlv_crashed"].Attempts));
    }

    public static TheoryData<string> TransientFailures() =>
        ["connection refused", "421 service not available", "554 on DATA", "timeout", "auth failed", "no STARTTLS"];

    private static Exception Transient(string kind) => kind switch
    {
        "connection refused" => new SocketException((int)SocketError.ConnectionRefused),
        "421 service not available" => new SmtpCommandException(SmtpErrorCode.UnexpectedStatusCode, SmtpStatusCode.ServiceNotAvailable, "try later"),
        "554 on DATA" => new SmtpCommandException(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.TransactionFailed, "Message rejected: Email address is not verified."),
        "timeout" => new TimeoutException("no answer within 15 s"),
        "auth failed" => new AuthenticationException("535: Authentication Credentials Invalid"),
        _ => new SmallPay.Functions.Documents.Mail.SmtpConfigurationException("no STARTTLS"),
    };

    [Theory]
    [MemberData(nameof(TransientFailures))]
    public async Task A_transient_failure_fails_the_record_and_gives_the_claim_back_for_the_retry(string kind)
    {
        var invoice = WorkerData.Sent(WorkerData.Open(), requestId: "dlv_retry");
        _store.Put(invoice);
        _mail.Failures.Enqueue(Transient(kind));

        var failures = await RunAsync(WorkerData.Batch(("m1", WorkerData.Record(invoice))));

        Assert.Equal(["m1"], failures);
        Assert.Empty(_mail.Sent);
        var released = _store.Get(invoice.Id);
        Assert.True(InvoiceDeliveries.IsPending(released, released.DeliveryRequests[0], WorkerData.Now));
        Assert.Equal(3, released.Document!.Version); // the PDF is stored already; the retry does not render again

        var retry = await RunAsync(WorkerData.Batch(("m1", WorkerData.Record(invoice))));

        Assert.Empty(retry);
        Assert.Single(_mail.Sent);
        Assert.Equal((DeliveryStatus.Sent, 2), (_store.Get(invoice.Id).DeliveryResults["dlv_retry"].Status, _store.Get(invoice.Id).DeliveryResults["dlv_retry"].Attempts));
    }

    [Fact]
    public async Task A_permanent_failure_is_recorded_as_failed_and_not_retried()
    {
        var invoice = WorkerData.Sent(WorkerData.Open(), new DeliveryInput(To: ["nobody@mueller.example"]), "dlv_bounce");
        _store.Put(invoice);
        _mail.Reply = _ => (RecipientStatus.Refused, "550 5.1.1 no such user");

        var failures = await RunAsync(WorkerData.Batch(("m1", WorkerData.Record(invoice))));
        var again = await RunAsync(WorkerData.Batch(("m1", WorkerData.Record(invoice))));

        Assert.Empty(failures);
        Assert.Empty(again);
        Assert.Empty(_mail.Sent);
        var result = _store.Get(invoice.Id).DeliveryResults["dlv_bounce"];
        Assert.Equal(DeliveryStatus.Failed, result.Status);
        Assert.Contains("nobody@mueller.example", result.FailureReason, StringComparison.Ordinal);
        Assert.Contains("550", result.FailureReason, StringComparison.Ordinal);
        Assert.Equal(RecipientStatus.Refused, Assert.Single(result.Recipients!).Status);
        Assert.Contains("recipients refused for good", _logs.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_address_that_cannot_be_parsed_is_a_permanent_failure()
    {
        // Stored requests are validated by the API; an item edited by hand (or an older rule) can still hold junk.
        var invoice = WorkerData.Sent(WorkerData.Open(), requestId: "dlv_junk");
        invoice = invoice with { DeliveryRequests = [invoice.DeliveryRequests[0] with { To = ["not an address"] }] };
        _store.Put(invoice);

        Assert.Empty(await RunAsync(WorkerData.Batch(("m1", WorkerData.Record(invoice)))));

        Assert.Equal(DeliveryStatus.Failed, _store.Get(invoice.Id).DeliveryResults["dlv_junk"].Status);
    }

    [Fact]
    public async Task A_malformed_record_is_reported_without_failing_the_rest_of_the_batch()
    {
        var invoice = WorkerData.Sent(WorkerData.Open());
        _store.Put(invoice);

        var failures = await RunAsync(WorkerData.Batch(
            ("m-junk", "this is not JSON"),
            ("m-no-image", """{"eventName":"MODIFY","dynamodb":{"Keys":{"id":{"S":"inv_x"}}}}"""),
            ("m-no-version", WorkerData.Record(invoice).Replace("\"N\":\"3\"", "\"N\":\"three\"", StringComparison.Ordinal)),
            ("m-good", WorkerData.Record(invoice))));

        Assert.Equal(["m-junk", "m-no-image", "m-no-version"], failures);
        Assert.Single(_mail.Sent);
        Assert.Contains("MalformedRecordException", _logs.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task S3_down_fails_the_record_before_any_mail_goes_out()
    {
        var invoice = WorkerData.Sent(WorkerData.Open());
        _store.Put(invoice);
        _storage.FailWith = new HttpRequestException("Connection refused (documents.s3)");

        var failures = await RunAsync(WorkerData.Batch(("m1", WorkerData.Record(invoice))));

        Assert.Equal(["m1"], failures);
        Assert.Empty(_mail.Sent);
        Assert.Null(_store.Get(invoice.Id).Document);
        Assert.Empty(_store.Get(invoice.Id).DeliveryResults);
    }

    [Fact]
    public async Task A_delivery_of_an_invoice_voided_before_it_went_out_fails_with_a_reason()
    {
        var sent = WorkerData.Sent(WorkerData.Open(), requestId: "dlv_void");
        var voided = InvoiceLifecycle.Void(sent, "wrong customer", WorkerData.Now) with { Version = sent.Version + 1 };
        _store.Put(voided);

        Assert.Empty(await RunAsync(WorkerData.Batch(("m1", WorkerData.Record(voided)))));

        Assert.Empty(_mail.Sent);
        Assert.Equal(1, _renderer.Renders); // the VOID version is still rendered
        Assert.Equal(DeliveryStatus.Failed, _store.Get(voided.Id).DeliveryResults["dlv_void"].Status);
    }

    [Fact]
    public async Task A_reminder_of_an_invoice_paid_before_it_went_out_is_cancelled_and_not_mailed()
    {
        var open = WorkerData.Open();
        var reminded = SmallPay.Domain.Reminders.InvoiceReminders.Request(open, new DeliveryInput(), "rem_paid", WorkerData.Now.AddMinutes(-1), "Reminder")
            with { Version = open.Version + 1 };
        var paid = InvoiceLifecycle.RecordPayment(reminded, new Payment("pay_1", reminded.Totals.BalanceDue, new DateOnly(2026, 11, 20), PaymentMethod.BankTransfer, null, WorkerData.Now), new DateOnly(2026, 11, 20))
            with { Version = reminded.Version + 1 };
        _store.Put(paid);

        Assert.Empty(await RunAsync(WorkerData.Batch(("m1", WorkerData.Record(paid)))));

        Assert.Empty(_mail.Sent);
        var result = _store.Get(paid.Id).DeliveryResults["rem_paid"];
        Assert.Equal(DeliveryStatus.Cancelled, result.Status);
        Assert.Contains("paid", result.FailureReason);
    }

    [Fact]
    public async Task A_current_document_is_not_rendered_again()
    {
        var invoice = WorkerData.Open();
        _store.Put(invoice with { Document = new StoredDocument("k", invoice.Version, WorkerData.Now, 10) });

        Assert.Empty(await RunAsync(WorkerData.Batch(("m1", WorkerData.Record(invoice)))));

        Assert.Equal(0, _renderer.Renders);
        Assert.Empty(_storage.Objects);
    }

    [Fact]
    public async Task Drafts_gone_invoices_and_other_entities_are_skipped()
    {
        var draft = WorkerData.Open() with { Status = InvoiceStatus.Draft, Number = null };
        _store.Put(draft);

        var failures = await RunAsync(WorkerData.Batch(
            ("m-draft", WorkerData.Record(draft)),
            ("m-gone", WorkerData.Record("inv_01JE40A2B3C4D5E6F7G8H9J0ZZ", 2)),
            ("m-settings", WorkerData.Record("settings#someone", 4, entity: "Settings"))));

        Assert.Empty(failures);
        Assert.Equal(0, _renderer.Renders);
        Assert.Empty(_store.Writes);
    }

    [Fact]
    public async Task A_record_newer_than_the_read_is_retried()
    {
        var invoice = WorkerData.Open();
        _store.Put(invoice);

        Assert.Equal(["m1"], await RunAsync(WorkerData.Batch(("m1", WorkerData.Record(invoice.Id, invoice.Version + 1)))));
    }

    [Fact]
    public async Task Records_that_cannot_start_before_the_deadline_are_handed_back_untouched()
    {
        var invoice = WorkerData.Sent(WorkerData.Open());
        _store.Put(invoice);

        var failures = await RunAsync(WorkerData.Batch(("m1", WorkerData.Record(invoice)), ("m2", WorkerData.Record(invoice))), timeLeft: TimeSpan.FromSeconds(3));

        Assert.Equal(["m1", "m2"], failures);
        Assert.Empty(_store.Writes);
    }

    [Fact]
    public async Task Several_pending_deliveries_are_each_sent_once_and_failures_stay_separate()
    {
        var invoice = WorkerData.Sent(WorkerData.Open(), requestId: "dlv_a");
        invoice = WorkerData.Sent(invoice, new DeliveryInput(To: ["gone@mueller.example"]), "dlv_b");
        invoice = WorkerData.Sent(invoice, new DeliveryInput(To: ["ap@mueller.example"], Cc: ["me@atelier.example"]), "dlv_c");
        _store.Put(invoice);
        _store.SetResult(invoice.Id, "dlv_a", new DeliveryResult(DeliveryStatus.Sent, SentAt: WorkerData.Now.AddDays(-1), Attempts: 1));
        _mail.Reply = address => address.StartsWith("gone", StringComparison.Ordinal) ? (RecipientStatus.Refused, "550 5.1.1 gone") : (RecipientStatus.Delivered, null);

        Assert.Empty(await RunAsync(WorkerData.Batch(("m1", WorkerData.Record(invoice)))));

        Assert.Equal(["ap@mueller.example,me@atelier.example"], _mail.Sent.Select(s => s.To));
        var results = _store.Get(invoice.Id).DeliveryResults;
        Assert.Equal([DeliveryStatus.Sent, DeliveryStatus.Failed, DeliveryStatus.Sent], new[] { "dlv_a", "dlv_b", "dlv_c" }.Select(id => results[id].Status));
        Assert.Equal(["ap@mueller.example", "me@atelier.example"], results["dlv_c"].To);
    }

    [Fact]
    public async Task Logs_are_one_JSON_object_per_line_with_the_request_and_invoice()
    {
        var invoice = WorkerData.Sent(WorkerData.Open());
        _store.Put(invoice);

        await RunAsync(WorkerData.Batch(("m1", WorkerData.Record(invoice))));

        var lines = _logs.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var processed = Assert.Single(lines, line => line.GetProperty("message").GetString() == "processed");
        Assert.Equal("req-1", processed.GetProperty("requestId").GetString());
        Assert.Equal(invoice.Id, processed.GetProperty("invoiceId").GetString());
        Assert.Equal("m1", processed.GetProperty("messageId").GetString());
        Assert.Contains(lines, line => line.GetProperty("message").GetString() == "batch" && line.GetProperty("failures").GetInt32() == 0);
    }

    [Fact]
    public async Task An_event_that_is_not_an_SQS_batch_fails_the_invocation()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => RunAsync("[1,2]"u8.ToArray()));
    }
}
