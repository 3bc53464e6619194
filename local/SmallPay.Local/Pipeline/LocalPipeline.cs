using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Microsoft.Extensions.Logging;
using SmallPay.Functions.Hosting;
using SmallPay.Local.Aws;
using SmallPay.Local.Functions;
using SmallPay.Local.Provisioning;
using SmallPay.Local.Template;

namespace SmallPay.Local.Pipeline;

/// <summary>How the local pipeline runs (the test fixture shortens the visibility timeout).</summary>
public sealed record LocalPipelineOptions
{
    /// <summary>Replaces every queue's VisibilityTimeout (the template's suits Lambda timeouts, not a test run).</summary>
    public TimeSpan? VisibilityTimeout { get; init; }

    /// <summary>How often a pipe asks its stream for new records when there were none.</summary>
    public TimeSpan StreamPollInterval { get; init; } = TimeSpan.FromMilliseconds(150);

    /// <summary>Concurrent batches per queue consumer when the event sets no ScalingConfig.MaximumConcurrency.</summary>
    public int DefaultConsumerConcurrency { get; init; } = 2;
}

/// <summary>
/// template.yaml's asynchronous side, in this process: each <c>AWS::SQS::Queue</c> as a <see cref="LocalQueue"/>
/// (VisibilityTimeout, MessageRetentionPeriod, MaximumMessageSize, RedrivePolicy), each <c>AWS::Pipes::Pipe</c> from a DynamoDB stream to a
/// queue as a <see cref="LocalPipe"/> (StartingPosition, BatchSize, FilterCriteria, MaximumRetryAttempts,
/// MaximumRecordAgeInSeconds, OnPartialBatchItemFailure, DeadLetterConfig, TargetParameters.InputTemplate), and each function's <c>SQS</c> event as a
/// <see cref="QueueConsumer"/> calling the function's warm handler (BatchSize, MaximumBatchingWindowInSeconds,
/// FunctionResponseTypes, ScalingConfig, FilterCriteria, Enabled).
/// </summary>
public sealed class LocalPipeline : IAsyncDisposable
{
    public const string QueueType = "AWS::SQS::Queue";
    public const string PipeType = "AWS::Pipes::Pipe";

    private readonly ILogger _logger;
    private readonly IAmazonDynamoDB _dynamo;
    private readonly DynamoDbStreamsClient _streams;
    private readonly LocalPipelineOptions _options;
    private readonly SemaphoreSlim _switching = new(1, 1);

    private LocalPipeline(IReadOnlyDictionary<string, LocalQueue> queues, IReadOnlyList<LocalPipe> pipes, IReadOnlyList<QueueConsumer> consumers,
        IReadOnlyList<StreamEventSource> streamSources, ILogger logger, IAmazonDynamoDB dynamo, DynamoDbStreamsClient streams, LocalPipelineOptions options,
        IReadOnlyDictionary<string, LocalEventBus> eventBuses, IReadOnlyList<LocalQueueToBusPipe> busPipes)
    {
        StreamSources = streamSources;
        EventBuses = eventBuses;
        BusPipes = busPipes;
        Queues = queues;
        Pipes = pipes;
        Consumers = consumers;
        _logger = logger;
        _dynamo = dynamo;
        _streams = streams;
        _options = options;
    }

    /// <summary>True between <see cref="StartAsync"/> and <see cref="StopAsync"/>.</summary>
    public bool IsRunning { get; private set; }

    /// <summary>Queues by name (= logical id).</summary>
    public IReadOnlyDictionary<string, LocalQueue> Queues { get; }

    public IReadOnlyList<LocalPipe> Pipes { get; }

    /// <summary>The template's event buses by logical id, with their rules and archive.</summary>
    public IReadOnlyDictionary<string, LocalEventBus> EventBuses { get; }

    /// <summary>The pipes from a queue to an event bus (EventsPipe).</summary>
    public IReadOnlyList<LocalQueueToBusPipe> BusPipes { get; }

