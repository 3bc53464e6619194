using SmallPay.Domain.Changes;
using SmallPay.Functions.Hosting.Sqs;

namespace SmallPay.Functions.Changes;

/// <summary>Maps a DynamoDB stream record (DynamoDB JSON images) to the domain's neutral <see cref="ItemChange"/>.</summary>
public static class StreamChanges
{
    /// <summary>Throws <see cref="MalformedStreamRecordException"/> for a record that is not an item change.</summary>
    public static ItemChange From(DynamoDbStreamRecord record)
    {
        var kind = record.EventName switch
        {
            "INSERT" => ChangeKind.Insert,
            "MODIFY" => ChangeKind.Modify,
            "REMOVE" => ChangeKind.Remove,
            _ => throw new MalformedStreamRecordException($"The record's eventName is {record.EventName ?? "missing"}."),
        };
        var change = record.Dynamodb ?? throw new MalformedStreamRecordException("The record has no dynamodb.");
        if (string.IsNullOrEmpty(change.SequenceNumber)) throw new MalformedStreamRecordException("The record has no SequenceNumber.");
        var at = change.ApproximateCreationDateTime is { } seconds ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)) : DateTimeOffset.UnixEpoch;
        return new ItemChange(TableOf(record.EventSourceArn), kind, Image(change.OldImage), Image(change.NewImage), change.SequenceNumber, at);
    }

    // arn:aws:dynamodb:region:account:table/Name/stream/label → Name
    public static string TableOf(string? arn)
    {
        if (arn is null) return "";
        var start = arn.IndexOf(":table/", StringComparison.Ordinal);
        if (start < 0) return "";
        var rest = arn[(start + ":table/".Length)..];
        var end = rest.IndexOf('/', StringComparison.Ordinal);
        return end < 0 ? rest : rest[..end];
    }

    private static ItemImage? Image(Dictionary<string, DynamoDbJsonValue>? image) =>
        image is null ? null : new ItemImage(Map(image));

    private static Dictionary<string, ImageValue> Map(Dictionary<string, DynamoDbJsonValue> map) =>
        map.ToDictionary(p => p.Key, p => Value(p.Value), StringComparer.Ordinal);

    private static ImageValue Value(DynamoDbJsonValue value) => new(
        S: value.S,
        N: value.N,
        Bool: value.Bool,
        IsNull: value.Null == true,
        L: value.L?.Select(Value).ToList() ?? value.SS?.Select(s => new ImageValue(S: s)).ToList() ?? value.NS?.Select(n => new ImageValue(N: n)).ToList(),
        M: value.M is { } m ? Map(m) : null);
}

/// <summary>A record that is not an item change (a test event, a TTL record without images is fine): retried, then the on-failure queue.</summary>
public sealed class MalformedStreamRecordException(string message) : SmallPay.Functions.Hosting.Sqs.RetryableRecordException(message);
