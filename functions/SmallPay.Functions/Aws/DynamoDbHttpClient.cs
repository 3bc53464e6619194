using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace SmallPay.Functions.Aws;

/// <summary>
/// The six DynamoDB operations SmallPay uses, spoken directly over DynamoDB's JSON protocol (POST /, X-Amz-Target,
/// SigV4), with the SDK's request, response and exception types so the stores read as with AmazonDynamoDBClient.
/// Why not the SDK client: its first call JIT-compiles about 1,500 methods of AWSSDK.Core's pipeline (endpoint rules,
/// marshallers, retry and telemetry handlers), ~250 ms of every cold start here — more than a whole Node.js function
/// takes (docs/BENCHMARKS.md). Retries follow the SDK's rules: throttling, 5xx and broken connections, up to
/// <see cref="MaxRetries"/> times with jittered exponential backoff.
/// </summary>
public sealed class DynamoDbHttpClient(HttpClient http, Uri endpoint, string region, AwsCredentialsSource credentials, TimeProvider? clock = null)
{
    public const int MaxRetries = AwsRetry.MaxRetries;
    private const string ContentType = "application/x-amz-json-1.0";
    private static readonly MediaTypeHeaderValue ContentTypeHeader = new(ContentType);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Uri _uri = new(endpoint, "/");

    /// <summary>DynamoDB's regional endpoint (partition aws).</summary>
    public static Uri RegionalEndpoint(string region) => new($"https://dynamodb.{region}.amazonaws.com/");

    // Each operation maps its answer inside the one generic CallAsync: a single async state machine for all six (at a
    // cold start every async method costs ~10 JIT-compiled builder methods that ReadyToRun cannot precompile).
    public Task<GetItemResponse> GetItemAsync(GetItemRequest request, CancellationToken ct = default) =>
        CallAsync("GetItem", w => DynamoDbJson.Write(w, request),
            root => new GetItemResponse { Item = DynamoDbJson.ReadItem(root, "Item"), HttpStatusCode = HttpStatusCode.OK }, ct);

    public Task<PutItemResponse> PutItemAsync(PutItemRequest request, CancellationToken ct = default) =>
        CallAsync("PutItem", w => DynamoDbJson.Write(w, request),
            root => new PutItemResponse { Attributes = DynamoDbJson.ReadItem(root, "Attributes"), HttpStatusCode = HttpStatusCode.OK }, ct);

    public Task<UpdateItemResponse> UpdateItemAsync(UpdateItemRequest request, CancellationToken ct = default) =>
        CallAsync("UpdateItem", w => DynamoDbJson.Write(w, request),
            root => new UpdateItemResponse { Attributes = DynamoDbJson.ReadItem(root, "Attributes"), HttpStatusCode = HttpStatusCode.OK }, ct);

    public Task<DeleteItemResponse> DeleteItemAsync(DeleteItemRequest request, CancellationToken ct = default) =>
        CallAsync("DeleteItem", w => DynamoDbJson.Write(w, request),
            root => new DeleteItemResponse { Attributes = DynamoDbJson.ReadItem(root, "Attributes"), HttpStatusCode = HttpStatusCode.OK }, ct);

    public Task<QueryResponse> QueryAsync(QueryRequest request, CancellationToken ct = default) =>
        CallAsync("Query", w => DynamoDbJson.Write(w, request), root => new QueryResponse
        {
            Items = DynamoDbJson.ReadItems(root, "Items"),
            Count = root.TryGetProperty("Count", out var count) ? count.GetInt32() : 0,
            ScannedCount = root.TryGetProperty("ScannedCount", out var scanned) ? scanned.GetInt32() : 0,
            LastEvaluatedKey = DynamoDbJson.ReadItem(root, "LastEvaluatedKey"),
            HttpStatusCode = HttpStatusCode.OK,
        }, ct);

    public Task<TransactWriteItemsResponse> TransactWriteItemsAsync(TransactWriteItemsRequest request, CancellationToken ct = default) =>
        CallAsync("TransactWriteItems", w => DynamoDbJson.Write(w, request), _ => new TransactWriteItemsResponse { HttpStatusCode = HttpStatusCode.OK }, ct);