    public IReadOnlyList<QueueConsumer> Consumers { get; }

    /// <summary>The functions' <c>Type: DynamoDB</c> events (the change feed's RecordChanges).</summary>
    public IReadOnlyList<StreamEventSource> StreamSources { get; }

    public StreamEventSource StreamSource(string functionLogicalId, string eventName) =>
        StreamSources.FirstOrDefault(s => s.FunctionLogicalId == functionLogicalId && s.EventName == eventName)
        ?? throw new ArgumentException($"no DynamoDB event {eventName} of {functionLogicalId}", nameof(eventName));

    public LocalQueue Queue(string name) =>
        Queues.TryGetValue(name, out var queue) ? queue : throw new ArgumentException($"no queue {name}; queues: {string.Join(", ", Queues.Keys)}", nameof(name));

    public LocalPipe Pipe(string name) =>
        Pipes.FirstOrDefault(pipe => pipe.Name == name) ?? throw new ArgumentException($"no pipe {name}", nameof(name));

    /// <summary>The dead-letter queues: those some queue's redrive policy names, the pipes' (DeadLetterConfig), and the
    /// stream event sources' on-failure destinations.</summary>
    public IEnumerable<LocalQueue> DeadLetterQueues =>
        Queues.Values.Where(queue => queue.Sources.Count > 0 || Pipes.Any(pipe => pipe.DeadLetterQueue == queue) || StreamSourcesFailingTo(queue).Any());

    /// <summary>The functions' DynamoDB events whose DestinationConfig.OnFailure names this queue.</summary>
    public IEnumerable<StreamEventSource> StreamSourcesFailingTo(LocalQueue queue) => StreamSources.Where(source => source.Settings.OnFailure == queue);

    /// <summary>The pipes whose DeadLetterConfig names this queue.</summary>
    public IEnumerable<LocalPipe> PipesDeadLetteringTo(LocalQueue queue) => Pipes.Where(pipe => pipe.DeadLetterQueue == queue);

