using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using SmallPay.Local.Http;

namespace SmallPay.Local.Web;

/// <summary>What the local host serves besides the API: /config.json, /openapi.yaml, the SPA or a small index page.</summary>
public sealed class LocalSite
{
    private readonly string _repositoryRoot;
    private readonly Func<JsonObject> _config;
    private readonly IReadOnlyList<string> _routeKeys;

    public LocalSite(string repositoryRoot, Func<JsonObject> config, IReadOnlyList<string> routeKeys)
    {
        _repositoryRoot = repositoryRoot;
        _config = config;
        _routeKeys = routeKeys;
        var dist = Path.Combine(repositoryRoot, "frontend", "dist");
        SpaRoot = File.Exists(Path.Combine(dist, "index.html")) ? dist : null;
    }

    /// <summary>The built SPA (<c>frontend/dist</c> with an index.html), or null when it has not been built.</summary>
    public string? SpaRoot { get; }

    private string OpenApiPath => Path.Combine(_repositoryRoot, "openapi.yaml");

    /// <summary>Serves the request if it is one of the site's own paths; false lets the API have it.</summary>
    public async Task<bool> TryServeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)) return false;
        switch (request.Path.Value)
        {
            case "/config.json":
                await WriteAsync(context, "application/json", Encoding.UTF8.GetBytes(_config().ToJsonString()), noCache: true);
                return true;
            case "/openapi.yaml" when File.Exists(OpenApiPath):
                await WriteAsync(context, "application/yaml; charset=utf-8", await File.ReadAllBytesAsync(OpenApiPath, context.RequestAborted), noCache: true);
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// A browser navigating (GET, <c>Accept: text/html</c>, no token) to a client-side route of the SPA
    /// such as <c>/invoices/inv_1</c> gets index.html, as with the dev server's history fallback; API
    /// calls (fetch with a token, curl) still reach the API on the same paths.
    /// </summary>
    public bool IsSpaNavigation(HttpRequest request) =>
        SpaRoot is not null
        && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && request.Headers.Authorization.Count == 0
        && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase)
        && !IsDocumentPage(request);

    /// <summary>The customer's pages (/d/…) come from their API even when a browser navigates there, as SpaDistribution's /d/* behaviour sends them.</summary>
    public static bool IsDocumentPage(HttpRequest request) => request.Path.StartsWithSegments("/d", StringComparison.Ordinal);

    /// <summary>index.html of the SPA, or without a built SPA a page that says the API is up.</summary>
    public Task WriteIndexAsync(HttpContext context) =>
        SpaRoot is not null
            ? WriteFileAsync(context, Path.Combine(SpaRoot, "index.html"))
            : WriteAsync(context, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(InfoPage()), noCache: true);

    private async Task WriteFileAsync(HttpContext context, string path) =>
        await WriteAsync(context, "text/html; charset=utf-8", await File.ReadAllBytesAsync(path, context.RequestAborted), noCache: true);

    private string InfoPage()
    {
        var config = _config();
        var routes = string.Concat(_routeKeys.Select(key => $"<li><code>{WebUtility.HtmlEncode(key)}</code></li>"));
        var openApi = File.Exists(OpenApiPath) ? """<li><a href="/openapi.yaml">/openapi.yaml</a>: the API description</li>""" : "";
        return $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>SmallPay local API</title>
            <style>body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;line-height:1.5}code{background:#f3f3f3;padding:0 .2em}</style>
            </head><body>
            <h1>SmallPay local API is up</h1>
            <p>The single-page app is not built (no <code>frontend/dist</code>), so this page stands in for it.</p>
            <ul>
            <li><a href="/config.json">/config.json</a>: API URL, region, user pool and client for the SPA</li>
            {{openApi}}
            <li>Cognito (moto): <code>{{WebUtility.HtmlEncode(config["cognitoEndpoint"]?.ToString())}}</code></li>
            </ul>
            <h2>Routes (each needs <code>Authorization: Bearer &lt;ID token&gt;</code>)</h2>
            <ul>{{routes}}</ul>
            </body></html>
            """;
    }

    private static async Task WriteAsync(HttpContext context, string contentType, byte[] body, bool noCache)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = contentType;
        if (noCache) context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method)) await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>What API Gateway answers for a path no route matches.</summary>
    public static Task WriteNotFoundAsync(HttpContext context) =>
        HttpApiGateway.WriteMessageAsync(context, StatusCodes.Status404NotFound, "Not Found");
}
