using System.Net;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SmallPay.Functions.Aws;

namespace SmallPay.Functions.Tests.Aws;

/// <summary>What goes on the wire and when a call is retried, with a scripted HTTP handler in place of DynamoDB.</summary>
public sealed class DynamoDbHttpClientRetryTests
{
    private static readonly Dictionary<string, string> SessionEnvironment = new()
    {
        ["AWS_ACCESS_KEY_ID"] = "AKID", ["AWS_SECRET_ACCESS_KEY"] = "secret", ["AWS_SESSION_TOKEN"] = "token-1",
    };

    private static (DynamoDbHttpClient Client, ScriptedHandler Handler) Create(params (HttpStatusCode Status, string Body)[] answers)
    {
        var handler = new ScriptedHandler(answers);
        var http = new HttpClient(handler);
        var credentials = new AwsCredentialsSource(name => SessionEnvironment.GetValueOrDefault(name), http);
        return (new DynamoDbHttpClient(http, DynamoDbHttpClient.RegionalEndpoint("eu-central-1"), "eu-central-1", credentials), handler);
    }

    private static GetItemRequest Get => new() { TableName = "t", Key = new() { ["id"] = new() { S = "a" } }, ConsistentRead = true };

    [Fact]
    public async Task A_request_is_signed_json_for_the_operations_target()
    {
        var (client, handler) = Create((HttpStatusCode.OK, """{"Item":{"id":{"S":"a"}}}"""));

        var item = (await client.GetItemAsync(Get)).Item;

        var sent = Assert.Single(handler.Requests);
        Assert.Equal("https://dynamodb.eu-central-1.amazonaws.com/", sent.Uri);
        Assert.Equal("DynamoDB_20120810.GetItem", sent.Headers["X-Amz-Target"]);
        Assert.Equal("token-1", sent.Headers["X-Amz-Security-Token"]);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKID/", sent.Headers["Authorization"]);
        Assert.Contains("/eu-central-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target,", sent.Headers["Authorization"]);
        Assert.Equal("""{"TableName":"t","Key":{"id":{"S":"a"}},"ConsistentRead":true}""", sent.Body);
        Assert.Equal("a", item!["id"].S);
    }

    [Fact]
    public async Task Server_errors_and_throttling_are_retried_until_an_answer()
    {
        var (client, handler) = Create(
            (HttpStatusCode.InternalServerError, """{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"boom"}"""),
            (HttpStatusCode.BadRequest, """{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"slow down"}"""),
            (HttpStatusCode.OK, "{}"));

        var response = await client.GetItemAsync(Get);

        Assert.Null(response.Item);
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task Throttling_gives_up_after_three_retries_with_the_sdk_exception()
    {
        const string throttled = """{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"slow down"}""";
        var (client, handler) = Create(Enumerable.Repeat((HttpStatusCode.BadRequest, throttled), 10).ToArray());

        var error = await Assert.ThrowsAsync<ProvisionedThroughputExceededException>(() => client.GetItemAsync(Get));

        Assert.Equal(1 + DynamoDbHttpClient.MaxRetries, handler.Requests.Count);
        Assert.Equal("slow down", error.Message);
    }

    [Fact]
    public async Task A_failed_condition_is_answered_at_once_never_retried()
    {
        var (client, handler) = Create(
            (HttpStatusCode.BadRequest, """{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"}"""));

        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => client.PutItemAsync(new PutItemRequest
        {
            TableName = "t", Item = new() { ["id"] = new() { S = "a" } }, ConditionExpression = "attribute_not_exists(id)",
        }));

        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task A_non_json_error_page_still_becomes_a_dynamodb_exception_with_its_status()
    {
        var (client, _) = Create((HttpStatusCode.Forbidden, "<html>denied</html>"));

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.GetItemAsync(Get));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal("Forbidden", error.ErrorCode);
    }

    [Fact]
    public async Task Container_credentials_are_fetched_with_their_token_and_reused_until_they_near_expiry()
    {
        var expiry = DateTimeOffset.UtcNow.AddHours(1).ToString("O");
        var handler = new ScriptedHandler(
            (HttpStatusCode.OK, $$"""{"AccessKeyId":"ASIA1","SecretAccessKey":"s","Token":"t1","Expiration":"{{expiry}}"}"""));
        var environment = new Dictionary<string, string>
        {
            ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://127.0.0.1:9999/credentials", ["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "auth-123",
        };
        var source = new AwsCredentialsSource(name => environment.GetValueOrDefault(name), new HttpClient(handler));

        var first = await source.GetAsync(CancellationToken.None);
        var second = await source.GetAsync(CancellationToken.None);

        Assert.Equal(new AwsCredentials("ASIA1", "s", "t1") { Expiration = first.Expiration }, first);
        Assert.Same(first, second);
        var fetched = Assert.Single(handler.Requests);
        Assert.Equal("auth-123", fetched.Headers["Authorization"]);
    }

    [Fact]
    public async Task Without_any_credentials_the_error_says_what_to_set()
    {
        var source = new AwsCredentialsSource(_ => null, new HttpClient());
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await source.GetAsync(CancellationToken.None));
        Assert.Contains("AWS_ACCESS_KEY_ID", error.Message);
    }

    internal sealed record SentRequest(string Uri, Dictionary<string, string> Headers, string Body);

    internal sealed class ScriptedHandler(params (HttpStatusCode Status, string Body)[] answers) : HttpMessageHandler
    {
        private int _next;
        public List<SentRequest> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
                .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
            Requests.Add(new SentRequest(request.RequestUri!.AbsoluteUri, headers,
                request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken)));
            var (status, body) = answers[Math.Min(_next++, answers.Length - 1)];
            return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/x-amz-json-1.0") };
        }
    }
}
