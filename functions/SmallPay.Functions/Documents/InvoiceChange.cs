using System.Globalization;
using System.Text.Json;
using SmallPay.Functions.Hosting.Sqs;

namespace SmallPay.Functions.Documents;

/// <summary>What the worker needs from one stream record: which item changed, to which version, and how.</summary>
public sealed record InvoiceChange(string InvoiceId, long Version, string EventName, string? Entity)
{
    public bool IsInvoice => Entity == "Invoice";

    /// <summary>A credit note's change (issued, or refunded: what its PDF says is owed changes): rendered like an invoice's.</summary>
    public bool IsCreditNote => Entity == "CreditNote";

    /// <summary>
    /// Reads the SQS message body. DocumentsPipe's input template makes it
    /// <c>{"eventName": "MODIFY", "entity": "Invoice", "id": "inv_…", "version": "3"}</c> (the worker loads the item itself,
    /// so a large invoice never has to fit in a message); a message written before the template — the whole stream
    /// record, with <c>dynamodb.Keys</c> and <c>NewImage</c> — is read too. Throws <see cref="MalformedRecordException"/>.
    /// </summary>
    public static InvoiceChange Parse(string body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new MalformedRecordException($"The message body is not JSON: {e.Message}", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new MalformedRecordException("The message body is not a JSON object.");
            return document.RootElement.TryGetProperty("dynamodb", out _) ? ParseStreamRecord(body) : ParseChange(document.RootElement);
        }
    }

    // The input template's message: strings (a DynamoDB number comes as its text); "version" is empty or absent for items
    // without one (invitations).
    private static InvoiceChange ParseChange(JsonElement message)
    {
        string? Text(string name) => message.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

        var id = Text("id");
        if (string.IsNullOrEmpty(id)) throw new MalformedRecordException("The message has no id.");
        var entity = Text("entity") is { Length: > 0 } e ? e : null;
        return new InvoiceChange(id, VersionOf(entity, Text("version")), Text("eventName") ?? "", entity);
    }

    private static InvoiceChange ParseStreamRecord(string body)
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
        return new InvoiceChange(id, VersionOf(entity, image.GetValueOrDefault("version")?.N), record.EventName ?? "", entity);
    }

    // An invoice's change needs its version (a record older than the item is stale); other items have none.
    private static long VersionOf(string? entity, string? versionText)
    {
        long version = 0;
        if (entity is "Invoice" or "CreditNote" && (!long.TryParse(versionText, NumberStyles.Integer, CultureInfo.InvariantCulture, out version) || version < 1))
            throw new MalformedRecordException($"The change of the {(entity == "Invoice" ? "invoice" : "credit note")} has no valid version ({(string.IsNullOrEmpty(versionText) ? "none" : versionText)}).");
        return version;
    }
}

/// <summary>A message that is not what the Pipe sends: retried like any failure, so after 5 receives it waits in the DLQ for a look.</summary>
public sealed class MalformedRecordException(string message, Exception? inner = null) : RetryableRecordException(message, inner);
