using System.Text.Json.Nodes;
using SmallPay.Functions.Tests.Infrastructure;
using SmallPay.Functions.Tests.Local.Pipeline;
using SmallPay.Local;
using SmallPay.Local.Pipeline;
using SmallPay.Local.Template;

namespace SmallPay.Functions.Tests.Pipeline;

/// <summary>The filter of template.yaml's DocumentsPipe, as the local pipe reads and applies it.</summary>
[Collection(LocalStackCollection.Name)]
public sealed class DocumentsPipeFilterTests(LocalStackFixture stack) : PipelineTest(stack)
{
    private static readonly Lazy<PipeFilter> TemplateFilter = new(() =>
    {
        var template = SamTemplate.Load(RepositoryLayout.FindTemplate());
        var pipe = template.Resources["DocumentsPipe"];
        var properties = new IntrinsicResolver(template).Resolve(pipe.Properties)!;
        return PipeFilter.FromCriteria(properties["SourceParameters"]!["FilterCriteria"]);
    });

    [Theory]
    [MemberData(nameof(DocumentsFilterCases.All), MemberType = typeof(DocumentsFilterCases))]
    public void The_template_filter_passes_what_must_be_rendered_or_mailed_and_nothing_else(string record, bool passes) =>
        Assert.Equal(passes, TemplateFilter.Value.Passes(DocumentsFilterCases.Record(record)));

    public static TheoryData<string, bool> CreditNoteCases() => new()
    {
        { "credit note issued (INSERT, api)", true },
        { "credit note refunded (MODIFY, api)", true },
        { "the worker recorded the credit note's PDF (MODIFY, worker)", false },
        { "a credit note item without changedBy", false },
        { "credit note number claimed", false },
        { "a credit note's e-mail request (INSERT, Delivery)", true },
    };

