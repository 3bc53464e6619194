using System.Text.Json.Serialization;
using SmallPay.Functions.Hosting.Sqs;

namespace SmallPay.Functions.Hosting.Streams;

/// <summary>
/// What a Lambda DynamoDB event source mapping invokes a function with: a batch of stream records of one shard, in order.
/// Each record has the stream API's fields (<see cref="DynamoDbStreamRecord"/>: <c>eventID</c>, <c>eventName</c>,
/// <c>eventSourceARN</c>, <c>dynamodb</c> with <c>Keys</c>, <c>NewImage</c>, <c>OldImage</c>, <c>SequenceNumber</c>).
/// </summary>
public sealed class DynamoDbEvent
{
    [JsonPropertyName("Records")]
    public List<DynamoDbStreamRecord> Records { get; set; } = [];
}

/// <summary>
/// The answer with <c>FunctionResponseTypes: [ReportBatchItemFailures]</c>: the sequence number of the first record that
/// failed; Lambda retries the batch from there (the records before it count as done).
/// </summary>
public sealed class StreamBatchResponse
{
    [JsonPropertyName("batchItemFailures")]
    public List<SqsBatchItemFailure> BatchItemFailures { get; set; } = [];
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, MaxDepth = 64)]
[JsonSerializable(typeof(DynamoDbEvent))]
[JsonSerializable(typeof(StreamBatchResponse))]
public sealed partial class StreamJsonContext : JsonSerializerContext;