    /// <summary>Reads the queues, pipes and SQS events of the template; nothing runs before <see cref="StartAsync"/>.</summary>
    /// <param name="dynamo">Finds each pipe's stream (DescribeTable).</param>
    /// <param name="streams">Reads the streams.</param>
    public static LocalPipeline Build(
        LocalResources resources, LocalEndpoints endpoints, IAmazonDynamoDB dynamo, DynamoDbStreamsClient streams, LocalPipelineOptions options,
        ILogger logger, Func<string, ILambdaHandler?>? handlerOverride = null)
    {
        var template = resources.Template;
        var resolver = resources.Resolver;
        var queues = ReadQueues(template, resolver, options);
        foreach (var queue in queues.Values)
            queue.MovedToDeadLetterQueue += (source, message) => logger.LogWarning(
                "{Queue}: message {MessageId} moved to {DeadLetterQueue} after {Receives} receives",
                source.Name, message.MessageId, source.DeadLetterQueue!.Name, message.ApproximateReceiveCount);

        var eventBuses = ReadEventBuses(template, resolver, queues, logger);
        var busPipes = new List<LocalQueueToBusPipe>();
        var pipes = new List<LocalPipe>();
        foreach (var resource in template.ResourcesOfType(PipeType))
        {
            var properties = resolver.Resolve(resource.Properties) as JsonObject ?? new JsonObject();
            if (properties["DesiredState"].AsText() == "STOPPED") continue;
            var source = properties["Source"].AsText() ?? "";
            var target = properties["Target"].AsText() ?? "";
            if (QueueOfArn(source) is { } sourceQueueName && queues.TryGetValue(sourceQueueName, out var sourceQueue)
                && LogicalIdOf(resource.Properties?["Target"]) is { } busId && eventBuses.TryGetValue(busId, out var bus))
            {
                var busParameters = properties["TargetParameters"]?["EventBridgeEventBusParameters"];
                PipeInputTemplate? busTemplate = null;
                if (properties["TargetParameters"]?["InputTemplate"].AsText() is { } busTemplateText) busTemplate = PipeInputTemplate.Parse(busTemplateText);
                busPipes.Add(new LocalQueueToBusPipe(resource.LogicalId, sourceQueue, bus, busParameters?["Source"].AsText() ?? "",
                    busParameters?["DetailType"].AsText() ?? "", busTemplate, properties["SourceParameters"]?["SqsQueueParameters"]?["BatchSize"].AsInt() ?? 10, logger));
                continue;
            }
            if (TableOfStream(source) is not { } table || QueueOfArn(target) is not { } queueName || !queues.TryGetValue(queueName, out var queue))
            {
                logger.LogWarning("pipe {Pipe}: only DynamoDB stream → SQS queue pipes run locally ({Source} → {Target}); skipped",
                    resource.LogicalId, source, target);
                continue;
            }
            var sourceParameters = properties["SourceParameters"];
            var filter = ReadFilter(sourceParameters?["FilterCriteria"], $"pipe {resource.LogicalId}");
            var stream = sourceParameters?["DynamoDBStreamParameters"];
            var startingPosition = stream?["StartingPosition"].AsText() ?? "LATEST";
            LocalQueue? deadLetterQueue = null;
            if (stream?["DeadLetterConfig"]?["Arn"].AsText() is { } deadLetterArn
                && (QueueOfArn(deadLetterArn) is not { } deadLetterName || !queues.TryGetValue(deadLetterName, out deadLetterQueue)))
                throw new InvalidDataException($"{template.Path}: pipe {resource.LogicalId}'s DeadLetterConfig names no queue of the template ({deadLetterArn})");
            PipeInputTemplate? inputTemplate = null;
            if (properties["TargetParameters"]?["InputTemplate"].AsText() is { } templateText)
            {
                try { inputTemplate = PipeInputTemplate.Parse(templateText); }
                catch (InvalidDataException error) { throw new InvalidDataException($"{template.Path}: pipe {resource.LogicalId}: {error.Message}", error); }
            }
            pipes.Add(new LocalPipe(resource.LogicalId, table, queue, filter, startingPosition, logger, new LocalPipeSettings
            {
                BatchSize = stream?["BatchSize"].AsInt() ?? 10,
                MaximumRetryAttempts = stream?["MaximumRetryAttempts"].AsInt() ?? -1,
                MaximumRecordAgeInSeconds = stream?["MaximumRecordAgeInSeconds"].AsInt() ?? -1,
                BisectOnFailure = stream?["OnPartialBatchItemFailure"].AsText() == "AUTOMATIC_BISECT",
                DeadLetterQueue = deadLetterQueue,
                InputTemplate = inputTemplate,
            }));
        }

        var consumers = new List<QueueConsumer>();
        foreach (var function in SamFunction.ReadAll(template))
        {
            foreach (var (eventName, type, raw) in function.Events)
            {
                if (type != "SQS") continue;
                var properties = resolver.Resolve(raw) as JsonObject ?? new JsonObject();
                if (QueueOfArn(properties["Queue"].AsText() ?? "") is not { } queueName || !queues.TryGetValue(queueName, out var queue))
                {
                    logger.LogWarning("{Function}: event {Event} reads a queue the template does not declare; skipped", function.LogicalId, eventName);
                    continue;
                }
                var source = new SqsEventSource(
                    function.LogicalId,
                    queueName,
                    properties["BatchSize"].AsInt() ?? 10,
                    TimeSpan.FromSeconds(properties["MaximumBatchingWindowInSeconds"].AsInt() ?? 0),
                    properties["FunctionResponseTypes"].AsList().Any(item => item.AsText() == "ReportBatchItemFailures"),
                    properties["ScalingConfig"]?["MaximumConcurrency"].AsInt() ?? options.DefaultConsumerConcurrency,
                    properties["FilterCriteria"] is { } criteria ? ReadFilter(criteria, $"{function.LogicalId} event {eventName}") : null,
                    properties["Enabled"].AsBool() ?? true);
                var (handler, reason) = LocalHandlerFactory.Create(function, resolver, endpoints, logger, handlerOverride);
                if (handler is null)
                {
                    logger.LogWarning("{Function}: no handler ({Reason}); {Queue} is not consumed", function.LogicalId, reason, queueName);
                    continue;
                }
                consumers.Add(new QueueConsumer(source, queue, handler, resolver.Resolve(function.Properties["Timeout"]).AsInt() is { } seconds
                    ? TimeSpan.FromSeconds(seconds) : function.Timeout, logger));
            }
        }
        var streamSources = new List<StreamEventSource>();
        foreach (var function in SamFunction.ReadAll(template))
        {
            foreach (var (eventName, type, raw) in function.Events)
            {
                if (type != "DynamoDB") continue;
                var properties = resolver.Resolve(raw) as JsonObject ?? new JsonObject();
                if (TableOfStream(properties["Stream"].AsText() ?? "") is not { } table)
                {
                    logger.LogWarning("{Function}: event {Event} reads no table's stream; skipped", function.LogicalId, eventName);
                    continue;
                }
                if (properties["Enabled"].AsBool() == false) continue;
                LocalQueue? onFailure = null;
                if (properties["DestinationConfig"]?["OnFailure"]?["Destination"].AsText() is { } destination
                    && (QueueOfArn(destination) is not { } failureQueue || !queues.TryGetValue(failureQueue, out onFailure)))
                    throw new InvalidDataException($"{template.Path}: {function.LogicalId} event {eventName}: DestinationConfig.OnFailure names no queue of the template ({destination})");
                var (handler, reason) = LocalHandlerFactory.Create(function, resolver, endpoints, logger, handlerOverride);
                if (handler is null)
                {
                    logger.LogWarning("{Function}: no handler ({Reason}); the stream of {Table} is not read for it", function.LogicalId, reason, table);
                    continue;
                }
                streamSources.Add(new StreamEventSource(function.LogicalId, eventName, table, properties["StartingPosition"].AsText() ?? "LATEST",
                    properties["FilterCriteria"] is { } criteria ? ReadFilter(criteria, $"{function.LogicalId} event {eventName}") : PipeFilter.PassAll,
                    handler, resolver.Resolve(function.Properties["Timeout"]).AsInt() is { } seconds ? TimeSpan.FromSeconds(seconds) : function.Timeout, logger,
                    new StreamEventSourceSettings
                    {
                        BatchSize = properties["BatchSize"].AsInt() ?? 100,
                        BisectOnError = properties["BisectBatchOnFunctionError"].AsBool() ?? false,
                        MaximumRetryAttempts = properties["MaximumRetryAttempts"].AsInt() ?? -1,
                        MaximumRecordAgeInSeconds = properties["MaximumRecordAgeInSeconds"].AsInt() ?? -1,
                        ReportBatchItemFailures = properties["FunctionResponseTypes"].AsList().Any(item => item.AsText() == "ReportBatchItemFailures"),
                        OnFailure = onFailure,
                    }));
            }
        }
        return new LocalPipeline(queues, pipes, consumers, streamSources, logger, dynamo, streams, options, eventBuses, busPipes);
    }

