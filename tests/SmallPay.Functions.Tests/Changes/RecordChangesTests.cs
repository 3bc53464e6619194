using System.Text.Json;
using Json.Schema;
using SmallPay.Domain.Changes;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Functions.Changes;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Hosting.Sqs;
using SmallPay.Functions.Hosting.Streams;
using SmallPay.Functions.Tests.Contract;
using SmallPay.Testing;
using static SmallPay.Functions.Tests.Changes.ChangeRecords;

namespace SmallPay.Functions.Tests.Changes;

/// <summary>
/// RecordChanges through the catalogue's function (the Lambda DynamoDB event JSON in, the batch response out) over the
/// in-memory stores: exactly-once in effect, batch item failures, and every event against its JSON Schema
/// (schemas/events/{Type}.v1.json, checked with JsonSchema.Net 8.0.5).
/// </summary>
public sealed class RecordChangesTests
{
    private readonly InMemoryFunctionServices _services = new();

    private async Task<StreamBatchResponse> InvokeAsync(params DynamoDbStreamRecord[] records)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new DynamoDbEvent { Records = [.. records] }, StreamJsonContext.Default.DynamoDbEvent);
        var output = await _services.Function("RecordChanges").HandleAsync(json, LambdaInvocation.Local(TimeSpan.FromSeconds(30)), CancellationToken.None);
        return JsonSerializer.Deserialize(output, StreamJsonContext.Default.StreamBatchResponse)!;
    }

    /// <summary>A realistic life: created, edited, finalized, sent, delivered, part paid, paid; a credit note; a customer created and edited; a void.</summary>
    private static List<DynamoDbStreamRecord> Life()
    {
        var draft = Draft();
        var edited = Next(draft, d => InvoiceLifecycle.Edit(d, d.Content with { Notes = "Thanks" }, d.Customer, Now.AddMinutes(1)));
        var open = Next(edited, d => InvoiceLifecycle.Finalize(d, "INV-000006", d.Customer, Now.AddMinutes(2)));
        var part = Next(open, i => InvoiceLifecycle.RecordPayment(i, new Payment("pay_01JE41B2C3D4E5F6G7H8J9K0M1", 428m, new DateOnly(2026, 12, 6), PaymentMethod.BankTransfer, null, Now.AddDays(1)), new DateOnly(2026, 12, 6)));
        var paid = Next(part, i => InvoiceLifecycle.RecordPayment(i, new Payment("pay_01JE41B2C3D4E5F6G7H8J9K0M2", 1000m, new DateOnly(2026, 12, 7), PaymentMethod.Card, "rest", Now.AddDays(2)), new DateOnly(2026, 12, 7)));
        var other = Next(Draft("inv_01JE40A2B3C4D5E6F7G8H9J0K5"), d => InvoiceLifecycle.Finalize(d, "INV-000007", d.Customer, Now));
        var voided = Next(other, i => InvoiceLifecycle.Void(i, "Issued twice", Now.AddHours(1)));
        var request = Request(DeliveryKind.Invoice, "billing@mueller-gmbh.example", "old@mueller-gmbh.example") with { RequestedAt = Now.AddMinutes(3) };
        var claimed = Delivery(open.Id, request, new DeliveryResult(DeliveryStatus.Sending, Now, Attempts: 1), "worker");
        var settled = Delivery(open.Id, request, new DeliveryResult(DeliveryStatus.PartlySent, SentAt: Now.AddMinutes(4), Attempts: 1, Recipients:
        [
            new RecipientOutcome("billing@mueller-gmbh.example", RecipientStatus.Delivered, null, Now.AddMinutes(4)),
            new RecipientOutcome("old@mueller-gmbh.example", RecipientStatus.Refused, "550 5.1.1 user unknown"),
        ]), "worker");
        var customer = NewCustomer();
        var customerEdited = customer with { Details = customer.Details with { Phone = "+49 30 1234567" }, Version = 2 };
        return
        [
            Insert(Item(draft)), Modify(Item(draft), Item(edited)), Modify(Item(edited), Item(open)),
            Insert(Delivery(open.Id, request)), Modify(Delivery(open.Id, request), claimed), Modify(claimed, settled),
            Modify(Item(open), Item(part)), Modify(Item(part), Item(paid)), Insert(CreditNote(open.Id)),
            Modify(Item(other), Item(voided)),
            Insert(Customer(customer), stream: CustomersStream), Modify(Customer(customer), Customer(customerEdited), stream: CustomersStream),
        ];
    }

    [Fact]
    public async Task A_batch_writes_the_history_and_sends_one_event_per_domain_event()
    {
        var response = await InvokeAsync([.. Life()]);

        Assert.Empty(response.BatchItemFailures);
        var history = await _services.Activity.ListAsync(Business, "inv_01JE40A2B3C4D5E6F7G8H9J0K4", 100, null, CancellationToken.None);
        Assert.Equal(
            [ActivityKinds.Credited, ActivityKinds.Paid, ActivityKinds.PaymentRecorded, ActivityKinds.PaymentRecorded, ActivityKinds.DeliveryFailed,
             ActivityKinds.Delivered, ActivityKinds.Sent, ActivityKinds.Finalized, ActivityKinds.Edited, ActivityKinds.Created],
            history.Items.Select(a => a.Kind).ToArray());
        Assert.Equal(
            [DomainEventTypes.InvoiceFinalized, DomainEventTypes.InvoiceSent, DomainEventTypes.InvoiceDelivered, DomainEventTypes.InvoiceDeliveryFailed,
             DomainEventTypes.PaymentRecorded, DomainEventTypes.PaymentRecorded, DomainEventTypes.InvoicePaid, DomainEventTypes.CreditNoteIssued,
             DomainEventTypes.InvoiceVoided, DomainEventTypes.CustomerCreated, DomainEventTypes.CustomerUpdated],
            _services.PublishedEvents.Sent.Select(e => e.Type).ToArray());
    }

    [Fact]
    public async Task The_same_batch_delivered_twice_doubles_nothing_and_sends_the_same_ids_again()
    {
        var records = Life();
        await InvokeAsync([.. records]);
        var entries = _services.Stores.Activity.All.Select(a => a.Id).Order().ToList();
        var sent = _services.PublishedEvents.Sent.Select(e => e.Id).ToList();

        var response = await InvokeAsync([.. records]);

        Assert.Empty(response.BatchItemFailures);
        Assert.Equal(entries, _services.Stores.Activity.All.Select(a => a.Id).Order().ToList());
        Assert.Equal([.. sent, .. sent], _services.PublishedEvents.Sent.Select(e => e.Id).ToList());
        Assert.Equal(sent.Count, sent.Distinct().Count());
    }

    [Fact]
    public async Task A_failing_record_is_reported_by_its_sequence_number_and_the_batch_stops_there()
    {
        var records = Life().Take(4).ToList();
        records[2].Dynamodb!.NewImage!["version"] = new DynamoDbJsonValue { N = "3" };
        var malformed = new DynamoDbStreamRecord { EventName = "SOMETHING", Dynamodb = new DynamoDbStreamChange { SequenceNumber = NextSequence() } };
        records.Insert(2, malformed);

        var response = await InvokeAsync([.. records]);

        var failure = Assert.Single(response.BatchItemFailures);
        Assert.Equal(malformed.Dynamodb.SequenceNumber, failure.ItemIdentifier);
        // The two records before it are done; nothing after it was handled (it is retried first, in order).
        Assert.Equal([ActivityKinds.Created, ActivityKinds.Edited], _services.Stores.Activity.All.OrderBy(a => a.At).Select(a => a.Kind).ToArray());
    }

    [Fact]
    public async Task Events_that_could_not_be_sent_fail_the_record_and_its_retry_sends_them_with_the_same_ids()
    {
        var records = Life().Skip(2).Take(1).ToArray(); // the finalization
        _services.PublishedEvents.FailWith = new RetryableRecordException("DomainEventsQueue refused 1 of 1 event(s)");
        var failed = await InvokeAsync(records);
        _services.PublishedEvents.FailWith = null;

        var retried = await InvokeAsync(records);

        Assert.Equal(records[0].Dynamodb!.SequenceNumber, Assert.Single(failed.BatchItemFailures).ItemIdentifier);
        Assert.Empty(retried.BatchItemFailures);
        var e = Assert.Single(_services.PublishedEvents.Sent);
        Assert.Equal(ChangeInterpreter.Interpret(StreamChanges.From(records[0])).Events[0].Id, e.Id);
        Assert.Single(_services.Stores.Activity.All);
    }

    // ---- schemas --------------------------------------------------------------------------------------------------

    // Loaded once for the test run: JsonSchema.Net registers each schema's $id globally and refuses a second load.
    internal static readonly Dictionary<string, JsonSchema> Schemas = DomainEventTypes.All.ToDictionary(type => type, type =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(ContractFiles.RepositoryRoot, "schemas", "events", $"{type}.v1.json"))));

    internal static EvaluationResults Validate(string type, string json)
    {
        using var document = JsonDocument.Parse(json);
        return Schemas[type].Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    private static string Problems(EvaluationResults results) =>
        string.Join("; ", (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));

    [Fact]
    public void Every_event_type_has_a_schema_and_every_event_of_a_realistic_life_validates_against_it()
    {
        var events = Life().SelectMany(r => ChangeInterpreter.Interpret(StreamChanges.From(r)).Events).ToList();
        events.AddRange(ChangeInterpreter.Interpret(StreamChanges.From(Insert(Delivery("inv_01JE40A2B3C4D5E6F7G8H9J0K4", Request(DeliveryKind.Reminder))))).Events);

        Assert.Equal(DomainEventTypes.All.Order(), events.Select(e => e.Type).Distinct().Order());
        Assert.All(events, e =>
        {
            var body = JsonDocument.Parse(DomainEventJson.MessageBody(e)).RootElement;
            Assert.Equal(e.Type, body.GetProperty("detail-type").GetString());
            var envelope = body.GetProperty("detail").GetRawText();
            var results = Validate(e.Type, envelope);
            Assert.True(results.IsValid, $"{e.Type}: {Problems(results)}\n{envelope}");
        });
    }

    [Fact]
    public void A_malformed_event_fails_its_schema()
    {
        var e = ChangeInterpreter.Interpret(StreamChanges.From(Life()[2])).Events.Single();
        var good = DomainEventJson.Envelope(e);

        Assert.True(Validate(e.Type, good).IsValid);
        Assert.False(Validate(e.Type, good.Replace("\"schemaVersion\":1", "\"schemaVersion\":2")).IsValid, "a wrong schemaVersion");
        Assert.False(Validate(e.Type, good.Replace("\"number\":\"INV-000006\",", "")).IsValid, "data without its number");
        Assert.False(Validate(e.Type, good.Replace("\"data\":{", "\"data\":{\"surprise\":true,")).IsValid, "a field the schema does not know");
        Assert.False(Validate(e.Type, good.Replace(e.Id, "evt_123")).IsValid, "an id of the wrong shape");
        Assert.False(Validate(DomainEventTypes.InvoicePaid, good).IsValid, "an InvoiceFinalized is no InvoicePaid");
    }

    [Fact]
    public void The_envelope_has_exactly_the_documented_shape()
    {
        var e = ChangeInterpreter.Interpret(StreamChanges.From(Life()[2])).Events.Single();

        using var envelope = JsonDocument.Parse(DomainEventJson.Envelope(e));

        Assert.Equal(["id", "type", "schemaVersion", "business", "entityId", "time", "actor", "data"], envelope.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2026-12-05T10:02:00.000Z", envelope.RootElement.GetProperty("time").GetString());
        Assert.Equal(30, envelope.RootElement.GetProperty("id").GetString()!.Length);
    }
}
