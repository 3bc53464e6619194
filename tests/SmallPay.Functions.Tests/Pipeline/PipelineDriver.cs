using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using SmallPay.Functions.Tests.Api;
using SmallPay.Functions.Tests.Infrastructure;
using SmallPay.Local.Pipeline;

namespace SmallPay.Functions.Tests.Pipeline;

/// <summary>
/// Drives the documents pipeline of the fixture's stack through the API, as the SPA does, and looks at what came
/// out of it: the invoice's delivery outcome, the records the pipe read, the queues, the mail sink.
/// </summary>
public sealed class PipelineDriver(LocalStackFixture stack)
{
    public const string QueueName = "DocumentsQueue";
    public const string DeadLetterQueueName = "DocumentsDeadLetterQueue";
    public const string PipeDeadLetterQueueName = "DocumentsPipeDeadLetterQueue";

    public LocalQueue Queue => stack.Pipeline.Queue(QueueName);

    public LocalQueue DeadLetters => stack.Pipeline.Queue(DeadLetterQueueName);

    /// <summary>What DocumentsPipe could not deliver to DocumentsQueue (stream positions, not records).</summary>
    public LocalQueue PipeDeadLetters => stack.Pipeline.Queue(PipeDeadLetterQueueName);

    public LocalPipe Pipe => stack.Pipeline.Pipe("DocumentsPipe");

    /// <summary>A new tenant whose business profile (name, address, tax id, reply-to e-mail) the documents show.</summary>
    public async Task<Tenant> NewTenantAsync(string businessName = "Atelier Sommer", string prefix = "AS-")
    {
        var user = await stack.CreateUserAsync();
        var api = new ApiClient(stack.CreateHttpClient(), user.IdToken);
        var email = $"owner-{Guid.NewGuid():N}@atelier.example";
        var etag = (await api.GetAsync("/settings")).Expect(200).ETag;
        (await api.PutAsync("/settings", new
        {
            businessName,
            address = new { line1 = "Lindenstraße 12", city = "Leipzig", postalCode = "04109", country = "DE" },
            email,
            phone = "+49 341 555 0100",
            taxId = "DE987654321",
            defaultCurrency = "EUR",
            paymentTermsDays = 14,
            numberPrefix = prefix,
            nextNumber = 1,
        }, etag)).Expect(200);
        return new Tenant(api, user.Sub, businessName, email);
    }

    /// <summary>
    /// Verifies the tenant's business address as its owner does: asks for a code, reads the e-mail the worker sent to
    /// that address (maildev), and confirms the six digits. Returns the code's e-mail.
    /// </summary>
    public async Task<SentMail> VerifyEmailAsync(Tenant tenant)
    {
        (await tenant.Api.PostAsync("/settings/email-verification")).Expect(202);
        var mail = Assert.Single(await stack.MailSink.WaitForAsync(m => m.To.Contains(tenant.Email) && m.Subject.StartsWith("Your SmallPay code", StringComparison.Ordinal)));
        var code = System.Text.RegularExpressions.Regex.Match(mail.Subject, "[0-9]{6}").Value;
        // A wrong try first: counted on DynamoDB, answered at the field.
        var wrong = (await tenant.Api.PostAsync("/settings/email-verification/confirm", new { code = code == "000000" ? "111111" : "000000" })).Expect(422).Body;
        Assert.Contains("4 tries left", wrong["errors"]![0]!["detail"]!.GetValue<string>());
        var settings = (await tenant.Api.PostAsync("/settings/email-verification/confirm", new { code })).Expect(200).Body;
        Assert.True(settings["emailVerified"]!.GetValue<bool>());
        return mail;
    }

    /// <summary>A customer whose e-mail is unique to this call: every message the test expects goes there.</summary>
    public static async Task<(string Id, string Email)> NewCustomerAsync(Tenant tenant, string name = "Müller GmbH")
    {
        var email = $"billing-{Guid.NewGuid():N}@customer.example";
        var id = (await tenant.Api.PostAsync("/customers", ApiData.Customer(name, email))).Expect(201).Id;
        return (id, email);
    }

    /// <summary>A draft with these lines (default: three lines, two tax rates, a line discount).</summary>
    public static async Task<JsonNode> NewDraftAsync(Tenant tenant, string customerId, object[]? lines = null, string? notes = "Thank you for your business.")
    {
        lines ??=
        [
            ApiData.Line("Design work (hours)", 10, 95.50m, taxRate: 19),
            ApiData.Line("Travel to Leipzig", 1, 120m, taxRate: 7),
            ApiData.Line("Font licence", 3, 49.99m, discount: 10, taxRate: 19),
        ];
        return (await tenant.Api.PostAsync("/invoices", ApiData.Invoice(customerId, lines: lines, notes: notes))).Expect(201).Body;
    }

    public static async Task<JsonNode> GetInvoiceAsync(Tenant tenant, string invoiceId) =>
        (await tenant.Api.GetAsync($"/invoices/{invoiceId}")).Expect(200).Body;