    [Theory]
    [MemberData(nameof(CreditNoteCases))]
    public void The_template_filter_passes_the_API_writes_of_credit_notes_and_their_e_mails_and_not_the_workers_own(string record, bool passes)
    {
        static JsonObject Note(string? changedBy, int version)
        {
            var image = StreamRecords.Item("CreditNote", "crn_01TEST", changedBy);
            image["version"] = new JsonObject { ["N"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            image["business"] = new JsonObject { ["S"] = "tenant-1" };
            return image;
        }
        var stream = record switch
        {
            "credit note issued (INSERT, api)" => StreamRecords.Record("INSERT", Note("api", 1)),
            "credit note refunded (MODIFY, api)" => StreamRecords.Record("MODIFY", Note("api", 2), Note("api", 1)),
            "the worker recorded the credit note's PDF (MODIFY, worker)" => StreamRecords.Record("MODIFY", Note("worker", 1), Note("api", 1)),
            "a credit note item without changedBy" => StreamRecords.Record("MODIFY", Note(null, 1)),
            "credit note number claimed" => StreamRecords.Record("INSERT", StreamRecords.Item("CreditNoteNumberClaim", "credit-note-number#tenant-1#CN-000001")),
            _ => StreamRecords.Record("INSERT", StreamRecords.Item("Delivery", "delivery#crn_01TEST#dlv_01TEST", "api")),
        };
        Assert.Equal(passes, TemplateFilter.Value.Passes(stream));
    }

    [Fact]
    public void The_local_pipe_applies_the_template_filter_as_written()
    {
        var pipe = Stack.Pipeline.Pipe("DocumentsPipe");

        Assert.Equal(TemplateFilter.Value.Patterns.Select(p => p.Text), pipe.Filter.Patterns.Select(p => p.Text));
        Assert.Equal("InvoicesTable", pipe.SourceTable);
        Assert.Equal("DocumentsQueue", pipe.Target.Name);
    }

    [Fact]
    public void The_local_pipe_has_the_templates_input_template_retry_policy_and_dead_letter_queue()
    {
        var pipe = Stack.Pipeline.Pipe("DocumentsPipe");
        var stream = SamTemplate.Load(RepositoryLayout.FindTemplate()).Resources["DocumentsPipe"].Properties["SourceParameters"]!["DynamoDBStreamParameters"]!;

        Assert.Equal(PipelineDriver.PipeDeadLetterQueueName, pipe.DeadLetterQueue?.Name);
        Assert.Equal(stream["MaximumRetryAttempts"].AsInt(), pipe.Settings.MaximumRetryAttempts);
        Assert.Equal(stream["MaximumRecordAgeInSeconds"].AsInt(), pipe.Settings.MaximumRecordAgeInSeconds);
        Assert.True(pipe.Settings.BisectOnFailure);
        Assert.NotNull(pipe.Settings.InputTemplate);
        Assert.Equal(LocalQueue.DefaultMaximumMessageSize, pipe.Target.MaximumMessageSize);
        Assert.Contains(pipe, Stack.Pipeline.PipesDeadLetteringTo(pipe.DeadLetterQueue!));
    }

    [Fact]
    public async Task On_the_stack_the_pipe_passes_the_API_writes_of_a_sent_invoice_and_drops_the_workers_own()
    {
        var pipeline = new PipelineDriver(Stack);
        var tenant = await pipeline.NewTenantAsync("Filter Works", prefix: "FW-");
        var (customerId, customerEmail) = await PipelineDriver.NewCustomerAsync(tenant);
        var invoiceId = (await PipelineDriver.NewDraftAsync(tenant, customerId))["id"]!.GetValue<string>();
        (await tenant.Api.PutAsync($"/invoices/{invoiceId}", Api.ApiData.Invoice(customerId, notes: "edited draft"), "\"1\"")).Expect(200);

        (await tenant.Api.PostAsync($"/invoices/{invoiceId}/send", new { })).Expect(202);
        await Stack.MailSink.WaitForRecipientAsync(customerEmail);
        await PipelineDriver.WaitForInvoiceAsync(tenant, invoiceId, i => PipelineDriver.Delivered(i, "Sent") && PipelineDriver.DocumentCurrent(i));
        await Until(() => pipeline.RecordsOf(invoiceId).Count(r => ChangedBy(r.Body) == "worker") >= 2);

        var records = pipeline.RecordsOf(invoiceId);
        var invoiceRecords = records.Where(r => PipelineDriver.IsInvoiceRecord(r.Body)).ToList();
        string Status(JsonNode body) => body["dynamodb"]!["NewImage"]!["status"]!["S"]!.GetValue<string>();
        // The draft's INSERT and edit: dropped.
        Assert.All(invoiceRecords.Where(r => Status(r.Body) == "Draft"), r => Assert.False(r.Record.Passed));
        Assert.Equal(2, invoiceRecords.Count(r => Status(r.Body) == "Draft"));
        // The send: the invoice's finalization and the new e-mail request (an item of its own), each passed once.
        var passed = Assert.Single(invoiceRecords, r => r.Record.Passed);
        Assert.Equal("api", ChangedBy(passed.Body));
        Assert.NotEqual("Draft", Status(passed.Body));
        var request = Assert.Single(records, r => r.Record.Passed && PipelineDriver.IsDeliveryRequest(r.Body));
        Assert.Equal(2, records.Count(r => r.Record.Passed));
        Assert.Equal($"{{\"eventName\":\"INSERT\",\"entity\":\"Delivery\",\"id\":\"{request.Body["dynamodb"]!["Keys"]!["id"]!["S"]!.GetValue<string>()}\",\"version\":\"\"}}", request.Record.MessageBody);
        // The worker's bookkeeping (document, delivery claim and outcome): read, and dropped every time.
        Assert.All(records.Where(r => ChangedBy(r.Body) == "worker"), r => Assert.False(r.Record.Passed));
    }

    private static string? ChangedBy(JsonNode body) => body["dynamodb"]?["NewImage"]?["changedBy"]?["S"]?.GetValue<string>();

    private static async Task Until(Func<bool> condition)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(10)) throw new TimeoutException("the condition did not hold in time");
            await Task.Delay(20);
        }
    }
}