    /// <summary>
    /// Finds each pipe's stream and positions on it (nothing written after this returns is missed), then starts the
    /// pipes and the consumers. <paramref name="startingPosition"/> replaces the pipes' own (a test that starts the
    /// pipeline late passes LATEST: what was written while it was stopped is not its business). Does nothing when running.
    /// </summary>
    public async Task StartAsync(string? startingPosition = null, CancellationToken cancellationToken = default)
    {
        await _switching.WaitAsync(cancellationToken);
        try
        {
            if (IsRunning) return;
            await Task.WhenAll(Pipes.Select(async pipe =>
            {
                var table = await _dynamo.DescribeTableAsync(pipe.SourceTable, cancellationToken);
                var streamArn = table.Table.LatestStreamArn
                    ?? throw new InvalidDataException($"pipe {pipe.Name}: table {pipe.SourceTable} has no stream (StreamSpecification)");
                await pipe.StartAsync(_streams, streamArn, _options.StreamPollInterval, startingPosition, cancellationToken);
            }));
            await Task.WhenAll(StreamSources.Select(async source =>
            {
                var table = await _dynamo.DescribeTableAsync(source.SourceTable, cancellationToken);
                var streamArn = table.Table.LatestStreamArn
                    ?? throw new InvalidDataException($"{source.FunctionLogicalId} event {source.EventName}: table {source.SourceTable} has no stream (StreamSpecification)");
                await source.StartAsync(_streams, streamArn, _options.StreamPollInterval, startingPosition, cancellationToken);
            }));
            foreach (var consumer in Consumers) consumer.Start();
            foreach (var busPipe in BusPipes) busPipe.Start();
            IsRunning = true;
            _logger.LogDebug("pipeline: {Pipes} pipe(s), {Queues} queue(s), {Consumers} consumer(s) running", Pipes.Count, Queues.Count, Consumers.Count);
        }
        finally
        {
            _switching.Release();
        }
    }