    private async Task<TResponse> CallAsync<TResponse>(string operation, Action<Utf8JsonWriter> writeRequest, Func<JsonElement, TResponse> readAnswer,
        CancellationToken ct) where TResponse : class
    {
        var body = Serialize(writeRequest);
        for (var attempt = 0; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                using var request = SignedRequest(operation, body, await credentials.GetAsync(ct));
                response = await http.SendAsync(request, ct);
            }
            catch (HttpRequestException) when (attempt < MaxRetries && !ct.IsCancellationRequested)
            {
                await AwsRetry.BackoffAsync(attempt, ct); // the connection broke before an answer: nothing was applied twice by retrying it
                continue;
            }

            using (response)
            {
                var bytes = await response.Content.ReadAsByteArrayAsync(ct);
                if (response.IsSuccessStatusCode)
                {
                    using var answer = JsonDocument.Parse(bytes.Length == 0 ? "{}"u8.ToArray() : bytes);
                    return readAnswer(answer.RootElement);
                }
                var error = DynamoDbErrors.From(operation, response, bytes);
                if (attempt < MaxRetries && DynamoDbErrors.IsRetryable(error))
                {
                    await AwsRetry.BackoffAsync(attempt, ct);
                    continue;
                }
                throw error;
            }
        }
    }

    private HttpRequestMessage SignedRequest(string operation, byte[] body, AwsCredentials signing)
    {
        var headers = new Dictionary<string, string>(4, StringComparer.Ordinal)
        {
            ["host"] = _uri.Authority,
            ["content-type"] = ContentType,
            ["x-amz-target"] = "DynamoDB_20120810." + operation,
        };
        AwsSigV4.Sign("POST", _uri, headers, AwsSigV4.PayloadHash(body), region, "dynamodb", signing, _clock.GetUtcNow());

        var message = new HttpRequestMessage(HttpMethod.Post, _uri) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = ContentTypeHeader;
        foreach (var (name, value) in headers)
            if (name is not ("host" or "content-type")) message.Headers.TryAddWithoutValidation(name, value);
        return message;
    }

    private static byte[] Serialize(Action<Utf8JsonWriter> writeRequest)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer)) writeRequest(writer);
        return buffer.WrittenSpan.ToArray();
    }

}

/// <summary>DynamoDB's error answers (<c>{"__type": "…#Code", "message": "…"}</c>) as the SDK's exception types.</summary>
public static class DynamoDbErrors
{
    private static readonly HashSet<string> Throttling = new(StringComparer.Ordinal)
    {
        "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded", "LimitExceededException",
        "TransactionInProgressException",
    };

    public static bool IsRetryable(AmazonDynamoDBException error) =>
        (int)error.StatusCode >= 500 || Throttling.Contains(error.ErrorCode ?? "");

    public static AmazonDynamoDBException From(string operation, HttpResponseMessage response, byte[] body)
    {
        var status = response.StatusCode;
        var requestId = response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.FirstOrDefault() : null;
        string code = status.ToString(), message = $"DynamoDB {operation} answered {(int)status}.";
        List<CancellationReason>? reasons = null;
        Dictionary<string, AttributeValue>? item = null;
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.TryGetProperty("__type", out var type) && type.GetString() is { } name) code = name[(name.LastIndexOf('#') + 1)..];
            if ((root.TryGetProperty("message", out var text) || root.TryGetProperty("Message", out text)) && text.GetString() is { } said) message = said;
            if (root.TryGetProperty("CancellationReasons", out var cancellations) && cancellations.ValueKind == JsonValueKind.Array)
                reasons = [.. cancellations.EnumerateArray().Select(r => new CancellationReason
                {
                    Code = r.TryGetProperty("Code", out var c) ? c.GetString() : null,
                    Message = r.TryGetProperty("Message", out var m) ? m.GetString() : null,
                    Item = DynamoDbJson.ReadItem(r, "Item"),
                })];
            item = DynamoDbJson.ReadItem(root, "Item");
        }
        catch (JsonException)
        {
            // Not JSON (a proxy or load balancer answered): keep the status as the code.
        }

        var errorType = (int)status >= 500 ? ErrorType.Receiver : ErrorType.Sender;
        return code switch
        {
            "ConditionalCheckFailedException" => new ConditionalCheckFailedException(message, null, errorType, code, requestId, status) { Item = item },
            "TransactionCanceledException" => new TransactionCanceledException(message, null, errorType, code, requestId, status) { CancellationReasons = reasons ?? [] },
            "TransactionConflictException" => new TransactionConflictException(message, null, errorType, code, requestId, status),
            "ProvisionedThroughputExceededException" => new ProvisionedThroughputExceededException(message, null, errorType, code, requestId, status),
            "ResourceNotFoundException" => new ResourceNotFoundException(message, null, errorType, code, requestId, status),
            _ => new AmazonDynamoDBException(message, null, errorType, code, requestId, status),
        };
    }
}
