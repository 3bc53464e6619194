using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using SmallPay.Functions.Hosting;
using SmallPay.Local.Pipeline;
using SmallPay.Local.Template;

namespace SmallPay.Functions.Tests.Local.Pipeline;

/// <summary>
/// The local Lambda DynamoDB event source (a function's <c>Type: DynamoDB</c> event): batches in order, the filter,
/// batch item failures retried from the first failed record, bisecting, MaximumRetryAttempts, the on-failure queue
/// with Lambda's description of the batch; and that template.yaml's RecordChanges events are read as declared.
/// </summary>
public sealed class StreamEventSourceTests
{
    /// <summary>Records what it was invoked with; fails as <see cref="Fail"/> says (by sequence number).</summary>
    private sealed class ScriptedHandler : ILambdaHandler
    {
        public List<List<string>> Batches { get; } = [];
        public Func<string, int, bool> Fail { get; set; } = (_, _) => false;
        public bool Throw { get; set; }
        private readonly Dictionary<string, int> _tries = new();

        public Task<byte[]> HandleAsync(ReadOnlyMemory<byte> eventJson, LambdaInvocation invocation, CancellationToken cancellationToken)
        {
            var sequences = JsonNode.Parse(eventJson.Span)!["Records"]!.AsArray().Select(r => r!["dynamodb"]!["SequenceNumber"]!.GetValue<string>()).ToList();
            Batches.Add(sequences);
            if (Throw) throw new InvalidOperationException("boom");
            var failures = new JsonArray();
            foreach (var sequence in sequences)
            {
                var tries = _tries[sequence] = _tries.GetValueOrDefault(sequence) + 1;
                if (!Fail(sequence, tries)) continue;
                failures.Add(new JsonObject { ["itemIdentifier"] = sequence });
                break; // RecordChanges stops at its first failure
            }
            return Task.FromResult(Encoding.UTF8.GetBytes(new JsonObject { ["batchItemFailures"] = failures }.ToJsonString()));
        }
    }

