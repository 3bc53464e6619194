using System.Text;
using MimeKit;
using System.Text.Json.Nodes;
using SmallPay.Domain;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Settings;
using SmallPay.Functions.Documents;
using SmallPay.Functions.Documents.Mail;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Tests.Documents;

/// <summary>
/// The invoices table as the worker sees it, in memory, with the same conditions as <see cref="DynamoDbWorkerInvoiceStore"/>
/// (the DynamoDB one is tested against DynamoDB Local in WorkerInvoiceStoreTests).
/// </summary>
internal sealed class InMemoryWorkerStore : IWorkerInvoiceStore
{
    private readonly Dictionary<string, Invoice> _invoices = new(StringComparer.Ordinal);

    public List<string> Writes { get; } = [];

    /// <summary>Runs before each claim: lets a test put another worker's claim in first.</summary>
    public Action<string, string>? BeforeClaim { get; set; }

    public void Put(Invoice invoice) => _invoices[invoice.Id] = invoice;

    public Invoice Get(string id) => _invoices[id];

    public Task<Invoice?> LoadAsync(string invoiceId, CancellationToken ct, string? deliveryItemId = null) => Task.FromResult(_invoices.GetValueOrDefault(invoiceId));

    public Task<bool> RecordDocumentAsync(string invoiceId, StoredDocument document, CancellationToken ct)
    {
        if (!_invoices.TryGetValue(invoiceId, out var invoice) || invoice.Document?.Version >= document.Version) return Task.FromResult(false);
        _invoices[invoiceId] = invoice with { Document = document };
        Writes.Add($"document v{document.Version}");
        return Task.FromResult(true);
    }

    public Task<bool> ClaimDeliveryAsync(string invoiceId, string requestId, DeliveryResult claim, DateTimeOffset now, CancellationToken ct)
    {
        BeforeClaim?.Invoke(invoiceId, requestId);
        var invoice = _invoices[invoiceId];
        var current = invoice.DeliveryResults.GetValueOrDefault(requestId);
        if (current is not null && !(current.Status == DeliveryStatus.Sending && current.LeaseUntil < now && current.Attempts == claim.Attempts - 1))
            return Task.FromResult(false);
        SetResult(invoiceId, requestId, claim);
        Writes.Add($"claim {requestId}");
        return Task.FromResult(true);
    }

    public Task<bool> CompleteDeliveryAsync(string invoiceId, string requestId, DeliveryResult outcome, CancellationToken ct)
    {
        if (_invoices[invoiceId].DeliveryResults.GetValueOrDefault(requestId)?.Status != DeliveryStatus.Sending) return Task.FromResult(false);
        SetResult(invoiceId, requestId, outcome);
        Writes.Add($"{outcome.Status.ToString().ToLowerInvariant()} {requestId}");
        return Task.FromResult(true);
    }

    public Task<bool> ReleaseClaimAsync(string invoiceId, string requestId, DateTimeOffset lease, string reason,
        IReadOnlyList<RecipientOutcome>? recipients, CancellationToken ct)
    {
        var current = _invoices[invoiceId].DeliveryResults.GetValueOrDefault(requestId);
        if (current is not { Status: DeliveryStatus.Sending } || current.LeaseUntil != lease) return Task.FromResult(false);
        SetResult(invoiceId, requestId, current with { LeaseUntil = DateTimeOffset.UnixEpoch, Recipients = recipients ?? current.Recipients });
        Writes.Add($"release {requestId}");
        return Task.FromResult(true);
    }

    public Task<bool> MarkRefusedAsync(string invoiceId, string requestId, IReadOnlyList<string> addresses, string reason, CancellationToken ct)
    {
        var invoice = _invoices[invoiceId];
        var request = invoice.DeliveryRequests.First(r => r.RequestId == requestId);
        if (invoice.DeliveryResults.GetValueOrDefault(requestId) is not { } result || result.Status == DeliveryStatus.Sending) return Task.FromResult(false);
        var recipients = InvoiceDeliveries.RecipientsOf(request, result)
            .Select(r => addresses.Contains(r.Address, StringComparer.OrdinalIgnoreCase) ? r with { Status = RecipientStatus.Refused, Reason = reason } : r).ToList();
        SetResult(invoiceId, requestId, InvoiceDeliveries.Conclude(recipients, result.Attempts) ?? result with { Recipients = recipients });
        Writes.Add($"refused {requestId}");
        return Task.FromResult(true);
    }

    public void SetResult(string invoiceId, string requestId, DeliveryResult result)
    {
        var invoice = _invoices[invoiceId];
        _invoices[invoiceId] = invoice with
        {
            DeliveryResults = new Dictionary<string, DeliveryResult>(invoice.DeliveryResults) { [requestId] = result },
        };
    }
}

