using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SmallPay.Functions.Hosting.Logging;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Hosting.Http;

/// <summary>
/// A route without the JWT authorizer (template.yaml: <c>Auth: Authorizer: NONE</c>): the customer's page. Nothing here
/// knows a user or a business; what it may show is decided by the signed link in the path alone.
/// </summary>
public interface IPublicHandler
{
    Task<ApiResponse> HandleAsync(PublicRequest request, CancellationToken cancellationToken);
}

/// <summary>One anonymous request: its path, form body and the time it arrived (the injected clock).</summary>
public sealed class PublicRequest(HttpApiRequest raw, DateTimeOffset receivedAt)
{
    /// <summary>A form is a name and a choice: a few hundred bytes. More is refused before any parsing.</summary>
    public const int MaxFormBytes = 4 * 1024;

    public HttpApiRequest Raw { get; } = raw;
    public DateTimeOffset ReceivedAt { get; } = receivedAt;
    public string? PathParameter(string name) => Raw.PathParameters?.GetValueOrDefault(name);
    public string? Header(string name) => Raw.Headers?.GetValueOrDefault(name.ToLowerInvariant());

    /// <summary>An <c>application/x-www-form-urlencoded</c> body (what a plain HTML form posts) as name → value.</summary>
    public IReadOnlyDictionary<string, string> Form()
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(Raw.Body)) return form;
        string text;
        try { text = Raw.IsBase64Encoded ? Encoding.UTF8.GetString(Convert.FromBase64String(Raw.Body)) : Raw.Body; }
        catch (FormatException) { throw PublicPageException.BadForm(); }
        if (Encoding.UTF8.GetByteCount(text) > MaxFormBytes) throw PublicPageException.BadForm();
        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            try { form[Decode(parts[0])] = parts.Length > 1 ? Decode(parts[1]) : ""; }
            catch (UriFormatException) { throw PublicPageException.BadForm(); }
        }
        return form;
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}

/// <summary>A page that says no (a link that is tampered with, expired, revoked; a bad form): its status and its words.</summary>
public sealed class PublicPageException(int status, string title, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public int? RetryAfterSeconds { get; init; }

    public static PublicPageException BadForm() => new(400, "That did not work", "The form could not be read. Go back to the page and try again.");
}

/// <summary>
/// The adapter of the anonymous routes, written once: per-client rate limit → handler → response, with security headers
/// on every answer. Every failure is an HTML page (the customer has a browser, not an API client), never a stack trace.
/// </summary>
public sealed class PublicHttpFunction(IPublicHandler handler, JsonLog log, TimeProvider? clock = null, ClientRateLimit? rateLimit = null) : ILambdaHandler
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public async Task<byte[]> HandleAsync(ReadOnlyMemory<byte> eventJson, LambdaInvocation invocation, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var raw = HttpApiRequestReader.Read(eventJson.Span);
        if (string.IsNullOrEmpty(raw.RequestContext.RequestId)) raw.RequestContext.RequestId = invocation.RequestId;
        var response = await RespondAsync(raw, cancellationToken);
        // The path holds the link's token: the log names the route, never the token.
        log.Info("request", raw.RequestContext.RequestId, ("method", raw.RequestContext.Http.Method), ("route", raw.RouteKey), ("status", response.StatusCode),
            ("ms", Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3)));
        return JsonSerializer.SerializeToUtf8Bytes(ToHttpApiResponse(response), HttpApiResponseJsonContext.Default.HttpApiResponse);
    }

    private async Task<ApiResponse> RespondAsync(HttpApiRequest raw, CancellationToken ct)
    {
        var request = new PublicRequest(raw, _clock.GetUtcNow());
        try
        {
            if (rateLimit is not null) await rateLimit.TakeAsync(request, ct);
            return await handler.HandleAsync(request, ct);
        }
        catch (PublicPageException e)
        {
            var page = PublicPages.Message(e.Status, e.Title, e.Message);
            return e.RetryAfterSeconds is { } seconds
                ? page with { Headers = new Dictionary<string, string> { ["retry-after"] = seconds.ToString(CultureInfo.InvariantCulture) } }
                : page;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.Error("unhandled", e, raw.RequestContext.RequestId);
            return PublicPages.Message(500, "Something went wrong", "The page could not be shown just now. Please try again in a minute.");
        }
    }

    private static HttpApiResponse ToHttpApiResponse(ApiResponse response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["cache-control"] = "no-store",
            // No scripts, no frames, forms only back to this page; the token in the URL never leaves in a Referer.
            ["content-security-policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
            ["referrer-policy"] = "no-referrer",
            ["x-content-type-options"] = "nosniff",
            ["x-robots-tag"] = "noindex, nofollow",
        };
        if (response.ContentType is not null) headers["content-type"] = response.ContentType;
        if (response.Headers is not null) foreach (var (k, v) in response.Headers) headers[k] = v;
        return new HttpApiResponse
        {
            StatusCode = response.StatusCode,
            Headers = headers,
            Body = response.Body is null ? null : Encoding.UTF8.GetString(response.Body),
        };
    }
}

/// <summary>
/// The per-client limit of the anonymous routes (PUBLIC_REQUESTS_PER_MINUTE). Behind CloudFront every request comes
/// from an edge address, so the client is the viewer address CloudFront adds (<c>cloudfront-viewer-address</c>), limited
/// to <see cref="PerMinute"/>; as that header can be forged by calling the API directly, the connecting address is
/// limited too, to ten times as many (all the viewers behind one edge location share it).
/// </summary>
public sealed record ClientRateLimit(IRateLimitStore Store, int PerMinute)
{
    public async Task TakeAsync(PublicRequest request, CancellationToken ct)
    {
        var source = request.Raw.RequestContext.Http.SourceIp is { Length: > 0 } ip ? ip : "unknown";
        var viewer = ViewerAddress(request.Header("cloudfront-viewer-address"));
        var allowed = await Store.TryTakeAsync("client#" + source, viewer is null ? PerMinute : PerMinute * 10, request.ReceivedAt, ct)
                      && (viewer is null || await Store.TryTakeAsync("viewer#" + viewer, PerMinute, request.ReceivedAt, ct));
        if (allowed) return;
        var seconds = 60 - request.ReceivedAt.UtcDateTime.Second;
        throw new PublicPageException(429, "Too many requests", $"This page was opened too often in the last minute. Please try again in {seconds} seconds.")
        {
            RetryAfterSeconds = seconds,
        };
    }

    /// <summary><c>198.51.100.10:46532</c> or <c>2001:db8::1:46532</c> → the address without its port.</summary>
    internal static string? ViewerAddress(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return null;
        var value = header.Trim();
        var colon = value.LastIndexOf(':');
        var address = colon > 0 ? value[..colon] : value;
        return address.Length is > 0 and <= 64 && address.All(c => char.IsAsciiHexDigit(c) || c is '.' or ':') ? address : null;
    }
}
