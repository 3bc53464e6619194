using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Globalization;
using System.Security.Cryptography;
using Amazon.Runtime.Internal.Auth;

namespace SmallPay.Local.Aws;

/// <summary>
/// Calls an AWS JSON-protocol API (<c>POST /</c>, <c>X-Amz-Target: Service.Operation</c>) on the local
/// emulator, signed with SigV4. Used where no SDK client package is available (Cognito, DynamoDB Streams).
/// </summary>
public sealed class AwsJsonClient
{
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly string _service;
    private readonly string _targetPrefix;
    private readonly string _contentType;
    private readonly string _region;

    /// <param name="service">The signing name (<c>cognito-idp</c>, <c>dynamodb</c>).</param>
    /// <param name="targetPrefix">The X-Amz-Target prefix (<c>AWSCognitoIdentityProviderService</c>).</param>
    public AwsJsonClient(HttpClient http, Uri endpoint, string service, string targetPrefix,
        string contentType = "application/x-amz-json-1.1", string region = LocalResourceNames.Region)
    {
        _http = http;
        _endpoint = endpoint;
        _service = service;
        _targetPrefix = targetPrefix;
        _contentType = contentType;
        _region = region;
    }

    /// <summary>Calls <paramref name="operation"/>; an error answer throws <see cref="AwsServiceException"/> with AWS's error code.</summary>
    public async Task<JsonObject> CallAsync(string operation, JsonObject request, CancellationToken cancellationToken)
    {
        var body = System.Text.Encoding.UTF8.GetBytes(request.ToJsonString());
        var uri = _endpoint; // moto at its root, or the local host's Cognito path
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["content-type"] = _contentType,
            ["host"] = uri.Authority,
            ["x-amz-date"] = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture),
            ["x-amz-target"] = $"{_targetPrefix}.{operation}",
        };
        Sign(headers, body, uri.AbsolutePath);

        using var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(_contentType);
        foreach (var (name, value) in headers)
            if (name is not ("host" or "content-type")) message.Headers.TryAddWithoutValidation(name, value);

        using var response = await _http.SendAsync(message, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var json = text.Length == 0 ? new JsonObject() : JsonNode.Parse(text) as JsonObject ?? new JsonObject();
        if (!response.IsSuccessStatusCode)
        {
            // "__type" is "ErrorName" or "namespace#ErrorName".
            var type = json["__type"]?.GetValue<string>() ?? response.StatusCode.ToString();
            var code = type[(type.LastIndexOf('#') + 1)..];
            var detail = (json["message"] ?? json["Message"])?.GetValue<string>() ?? text;
            throw new AwsServiceException(code, $"{_targetPrefix}.{operation}: {code}: {detail}");
        }
        return json;
    }

    /// <summary>SigV4 with AWSSDK.Core's signer: a canonical request of POST / with the headers above and the body's hash.</summary>
    private void Sign(SortedDictionary<string, string> headers, byte[] body, string path)
    {
        var signedHeaders = string.Join(';', headers.Keys);
        var canonicalRequest = string.Join('\n',
            "POST", path, "", string.Concat(headers.Select(h => $"{h.Key}:{h.Value}\n")), signedHeaders,
            Convert.ToHexStringLower(SHA256.HashData(body)));
        var signedAt = DateTime.ParseExact(headers["x-amz-date"], "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        var result = AWS4Signer.ComputeSignature(LocalResourceNames.AccessKeyId, LocalResourceNames.SecretAccessKey, _region, signedAt,
            _service, signedHeaders, canonicalRequest);
        headers["authorization"] = result.ForAuthorizationHeader;
    }
}

public sealed class AwsServiceException(string errorCode, string message) : Exception(message)
{
    public string ErrorCode { get; } = errorCode;
}
