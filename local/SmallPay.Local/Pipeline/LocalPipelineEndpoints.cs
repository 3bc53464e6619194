using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace SmallPay.Local.Pipeline;

/// <summary>
/// The local host's view of the pipeline, for people and the <c>dlq</c> command (not part of the API, no token):
/// <list type="bullet">
/// <item><c>GET /_local/queues</c>: every queue with its counts, and the pipes with what they passed and dropped;</item>
/// <item><c>GET /_local/queues/{name}</c>: one queue with its messages (a DLQ's are the failed records);</item>
/// <item><c>POST /_local/queues/{name}/redrive</c>: a dead-letter queue's messages back to their source queue (a pipe's
/// dead-letter queue has none: its messages say where the failed records are in the stream).</item>
/// <item><c>POST /_local/queues/{name}/messages</c>: the body as a new message of the queue (SendMessage);</item>
/// <item><c>GET /_local/events</c>: what the event bus carried (its archive), newest first;</item>
/// <item><c>POST /_local/events/replay</c> <c>{"from", "to", "name"}</c> (all optional): the archived events of that time range
/// back on the bus, marked <c>replay-name</c>, as EventBridge's StartReplay does.</item>
/// </list>
/// </summary>
public static class LocalPipelineEndpoints
{
    public const string Prefix = "/_local/";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Serves the request if it is one of these endpoints.</summary>
    public static async Task<bool> TryServeAsync(HttpContext context, LocalPipeline? pipeline)
    {
        var path = context.Request.Path.Value ?? "";
        if (!path.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var parts = path[Prefix.Length..].Trim('/').Split('/');
        var method = context.Request.Method;

        if (pipeline is null)
        {
            await WriteAsync(context, StatusCodes.Status404NotFound, new JsonObject { ["message"] = "the local pipeline is not running" });
            return true;
        }
        switch (parts)
        {
            case ["queues"] when HttpMethods.IsGet(method):
                await WriteAsync(context, StatusCodes.Status200OK, new JsonObject
                {
                    ["queues"] = new JsonArray(pipeline.Queues.Values.Select(queue => (JsonNode)QueueJson(queue, withMessages: false, pipeline)).ToArray()),
                    ["pipes"] = new JsonArray(pipeline.Pipes.Select(pipe => (JsonNode)PipeJson(pipe)).ToArray()),
                    ["streamEventSources"] = new JsonArray(pipeline.StreamSources.Select(source => (JsonNode)new JsonObject
                    {
                        ["function"] = source.FunctionLogicalId, ["event"] = source.EventName, ["table"] = source.SourceTable,
                        ["running"] = source.IsRunning, ["recordsRead"] = source.RecordsRead, ["recordsPassed"] = source.RecordsPassed,
                        ["invocations"] = source.Invocations, ["failedInvocations"] = source.FailedInvocations, ["recordsGivenUp"] = source.RecordsGivenUp,
                        ["onFailure"] = source.Settings.OnFailure?.Name,
                    }).ToArray()),
                });
                return true;
            case ["queues", var name] when HttpMethods.IsGet(method):
                if (pipeline.Queues.TryGetValue(name, out var queue))
                    await WriteAsync(context, StatusCodes.Status200OK, QueueJson(queue, withMessages: true, pipeline));
                else
                    await NoSuchQueueAsync(context, pipeline, name);
                return true;
            case ["queues", var name, "redrive"] when HttpMethods.IsPost(method):
                if (!pipeline.Queues.TryGetValue(name, out var deadLetterQueue))
                {
                    await NoSuchQueueAsync(context, pipeline, name);
                    return true;
                }
                if (deadLetterQueue.Sources.Count == 0 && pipeline.StreamSourcesFailingTo(deadLetterQueue).Any())
                {
                    await WriteAsync(context, StatusCodes.Status409Conflict, new JsonObject
                    {
                        ["message"] = $"{name} is the on-failure destination of {string.Join(", ", pipeline.StreamSourcesFailingTo(deadLetterQueue).Select(s => $"{s.FunctionLogicalId} ({s.EventName})"))}: "
                            + "its messages say where failed stream records are (DDBStreamBatchInfo), they hold no records to send back. "
                            + "Fix the cause, then make the change again through the API (the stream keeps records 24 hours).",
                    });
                    return true;
                }
                if (deadLetterQueue.Sources.Count == 0 && pipeline.PipesDeadLetteringTo(deadLetterQueue).Any())
                {
                    await WriteAsync(context, StatusCodes.Status409Conflict, new JsonObject
                    {
                        ["message"] = $"{name} is the dead-letter queue of pipe {string.Join(", ", pipeline.PipesDeadLetteringTo(deadLetterQueue).Select(p => p.Name))}: "
                            + "its messages say where failed stream records are (DDBStreamBatchInfo), they hold no records to send back. "
                            + "Fix the cause, then make the change again through the API (the stream keeps records 24 hours).",
                    });
                    return true;
                }
                try
                {
                    var destination = deadLetterQueue.Sources.Count == 1 ? deadLetterQueue.Sources[0].Name : null;
                    var moved = deadLetterQueue.Redrive();
                    await WriteAsync(context, StatusCodes.Status200OK, new JsonObject { ["queue"] = name, ["movedTo"] = destination, ["moved"] = moved });
                }
                catch (InvalidOperationException error)
                {
                    await WriteAsync(context, StatusCodes.Status409Conflict, new JsonObject { ["message"] = error.Message });
                }
                return true;
            case ["queues", var name, "messages"] when HttpMethods.IsPost(method):
            {
                // SendMessage, for trying things locally (a domain event on DomainEventsQueue before the change feed makes one).
                if (!pipeline.Queues.TryGetValue(name, out var target))
                {
                    await NoSuchQueueAsync(context, pipeline, name);
                    return true;
                }
                using var reader = new StreamReader(context.Request.Body);
                var body = await reader.ReadToEndAsync();
                await WriteAsync(context, StatusCodes.Status200OK, new JsonObject { ["queue"] = name, ["messageId"] = target.Send(body) });
                return true;
            }
            case ["events"] when HttpMethods.IsGet(method):
                await WriteAsync(context, StatusCodes.Status200OK, new JsonObject
                {
                    ["buses"] = new JsonArray(pipeline.EventBuses.Values.Select(bus => (JsonNode)new JsonObject
                    {
                        ["name"] = bus.Name,
                        ["archive"] = bus.HasArchive,
                        ["rules"] = new JsonArray(bus.Rules.Select(rule => (JsonNode)new JsonObject
                        {
                            ["name"] = rule.Name, ["eventPattern"] = rule.Pattern.Text,
                            ["targets"] = new JsonArray(rule.Targets.Select(t => (JsonNode)t.Name).ToArray()),
                        }).ToArray()),
                    }).ToArray()),
                    ["events"] = new JsonArray(pipeline.EventBuses.Values.SelectMany(bus => bus.Archived).OrderByDescending(e => e.Time)
                        .Select(e => JsonNode.Parse(e.Json)).ToArray()),
                });
                return true;
            case ["events", "replay"] when HttpMethods.IsPost(method):
            {
                JsonNode? request = null;
                try { request = context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0 ? await JsonNode.ParseAsync(context.Request.Body) : null; }
                catch (JsonException) { }
                DateTimeOffset? Time(string name) => request?[name]?.GetValue<string>() is { } text ? DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : null;
                DateTimeOffset from, to;
                try { (from, to) = (Time("from") ?? DateTimeOffset.MinValue, Time("to") ?? DateTimeOffset.MaxValue); }
                catch (Exception error) when (error is FormatException or InvalidOperationException)
                {
                    await WriteAsync(context, StatusCodes.Status400BadRequest, new JsonObject { ["message"] = "from and to are ISO 8601 times, e.g. 2026-12-05T10:00:00Z" });
                    return true;
                }
                var replayName = request?["name"]?.GetValue<string>() ?? $"local-replay-{Guid.NewGuid():N}"[..21];
                var replayed = pipeline.EventBuses.Values.Where(bus => bus.HasArchive).Sum(bus => bus.Replay(replayName, from, to));
                await WriteAsync(context, StatusCodes.Status200OK, new JsonObject { ["replayName"] = replayName, ["replayed"] = replayed });
                return true;
            }
            default:
                await WriteAsync(context, StatusCodes.Status404NotFound, new JsonObject
                {
                    ["message"] = "GET /_local/queues, GET /_local/queues/{name}, POST /_local/queues/{name}/redrive, GET /_local/events, POST /_local/events/replay",
                });
                return true;
        }
    }

    public static JsonObject QueueJson(LocalQueue queue, bool withMessages, LocalPipeline? pipeline = null)
    {
        var messages = queue.Peek();
        var json = new JsonObject
        {
            ["name"] = queue.Name,
            ["arn"] = queue.Arn,
            ["visibilityTimeoutSeconds"] = queue.VisibilityTimeout.TotalSeconds,
            ["approximateNumberOfMessages"] = messages.Count(message => !message.InFlight),
            ["approximateNumberOfMessagesNotVisible"] = messages.Count(message => message.InFlight),
            ["deadLetterQueue"] = queue.DeadLetterQueue?.Name,
            ["maxReceiveCount"] = queue.DeadLetterQueue is null ? null : queue.MaxReceiveCount,
            ["deadLetterQueueOf"] = new JsonArray(queue.Sources.Select(source => (JsonNode)source.Name).ToArray()),
            ["deadLetterQueueOfPipes"] = new JsonArray((pipeline?.PipesDeadLetteringTo(queue) ?? []).Select(pipe => (JsonNode)pipe.Name).ToArray()),
            ["onFailureOf"] = new JsonArray((pipeline?.StreamSourcesFailingTo(queue) ?? []).Select(s => (JsonNode)$"{s.FunctionLogicalId}.{s.EventName}").ToArray()),
            ["maximumMessageSize"] = queue.MaximumMessageSize,
        };
        if (withMessages)
            json["messages"] = new JsonArray(messages.Select(message => (JsonNode)MessageJson(message)).ToArray());
        return json;
    }

    private static JsonObject MessageJson(QueueMessageInfo message)
    {
        JsonNode? body;
        try { body = JsonNode.Parse(message.Body); }
        catch (JsonException) { body = message.Body; }
        return new JsonObject
        {
            ["messageId"] = message.MessageId,
            ["approximateReceiveCount"] = message.ApproximateReceiveCount,
            ["sentTimestamp"] = message.SentTimestamp.ToString("O"),
            ["inFlight"] = message.InFlight,
            ["deadLetterQueueSourceArn"] = message.DeadLetterQueueSourceArn,
            ["body"] = body,
        };
    }

    private static JsonObject PipeJson(LocalPipe pipe) => new()
    {
        ["name"] = pipe.Name,
        ["source"] = pipe.StreamArn ?? pipe.SourceTable,
        ["target"] = pipe.Target.Name,
        ["startingPosition"] = pipe.StartingPosition,
        ["filters"] = new JsonArray(pipe.Filter.Patterns.Select(pattern => (JsonNode)pattern.Text).ToArray()),
        ["inputTemplate"] = pipe.Settings.InputTemplate?.Text,
        ["batchSize"] = pipe.Settings.BatchSize,
        ["maximumRetryAttempts"] = pipe.Settings.MaximumRetryAttempts,
        ["maximumRecordAgeInSeconds"] = pipe.Settings.MaximumRecordAgeInSeconds,
        ["onPartialBatchItemFailure"] = pipe.Settings.BisectOnFailure ? "AUTOMATIC_BISECT" : null,
        ["deadLetterQueue"] = pipe.DeadLetterQueue?.Name,
        ["recordsRead"] = pipe.RecordsRead,
        ["recordsPassed"] = pipe.RecordsPassed,
        ["recordsDropped"] = pipe.RecordsDropped,
        ["recordsDeadLettered"] = pipe.RecordsDeadLettered,
        ["failedAttempts"] = pipe.FailedAttempts,
    };

    private static Task NoSuchQueueAsync(HttpContext context, LocalPipeline pipeline, string name) =>
        WriteAsync(context, StatusCodes.Status404NotFound, new JsonObject
        {
            ["message"] = $"no queue {name}; queues: {string.Join(", ", pipeline.Queues.Keys)}",
        });

    private static async Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString(Json));
    }
}
