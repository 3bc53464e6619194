using System.Text.Json.Nodes;

namespace SmallPay.Local.Aws;

/// <summary>
/// The DynamoDB Streams calls the local pipe makes, over the JSON API (<c>DynamoDBStreams_20120810.*</c>, JSON 1.0,
/// SigV4 with the signing name <c>dynamodb</c>). AWS SDK v4 moved the Streams client to AWSSDK.DynamoDBStreams,
/// which is not available here; DynamoDB Local answers these calls on its DynamoDB endpoint.
/// </summary>
public sealed class DynamoDbStreamsClient
{
    private readonly AwsJsonClient _api;

    public DynamoDbStreamsClient(HttpClient http, Uri endpoint) =>
        _api = new AwsJsonClient(http, endpoint, "dynamodb", "DynamoDBStreams_20120810", "application/x-amz-json-1.0");

    /// <summary>Every shard of the stream (DescribeStream, all pages).</summary>
    public async Task<IReadOnlyList<StreamShard>> ListShardsAsync(string streamArn, CancellationToken cancellationToken)
    {
        var shards = new List<StreamShard>();
        string? after = null;
        do
        {
            var request = new JsonObject { ["StreamArn"] = streamArn };
            if (after is not null) request["ExclusiveStartShardId"] = after;
            var description = (await _api.CallAsync("DescribeStream", request, cancellationToken))["StreamDescription"];
            foreach (var shard in description?["Shards"]?.AsArray() ?? [])
            {
                shards.Add(new StreamShard(
                    shard!["ShardId"]!.GetValue<string>(),
                    shard["ParentShardId"]?.GetValue<string>(),
                    shard["SequenceNumberRange"]?["EndingSequenceNumber"] is not null));
            }
            after = description?["LastEvaluatedShardId"]?.GetValue<string>();
        } while (after is not null);
        return shards;
    }

    /// <param name="type">TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER.</param>
    public async Task<string?> GetShardIteratorAsync(string streamArn, string shardId, string type, string? sequenceNumber, CancellationToken cancellationToken)
    {
        var request = new JsonObject { ["StreamArn"] = streamArn, ["ShardId"] = shardId, ["ShardIteratorType"] = type };
        if (sequenceNumber is not null) request["SequenceNumber"] = sequenceNumber;
        return (await _api.CallAsync("GetShardIterator", request, cancellationToken))["ShardIterator"]?.GetValue<string>();
    }

    /// <summary>The records after the iterator and the next iterator (null once a closed shard is read to its end).</summary>
    public async Task<(IReadOnlyList<JsonObject> Records, string? NextIterator)> GetRecordsAsync(string iterator, int limit, CancellationToken cancellationToken)
    {
        var response = await _api.CallAsync("GetRecords", new JsonObject { ["ShardIterator"] = iterator, ["Limit"] = limit }, cancellationToken);
        var records = (response["Records"]?.AsArray() ?? []).OfType<JsonObject>().ToList();
        foreach (var record in records) record.Parent?.AsArray().Remove(record);
        return (records, response["NextShardIterator"]?.GetValue<string>());
    }
}

/// <summary>A shard of a stream; <see cref="Closed"/> once it has an ending sequence number (no new records).</summary>
public sealed record StreamShard(string ShardId, string? ParentShardId, bool Closed);
