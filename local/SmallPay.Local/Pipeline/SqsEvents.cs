using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SmallPay.Local.Pipeline;

/// <summary>The JSON Lambda exchanges with an SQS event source mapping: the event it sends and the batch response it reads.</summary>
public static class SqsEvents
{
    /// <summary><c>{"Records": [...]}</c> as Lambda's SQS poller builds it.</summary>
    public static JsonObject Event(IEnumerable<ReceivedMessage> messages, string queueArn) =>
        new() { ["Records"] = new JsonArray(messages.Select(message => (JsonNode)Record(message, queueArn)).ToArray()) };

    public static JsonObject Record(ReceivedMessage message, string queueArn) => new()
    {
        ["messageId"] = message.MessageId,
        ["receiptHandle"] = message.ReceiptHandle,
        ["body"] = message.Body,
        ["attributes"] = new JsonObject
        {
            ["ApproximateReceiveCount"] = message.ApproximateReceiveCount.ToString(CultureInfo.InvariantCulture),
            ["SentTimestamp"] = message.SentTimestamp.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            ["SenderId"] = message.SenderId,
            ["ApproximateFirstReceiveTimestamp"] = message.ApproximateFirstReceiveTimestamp.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        },
        ["messageAttributes"] = new JsonObject(),
        ["md5OfBody"] = message.Md5OfBody,
        ["eventSource"] = "aws:sqs",
        ["eventSourceARN"] = queueArn,
        ["awsRegion"] = LocalResourceNames.Region,
    };

    /// <summary>
    /// Which messages of a batch failed, from the function's answer, as Lambda reads it with
    /// <c>ReportBatchItemFailures</c>: no answer, <c>null</c>, <c>{}</c> or an empty or null <c>batchItemFailures</c> is
    /// complete success; an answer that is not JSON, or an item without a valid <c>itemIdentifier</c> (missing, empty,
    /// or not a message of the batch), fails the whole batch. Without ReportBatchItemFailures a returned answer is success.
    /// </summary>
    public static BatchResult ReadResponse(ReadOnlySpan<byte> payload, IReadOnlyCollection<string> messageIds, bool reportBatchItemFailures)
    {
        if (!reportBatchItemFailures || payload.Trim(" \t\r\n"u8).IsEmpty) return BatchResult.Success;
        JsonNode? response;
        try
        {
            response = JsonNode.Parse(payload);
        }
        catch (JsonException)
        {
            return BatchResult.WholeBatch("the batch response is not JSON");
        }
        if (response is not JsonObject obj || !obj.TryGetPropertyValue("batchItemFailures", out var failures) || failures is null)
            return response is null or JsonObject ? BatchResult.Success : BatchResult.WholeBatch("the batch response is not an object");
        if (failures is not JsonArray items) return BatchResult.WholeBatch("batchItemFailures is not a list");

        var failed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var id = item is JsonObject entry && entry["itemIdentifier"] is JsonValue value && value.GetValueKind() == JsonValueKind.String
                ? value.GetValue<string>()
                : null;
            if (string.IsNullOrEmpty(id) || !messageIds.Contains(id))
                return BatchResult.WholeBatch($"invalid batch item failure {item?.ToJsonString() ?? "null"}");
            failed.Add(id);
        }
        return new BatchResult(failed, null);
    }
}

/// <summary>The messages to keep for a retry; <see cref="WholeBatchReason"/> set means all of them.</summary>
public sealed record BatchResult(IReadOnlySet<string> Failed, string? WholeBatchReason)
{
    public static BatchResult Success { get; } = new(new HashSet<string>(), null);

    public static BatchResult WholeBatch(string reason) => new(new HashSet<string>(), reason);

    public bool Retries(string messageId) => WholeBatchReason is not null || Failed.Contains(messageId);
}