    /// <summary>
    /// Stops the pipes (no more stream records) and then the consumers (the batches in flight finish first). The
    /// queues keep their messages: they are consumed after the next <see cref="StartAsync"/>.
    /// </summary>
    public async Task StopAsync()
    {
        await _switching.WaitAsync();
        try
        {
            foreach (var pipe in Pipes) await pipe.StopAsync();
            foreach (var busPipe in BusPipes) await busPipe.StopAsync();
            foreach (var source in StreamSources) await source.StopAsync();
            await Task.WhenAll(Consumers.Select(consumer => consumer.StopAsync()));
            IsRunning = false;
        }
        finally
        {
            _switching.Release();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static Dictionary<string, LocalQueue> ReadQueues(SamTemplate template, IntrinsicResolver resolver, LocalPipelineOptions options)
    {
        var queues = new Dictionary<string, LocalQueue>(StringComparer.Ordinal);
        var policies = new List<(LocalQueue Queue, JsonNode Policy)>();
        foreach (var resource in template.ResourcesOfType(QueueType))
        {
            var properties = resolver.Resolve(resource.Properties) as JsonObject ?? new JsonObject();
            var name = LocalResourceNames.Queue(resource.LogicalId);
            var queue = new LocalQueue(
                name,
                options.VisibilityTimeout ?? TimeSpan.FromSeconds(properties["VisibilityTimeout"].AsInt() ?? 30),
                TimeSpan.FromSeconds(properties["MessageRetentionPeriod"].AsInt() ?? 345_600),
                maximumMessageSize: properties["MaximumMessageSize"].AsInt() ?? LocalQueue.DefaultMaximumMessageSize);
            queues[name] = queue;
            if (properties["RedrivePolicy"] is { } policy) policies.Add((queue, policy));
        }
        foreach (var (queue, raw) in policies)
        {
            // CloudFormation takes the policy as an object or as a JSON string.
            var policy = raw is JsonValue text && text.GetValueKind() == JsonValueKind.String ? JsonNode.Parse(text.GetValue<string>()) : raw;
            var target = QueueOfArn(policy?["deadLetterTargetArn"].AsText() ?? "");
            if (target is null || !queues.TryGetValue(target, out var deadLetterQueue))
                throw new InvalidDataException($"{template.Path}: {queue.Name}'s RedrivePolicy names no queue of the template");
            queue.SetRedrivePolicy(deadLetterQueue, policy?["maxReceiveCount"].AsInt() ?? 10);
        }
        return queues;
    }

    private static PipeFilter ReadFilter(JsonNode? criteria, string owner)
    {
        try
        {
            return PipeFilter.FromCriteria(criteria);
        }
        catch (InvalidDataException error)
        {
            throw new InvalidDataException($"{owner}: FilterCriteria: {error.Message}", error);
        }
    }

    public const string EventBusType = "AWS::Events::EventBus";

    /// <summary>Each <c>AWS::Events::EventBus</c> with its rules (EventPattern → SQS targets) and its archive (EventPattern, RetentionDays).</summary>
    private static Dictionary<string, LocalEventBus> ReadEventBuses(SamTemplate template, IntrinsicResolver resolver, Dictionary<string, LocalQueue> queues, ILogger logger)
    {
        var buses = new Dictionary<string, LocalEventBus>(StringComparer.Ordinal);
        foreach (var resource in template.ResourcesOfType(EventBusType))
        {
            var rules = new List<LocalEventRule>();
            foreach (var rule in template.ResourcesOfType("AWS::Events::Rule").Where(r => LogicalIdOf(r.Properties?["EventBusName"]) == resource.LogicalId))
            {
                var properties = resolver.Resolve(rule.Properties) as JsonObject ?? new JsonObject();
                if (properties["State"].AsText() is "DISABLED") continue;
                var targets = properties["Targets"].AsList().Select(t => QueueOfArn(t?["Arn"].AsText() ?? "") is { } q && queues.TryGetValue(q, out var queue) ? queue : null)
                    .OfType<LocalQueue>().ToList();
                rules.Add(new LocalEventRule(rule.LogicalId, PatternOf(properties["EventPattern"]), targets));
            }
            var archive = template.ResourcesOfType("AWS::Events::Archive").FirstOrDefault(a => LogicalIdOf(a.Properties?["SourceArn"]) == resource.LogicalId);
            var archiveProperties = archive is null ? null : resolver.Resolve(archive.Properties) as JsonObject;
            buses[resource.LogicalId] = new LocalEventBus(resource.LogicalId, rules,
                archiveProperties is null ? null : archiveProperties["EventPattern"] is { } p ? PatternOf(p) : EventPattern.Parse("{}"),
                archiveProperties?["RetentionDays"].AsInt() is > 0 and var days ? TimeSpan.FromDays(days) : null, logger);
        }
        return buses;
    }

    // CloudFormation takes an EventPattern as an object or as a JSON string.
    private static EventPattern PatternOf(JsonNode? pattern) =>
        EventPattern.Parse(pattern is JsonValue text && text.GetValueKind() == JsonValueKind.String ? text.GetValue<string>() : pattern?.ToJsonString() ?? "{}");

    /// <summary>The logical id a property names with <c>Ref</c> or <c>Fn::GetAtt</c> (unresolved), else null.</summary>
    internal static string? LogicalIdOf(JsonNode? raw) => raw switch
    {
        JsonObject o when o["Ref"].AsText() is { } id => id,
        JsonObject o when o["Fn::GetAtt"] is JsonArray a => a[0].AsText(),
        JsonObject o when o["Fn::GetAtt"].AsText() is { } dotted => dotted.Split('.')[0],
        _ => null,
    };

    // arn:aws:dynamodb:region:account:table/Name/stream/label → Name
    internal static string? TableOfStream(string arn)
    {
        var start = arn.IndexOf(":table/", StringComparison.Ordinal);
        if (start < 0 || !arn.StartsWith("arn:aws:dynamodb:", StringComparison.Ordinal)) return null;
        var rest = arn[(start + ":table/".Length)..];
        var end = rest.IndexOf("/stream", StringComparison.Ordinal);
        return end < 0 ? null : rest[..end];
    }

    // arn:aws:sqs:region:account:Name → Name
    internal static string? QueueOfArn(string arn) =>
        arn.StartsWith("arn:aws:sqs:", StringComparison.Ordinal) ? arn[(arn.LastIndexOf(':') + 1)..] : null;
}
