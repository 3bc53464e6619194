using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SmallPay.Functions.Aws;
using SmallPay.Functions.Tests.Infrastructure;

namespace SmallPay.Functions.Tests.Aws;

/// <summary>
/// SmallPay's DynamoDB client against DynamoDB Local, checked against the AWS SDK's client on the same table:
/// what one writes the other reads back identically, and errors arrive as the SDK's exception types.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed class DynamoDbHttpClientTests(LocalStackFixture stack)
{
    private string Table => stack.FunctionEnvironment.Require("INVOICES_TABLE");
    private DynamoDbHttpClient Client => stack.StoreDynamoDb;

    private static Dictionary<string, AttributeValue> EveryType(string id) => new()
    {
        ["id"] = new() { S = id },
        ["text"] = new() { S = "Müller & Søn — “Café” 💶 \"quoted\" \\ back\nline" },
        ["number"] = new() { N = "-12345.6789" },
        ["flag"] = new() { BOOL = false },
        ["nothing"] = new() { NULL = true },
        ["map"] = new() { M = new() { ["nested"] = new() { L = [new() { S = "a" }, new() { N = "1" }, new() { M = new() }] } } },
        ["emptyList"] = new() { L = [] },
        ["strings"] = new() { SS = ["x", "y"] },
        ["numbers"] = new() { NS = ["1", "2.5"] },
        ["bytes"] = new() { B = new MemoryStream([0, 1, 2, 255]) },
        ["byteSet"] = new() { BS = [new MemoryStream([1]), new MemoryStream([2, 3])] },
    };

    [Fact]
    public async Task An_item_of_every_attribute_type_reads_back_identically_through_either_client()
    {
        var id = "dynamo-test#" + Guid.NewGuid().ToString("N");
        await Client.PutItemAsync(new PutItemRequest { TableName = Table, Item = EveryType(id) });

        var viaSdk = (await stack.DynamoDb.GetItemAsync(new GetItemRequest { TableName = Table, Key = Key(id), ConsistentRead = true })).Item;
        var viaOurs = (await Client.GetItemAsync(new GetItemRequest { TableName = Table, Key = Key(id), ConsistentRead = true })).Item;

        Assert.Equal(Describe(EveryType(id)), Describe(viaSdk));
        Assert.Equal(Describe(viaSdk), Describe(viaOurs!));
    }

    [Fact]
    public async Task A_missing_key_reads_as_no_item()
    {
        var response = await Client.GetItemAsync(new GetItemRequest { TableName = Table, Key = Key("dynamo-test#missing") });
        Assert.Null(response.Item);
    }

    [Fact]
    public async Task Update_with_a_failing_condition_throws_the_sdk_exception_and_changes_nothing()
    {
        var id = "dynamo-test#" + Guid.NewGuid().ToString("N");
        await Client.PutItemAsync(new PutItemRequest { TableName = Table, Item = new() { ["id"] = new() { S = id }, ["version"] = new() { N = "1" } } });

        var failed = await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => Client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = Table, Key = Key(id), UpdateExpression = "SET #v = :next", ConditionExpression = "#v = :expected",
            ExpressionAttributeNames = new() { ["#v"] = "version" },
            ExpressionAttributeValues = new() { [":next"] = new() { N = "3" }, [":expected"] = new() { N = "2" } },
        }));

        Assert.Equal("ConditionalCheckFailedException", failed.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, failed.StatusCode);
        Assert.Equal("1", (await Client.GetItemAsync(new GetItemRequest { TableName = Table, Key = Key(id), ConsistentRead = true })).Item!["version"].N);
    }

    [Fact]
    public async Task A_cancelled_transaction_reports_each_reason_and_the_old_item_it_asked_for()
    {
        var id = "dynamo-test#" + Guid.NewGuid().ToString("N");
        await Client.PutItemAsync(new PutItemRequest { TableName = Table, Item = new() { ["id"] = new() { S = id }, ["tally"] = new() { N = "7" } } });

        var cancelled = await Assert.ThrowsAsync<TransactionCanceledException>(() => Client.TransactWriteItemsAsync(new TransactWriteItemsRequest
        {
            TransactItems =
            [
                new() { Put = new Put { TableName = Table, Item = new() { ["id"] = new() { S = id + "-other" } } } },
                new()
                {
                    Update = new Update
                    {
                        TableName = Table, Key = Key(id), UpdateExpression = "SET tally = :n", ConditionExpression = "tally = :expected",
                        ExpressionAttributeValues = new() { [":n"] = new() { N = "8" }, [":expected"] = new() { N = "6" } },
                        ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
                    },
                },
            ],
        }));

        Assert.Equal(["None", "ConditionalCheckFailed"], cancelled.CancellationReasons.Select(r => r.Code));
        Assert.Equal("7", cancelled.CancellationReasons[1].Item["tally"].N);
        Assert.Null((await Client.GetItemAsync(new GetItemRequest { TableName = Table, Key = Key(id + "-other"), ConsistentRead = true })).Item);
    }

    [Fact]
    public async Task A_bad_request_keeps_dynamodbs_error_code_and_message()
    {
        var invalid = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = Table, Key = Key("dynamo-test#x"), UpdateExpression = "SET a.b.c = :v",
            ExpressionAttributeValues = new() { [":v"] = new() { S = "v" } },
        }));

        Assert.Equal("ValidationException", invalid.ErrorCode);
        Assert.Contains("document path", invalid.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Query_pages_through_an_index_with_limit_filter_and_start_key_like_the_sdk()
    {
        var creator = "dynamo-test-tenant-" + Guid.NewGuid().ToString("N");
        for (var i = 0; i < 7; i++)
            await Client.PutItemAsync(new PutItemRequest
            {
                TableName = Table,
                Item = new()
                {
                    ["id"] = new() { S = $"dynamo-test#{creator}#{i}" }, ["creator"] = new() { S = creator },
                    ["sortKey"] = new() { S = $"2026-11-0{i + 1}#{i}" }, ["odd"] = new() { BOOL = i % 2 == 1 },
                },
            });
        QueryRequest Request(Dictionary<string, AttributeValue>? start) => new()
        {
            TableName = Table, IndexName = "creator", KeyConditionExpression = "creator = :c", FilterExpression = "odd = :f",
            ExpressionAttributeValues = new() { [":c"] = new() { S = creator }, [":f"] = new() { BOOL = false } },
            ScanIndexForward = false, Limit = 3, ExclusiveStartKey = start,
        };

        var ours = new List<string>();
        var sdk = new List<string>();
        Dictionary<string, AttributeValue>? next = null;
        do
        {
            var page = await Client.QueryAsync(Request(next));
            var sdkPage = await stack.DynamoDb.QueryAsync(Request(next));
            ours.AddRange(page.Items.Select(item => item["id"].S));
            sdk.AddRange(sdkPage.Items.Select(item => item["id"].S));
            Assert.Equal(sdkPage.Count, page.Count);
            Assert.Equal(sdkPage.ScannedCount, page.ScannedCount);
            Assert.Equal(Describe(sdkPage.LastEvaluatedKey ?? []), Describe(page.LastEvaluatedKey ?? []));
            next = page.LastEvaluatedKey;
        }
        while (next is { Count: > 0 });

        Assert.Equal(sdk, ours);
        Assert.Equal([6, 4, 2, 0], ours.Select(id => id[^1] - '0'));
    }

    [Fact]
    public async Task Delete_returns_the_old_item_when_asked()
    {
        var id = "dynamo-test#" + Guid.NewGuid().ToString("N");
        await Client.PutItemAsync(new PutItemRequest { TableName = Table, Item = new() { ["id"] = new() { S = id }, ["n"] = new() { N = "1" } } });

        var deleted = await Client.DeleteItemAsync(new DeleteItemRequest { TableName = Table, Key = Key(id), ReturnValues = ReturnValue.ALL_OLD });

        Assert.Equal("1", deleted.Attributes!["n"].N);
        Assert.Null((await Client.GetItemAsync(new GetItemRequest { TableName = Table, Key = Key(id), ConsistentRead = true })).Item);
    }

    private static Dictionary<string, AttributeValue> Key(string id) => new() { ["id"] = new() { S = id } };

    /// <summary>A canonical text of an item (sets and maps sorted), to compare items whatever client made them.</summary>
    private static string Describe(Dictionary<string, AttributeValue> item) =>
        "{" + string.Join(",", item.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{Describe(p.Value)}")) + "}";

    private static string Describe(AttributeValue v) =>
        v.S is not null ? "S" + v.S
        : v.N is not null ? "N" + v.N
        : v.BOOL is bool b ? "BOOL" + b
        : v.NULL is true ? "NULL"
        : v.M is not null ? "M" + Describe(v.M)
        : v.L is not null ? "L[" + string.Join(",", v.L.Select(Describe)) + "]"
        : v.SS is { Count: > 0 } ? "SS" + string.Join(",", v.SS.Order(StringComparer.Ordinal))
        : v.NS is { Count: > 0 } ? "NS" + string.Join(",", v.NS.Order(StringComparer.Ordinal))
        : v.B is not null ? "B" + Convert.ToHexString(v.B.ToArray())
        : v.BS is { Count: > 0 } ? "BS" + string.Join(",", v.BS.Select(s => Convert.ToHexString(s.ToArray())).Order(StringComparer.Ordinal))
        : "?";
}
