using System.Net.Http.Headers;

namespace SmallPay.Functions.Aws;

/// <summary>
/// The two S3 calls SmallPay makes — PutObject of a PDF and a presigned GET link to it — over plain HTTPS with
/// SigV4, for the same start-up reason as <see cref="DynamoDbHttpClient"/>. Virtual-hosted bucket addresses in AWS;
/// path-style (<c>{endpoint}/{bucket}/{key}</c>) on a local emulator.
/// </summary>
public sealed class S3HttpClient(HttpClient http, S3Addressing addressing, string region, AwsCredentialsSource credentials, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>True when the links this client hands out are plain HTTP (a local emulator).</summary>
    public bool IsPlainHttp => addressing.IsPlainHttp;

    /// <summary>Stores <paramref name="body"/>; retried like the SDK on 5xx, throttling and broken connections.</summary>
    public async Task PutObjectAsync(string bucket, string key, byte[] body, string contentType,
        IReadOnlyDictionary<string, string> extraHeaders, CancellationToken ct)
    {
        var uri = addressing.ObjectUri(bucket, key);
        var payloadHash = AwsSigV4.PayloadHash(body);
        for (var attempt = 0; ; attempt++)
        {
            var headers = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["host"] = uri.Authority,
                ["content-type"] = contentType,
                ["x-amz-content-sha256"] = payloadHash,
            };
            foreach (var (name, value) in extraHeaders) headers[name.ToLowerInvariant()] = value;
            AwsSigV4.Sign("PUT", uri, headers, payloadHash, region, "s3", await credentials.GetAsync(ct), _clock.GetUtcNow());

            using var message = new HttpRequestMessage(HttpMethod.Put, uri) { Content = new ByteArrayContent(body) };
            foreach (var (name, value) in headers)
            {
                if (name == "host") continue;
                if (name.StartsWith("content-", StringComparison.Ordinal)) message.Content.Headers.TryAddWithoutValidation(name, value);
                else message.Headers.TryAddWithoutValidation(name, value);
            }

            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(message, ct);
            }
            catch (HttpRequestException) when (attempt < AwsRetry.MaxRetries && !ct.IsCancellationRequested)
            {
                await AwsRetry.BackoffAsync(attempt, ct);
                continue;
            }
            using (response)
            {
                if (response.IsSuccessStatusCode) return;
                var text = await response.Content.ReadAsStringAsync(ct);
                var error = new S3RequestException(response.StatusCode, Element(text, "Code") ?? response.StatusCode.ToString(), Element(text, "Message") ?? text);
                if (attempt < AwsRetry.MaxRetries && ((int)response.StatusCode >= 500 || error.ErrorCode is "SlowDown" or "RequestTimeout"))
                {
                    await AwsRetry.BackoffAsync(attempt, ct);
                    continue;
                }
                throw error;
            }
        }
    }

    /// <summary>A presigned GET link to the object, valid until <paramref name="expiresAt"/>: signed here, no call to S3.</summary>
    public async Task<Uri> PresignGetAsync(string bucket, string key, DateTimeOffset expiresAt, CancellationToken ct)
    {
        var signing = await credentials.GetAsync(ct);
        var now = _clock.GetUtcNow();
        return AwsSigV4.PresignGet(addressing.ObjectUri(bucket, key), region, "s3", signing, now, expiresAt - now);
    }

    // S3's error answer is a small XML document; its Code and Message are all a caller needs (no XML stack for that).
    private static string? Element(string xml, string name)
    {
        var start = xml.IndexOf($"<{name}>", StringComparison.Ordinal);
        if (start < 0) return null;
        start += name.Length + 2;
        var end = xml.IndexOf($"</{name}>", start, StringComparison.Ordinal);
        return end < 0 ? null : System.Net.WebUtility.HtmlDecode(xml[start..end]);
    }

}

/// <summary>How object addresses are formed: virtual-hosted in AWS, path-style on an emulator's endpoint.</summary>
public sealed record S3Addressing(Uri? Endpoint, string Region)
{
    public bool IsPlainHttp => Endpoint is { Scheme: "http" };

    public Uri ObjectUri(string bucket, string key)
    {
        var path = string.Join('/', key.Split('/').Select(Uri.EscapeDataString));
        return Endpoint is { } endpoint
            ? new Uri($"{endpoint.Scheme}://{endpoint.Authority}/{Uri.EscapeDataString(bucket)}/{path}")
            : new Uri($"https://{bucket}.s3.{Region}.amazonaws.com/{path}");
    }
}

public sealed class S3RequestException(System.Net.HttpStatusCode status, string errorCode, string message)
    : Exception($"S3 answered {(int)status} {errorCode}: {message}")
{
    public System.Net.HttpStatusCode StatusCode { get; } = status;
    public string ErrorCode { get; } = errorCode;
}
