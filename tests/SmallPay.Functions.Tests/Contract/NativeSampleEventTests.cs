using SmallPay.Local.Demo;
using System.Text.Json;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Tests.Hosting.Runtime;
using SmallPay.Functions.Tests.Infrastructure;
using SmallPay.Local.RuntimeApi;
using Xunit.Abstractions;

namespace SmallPay.Functions.Tests.Contract;

/// <summary>
/// Every file in events/, run through the published Native AOT executable (the bootstrap sam build packages) under a
/// local Lambda Runtime API, with the environment template.yaml gives its function, against the local emulators: what
/// <c>make invoke FN=… EVENT=…</c> does, and what Lambda does on provided.al2023.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed class NativeSampleEventTests(LocalStackFixture stack, PublishedFunctions published, ITestOutputHelper output) : IClassFixture<PublishedFunctions>
{
    public static TheoryData<string> Events()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(PublishedFunctions.RepositoryRoot, "events"), "*.json").Order()) data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Events))]
    public async Task Sample_event_succeeds_through_the_native_executable(string eventFile)
    {
        await SampleEventData.ResetAsync(stack.DynamoDb, stack.FunctionEnvironment, CancellationToken.None);
        var function = string.Concat(Path.GetFileNameWithoutExtension(eventFile).Split('-').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
        await using var emulator = await RuntimeApiEmulator.StartAsync();
        await using var process = FunctionProcess.Start(new FunctionProcessOptions(published.BootstrapPath, emulator.Address, function)
        {
            LambdaFunctionName = function + "Function",
            Environment = stack.Host.FunctionVariables(function),
            OnOutputLine = line => { try { output.WriteLine(line); } catch (InvalidOperationException) { } },
        });

        var result = await process.InvokeAsync(emulator, await File.ReadAllBytesAsync(Path.Combine(PublishedFunctions.RepositoryRoot, "events", eventFile)), TimeSpan.FromSeconds(30));

        Assert.True(result.Outcome == InvocationOutcome.Succeeded, $"{eventFile}: {result.Outcome} {result.Error?.ErrorMessage}\n{string.Join('\n', process.OutputLines)}");
        if (function is "DocumentWorker" or "MailEvents")
        {
            // The SQS batch response: nothing to retry, and the function did its work.
            using var batch = JsonDocument.Parse(result.Payload);
            Assert.Equal(0, batch.RootElement.GetProperty("batchItemFailures").GetArrayLength());
            var delivery = await ReadAsync(SmallPay.Functions.Storage.ItemMapping.DeliveryId(SampleEventData.SentInvoice, SampleEventData.PendingDelivery));
            if (function == "DocumentWorker")
            {
                // It rendered the invoice and mailed it.
                Assert.Equal("Sent", delivery["result"].M["status"].S);
                Assert.True((await ReadAsync(SampleEventData.SentInvoice)).ContainsKey("document"), "the worker recorded the rendered PDF");
            }
            else
            {
                // The bounce put the address on the business's suppression list (the seeded request was never tried, so
                // there is no outcome to mark: MailEventsTests covers that on a delivered invoice).
                Assert.NotEmpty(await ReadAsync($"suppressed#{SampleEventData.Sub}#billing@mueller-gmbh.example"));
            }
            return;
        }
        if (function == "RecordChanges")
        {
            // The stream batch response: nothing to retry; the customer's edit is in its history (and its event was sent
            // to DomainEventsQueue through the local host's SQS endpoint, else the record would have failed).
            using var batch = JsonDocument.Parse(result.Payload);
            Assert.Equal(0, batch.RootElement.GetProperty("batchItemFailures").GetArrayLength());
            var history = await new SmallPay.Functions.Storage.DynamoDbActivityStore(stack.DynamoDb, stack.FunctionEnvironment.Require("INVOICES_TABLE"))
                .ListAsync(SampleEventData.Sub, SampleEventData.CustomerWithInvoices, 10, null, CancellationToken.None);
            Assert.Contains(history.Items, entry => entry.Kind == "edited" && entry.Changes.Any(change => change.Field == "phone"));
            return;
        }
        if (function == "RunRecurring")
        {
            // The scheduler's invocation: it reports what it did, and the seeded due profile made its latest period's invoice.
            using var report = JsonDocument.Parse(result.Payload);
            Assert.True(report.RootElement.GetProperty("invoiced").GetInt32() >= 1, $"run-recurring.json: {result.Payload.Length} bytes, nothing invoiced");
            var profile = await new SmallPay.Functions.Storage.DynamoDbRecurringStore(stack.DynamoDb, stack.FunctionEnvironment.Require("INVOICES_TABLE"),
                stack.FunctionEnvironment.Require("CUSTOMERS_TABLE")).GetAsync(SampleEventData.Sub, SampleEventData.RecurringProfile, CancellationToken.None);
            Assert.NotNull(profile);
            Assert.Equal(1, profile.InvoicesMade);
            var invoiceId = Assert.Single(profile.Runs, run => !run.Skipped).InvoiceId!;
            var invoice = await ReadAsync(invoiceId);
            Assert.Equal(SampleEventData.RecurringProfile, invoice["recurringProfileId"].S);
            Assert.True(profile.NextRun > DateOnly.FromDateTime(DateTime.UtcNow), $"the next run {profile.NextRun} is not after today");
            return;
        }
        if (function == "DeliverWebhooks")
        {
            // The event became one delivery to the seeded endpoint subscribed to InvoicePaid (its host resolves nowhere:
            // the attempt records that, and the delivery waits for its retry).
            using var batch = JsonDocument.Parse(result.Payload);
            Assert.Equal(0, batch.RootElement.GetProperty("batchItemFailures").GetArrayLength());
            var made = await ReadAsync(SmallPay.Functions.Storage.DynamoDbWebhookStore.DeliveryItemId(
                SmallPay.Domain.Webhooks.WebhookDelivery.IdOf(SampleEventData.Webhook, "evt_01JE43E1A2B3C4D5E6F7G8H9J2")));
            Assert.Equal("Pending", made["status"].S);
            Assert.Contains("refused", Assert.Single(made["attempts"].L).M["error"].S, StringComparison.Ordinal);
            return;
        }
        if (function == "RetryWebhooks")
        {
            // The seeded delivery's retry was due; its first try was more than a day ago, so this last one settles it Failed.
            using var report = JsonDocument.Parse(result.Payload);
            Assert.Equal(1, report.RootElement.GetProperty("tried").GetInt32());
            var retried = await ReadAsync(SmallPay.Functions.Storage.DynamoDbWebhookStore.DeliveryItemId(SampleEventData.WebhookDelivery));
            Assert.Equal("Failed", retried["status"].S);
            Assert.Equal(2, retried["attempts"].L.Count);
            return;
        }
        if (function == "RunReminders")
        {
            // The seeded invoices await payment under an enabled plan: each got one reminder (the latest that fell), as its own delivery item.
            using var report = JsonDocument.Parse(result.Payload);
            Assert.True(report.RootElement.GetProperty("requested").GetInt32() >= 1, $"run-reminders.json: {System.Text.Encoding.UTF8.GetString(result.Payload)}");
            var invoice = await new SmallPay.Functions.Storage.DynamoDbInvoiceStore(stack.DynamoDb, stack.FunctionEnvironment.Require("INVOICES_TABLE"),
                stack.FunctionEnvironment.Require("CUSTOMERS_TABLE")).GetAsync(SampleEventData.Sub, SampleEventData.OpenInvoice, CancellationToken.None);
            var reminder = Assert.Single(invoice!.DeliveryRequests, r => r.Kind == SmallPay.Domain.Documents.DeliveryKind.Reminder);
            Assert.StartsWith("after-7", reminder.ReminderKey);
            return;
        }
        var response = JsonSerializer.Deserialize(result.Payload, HttpApiJsonContext.Default.HttpApiResponse)!;
        var expected = ContractInvocation.DocumentedSuccess(function);
        Assert.True(response.StatusCode == expected, $"{eventFile} → {function}: expected {expected}, got {ContractInvocation.Describe(response)}");
    }

    private async Task<Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>> ReadAsync(string id) =>
        (await stack.DynamoDb.GetItemAsync(new Amazon.DynamoDBv2.Model.GetItemRequest
        {
            TableName = stack.FunctionEnvironment.Require("INVOICES_TABLE"),
            Key = new() { ["id"] = new Amazon.DynamoDBv2.Model.AttributeValue { S = id } },
            ConsistentRead = true,
        })).Item ?? [];
}