internal sealed class FixedSettingsStore(BusinessSettings settings) : ISettingsStore
{
    public Task<BusinessSettings> GetAsync(string tenant, CancellationToken ct) => Task.FromResult(settings);
    public Task SaveAsync(string tenant, BusinessSettings updated, CancellationToken ct) => throw new NotSupportedException();
}

internal sealed class FakeDocumentStorage : IDocumentStorage
{
    public Dictionary<string, byte[]> Objects { get; } = new(StringComparer.Ordinal);
    public Exception? FailWith { get; set; }

    public Task PutPdfAsync(string key, byte[] pdf, string fileName, CancellationToken ct)
    {
        if (FailWith is not null) throw FailWith;
        Objects[key] = pdf;
        return Task.CompletedTask;
    }

    public Task<Uri> PresignGetAsync(string key, DateTimeOffset expiresAt, CancellationToken ct) =>
        Task.FromResult(new Uri($"https://documents.example/{key}?expires={expiresAt.ToUnixTimeSeconds()}"));
}

internal sealed class CountingRenderer : IInvoiceDocumentRenderer
{
    public int Renders { get; private set; }

    public byte[] Render(Invoice invoice, BusinessSettings business, DateOnly today)
    {
        Renders++;
        return Encoding.ASCII.GetBytes($"%PDF-fake {invoice.Number} v{invoice.Version}");
    }
}

/// <summary>A plain message with the request's recipients and the PDF attached; addresses are parsed as the real composer does.</summary>
internal sealed class SimpleComposer : IInvoiceEmailComposer
{
    /// <summary>The customer-page link of each message composed, in order.</summary>
    public List<Uri?> PageLinks { get; } = [];

    public InvoiceEmail Compose(Invoice invoice, BusinessSettings business, DeliveryRequest delivery, byte[] pdf, Uri? pageLink = null)
    {
        lock (PageLinks) PageLinks.Add(pageLink);
        var message = new MimeMessage { Subject = delivery.Subject };
        message.From.Add(MailboxAddress.Parse("invoices@smallpay.example"));
        var recipients = new List<(string, MailboxAddress)>();
        foreach (var (address, list) in delivery.To.Select(a => (a, message.To)).Concat(delivery.Cc.Select(a => (a, message.Cc))))
        {
            var mailbox = Functions.Documents.Rendering.InvoiceEmailComposer.TryParse(address)
                          ?? throw new Functions.Documents.Rendering.InvalidRecipientException(address);
            list.Add(mailbox);
            recipients.Add((address, mailbox));
        }
        var body = new Multipart("mixed") { new TextPart("plain") { Text = (delivery.Message ?? "") + (pageLink is null ? "" : $"\n{pageLink}") } };
        body.Add(new MimePart("application", "pdf") { Content = new MimeContent(new MemoryStream(pdf)), FileName = $"{invoice.Number}.pdf" });
        message.Body = body;
        return new InvoiceEmail(message, MailboxAddress.Parse("invoices@smallpay.example"), recipients);
    }
}

/// <summary>
/// Records what was sent; failures queued in <see cref="Failures"/> are thrown one per send first. <see cref="Reply"/>
/// answers per recipient (default: accepted); a message is "sent" when at least one recipient accepted it.
/// </summary>
internal sealed class RecordingMailSender : IMailSender
{
    public List<(string To, string Subject, int Attachments)> Sent { get; } = [];
    public Queue<Exception> Failures { get; } = new();
    public Func<string, (RecipientStatus Status, string? Reason)> Reply { get; set; } = _ => (RecipientStatus.Delivered, null);

    public Task<IReadOnlyList<RecipientReply>> SendAsync(MimeMessage message, MailboxAddress sender, IReadOnlyList<MailboxAddress> recipients, CancellationToken ct)
    {
        if (Failures.TryDequeue(out var failure)) throw failure;
        var replies = recipients.Select(r => Reply(r.Address) is var (status, reason) ? new RecipientReply(r, status, reason) : null!).ToList();
        var accepted = replies.Where(r => r.Status == RecipientStatus.Delivered).Select(r => r.Mailbox.Address).ToList();
        if (accepted.Count > 0) Sent.Add((string.Join(",", accepted), message.Subject ?? "", message.Attachments.Count()));
        return Task.FromResult<IReadOnlyList<RecipientReply>>(replies);
    }
}

internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>Invoices in the states the worker meets, and the SQS messages the Pipe would produce for them.</summary>
internal static class WorkerData
{
    public const string Tenant = "5f1c2f9e-3b8d-4b7e-9a0c-0e7e4e0000aa";
    public static readonly DateTimeOffset Now = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    public static readonly BusinessSettings Business = BusinessSettings.Defaults with { BusinessName = "Atelier Sommer", Email = "hello@atelier.example", Version = 1 };

