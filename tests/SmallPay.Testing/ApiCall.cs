using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Hosting.Http;

namespace SmallPay.Testing;

/// <summary>
/// One HTTP API request as API Gateway hands it to a function (payload format 2.0, the JWT authorizer's claims), sent
/// straight to a function's handler: what unit tests use instead of a local stack.
/// </summary>
public sealed record ApiCall(string Method, string Path, string Tenant)
{
    public object? Body { get; init; }
    public string? RawBody { get; init; }
    public Dictionary<string, string> Headers { get; init; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<string, string> Query { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The route's path parameters, taken from <see cref="Path"/> by position ("/invoices/{invoiceId}/send").</summary>
    public string? RouteTemplate { get; init; }

    public ApiCall WithHeader(string name, string value) => this with { Headers = new(Headers, StringComparer.OrdinalIgnoreCase) { [name] = value } };

    public ApiCall IfMatch(long version) => WithHeader("if-match", $"\"{version}\"");

    public ApiCall IdempotencyKey(string key) => WithHeader("idempotency-key", key);

    public byte[] ToEvent()
    {
        var text = RawBody ?? (Body is null ? null : Body as string ?? JsonSerializer.Serialize(Body, TestJson.Options));
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in Headers) headers[name.ToLowerInvariant()] = value;
        if (text is not null) headers.TryAdd("content-type", "application/json");
        var request = new HttpApiRequest
        {
            RouteKey = $"{Method} {RouteTemplate ?? Path}",
            RawPath = Path,
            RawQueryString = string.Join('&', Query.Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}")),
            Headers = headers,
            QueryStringParameters = Query.Count > 0 ? new Dictionary<string, string>(Query) : null,
            PathParameters = PathParameters(),
            Body = text,
            RequestContext = new HttpApiRequestContext
            {
                RequestId = Guid.NewGuid().ToString(),
                RouteKey = $"{Method} {RouteTemplate ?? Path}",
                Http = new HttpApiHttpDescription { Method = Method, Path = Path, SourceIp = "127.0.0.1" },
                Authorizer = new HttpApiAuthorizer { Jwt = new HttpApiJwtDescription { Claims = new() { ["sub"] = Tenant } } },
                TimeEpoch = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            },
        };
        return JsonSerializer.SerializeToUtf8Bytes(request, HttpApiJsonContext.Default.HttpApiRequest);
    }

    private Dictionary<string, string>? PathParameters()
    {
        if (RouteTemplate is null) return null;
        var names = RouteTemplate.Split('/');
        var values = Path.Split('/');
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Length && i < values.Length; i++)
            if (names[i] is ['{', .., '}']) parameters[names[i][1..^1]] = Uri.UnescapeDataString(values[i]);
        return parameters.Count > 0 ? parameters : null;
    }
}

/// <summary>A function's answer: status, headers and the parsed JSON body.</summary>
public sealed record ApiAnswer(int Status, IReadOnlyDictionary<string, string> Headers, string? Text)
{
    public JsonNode Json => Text is { Length: > 0 } text ? JsonNode.Parse(text)! : throw new InvalidOperationException($"No body (status {Status}).");
    public string? ETag => Headers.GetValueOrDefault("etag");
    public long Version => long.Parse(ETag!.Trim('"'), CultureInfo.InvariantCulture);
    public string Id => Json["id"]!.GetValue<string>();
    public string? ProblemType => Status >= 400 ? Json["type"]?.GetValue<string>() : null;
    public override string ToString() => $"{Status} {Text}";
}

public static class ApiCallExtensions
{
    public static async Task<ApiAnswer> InvokeAsync(this ILambdaHandler handler, ApiCall call, CancellationToken ct = default)
    {
        var output = await handler.HandleAsync(call.ToEvent(), LambdaInvocation.Local(TimeSpan.FromSeconds(10)), ct);
        var response = JsonSerializer.Deserialize(output, HttpApiJsonContext.Default.HttpApiResponse)!;
        var headers = new Dictionary<string, string>(response.Headers ?? [], StringComparer.OrdinalIgnoreCase);
        return new ApiAnswer(response.StatusCode, headers, response.Body);
    }
}

public static class TestJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };
}
