using Microsoft.AspNetCore.Http;

namespace SmallPay.Local.Http;

/// <summary>
/// An HTTP API's <c>CorsConfiguration</c>, applied as API Gateway does: preflight <c>OPTIONS</c> requests
/// are answered by the gateway (no route, no authorizer), and every other response carries the
/// allow-origin headers when the origin is allowed, replacing any CORS headers the function returned.
/// </summary>
public sealed class CorsPolicy
{
    private volatile HashSet<string> _origins;

    public CorsPolicy(
        IEnumerable<string> allowOrigins,
        IEnumerable<string> allowHeaders,
        IEnumerable<string> allowMethods,
        IEnumerable<string> exposeHeaders,
        int? maxAgeSeconds,
        bool allowCredentials)
    {
        _origins = new HashSet<string>(allowOrigins.Select(Normalize), StringComparer.OrdinalIgnoreCase);
        AllowHeaders = allowHeaders.ToList();
        AllowMethods = allowMethods.ToList();
        ExposeHeaders = exposeHeaders.ToList();
        MaxAgeSeconds = maxAgeSeconds;
        AllowCredentials = allowCredentials;
    }

    /// <summary>What <c>CorsConfiguration: true</c> means in SAM: everything allowed.</summary>
    public static CorsPolicy AllowAll() => new(["*"], ["*"], ["*"], [], null, false);

    public IReadOnlyCollection<string> AllowOrigins => _origins;
    public IReadOnlyList<string> AllowHeaders { get; }
    public IReadOnlyList<string> AllowMethods { get; }
    public IReadOnlyList<string> ExposeHeaders { get; }
    public int? MaxAgeSeconds { get; }
    public bool AllowCredentials { get; }

    /// <summary>Allows one more origin (the local host's own, known once it listens).</summary>
    public void AddOrigin(string origin) => _origins = new HashSet<string>(_origins.Append(Normalize(origin)), StringComparer.OrdinalIgnoreCase);

    public bool IsAllowed(string? origin) => origin is not null && (_origins.Contains("*") || _origins.Contains(Normalize(origin)));

    public static bool IsPreflight(HttpRequest request) =>
        HttpMethods.IsOptions(request.Method)
        && request.Headers.Origin.Count > 0
        && request.Headers.AccessControlRequestMethod.Count > 0;

    /// <summary>The gateway's own answer to a preflight: 204, with the CORS headers when the origin is allowed.</summary>
    public void WritePreflight(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        response.StatusCode = StatusCodes.Status204NoContent;
        string? origin = request.Headers.Origin;
        if (!IsAllowed(origin)) return;

        response.Headers.AccessControlAllowOrigin = AllowOriginValue(origin!);
        response.Headers.AccessControlAllowMethods = AllowMethods.Contains("*")
            ? request.Headers.AccessControlRequestMethod.ToString()
            : string.Join(',', AllowMethods);
        var requestedHeaders = request.Headers.AccessControlRequestHeaders.ToString();
        if (requestedHeaders.Length > 0 || AllowHeaders.Count > 0)
            response.Headers.AccessControlAllowHeaders = AllowHeaders.Contains("*") ? requestedHeaders : string.Join(',', AllowHeaders);
        if (MaxAgeSeconds is { } maxAge) response.Headers.AccessControlMaxAge = maxAge.ToString();
        if (AllowCredentials) response.Headers.AccessControlAllowCredentials = "true";
        response.Headers.Vary = "Origin";
    }

    /// <summary>Sets the CORS headers of a normal (non-preflight) response, dropping any the function set.</summary>
    public void ApplyTo(HttpRequest request, IHeaderDictionary headers)
    {
        foreach (var name in headers.Keys.Where(name => name.StartsWith("access-control-", StringComparison.OrdinalIgnoreCase)).ToList())
            headers.Remove(name);
        string? origin = request.Headers.Origin;
        if (!IsAllowed(origin)) return;
        headers.AccessControlAllowOrigin = AllowOriginValue(origin!);
        if (AllowCredentials) headers.AccessControlAllowCredentials = "true";
        if (ExposeHeaders.Count > 0) headers.AccessControlExposeHeaders = string.Join(',', ExposeHeaders);
        headers.Vary = "Origin";
    }

    // With credentials a browser refuses "*": echo the origin then, as API Gateway does.
    private string AllowOriginValue(string origin) => _origins.Contains("*") && !AllowCredentials ? "*" : origin;

    private static string Normalize(string origin) => origin.Trim().TrimEnd('/');
}
