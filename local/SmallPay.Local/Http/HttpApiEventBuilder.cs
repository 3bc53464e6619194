using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using SmallPay.Functions.Hosting.Http;

namespace SmallPay.Local.Http;

/// <summary>Turns an ASP.NET Core request into the HTTP API payload format 2.0 event API Gateway would send.</summary>
public static class HttpApiEventBuilder
{
    public const string LocalApiId = "local";

    public static HttpApiRequest Build(
        HttpRequest request,
        string routeKey,
        IReadOnlyDictionary<string, string>? pathParameters,
        ReadOnlyMemory<byte> body,
        HttpApiJwtDescription? jwt,
        string requestId,
        DateTimeOffset now)
    {
        var rawPath = RawPath(request);
        var rawQuery = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        var (headers, cookies) = Headers(request);
        var (text, isBase64) = Body(request.ContentType, body);

        return new HttpApiRequest
        {
            RouteKey = routeKey,
            RawPath = rawPath,
            RawQueryString = rawQuery,
            Cookies = cookies,
            Headers = headers,
            QueryStringParameters = QueryParameters(rawQuery),
            PathParameters = pathParameters is { Count: > 0 } ? new Dictionary<string, string>(pathParameters) : null,
            Body = text,
            IsBase64Encoded = isBase64,
            RequestContext = new HttpApiRequestContext
            {
                AccountId = LocalResourceNames.AccountId,
                ApiId = LocalApiId,
                Authorizer = jwt is null ? null : new HttpApiAuthorizer { Jwt = jwt },
                DomainName = request.Host.Value ?? "localhost",
                Http = new HttpApiHttpDescription
                {
                    Method = request.Method,
                    Path = rawPath,
                    Protocol = request.Protocol,
                    SourceIp = request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1",
                    UserAgent = request.Headers.UserAgent.ToString(),
                },
                RequestId = requestId,
                RouteKey = routeKey,
                Stage = "$default",
                Time = now.UtcDateTime.ToString("dd/MMM/yyyy:HH:mm:ss +0000", CultureInfo.InvariantCulture),
                TimeEpoch = now.ToUnixTimeMilliseconds(),
            },
        };
    }

    /// <summary>The path as the client sent it (still percent-encoded): Kestrel's Path is decoded, all but %2F.</summary>
    public static string RawPath(HttpRequest request)
    {
        var target = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target) || target[0] != '/') return request.PathBase.Add(request.Path).ToUriComponent();
        var query = target.IndexOf('?');
        return query < 0 ? target : target[..query];
    }

    /// <summary>Lower-case names, repeated headers comma-joined; cookies move to their own list, as in payload 2.0.</summary>
    private static (Dictionary<string, string> Headers, string[]? Cookies) Headers(HttpRequest request)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        string[]? cookies = null;
        foreach (var (name, values) in request.Headers)
        {
            var lower = name.ToLowerInvariant();
            if (lower == "cookie")
            {
                cookies = values.SelectMany(value => (value ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray();
                continue;
            }
            headers[lower] = string.Join(',', values.ToArray());
        }
        // What API Gateway adds in front of the integration.
        headers["x-forwarded-for"] = request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1";
        headers["x-forwarded-port"] = (request.HttpContext.Connection.LocalPort).ToString(CultureInfo.InvariantCulture);
        headers["x-forwarded-proto"] = request.Scheme;
        return (headers, cookies is { Length: > 0 } ? cookies : null);
    }

    /// <summary>Decoded query parameters; a repeated name's values comma-joined (payload 2.0).</summary>
    private static Dictionary<string, string>? QueryParameters(string rawQuery)
    {
        if (rawQuery.Length == 0) return null;
        var parsed = QueryHelpers.ParseQuery(rawQuery);
        return parsed.Count == 0 ? null : parsed.ToDictionary(pair => pair.Key, pair => string.Join(',', pair.Value.ToArray()), StringComparer.Ordinal);
    }

    /// <summary>Text bodies pass as they are; anything else (or invalid UTF-8) is base64 with <c>isBase64Encoded</c>.</summary>
    internal static (string? Body, bool IsBase64) Body(string? contentType, ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty) return (null, false);
        if (IsText(contentType))
        {
            try
            {
                return (new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body.Span), false);
            }
            catch (DecoderFallbackException)
            {
            }
        }
        return (Convert.ToBase64String(body.Span), true);
    }

    // API Gateway base64-encodes everything it does not consider text (including form posts).
    internal static bool IsText(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType)) return true;
        var mediaType = contentType.Split(';')[0].Trim().ToLowerInvariant();
        return mediaType.StartsWith("text/", StringComparison.Ordinal)
            || mediaType is "application/json" or "application/xml" or "application/javascript" or "application/yaml" or "application/problem+json"
            || mediaType.EndsWith("+json", StringComparison.Ordinal)
            || mediaType.EndsWith("+xml", StringComparison.Ordinal);
    }
}
