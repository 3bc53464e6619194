using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Tests.Infrastructure;
using SmallPay.Local;
using SmallPay.Local.Commands;
using SmallPay.Local.Pipeline;

namespace SmallPay.Functions.Tests.Local.Pipeline;

/// <summary>
/// A template of its own (a table with a stream, a pipe with a filter, a queue with a dead-letter queue, a function
/// with an SQS event, a bucket, and a second pipe with an input template, a retry policy and a dead-letter queue of its
/// own) on the fixture's emulators, with a recording worker: stream → pipe → queue → consumer → DLQ → redrive, end to
/// end, whatever the real template holds.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed class LocalPipelineTests(LocalStackFixture stack) : IAsyncLifetime
{
    private readonly string _table = $"ProbeTable{Guid.NewGuid():N}"[..24];
    private readonly ProbeWorker _worker = new();
    private LocalStackHost? _host;
    private string? _root;

    private const string FilterPattern =
        """{"eventName":["INSERT","MODIFY"],"dynamodb":{"NewImage":{"kind":{"S":["render"]},"by":{"S":[{"anything-but":["worker"]}]}}}}""";

    private const string MessagePattern = """{"dynamodb":{"NewImage":{"kind":{"S":["message"]}}}}""";

    private const string MessageTemplate = """{"id": <$.dynamodb.Keys.id.S>, "tenant": <$.dynamodb.NewImage.by.S>, "note": <$.dynamodb.NewImage.note.S>}""";

    private LocalStackHost Host => _host!;

    private string Template => $$"""
        AWSTemplateFormatVersion: "2010-09-09"
        Transform: AWS::Serverless-2016-10-31
        Globals:
          Function:
            Handler: SmallPay.Functions
            Timeout: 2
            Environment:
              Variables:
                PROBE_TABLE: !Ref {{_table}}
        Resources:
          {{_table}}:
            Type: AWS::DynamoDB::Table
            Properties:
              BillingMode: PAY_PER_REQUEST
              AttributeDefinitions:
                - AttributeName: id
                  AttributeType: S
              KeySchema:
                - AttributeName: id
                  KeyType: HASH
              StreamSpecification:
                StreamViewType: NEW_AND_OLD_IMAGES
          ProbeBucket:
            Type: AWS::S3::Bucket
            Properties:
              VersioningConfiguration:
                Status: Enabled
          ProbeQueue:
            Type: AWS::SQS::Queue
            Properties:
              VisibilityTimeout: 60
              RedrivePolicy:
                deadLetterTargetArn: !GetAtt ProbeDeadLetterQueue.Arn
                maxReceiveCount: 3
          ProbeDeadLetterQueue:
            Type: AWS::SQS::Queue
            Properties:
              MessageRetentionPeriod: 1209600
          ProbePipe:
            Type: AWS::Pipes::Pipe
            Properties:
              RoleArn: arn:aws:iam::123456789012:role/probe
              Source: !GetAtt {{_table}}.StreamArn
              SourceParameters:
                DynamoDBStreamParameters:
                  StartingPosition: LATEST
                  BatchSize: 10
                FilterCriteria:
                  Filters:
                    - Pattern: '{{FilterPattern}}'
              Target: !GetAtt ProbeQueue.Arn
          ProbeMessagesQueue:
            Type: AWS::SQS::Queue
            Properties:
              VisibilityTimeout: 60
          ProbePipeDeadLetterQueue:
            Type: AWS::SQS::Queue
            Properties:
              MessageRetentionPeriod: 1209600
          ProbeMessagesPipe:
            Type: AWS::Pipes::Pipe
            Properties:
              RoleArn: arn:aws:iam::123456789012:role/probe
              Source: !GetAtt {{_table}}.StreamArn
              SourceParameters:
                DynamoDBStreamParameters:
                  StartingPosition: LATEST
                  BatchSize: 10
                  MaximumRetryAttempts: 2
                  MaximumRecordAgeInSeconds: 3600
                  OnPartialBatchItemFailure: AUTOMATIC_BISECT
                  DeadLetterConfig:
                    Arn: !GetAtt ProbePipeDeadLetterQueue.Arn
                FilterCriteria:
                  Filters:
                    - Pattern: '{{MessagePattern}}'
              Target: !GetAtt ProbeMessagesQueue.Arn
              TargetParameters:
                InputTemplate: '{{MessageTemplate}}'
          ProbeWorkerFunction:
            Type: AWS::Serverless::Function
            Properties:
              Environment:
                Variables:
                  SMALLPAY_FUNCTION: ProbeWorker
                  PROBE_BUCKET: !Ref ProbeBucket
                  PROBE_QUEUE_URL: !Ref ProbeQueue
              Events:
                Queue:
                  Type: SQS
                  Properties:
                    Queue: !GetAtt ProbeQueue.Arn
                    BatchSize: 5
                    FunctionResponseTypes:
                      - ReportBatchItemFailures
        """;

    public async Task InitializeAsync()
    {
        _root = Directory.CreateTempSubdirectory("smallpay-pipeline-").FullName;
        var templatePath = Path.Combine(_root, "template.yaml");
        await File.WriteAllTextAsync(templatePath, Template);
        _host = await LocalStackHost.StartAsync(new LocalStackOptions
        {
            StartSchedules = false,
            Port = 0,
            ListenHost = "127.0.0.1",
            AwsEndpoint = stack.Host.AwsEndpoint,
            DynamoDbEndpoint = stack.Host.DynamoDbEndpoint,
            TemplatePath = templatePath,
            RepositoryRoot = _root,
            SeedDemo = false,
            StartMailSink = false,
            QueueVisibilityTimeout = TimeSpan.FromMilliseconds(200),
            StreamPollInterval = TimeSpan.FromMilliseconds(50),
            MinimumLogLevel = LogLevel.Critical,
            HandlerOverride = name => name == "ProbeWorker" ? _worker : null,
        });
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        if (_root is not null) Directory.Delete(_root, recursive: true);
    }

    private Task PutAsync(string id, string kind, string by = "api", string? note = null)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["id"] = new() { S = id },
            ["kind"] = new() { S = kind },
            ["by"] = new() { S = by },
            ["name"] = new() { S = "Müller, Łódź, Ελληνικά, Кириллица" },
        };
        if (note is not null) item["note"] = new AttributeValue { S = note };
        return stack.DynamoDb.PutItemAsync(new PutItemRequest { TableName = _table, Item = item });
    }

    [Fact]
    public async Task A_record_the_filter_passes_reaches_the_worker_as_an_SQS_message_whose_body_is_the_stream_record()
    {
        var id = $"item-{Guid.NewGuid():N}";

        await PutAsync(id, "render");
        await PutAsync(id, "render", note: "changed");

        var records = await _worker.WaitForAsync(id, count: 2);
        var insert = JsonNode.Parse(records[0]["body"]!.GetValue<string>())!;
        var modify = JsonNode.Parse(records[1]["body"]!.GetValue<string>())!;
        Assert.Equal("INSERT", insert["eventName"]!.GetValue<string>());
        Assert.Equal("aws:dynamodb", insert["eventSource"]!.GetValue<string>());
        Assert.Equal(id, insert["dynamodb"]!["Keys"]!["id"]!["S"]!.GetValue<string>());
        Assert.Equal("Müller, Łódź, Ελληνικά, Кириллица", insert["dynamodb"]!["NewImage"]!["name"]!["S"]!.GetValue<string>());
        Assert.Equal("NEW_AND_OLD_IMAGES", insert["dynamodb"]!["StreamViewType"]!.GetValue<string>());
        Assert.NotNull(insert["dynamodb"]!["SequenceNumber"]);
        Assert.NotNull(insert["dynamodb"]!["ApproximateCreationDateTime"]);
        Assert.Equal(Host.Pipeline!.Pipe("ProbePipe").StreamArn, insert["eventSourceARN"]!.GetValue<string>());
        Assert.Null(insert["dynamodb"]!["OldImage"]);
        Assert.Equal("MODIFY", modify["eventName"]!.GetValue<string>());
        Assert.Equal("changed", modify["dynamodb"]!["NewImage"]!["note"]!["S"]!.GetValue<string>());
        Assert.Null(modify["dynamodb"]!["OldImage"]!["note"]);
        Assert.Equal("aws:sqs", records[0]["eventSource"]!.GetValue<string>());
        Assert.Equal(LocalResourceNames.QueueArn("ProbeQueue"), records[0]["eventSourceARN"]!.GetValue<string>());
    }

    [Fact]
    public async Task Records_the_filter_drops_never_reach_the_queue()
    {
        var noise = $"noise-{Guid.NewGuid():N}";
        var own = $"own-{Guid.NewGuid():N}";
        var marker = $"marker-{Guid.NewGuid():N}";
        var pipe = Host.Pipeline!.Pipe("ProbePipe");

        await PutAsync(noise, "noise");
        await PutAsync(own, "render", by: "worker");
        await stack.DynamoDb.DeleteItemAsync(_table, new Dictionary<string, AttributeValue> { ["id"] = new() { S = noise } });
        await PutAsync(marker, "render");
        await _worker.WaitForAsync(marker);

        Assert.Empty(_worker.RecordsOf(noise));
        Assert.Empty(_worker.RecordsOf(own));
        Assert.Equal(3, pipe.Recent.Count(r => !r.Passed && (r.Keys.Contains(noise) || r.Keys.Contains(own))));
        Assert.True(pipe.RecordsDropped >= 3);
    }

    [Fact]
    public async Task A_failing_record_is_retried_then_dead_lettered_and_a_redrive_brings_it_back_once()
    {
        var id = $"poison-{Guid.NewGuid():N}";
        _worker.Fail(id);
        using var http = new HttpClient { BaseAddress = Host.ApiBaseUrl };

        await PutAsync(id, "render");
        var deadLetter = await WaitForDeadLetterAsync(id);

        Assert.Equal(3, _worker.RecordsOf(id).Count);
        Assert.Equal(new[] { "1", "2", "3" }, _worker.RecordsOf(id).Select(r => r["attributes"]!["ApproximateReceiveCount"]!.GetValue<string>()));
        Assert.Equal(3, deadLetter["approximateReceiveCount"]!.GetValue<int>());
        Assert.Equal(id, deadLetter["body"]!["dynamodb"]!["Keys"]!["id"]!["S"]!.GetValue<string>());
        Assert.Equal(LocalResourceNames.QueueArn("ProbeQueue"), deadLetter["deadLetterQueueSourceArn"]!.GetValue<string>());

        _worker.Heal(id);
        using var redrive = await http.PostAsync("_local/queues/ProbeDeadLetterQueue/redrive", content: null);
        var moved = JsonNode.Parse(await redrive.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, redrive.StatusCode);
        Assert.Equal(1, moved["moved"]!.GetValue<int>());
        Assert.Equal("ProbeQueue", moved["movedTo"]!.GetValue<string>());
        var records = await _worker.WaitForAsync(id, count: 4);
        Assert.Equal("1", records[3]["attributes"]!["ApproximateReceiveCount"]!.GetValue<string>());
        Assert.Equal(deadLetter["messageId"]!.GetValue<string>(), records[3]["messageId"]!.GetValue<string>());
        await Until(() => Host.Pipeline!.Queue("ProbeQueue").Counts() == (0, 0));
        Assert.Empty(Host.Pipeline!.Queue("ProbeDeadLetterQueue").Peek());
    }

    [Fact]
    public async Task The_queue_endpoints_show_queues_pipes_and_refuse_what_makes_no_sense()
    {
        using var http = new HttpClient { BaseAddress = Host.ApiBaseUrl };

        var overview = JsonNode.Parse(await http.GetStringAsync("_local/queues"))!;
        using var unknown = await http.GetAsync("_local/queues/NoSuchQueue");
        using var notDeadLetters = await http.PostAsync("_local/queues/ProbeQueue/redrive", content: null);

        var queues = overview["queues"]!.AsArray();
        var queue = queues.Single(q => q!["name"]!.GetValue<string>() == "ProbeQueue")!;
        var deadLetters = queues.Single(q => q!["name"]!.GetValue<string>() == "ProbeDeadLetterQueue")!;
        Assert.Equal("ProbeDeadLetterQueue", queue["deadLetterQueue"]!.GetValue<string>());
        Assert.Equal(3, queue["maxReceiveCount"]!.GetValue<int>());
        Assert.Equal(0.2, queue["visibilityTimeoutSeconds"]!.GetValue<double>());
        Assert.Equal("ProbeQueue", Assert.Single(deadLetters["deadLetterQueueOf"]!.AsArray())!.GetValue<string>());
        var pipe = overview["pipes"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "ProbePipe")!;
        var templated = overview["pipes"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "ProbeMessagesPipe")!;
        var pipeDeadLetters = queues.Single(q => q!["name"]!.GetValue<string>() == "ProbePipeDeadLetterQueue")!;
        Assert.Equal(MessageTemplate, templated["inputTemplate"]!.GetValue<string>());
        Assert.Equal(("ProbePipeDeadLetterQueue", 2, 3600, "AUTOMATIC_BISECT"), (templated["deadLetterQueue"]!.GetValue<string>(),
            templated["maximumRetryAttempts"]!.GetValue<int>(), templated["maximumRecordAgeInSeconds"]!.GetValue<int>(),
            templated["onPartialBatchItemFailure"]!.GetValue<string>()));
        Assert.Equal("ProbeMessagesPipe", Assert.Single(pipeDeadLetters["deadLetterQueueOfPipes"]!.AsArray())!.GetValue<string>());
        Assert.Empty(pipeDeadLetters["deadLetterQueueOf"]!.AsArray());
        Assert.Equal(262144, queue["maximumMessageSize"]!.GetValue<int>());
        Assert.Null(pipe["inputTemplate"]);
        Assert.Equal("ProbeQueue", pipe["target"]!.GetValue<string>());
        Assert.Equal("LATEST", pipe["startingPosition"]!.GetValue<string>());
        Assert.Contains("anything-but", Assert.Single(pipe["filters"]!.AsArray())!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, notDeadLetters.StatusCode);
    }

    [Fact]
    public async Task A_message_over_256_KiB_is_refused_as_SQS_refuses_it_and_the_record_ends_in_the_pipes_DLQ_while_later_records_go_through()
    {
        var big = $"tenant-a-big-{Guid.NewGuid():N}";
        var small = $"tenant-b-small-{Guid.NewGuid():N}";
        var pipe = Host.Pipeline!.Pipe("ProbeMessagesPipe");
        var messages = Host.Pipeline!.Queue("ProbeMessagesQueue");
        using var http = new HttpClient { BaseAddress = Host.ApiBaseUrl };

        // 300,000 characters in the item (DynamoDB takes up to 400 KB), and so in the message the template makes of it.
        await PutAsync(big, "message", by: "tenant-a", note: new string('n', 300_000));
        await PutAsync(small, "message", by: "tenant-b", note: "fits");

        await Until(() => messages.Peek().Any(m => m.Body.Contains(small, StringComparison.Ordinal)));
        var deadLetter = await UntilFoundAsync(async () =>
            JsonNode.Parse(await http.GetStringAsync("_local/queues/ProbePipeDeadLetterQueue"))!["messages"]!.AsArray().FirstOrDefault());

        Assert.Equal($$"""{"id":"{{small}}","tenant":"tenant-b","note":"fits"}""", messages.Peek().First(m => m.Body.Contains(small, StringComparison.Ordinal)).Body);
        Assert.DoesNotContain(messages.Peek(), m => m.Body.Contains(big, StringComparison.Ordinal));
        var record = Assert.Single(pipe.Recent, r => r.Keys == $"id={big}");
        Assert.Contains("InvalidParameterValue: One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes.", record.Outcome);
        var body = deadLetter["body"]!;
        Assert.Equal("RetryAttemptsExhausted", body["context"]!["condition"]!.GetValue<string>());
        Assert.Equal(1, body["DDBStreamBatchInfo"]!["batchSize"]!.GetValue<int>());
        Assert.Equal(JsonNode.Parse(record.Record)!["dynamodb"]!["SequenceNumber"]!.GetValue<string>(), body["DDBStreamBatchInfo"]!["startSequenceNumber"]!.GetValue<string>());
        Assert.Equal(pipe.StreamArn, body["DDBStreamBatchInfo"]!["streamArn"]!.GetValue<string>());
        Assert.True(pipe.FailedAttempts >= 3, $"{pipe.FailedAttempts} failed attempts: the first and two retries at least");

        // Not a queue's dead letters: nothing to send back.
        using var redrive = await http.PostAsync("_local/queues/ProbePipeDeadLetterQueue/redrive", content: null);
        Assert.Equal(HttpStatusCode.Conflict, redrive.StatusCode);
        var (listed, listing) = await RunCommandAsync("list", "--api-url", Host.ApiBaseUrl.ToString());
        Assert.Equal(0, listed);
        Assert.Contains("ProbePipeDeadLetterQueue: 1 message(s) (dead-letter queue of pipe ProbeMessagesPipe)", listing);
        Assert.Contains("RetryAttemptsExhausted: 1 record(s) of shardId-", listing);
    }

    [Fact]
    public async Task The_dlq_command_lists_every_dead_letter_queue_and_redrives_the_only_queues_one()
    {
        var id = $"cli-{Guid.NewGuid():N}";
        _worker.Fail(id);
        await PutAsync(id, "render");
        await WaitForDeadLetterAsync(id);
        _worker.Heal(id);
        var apiUrl = Host.ApiBaseUrl.ToString();

        var (listed, listing) = await RunCommandAsync("list", "--api-url", apiUrl);
        var (redriven, redriveOutput) = await RunCommandAsync("redrive", "--api-url", apiUrl);

        Assert.Equal(0, listed);
        Assert.Contains("ProbeDeadLetterQueue: 1 message(s) (dead-letter queue of ProbeQueue)", listing);
        Assert.Contains("ProbePipeDeadLetterQueue: 0 message(s) (dead-letter queue of pipe ProbeMessagesPipe)", listing);
        Assert.Contains($"3 receives", listing);
        Assert.Contains($"INSERT id={id}", listing);
        Assert.Equal(0, redriven);
        Assert.Contains("1 message(s) moved from ProbeDeadLetterQueue back to ProbeQueue", redriveOutput);
        await _worker.WaitForAsync(id, count: 4);
    }

    [Fact]
    public async Task Buckets_are_created_on_moto_and_Refs_resolve_to_local_names()
    {
        var bucket = LocalResourceNames.Bucket("ProbeBucket");
        var variables = Host.FunctionVariables("ProbeWorkerFunction");

        var versioning = await stack.Host.S3.GetBucketVersioningAsync(bucket);

        Assert.Equal("smallpay-local-probe-bucket", bucket);
        Assert.Equal(bucket, Host.Resources.Buckets["ProbeBucket"]);
        Assert.Equal(Amazon.S3.VersionStatus.Enabled, versioning.VersioningConfig.Status);
        Assert.Equal(bucket, variables["PROBE_BUCKET"]);
        Assert.Equal(_table, variables["PROBE_TABLE"]);
        Assert.Equal(LocalResourceNames.QueueUrl("ProbeQueue"), variables["PROBE_QUEUE_URL"]);
        Assert.Equal(stack.AwsEndpoint, variables["AWS_ENDPOINT_URL_S3"]);
    }

    [Fact]
    public void The_banner_shows_the_pipeline_and_how_to_reach_its_dead_letters()
    {
        var banner = ServeCommand.Banner(Host, new LocalStackOptions());

        Assert.Contains($"Pipeline     {_table} stream → ProbePipe (filter) → ProbeQueue → ProbeWorkerFunction", banner);
        Assert.Contains("dead letters after 3 receives: ProbeDeadLetterQueue (SmallPay.Local dlq list | redrive)", banner);
        Assert.Contains("records the queue refuses, after 2 retries: ProbePipeDeadLetterQueue (dlq list)", banner);
        Assert.Contains("(bucket smallpay-local-probe-bucket)", banner);
        Assert.DoesNotContain("Mail ", banner);
    }

    private async Task<JsonNode> WaitForDeadLetterAsync(string id)
    {
        using var http = new HttpClient { BaseAddress = Host.ApiBaseUrl };
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var queue = JsonNode.Parse(await http.GetStringAsync("_local/queues/ProbeDeadLetterQueue"))!;
            var found = queue["messages"]!.AsArray().FirstOrDefault(m => m!["body"]!["dynamodb"]!["Keys"]!["id"]!["S"]!.GetValue<string>() == id);
            if (found is not null) return found;
            if (watch.Elapsed > TimeSpan.FromSeconds(15)) throw new TimeoutException($"{id} did not reach the dead-letter queue");
            await Task.Delay(50);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunCommandAsync(params string[] args)
    {
        // The command writes to the console: capture it (tests of this collection run one at a time).
        var original = Console.Out;
        using var output = new StringWriter();
        Console.SetOut(output);
        try
        {
            var exitCode = await DeadLetterCommand.RunAsync(args);
            return (exitCode, output.ToString());
        }
        finally
        {
            Console.SetOut(original);
        }
    }

    private static async Task<JsonNode> UntilFoundAsync(Func<Task<JsonNode?>> find)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (await find() is { } found) return found;
            if (watch.Elapsed > TimeSpan.FromSeconds(15)) throw new TimeoutException("nothing was found in time");
            await Task.Delay(50);
        }
    }

    private static async Task Until(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(10)) throw new TimeoutException("the condition did not hold in time");
            await Task.Delay(20);
        }
    }

    /// <summary>Records every SQS record it gets; fails (batchItemFailures) those of the items it is told to fail.</summary>
    private sealed class ProbeWorker : ILambdaHandler
    {
        private readonly ConcurrentQueue<JsonObject> _records = new();

        private readonly ConcurrentDictionary<string, bool> _failing = new();

        public void Fail(string id) => _failing[id] = true;

        public void Heal(string id) => _failing.TryRemove(id, out _);

        public List<JsonObject> RecordsOf(string id) => _records.Where(r => IdOf(r) == id).ToList();

        public async Task<List<JsonObject>> WaitForAsync(string id, int count = 1)
        {
            var watch = Stopwatch.StartNew();
            while (RecordsOf(id).Count < count)
            {
                if (watch.Elapsed > TimeSpan.FromSeconds(15)) throw new TimeoutException($"{RecordsOf(id).Count} of {count} records of {id} arrived");
                await Task.Delay(20);
            }
            return RecordsOf(id);
        }

        public Task<byte[]> HandleAsync(ReadOnlyMemory<byte> eventJson, LambdaInvocation invocation, CancellationToken cancellationToken)
        {
            var failures = new JsonArray();
            foreach (var record in JsonNode.Parse(eventJson.Span)!["Records"]!.AsArray().Select(r => r!.AsObject()))
            {
                _records.Enqueue((JsonObject)record.DeepClone());
                if (_failing.ContainsKey(IdOf(record) ?? "")) failures.Add(new JsonObject { ["itemIdentifier"] = record["messageId"]!.GetValue<string>() });
            }
            return Task.FromResult(Encoding.UTF8.GetBytes(new JsonObject { ["batchItemFailures"] = failures }.ToJsonString()));
        }

        private static string? IdOf(JsonObject record) =>
            JsonNode.Parse(record["body"]!.GetValue<string>())?["dynamodb"]?["Keys"]?["id"]?["S"]?.GetValue<string>();
    }
}
