using System.Text.Json.Nodes;

namespace SmallPay.Functions.Tests.Local.Pipeline;

/// <summary>DynamoDB stream records as a Pipe sees them (DynamoDB JSON images), for filter and worker tests.</summary>
public static class StreamRecords
{
    /// <summary>A record of the invoices table; <paramref name="newImage"/> null for REMOVE.</summary>
    public static JsonObject Record(string eventName, JsonObject? newImage, JsonObject? oldImage = null)
    {
        var id = (newImage ?? oldImage)?["id"]?.DeepClone() ?? new JsonObject { ["S"] = "inv_test" };
        var dynamodb = new JsonObject
        {
            ["ApproximateCreationDateTime"] = 1_790_000_000,
            ["Keys"] = new JsonObject { ["id"] = id },
            ["SequenceNumber"] = "000000000000000000001",
            ["SizeBytes"] = 321,
            ["StreamViewType"] = "NEW_AND_OLD_IMAGES",
        };
        if (newImage is not null) dynamodb["NewImage"] = newImage;
        if (oldImage is not null) dynamodb["OldImage"] = oldImage;
        return new JsonObject
        {
            ["eventID"] = Guid.NewGuid().ToString("N"),
            ["eventName"] = eventName,
            ["eventVersion"] = "1.1",
            ["eventSource"] = "aws:dynamodb",
            ["awsRegion"] = "us-east-1",
            ["dynamodb"] = dynamodb,
            ["eventSourceARN"] = "arn:aws:dynamodb:us-east-1:123456789012:table/InvoicesTable/stream/2026-01-01T00:00:00.000",
        };
    }

    /// <summary>An Invoice item image: <c>entity</c>, <c>status</c>, <c>changedBy</c> and a version, as the API writes them.</summary>
    public static JsonObject Invoice(string status, string? changedBy = "api", int version = 2, string id = "inv_01TEST")
    {
        var image = new JsonObject
        {
            ["id"] = new JsonObject { ["S"] = id },
            ["entity"] = new JsonObject { ["S"] = "Invoice" },
            ["creator"] = new JsonObject { ["S"] = "tenant-1" },
            ["status"] = new JsonObject { ["S"] = status },
            ["version"] = new JsonObject { ["N"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["number"] = new JsonObject { ["S"] = "INV-000001" },
        };
        if (changedBy is not null) image["changedBy"] = new JsonObject { ["S"] = changedBy };
        return image;
    }

    /// <summary>Another entity of the invoices table (Settings, NumberClaim, Idempotency).</summary>
    public static JsonObject Item(string entity, string id, string? changedBy = null)
    {
        var image = new JsonObject
        {
            ["id"] = new JsonObject { ["S"] = id },
            ["entity"] = new JsonObject { ["S"] = entity },
        };
        if (changedBy is not null) image["changedBy"] = new JsonObject { ["S"] = changedBy };
        return image;
    }
}