    /// <summary>Polls the invoice until <paramref name="condition"/> holds (the worker writes its outcome on it).</summary>
    public static async Task<JsonNode> WaitForInvoiceAsync(Tenant tenant, string invoiceId, Func<JsonNode, bool> condition, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var invoice = await GetInvoiceAsync(tenant, invoiceId);
            if (condition(invoice)) return invoice;
            if (watch.Elapsed > (timeout ?? TimeSpan.FromSeconds(30)))
                throw new TimeoutException($"invoice {invoiceId} never got there: {invoice.ToJsonString()}");
            await Task.Delay(50);
        }
    }

    public static bool Delivered(JsonNode invoice, string status) =>
        invoice["deliveries"]?.AsArray() is { Count: > 0 } deliveries && deliveries.All(d => d?["status"]?.GetValue<string>() == status);

    public static bool DocumentCurrent(JsonNode invoice) =>
        invoice["document"]?["version"]?.GetValue<int>() == invoice["version"]!.GetValue<int>();

    /// <summary>The stream records of one invoice the pipe read, oldest first, with what the pipe did with each (Body: the stream record).</summary>
    public IReadOnlyList<(PipeRecord Record, JsonNode Body)> RecordsOf(string invoiceId) =>
        Pipe.Recent.Where(record => record.Keys.StartsWith("id=", StringComparison.Ordinal) && IsOf(invoiceId, record.Keys[3..])).Select(record => (record, JsonNode.Parse(record.Record)!)).ToList();

    /// <summary>Waits until the pipe has passed a record of the invoice that matches (e.g. the one with the delivery request).</summary>
    public async Task<(PipeRecord Record, JsonNode Body)> WaitForPassedRecordAsync(string invoiceId, Func<JsonNode, bool> match)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var found = RecordsOf(invoiceId).LastOrDefault(r => r.Record.Passed && match(r.Body));
            if (found.Body is not null) return found;
            if (watch.Elapsed > TimeSpan.FromSeconds(15)) throw new TimeoutException($"the pipe passed no such record of {invoiceId}");
            await Task.Delay(20);
        }
    }

    public static int NewImageVersion(JsonNode record) =>
        int.Parse(record["dynamodb"]!["NewImage"]!["version"]!["N"]!.GetValue<string>(), CultureInfo.InvariantCulture);

    /// <summary>The record of a new e-mail request (an item of its own, <c>delivery#{invoiceId}#{requestId}</c>).</summary>
    public static bool IsDeliveryRequest(JsonNode record) =>
        record["eventName"]?.GetValue<string>() == "INSERT" && EntityOf(record) == "Delivery";

    /// <summary>A record of the invoice item itself.</summary>
    public static bool IsInvoiceRecord(JsonNode record) => EntityOf(record) == "Invoice";

    private static string? EntityOf(JsonNode record) => record["dynamodb"]?["NewImage"]?["entity"]?["S"]?.GetValue<string>();

    /// <summary>The invoice's own item, or one of its e-mail requests.</summary>
    public static bool IsOf(string invoiceId, string? itemId) =>
        itemId is not null && (itemId == invoiceId || itemId.StartsWith($"delivery#{invoiceId}#", StringComparison.Ordinal));

    /// <summary>Waits until none of these messages is in the queue any more (deleted after success, or moved to the DLQ).</summary>
    public async Task WaitUntilGoneFromQueueAsync(IEnumerable<string> messageIds, TimeSpan? timeout = null)
    {
        var ids = messageIds.ToHashSet();
        var watch = Stopwatch.StartNew();
        while (Queue.Peek().Any(message => ids.Contains(message.MessageId)))
        {
            if (watch.Elapsed > (timeout ?? TimeSpan.FromSeconds(30))) throw new TimeoutException("the messages are still in the queue");
            await Task.Delay(20);
        }
    }

    /// <summary>The dead letters about one invoice (the pipe's message, or a whole stream record queued before the input template).</summary>
    public IReadOnlyList<QueueMessageInfo> DeadLettersOf(string invoiceId) =>
        DeadLetters.Peek().Where(message => IsOf(invoiceId, IdOf(JsonNode.Parse(message.Body)))).ToList();

    /// <summary>The item a message of DocumentsQueue is about.</summary>
    public static string? IdOf(JsonNode? body) =>
        body?["id"]?.GetValue<string>() ?? body?["dynamodb"]?["Keys"]?["id"]?["S"]?.GetValue<string>();

    public static string Amount(decimal amount) => amount.ToString("N2", CultureInfo.InvariantCulture);

    public static string Amount(JsonNode? node) => Amount(node!.GetValue<decimal>());
}

/// <summary>A tenant (<see cref="Sub"/>): its API client and the business profile its documents carry.</summary>
public sealed record Tenant(ApiClient Api, string Sub, string BusinessName, string Email);
