using System.Text.Json.Serialization;

namespace SmallPay.Functions.Hosting.Sqs;

/// <summary>What the SQS event source mapping invokes a function with: a batch of messages (only the fields SmallPay reads or sets).</summary>
public sealed class SqsEvent
{
    [JsonPropertyName("Records")]
    public List<SqsMessage> Records { get; set; } = [];
}

public sealed class SqsMessage
{
    [JsonPropertyName("messageId")]
    public string MessageId { get; set; } = "";

    [JsonPropertyName("receiptHandle")]
    public string ReceiptHandle { get; set; } = "";

    [JsonPropertyName("body")]
    public string Body { get; set; } = "";

    /// <summary>ApproximateReceiveCount, SentTimestamp, ApproximateFirstReceiveTimestamp, SenderId, ...: all strings.</summary>
    [JsonPropertyName("attributes")]
    public Dictionary<string, string>? Attributes { get; set; }

    [JsonPropertyName("messageAttributes")]
    public Dictionary<string, SqsMessageAttribute>? MessageAttributes { get; set; }

    [JsonPropertyName("md5OfBody")]
    public string? Md5OfBody { get; set; }

    [JsonPropertyName("eventSource")]
    public string EventSource { get; set; } = "aws:sqs";

    [JsonPropertyName("eventSourceARN")]
    public string EventSourceArn { get; set; } = "";

    [JsonPropertyName("awsRegion")]
    public string? AwsRegion { get; set; }

    /// <summary>How many times SQS has handed out this message, this time included (1 on the first try).</summary>
    [JsonIgnore]
    public int ReceiveCount =>
        int.TryParse(Attributes?.GetValueOrDefault("ApproximateReceiveCount"), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var count) ? count : 1;
}

public sealed class SqsMessageAttribute
{
    [JsonPropertyName("stringValue")]
    public string? StringValue { get; set; }

    [JsonPropertyName("binaryValue")]
    public string? BinaryValue { get; set; }

    [JsonPropertyName("dataType")]
    public string? DataType { get; set; }
}

/// <summary>The answer to an SQS batch with ReportBatchItemFailures: the messages to retry; every other one is deleted.</summary>
public sealed class SqsBatchResponse
{
    [JsonPropertyName("batchItemFailures")]
    public List<SqsBatchItemFailure> BatchItemFailures { get; set; } = [];
}

public sealed class SqsBatchItemFailure
{
    [JsonPropertyName("itemIdentifier")]
    public string ItemIdentifier { get; set; } = "";
}
