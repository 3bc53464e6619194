using System.Globalization;
using System.Text.Json;
using SmallPay.Functions.Hosting.Sqs;

namespace SmallPay.Functions.Documents;

/// <summary>What the worker needs from one stream record: which invoice changed, to which version, and how.</summary>
public sealed record InvoiceChange(string InvoiceId, long Version, string EventName, string? Entity)
{
    public bool IsInvoice => Entity == "Invoice";

    /// <summary>Reads the SQS message body (the stream record the Pipe delivered). Throws <see cref="MalformedRecordException"/>.</summary>
    public static InvoiceChange Parse(string body)
    {
        DynamoDbStreamRecord? record;
        try
        {
            record = JsonSerializer.Deserialize(body, SqsJsonContext.Default.DynamoDbStreamRecord);
        }
        catch (JsonException e)
        {
            throw new MalformedRecordException($"The message body is not a DynamoDB stream record: {e.Message}", e);
        }
        var image = record?.Dynamodb?.NewImage ?? throw new MalformedRecordException("The stream record has no dynamodb.NewImage.");
        var id = image.GetValueOrDefault("id")?.S ?? record.Dynamodb.Keys?.GetValueOrDefault("id")?.S;
        if (string.IsNullOrEmpty(id)) throw new MalformedRecordException("The stream record's NewImage has no id.");
        var entity = image.GetValueOrDefault("entity")?.S;
        var versionText = image.GetValueOrDefault("version")?.N;
        long version = 0;
        if (entity == "Invoice" && (!long.TryParse(versionText, NumberStyles.Integer, CultureInfo.InvariantCulture, out version) || version < 1))
            throw new MalformedRecordException($"The stream record's NewImage has no valid version ({versionText ?? "none"}).");
        return new InvoiceChange(id, version, record.EventName ?? "", entity);
    }
}

/// <summary>A message that is not what the Pipe sends: retried like any failure, so after 5 receives it waits in the DLQ for a look.</summary>
public sealed class MalformedRecordException(string message, Exception? inner = null) : RetryableRecordException(message, inner);
