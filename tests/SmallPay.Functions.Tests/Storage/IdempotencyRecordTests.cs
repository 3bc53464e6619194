using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Hosting.Idempotency;
using SmallPay.Functions.Tests.Api;
using SmallPay.Functions.Tests.Infrastructure;
using SmallPay.Testing;

namespace SmallPay.Functions.Tests.Storage;

/// <summary>
/// Idempotency records on DynamoDB Local stay under the 400 KB item limit whatever the first response was, and the
/// replay is that response byte for byte: a 300-line invoice in Japanese (about 0.5 MB of JSON, its text escaped as
/// <c>\uXXXX</c>) used to make the create succeed, answer 500, and run again on the retry.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed class IdempotencyRecordTests(LocalStackFixture stack)
{
    private const int ItemLimit = 400 * 1024;
    private readonly string _tenant = $"tenant-{Guid.NewGuid():N}";
    private string Table => stack.FunctionEnvironment.Require("INVOICES_TABLE");

    private ILambdaHandler Function(string name) => FunctionCatalog.Create(name, new FunctionServices(stack.EnvironmentFor(name)));

    [Fact]
    public async Task A_300_line_invoice_in_Japanese_is_created_once_and_replayed_as_first_answered()
    {
        var customer = await Function("CreateCustomer").InvokeAsync(new ApiCall("POST", "/customers", _tenant) { Body = ApiData.Customer() });
        Assert.Equal(201, customer.Status);
        var description = string.Concat(Enumerable.Repeat("株式会社テスト商事のウェブサイト制作と保守、月次報告書の作成", 10))[..245];
        var lines = Enumerable.Range(1, 300).Select(n => ApiData.Line($"{n}. {description}", 1, 10)).ToArray();
        // Sent as UTF-8, as a browser does: just under the 256 KiB a request may have.
        var body = JsonSerializer.Serialize(ApiData.Invoice(customer.Id, lines: lines), new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Assert.InRange(Encoding.UTF8.GetByteCount(body), 200_000, 256 * 1024);
        var create = new ApiCall("POST", "/invoices", _tenant) { RawBody = body }.IdempotencyKey(Guid.NewGuid().ToString());

        var first = await Function("CreateInvoice").InvokeAsync(create);
        var replay = await Function("CreateInvoice").InvokeAsync(create);

        Assert.Equal(201, first.Status);
        Assert.True(Encoding.UTF8.GetByteCount(first.Text!) > ItemLimit, $"the answer is {first.Text!.Length:N0} bytes: not large enough to prove anything");
        Assert.Equal(201, replay.Status);
        Assert.Equal("true", replay.Headers.GetValueOrDefault("idempotent-replayed"));
        Assert.Equal(first.Text, replay.Text);
        Assert.Equal(first.Headers["location"], replay.Headers["location"]);
        var record = await ItemAsync(RecordOf(create));
        Assert.Equal("Completed", record["state"].S);
        Assert.True(record.ContainsKey("bodyGzip"));
        Assert.True(record["bodyGzip"].B.Length < ItemLimit / 2, $"compressed to {record["bodyGzip"].B.Length:N0} bytes");
    }

    [Fact]
    public async Task A_first_answer_that_does_not_compress_is_kept_in_bounded_parts_and_replayed_exactly()
    {
        var store = new DynamoDbIdempotencyStore(stack.DynamoDb, Table);
        var recordId = DynamoDbIdempotencyStore.RecordId(_tenant, "POST /invoices", "incompressible");
        // Random base64 compresses to about three quarters: 1.2 MB of it needs three parts.
        var body = Convert.ToBase64String(RandomNumberGenerator.GetBytes(900_000));
        var now = DateTimeOffset.UtcNow;
        Assert.IsType<IdempotencyClaim.Acquired>(await store.ClaimAsync(recordId, "hash", now, CancellationToken.None));

        await store.CompleteAsync(recordId, new StoredResponse(201, body, "application/json", new() { ["location"] = "/invoices/x" }), CancellationToken.None);
        var replay = Assert.IsType<IdempotencyClaim.Replay>(await store.ClaimAsync(recordId, "hash", now.AddSeconds(1), CancellationToken.None));

        Assert.Equal(body, replay.Response.Body);
        Assert.Equal("/invoices/x", replay.Response.Headers["location"]);
        var record = await ItemAsync(recordId);
        var parts = int.Parse(record["bodyParts"].N);
        Assert.True(parts >= 3, $"{parts} parts");
        for (var part = 0; part < parts; part++)
        {
            var item = await ItemAsync($"{recordId}#part#{part}");
            Assert.True(item["bytes"].B.Length <= DynamoDbIdempotencyStore.PartBytes);
        }
    }

    [Fact]
    public async Task A_small_first_answer_stays_readable_text()
    {
        var customer = Function("CreateCustomer");
        var create = new ApiCall("POST", "/customers", _tenant) { Body = ApiData.Customer() }.IdempotencyKey(Guid.NewGuid().ToString());
        var first = await customer.InvokeAsync(create);
        Assert.Equal(201, first.Status);
        var record = await ItemAsync(RecordOf(create));
        Assert.Equal(first.Text, record["body"].S);
    }

    private string RecordOf(ApiCall call) => DynamoDbIdempotencyStore.RecordId(_tenant, $"{call.Method} {call.Path}", call.Headers["idempotency-key"]);

    private async Task<Dictionary<string, AttributeValue>> ItemAsync(string id) =>
        (await stack.DynamoDb.GetItemAsync(new GetItemRequest { TableName = Table, Key = new() { ["id"] = new AttributeValue { S = id } }, ConsistentRead = true })).Item;
}
