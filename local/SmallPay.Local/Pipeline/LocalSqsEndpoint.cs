using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace SmallPay.Local.Pipeline;

/// <summary>
/// SQS's JSON protocol (what AWSSDK.SQS 4 speaks: <c>POST /</c>, <c>X-Amz-Target: AmazonSQS.&lt;Action&gt;</c>,
/// <c>application/x-amz-json-1.0</c>) for the in-process queues, so a function can send to a queue of the template:
/// SendMessage, SendMessageBatch and GetQueueUrl. The queue is named by the last segment of its QueueUrl (what
/// <c>!Ref</c> of the queue gives the function). The functions get this host as AWS_ENDPOINT_URL_SQS. Requests are not
/// signature-checked (the emulators accept any credentials).
/// </summary>
public static class LocalSqsEndpoint
{
    public const string TargetPrefix = "AmazonSQS.";

    /// <summary>SQS's limits on one SendMessageBatch.</summary>
    public const int MaxBatchEntries = 10;
    public const int MaxBatchBytes = 262_144;

    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static bool IsSqsRequest(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Headers["X-Amz-Target"].ToString().StartsWith(TargetPrefix, StringComparison.Ordinal);

    public static async Task<bool> TryServeAsync(HttpContext context, LocalPipeline? pipeline)
    {
        if (!IsSqsRequest(context.Request)) return false;
        var action = context.Request.Headers["X-Amz-Target"].ToString()[TargetPrefix.Length..];
        JsonObject? request;
        try
        {
            request = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
        }
        catch (JsonException error)
        {
            await ErrorAsync(context, "InvalidParameterValue", $"The request body is not JSON: {error.Message}");
            return true;
        }
        if (request is null)
        {
            await ErrorAsync(context, "InvalidParameterValue", "The request body is not a JSON object.");
            return true;
        }
        if (pipeline is null)
        {
            await ErrorAsync(context, "QueueDoesNotExist", "The local pipeline is not running: there are no queues.");
            return true;
        }
        switch (action)
        {
            case "GetQueueUrl":
                if (request["QueueName"]?.GetValue<string>() is { } name && pipeline.Queues.ContainsKey(name))
                    await WriteAsync(context, new JsonObject { ["QueueUrl"] = LocalResourceNames.QueueUrl(name) });
                else
                    await ErrorAsync(context, "QueueDoesNotExist", "The specified queue does not exist.");
                return true;
            case "SendMessage":
            {
                if (QueueOf(request, pipeline) is not { } queue)
                {
                    await ErrorAsync(context, "QueueDoesNotExist", "The specified queue does not exist.");
                    return true;
                }
                var body = request["MessageBody"]?.GetValue<string>();
                if (string.IsNullOrEmpty(body))
                {
                    await ErrorAsync(context, "MissingParameter", "The request must contain the parameter MessageBody.");
                    return true;
                }
                try
                {
                    var id = queue.Send(body, senderId: "AIDALOCALFUNCTION");
                    await WriteAsync(context, new JsonObject { ["MessageId"] = id, ["MD5OfMessageBody"] = LocalQueue.Md5Hex(body) });
                }
                catch (SqsRequestException refused)
                {
                    await ErrorAsync(context, refused.ErrorCode, refused.Message);
                }
                return true;
            }
            case "SendMessageBatch":
            {
                if (QueueOf(request, pipeline) is not { } queue)
                {
                    await ErrorAsync(context, "QueueDoesNotExist", "The specified queue does not exist.");
                    return true;
                }
                var entries = (request["Entries"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
                if (entries.Count == 0)
                {
                    await ErrorAsync(context, "EmptyBatchRequest", "There should be at least one SendMessageBatchRequestEntry in the request.");
                    return true;
                }
                if (entries.Count > MaxBatchEntries)
                {
                    await ErrorAsync(context, "TooManyEntriesInBatchRequest", $"Maximum number of entries per request are {MaxBatchEntries}. You have sent {entries.Count}.");
                    return true;
                }
                var ids = entries.Select(e => e["Id"]?.GetValue<string>() ?? "").ToList();
                if (ids.Distinct(StringComparer.Ordinal).Count() != ids.Count)
                {
                    await ErrorAsync(context, "BatchEntryIdsNotDistinct", "Two or more batch entries in the request have the same Id.");
                    return true;
                }
                if (entries.Sum(e => System.Text.Encoding.UTF8.GetByteCount(e["MessageBody"]?.GetValue<string>() ?? "")) > MaxBatchBytes)
                {
                    await ErrorAsync(context, "BatchRequestTooLong", $"Batch requests cannot be longer than {MaxBatchBytes} bytes.");
                    return true;
                }
                var successful = new JsonArray();
                var failed = new JsonArray();
                foreach (var entry in entries)
                {
                    var id = entry["Id"]?.GetValue<string>() ?? "";
                    var body = entry["MessageBody"]?.GetValue<string>();
                    try
                    {
                        if (string.IsNullOrEmpty(body)) throw new SqsRequestException("MissingParameter", "The request must contain the parameter MessageBody.");
                        var messageId = queue.Send(body, senderId: "AIDALOCALFUNCTION");
                        successful.Add(new JsonObject { ["Id"] = id, ["MessageId"] = messageId, ["MD5OfMessageBody"] = LocalQueue.Md5Hex(body) });
                    }
                    catch (SqsRequestException refused)
                    {
                        failed.Add(new JsonObject { ["Id"] = id, ["SenderFault"] = true, ["Code"] = refused.ErrorCode, ["Message"] = refused.Message });
                    }
                }
                await WriteAsync(context, new JsonObject { ["Successful"] = successful, ["Failed"] = failed });
                return true;
            }
            default:
                await ErrorAsync(context, "UnsupportedOperation", $"The local host serves SendMessage, SendMessageBatch and GetQueueUrl, not {action}.");
                return true;
        }
    }

    private static LocalQueue? QueueOf(JsonObject request, LocalPipeline pipeline)
    {
        var url = request["QueueUrl"]?.GetValue<string>();
        if (string.IsNullOrEmpty(url)) return null;
        var name = url.TrimEnd('/')[(url.TrimEnd('/').LastIndexOf('/') + 1)..];
        return pipeline.Queues.GetValueOrDefault(name);
    }

    private static async Task WriteAsync(HttpContext context, JsonObject body)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/x-amz-json-1.0";
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        await context.Response.WriteAsync(body.ToJsonString(Json), context.RequestAborted);
    }

    private static async Task ErrorAsync(HttpContext context, string code, string message)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "application/x-amz-json-1.0";
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        context.Response.Headers["x-amzn-query-error"] = $"AWS.SimpleQueueService.{code};Sender";
        await context.Response.WriteAsync(new JsonObject { ["__type"] = $"com.amazonaws.sqs#{code}", ["message"] = message }.ToJsonString(Json), context.RequestAborted);
    }
}