    private static JsonObject Record(int sequence, string entity = "Invoice")
    {
        var record = StreamRecords.Record("MODIFY", StreamRecords.Item(entity, $"id_{sequence}"));
        record["dynamodb"]!["SequenceNumber"] = $"{sequence:D21}";
        record["dynamodb"]!["ApproximateCreationDateTime"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return record;
    }

    private static StreamEventSource Source(ScriptedHandler handler, LocalQueue? onFailure = null, int batchSize = 25, bool bisect = true, int retries = 2) =>
        new("RecordChangesFunction", "InvoiceChanges", "InvoicesTable", "LATEST",
            PipeFilter.FromPatterns("""{"dynamodb": {"NewImage": {"entity": {"S": ["Invoice", "Delivery"]}}}}"""),
            handler, TimeSpan.FromSeconds(5), NullLogger.Instance,
            new StreamEventSourceSettings
            {
                BatchSize = batchSize, BisectOnError = bisect, MaximumRetryAttempts = retries, ReportBatchItemFailures = true, OnFailure = onFailure,
                RetryDelay = TimeSpan.Zero,
            });

    private static string Seq(int n) => $"{n:D21}";

    [Fact]
    public async Task Records_the_filter_passes_go_in_order_in_batches_of_BatchSize()
    {
        var handler = new ScriptedHandler();
        var source = Source(handler, batchSize: 2);

        await source.DeliverAsync("shard-1", [Record(1), Record(2, "Activity"), Record(3), Record(4, "Delivery"), Record(5)], CancellationToken.None);

        Assert.Equal([[Seq(1), Seq(3)], [Seq(4), Seq(5)]], handler.Batches);
        Assert.Equal((5, 4), (source.RecordsRead, source.RecordsPassed));
    }

    [Fact]
    public async Task A_reported_failure_retries_the_batch_from_that_record_and_nothing_is_skipped()
    {
        var handler = new ScriptedHandler { Fail = (sequence, tries) => sequence == Seq(2) && tries == 1 };
        var source = Source(handler, bisect: false);

        await source.DeliverAsync("shard-1", [Record(1), Record(2), Record(3)], CancellationToken.None);

        Assert.Equal([[Seq(1), Seq(2), Seq(3)], [Seq(2), Seq(3)]], handler.Batches);
        Assert.Equal(0, source.RecordsGivenUp);
    }

    [Fact]
    public async Task A_record_that_keeps_failing_is_bisected_down_to_itself_retried_and_described_in_the_on_failure_queue()
    {
        var onFailure = new LocalQueue("RecordChangesFailureQueue", TimeSpan.FromSeconds(30));
        var handler = new ScriptedHandler { Fail = (sequence, _) => sequence == Seq(3) };
        var source = Source(handler, onFailure, retries: 2);

        await source.DeliverAsync("shard-7", [Record(1), Record(2), Record(3), Record(4), Record(5)], CancellationToken.None);

        // 1-5 fails at 3 → [3,4,5] bisected → [3] tried 3 times (the first and 2 retries) and given up → [4,5] done.
        Assert.Equal([Seq(1), Seq(2), Seq(3), Seq(4), Seq(5)], handler.Batches[0]);
        Assert.Equal(3, handler.Batches.Count(b => b.SequenceEqual([Seq(3)])));
        Assert.Equal([Seq(4), Seq(5)], handler.Batches[^1]);
        Assert.Equal(1, source.RecordsGivenUp);
        var described = JsonNode.Parse(Assert.Single(onFailure.Peek()).Body)!;
        Assert.Equal("RetryAttemptsExhausted", described["requestContext"]!["condition"]!.GetValue<string>());
        Assert.Equal((Seq(3), Seq(3), 1, "shard-7"), (described["DDBStreamBatchInfo"]!["startSequenceNumber"]!.GetValue<string>(),
            described["DDBStreamBatchInfo"]!["endSequenceNumber"]!.GetValue<string>(), described["DDBStreamBatchInfo"]!["batchSize"]!.GetValue<int>(),
            described["DDBStreamBatchInfo"]!["shardId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_function_error_fails_the_whole_batch()
    {
        var onFailure = new LocalQueue("RecordChangesFailureQueue", TimeSpan.FromSeconds(30));
        var handler = new ScriptedHandler { Throw = true };
        var source = Source(handler, onFailure, bisect: false, retries: 1);

        await source.DeliverAsync("shard-1", [Record(1), Record(2)], CancellationToken.None);

        Assert.Equal(2, handler.Batches.Count);
        Assert.Equal(2, JsonNode.Parse(Assert.Single(onFailure.Peek()).Body)!["DDBStreamBatchInfo"]!["batchSize"]!.GetValue<int>());
    }

    [Fact]
    public void The_templates_RecordChanges_events_read_both_streams_with_the_declared_settings()
    {
        var template = SamTemplate.Load(Path.Combine(Contract.ContractFiles.RepositoryRoot, "template.yaml"));
        var function = Assert.Single(SamFunction.ReadAll(template), f => f.LogicalId == "RecordChangesFunction");
        var events = function.Events.Where(e => e.Type == "DynamoDB").ToList();

        Assert.Equal(["CustomerChanges", "InvoiceChanges"], events.Select(e => e.Name).Order());
        Assert.All(events, e =>
        {
            Assert.Equal("ReportBatchItemFailures", Assert.Single(e.Properties["FunctionResponseTypes"].AsList()).AsText());
            Assert.True(e.Properties["BisectBatchOnFunctionError"].AsBool());
            Assert.Equal("LATEST", e.Properties["StartingPosition"].AsText());
            Assert.NotNull(e.Properties["DestinationConfig"]?["OnFailure"]?["Destination"]);
            var filter = PipeFilter.FromCriteria(e.Properties["FilterCriteria"]);
            // Never its own Activity items (no loop), nor what has no history.
            Assert.False(filter.Passes(StreamRecords.Record("INSERT", StreamRecords.Item("Activity", "activity#act_1"))));
            Assert.False(filter.Passes(StreamRecords.Record("INSERT", StreamRecords.Item("Settings", "settings#t"))));
        });
        var invoices = PipeFilter.FromCriteria(events.Single(e => e.Name == "InvoiceChanges").Properties["FilterCriteria"]);
        foreach (var entity in new[] { "Invoice", "Delivery", "CreditNote" })
            Assert.True(invoices.Passes(StreamRecords.Record("MODIFY", StreamRecords.Item(entity, "x"))), entity);
        var customers = PipeFilter.FromCriteria(events.Single(e => e.Name == "CustomerChanges").Properties["FilterCriteria"]);
        Assert.True(customers.Passes(StreamRecords.Record("REMOVE", null, StreamRecords.Item("Customer", "cus_1"))));
        Assert.False(customers.Passes(StreamRecords.Record("INSERT", StreamRecords.Item("EmailClaim", "email#t#a"))));
    }
}