    /// <summary>Open, version 2, no deliveries.</summary>
    public static Invoice Open(string? customerEmail = "billing@mueller.example")
    {
        var customer = new CustomerSnapshot("Müller GmbH", customerEmail, null, null);
        var content = new InvoiceContent("cus_01JE3Z4Q6M8N9P0R2S4T6V8W0X", "EUR", new DateOnly(2026, 11, 20), null, 14,
            [new InvoiceLine("Design", 10m, 95.5m, 0m, 19m)], InvoiceDiscount.None, null);
        var draft = InvoiceLifecycle.CreateDraft(Ids.New("inv", Now), Tenant, content, customer, Now.AddHours(-2));
        return InvoiceLifecycle.Finalize(draft, "INV-000042", customer, Now.AddHours(-1)) with { Version = 2 };
    }

    /// <summary>The invoice with one more delivery request, as SendInvoice writes it (version + 1).</summary>
    public static Invoice Sent(Invoice invoice, DeliveryInput? input = null, string? requestId = null) =>
        InvoiceDeliveries.Request(invoice, input ?? new DeliveryInput(), requestId ?? Ids.New("dlv", Now), Business.BusinessName, Now.AddMinutes(-1))
            with { Version = invoice.Version + 1 };

    /// <summary>An SQS event whose messages carry the Pipe's stream records (MODIFY) for these invoice versions.</summary>
    public static byte[] Batch(params (string MessageId, string Body)[] messages)
    {
        var records = new JsonArray();
        foreach (var (id, body) in messages)
        {
            records.Add(new JsonObject
            {
                ["messageId"] = id,
                ["receiptHandle"] = $"AQEB{id}",
                ["body"] = body,
                ["attributes"] = new JsonObject { ["ApproximateReceiveCount"] = "1", ["SentTimestamp"] = "1795165200000" },
                ["messageAttributes"] = new JsonObject(),
                ["md5OfBody"] = "0",
                ["eventSource"] = "aws:sqs",
                ["eventSourceARN"] = "arn:aws:sqs:eu-central-1:123456789012:smallpay-dev-DocumentsQueue",
                ["awsRegion"] = "eu-central-1",
            });
        }
        return Encoding.UTF8.GetBytes(new JsonObject { ["Records"] = records }.ToJsonString());
    }

    /// <summary>What DocumentsPipe's input template sends for a change: which item, to which version.</summary>
    public static string Message(Invoice invoice, string eventName = "MODIFY") =>
        Message(invoice.Id, invoice.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), eventName);

    public static string Message(string id, string version, string eventName = "MODIFY", string entity = "Invoice") =>
        new JsonObject { ["eventName"] = eventName, ["entity"] = entity, ["id"] = id, ["version"] = version }.ToJsonString();

    /// <summary>The whole stream record, as DocumentsPipe sent it before its input template (messages still queued then).</summary>
    public static string Record(Invoice invoice, string eventName = "MODIFY") => Record(invoice.Id, invoice.Version, invoice.Status.ToString(), eventName);

    public static string Record(string id, long version, string status = "Open", string eventName = "MODIFY", string entity = "Invoice") =>
        new JsonObject
        {
            ["eventID"] = Guid.NewGuid().ToString("N"),
            ["eventName"] = eventName,
            ["eventVersion"] = "1.1",
            ["eventSource"] = "aws:dynamodb",
            ["awsRegion"] = "eu-central-1",
            ["eventSourceARN"] = "arn:aws:dynamodb:eu-central-1:123456789012:table/InvoicesTable/stream/2026-11-01T00:00:00.000",
            ["dynamodb"] = new JsonObject
            {
                ["ApproximateCreationDateTime"] = 1795165200,
                ["Keys"] = new JsonObject { ["id"] = new JsonObject { ["S"] = id } },
                ["NewImage"] = new JsonObject
                {
                    ["id"] = new JsonObject { ["S"] = id },
                    ["entity"] = new JsonObject { ["S"] = entity },
                    ["status"] = new JsonObject { ["S"] = status },
                    ["changedBy"] = new JsonObject { ["S"] = "api" },
                    ["version"] = new JsonObject { ["N"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                    ["deliveryResults"] = new JsonObject { ["M"] = new JsonObject() },
                    ["lines"] = new JsonObject { ["L"] = new JsonArray(new JsonObject { ["M"] = new JsonObject { ["quantity"] = new JsonObject { ["N"] = "10" } } }) },
                },
                ["SequenceNumber"] = "4421584500000000017450439091",
                ["SizeBytes"] = 1234,
                ["StreamViewType"] = "NEW_AND_OLD_IMAGES",
            },
        }.ToJsonString();
}
