using System.Text.Json.Serialization;

namespace SmallPay.Functions.Hosting.Sqs;

/// <summary>
/// One DynamoDB stream record as an EventBridge Pipe delivers it to its target (here: the body of an SQS message).
/// Its field names are the stream API's own: camelCase outside <c>dynamodb</c>, PascalCase inside.
/// </summary>
public sealed class DynamoDbStreamRecord
{
    [JsonPropertyName("eventID")]
    public string? EventId { get; set; }

    /// <summary>INSERT, MODIFY or REMOVE.</summary>
    [JsonPropertyName("eventName")]
    public string? EventName { get; set; }

    [JsonPropertyName("eventVersion")]
    public string? EventVersion { get; set; }

    [JsonPropertyName("eventSource")]
    public string? EventSource { get; set; }

    [JsonPropertyName("awsRegion")]
    public string? AwsRegion { get; set; }

    [JsonPropertyName("eventSourceARN")]
    public string? EventSourceArn { get; set; }

    [JsonPropertyName("dynamodb")]
    public DynamoDbStreamChange? Dynamodb { get; set; }
}

public sealed class DynamoDbStreamChange
{
    /// <summary>Seconds since the epoch (the stream API sends a number, sometimes with a fraction).</summary>
    [JsonPropertyName("ApproximateCreationDateTime")]
    public double? ApproximateCreationDateTime { get; set; }

    [JsonPropertyName("Keys")]
    public Dictionary<string, DynamoDbJsonValue>? Keys { get; set; }

    [JsonPropertyName("NewImage")]
    public Dictionary<string, DynamoDbJsonValue>? NewImage { get; set; }

    [JsonPropertyName("OldImage")]
    public Dictionary<string, DynamoDbJsonValue>? OldImage { get; set; }

    [JsonPropertyName("SequenceNumber")]
    public string? SequenceNumber { get; set; }

    [JsonPropertyName("SizeBytes")]
    public long? SizeBytes { get; set; }

    [JsonPropertyName("StreamViewType")]
    public string? StreamViewType { get; set; }
}

/// <summary>One attribute value in DynamoDB JSON: exactly one of the members is set (<c>{"S": "x"}</c>, <c>{"N": "1"}</c>, ...).</summary>
public sealed class DynamoDbJsonValue
{
    [JsonPropertyName("S")]
    public string? S { get; set; }

    /// <summary>Numbers travel as strings, so no precision is lost.</summary>
    [JsonPropertyName("N")]
    public string? N { get; set; }

    /// <summary>Base64.</summary>
    [JsonPropertyName("B")]
    public string? B { get; set; }

    [JsonPropertyName("BOOL")]
    public bool? Bool { get; set; }

    [JsonPropertyName("NULL")]
    public bool? Null { get; set; }

    [JsonPropertyName("M")]
    public Dictionary<string, DynamoDbJsonValue>? M { get; set; }

    [JsonPropertyName("L")]
    public List<DynamoDbJsonValue>? L { get; set; }

    [JsonPropertyName("SS")]
    public List<string>? SS { get; set; }

    [JsonPropertyName("NS")]
    public List<string>? NS { get; set; }

    [JsonPropertyName("BS")]
    public List<string>? BS { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, MaxDepth = 64)]
[JsonSerializable(typeof(SqsEvent))]
[JsonSerializable(typeof(SqsBatchResponse))]
[JsonSerializable(typeof(DynamoDbStreamRecord))]
public sealed partial class SqsJsonContext : JsonSerializerContext;
