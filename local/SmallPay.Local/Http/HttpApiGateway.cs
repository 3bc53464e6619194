using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Local.Auth;

namespace SmallPay.Local.Http;

/// <summary>One route of the local HTTP API, with its warm handler and authorizer.</summary>
public sealed record LocalRoute(
    string RouteKey,
    string FunctionLogicalId,
    string FunctionName,
    ILambdaHandler? Handler,
    string? UnavailableReason,
    TimeSpan Timeout,
    JwtAuthorizer? Authorizer,
    IReadOnlyList<string> AuthorizationScopes,
    string? UnsupportedAuthorizer = null);

/// <summary>
/// The local stand-in for API Gateway's HTTP API: authorizes, builds the payload 2.0 event, calls the
/// function in-process, and maps its answer (or its failure) to HTTP the way API Gateway does.
/// </summary>
public sealed class HttpApiGateway
{
    /// <summary>API Gateway's payload limit.</summary>
    public const int MaxBodyBytes = 10 * 1024 * 1024;

    /// <summary>A short explanation for the request log line (why a 401, which function failed).</summary>
    public const string LogNoteItem = "smallpay.note";

    private readonly RouteTable<LocalRoute> _routes;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public HttpApiGateway(RouteTable<LocalRoute> routes, ILogger logger, TimeProvider? time = null)
    {
        _routes = routes;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    public RouteTable<LocalRoute> Routes => _routes;

    /// <summary>Matches on the raw path, so path parameters are decoded exactly once.</summary>
    public RouteMatch<LocalRoute>? Match(HttpRequest request) => _routes.Match(request.Method, HttpApiEventBuilder.RawPath(request));

    public async Task InvokeAsync(HttpContext context, RouteMatch<LocalRoute> match)
    {
        var route = match.Route;
        var request = context.Request;
        var cancellationToken = context.RequestAborted;
        var requestId = Guid.NewGuid().ToString();
        context.Response.Headers["apigw-requestid"] = requestId;

        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            await WriteMessageAsync(context, StatusCodes.Status413PayloadTooLarge, "Request Entity Too Large");
            return;
        }

        HttpApiJwtDescription? jwt = null;
        if (route.UnsupportedAuthorizer is { } unsupported)
        {
            Note(context, $"authorizer {unsupported} is not a JWT authorizer; the local stack denies");
            await WriteMessageAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized");
            return;
        }
        if (route.Authorizer is { } authorizer)
        {
            var verdict = await authorizer.AuthorizeAsync(
                request.Headers[authorizer.Settings.IdentitySourceHeader].ToString(), route.AuthorizationScopes, cancellationToken);
            if (!verdict.IsAuthorized)
            {
                Note(context, verdict.Reason);
                if (verdict.WwwAuthenticate is not null) context.Response.Headers.WWWAuthenticate = verdict.WwwAuthenticate;
                await WriteMessageAsync(context, verdict.StatusCode, verdict.StatusCode == 403 ? "Forbidden" : "Unauthorized");
                return;
            }
            jwt = new HttpApiJwtDescription
            {
                Claims = new Dictionary<string, string>(verdict.Claims!),
                Scopes = verdict.Scopes?.ToArray(),
            };
        }

        if (route.Handler is null)
        {
            Note(context, route.UnavailableReason);
            _logger.LogWarning("{RouteKey}: {Function} is not available: {Reason}", route.RouteKey, route.FunctionName, route.UnavailableReason);
            await WriteProblemAsync(context, StatusCodes.Status501NotImplemented, "Not Implemented",
                $"{route.RouteKey} is served by {route.FunctionLogicalId}, which the local stack cannot run: {route.UnavailableReason}");
            return;
        }

        var now = _time.GetUtcNow();
        var evt = HttpApiEventBuilder.Build(request, route.RouteKey, match.PathParameters, body.Value, jwt, requestId, now);
        var eventJson = JsonSerializer.SerializeToUtf8Bytes(evt, HttpApiJsonContext.Default.HttpApiRequest);

        byte[] responseJson;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            deadline.CancelAfter(route.Timeout);
            var started = Stopwatch.GetTimestamp();
            try
            {
                responseJson = await route.Handler
                    .HandleAsync(eventJson, new LambdaInvocation(requestId, now + route.Timeout, null, null), deadline.Token)
                    .WaitAsync(route.Timeout, cancellationToken);
            }
            catch (Exception error) when (error is TimeoutException || error is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Lambda ends the invocation; API Gateway then answers 500.
                _logger.LogError("{Function} {RequestId}: Task timed out after {Seconds:0.00} seconds",
                    route.FunctionLogicalId, requestId, Stopwatch.GetElapsedTime(started).TotalSeconds);
                Note(context, $"{route.FunctionLogicalId} timed out");
                await WriteMessageAsync(context, StatusCodes.Status500InternalServerError, "Internal Server Error");
                return;
            }
            catch (Exception error) when (!cancellationToken.IsCancellationRequested)
            {
                _logger.LogError(error, "{Function} {RequestId} failed", route.FunctionLogicalId, requestId);
                Note(context, $"{route.FunctionLogicalId} threw {error.GetType().Name}");
                await WriteMessageAsync(context, StatusCodes.Status500InternalServerError, "Internal Server Error");
                return;
            }
        }

        if (!TryReadResponse(responseJson, out var response, out var cookies))
        {
            _logger.LogError("{Function} {RequestId} returned a response API Gateway cannot map: {Response}",
                route.FunctionLogicalId, requestId, Encoding.UTF8.GetString(responseJson.AsSpan(0, Math.Min(responseJson.Length, 500))));
            Note(context, $"{route.FunctionLogicalId} returned an invalid response");
            await WriteMessageAsync(context, StatusCodes.Status500InternalServerError, "Internal Server Error");
            return;
        }
        await WriteFunctionResponseAsync(context, response, cookies);
    }

    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// Payload 2.0 response mapping: an object with <c>statusCode</c> is a structured response; any other
    /// valid JSON is the body of a 200 with content-type application/json (API Gateway's inference).
    /// </summary>
    internal static bool TryReadResponse(byte[] json, out HttpApiResponse response, out string[] cookies)
    {
        response = new HttpApiResponse();
        cookies = [];
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("statusCode", out _))
            {
                response = root.Deserialize(HttpApiJsonContext.Default.HttpApiResponse) ?? new HttpApiResponse();
                if (root.TryGetProperty("cookies", out var list) && list.ValueKind == JsonValueKind.Array)
                    cookies = list.EnumerateArray().Select(cookie => cookie.GetString() ?? "").Where(c => c.Length > 0).ToArray();
                return response.StatusCode is >= 100 and <= 599;
            }
            response = new HttpApiResponse
            {
                StatusCode = 200,
                Headers = new Dictionary<string, string> { ["content-type"] = "application/json" },
                Body = root.ValueKind == JsonValueKind.String ? root.GetString() : root.GetRawText(),
            };
            return true;
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    private static async Task WriteFunctionResponseAsync(HttpContext context, HttpApiResponse response, string[] cookies)
    {
        var http = context.Response;
        http.StatusCode = response.StatusCode;
        foreach (var (name, value) in response.Headers ?? [])
        {
            if (name.Equals("content-length", StringComparison.OrdinalIgnoreCase) || name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase)) continue;
            http.Headers[name] = value;
        }
        foreach (var cookie in cookies) http.Headers.Append("set-cookie", cookie);

        if (string.IsNullOrEmpty(response.Body)) return;
        byte[] bytes;
        try
        {
            bytes = response.IsBase64Encoded ? Convert.FromBase64String(response.Body) : Encoding.UTF8.GetBytes(response.Body);
        }
        catch (FormatException)
        {
            http.Headers.Clear();
            await WriteMessageAsync(context, StatusCodes.Status500InternalServerError, "Internal Server Error");
            return;
        }
        http.ContentLength = bytes.Length;
        await http.Body.WriteAsync(bytes, context.RequestAborted);
    }

    /// <summary>API Gateway's own answers: <c>{"message":"..."}</c>.</summary>
    public static Task WriteMessageAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(new JsonObject { ["message"] = message }.ToJsonString());
        context.Response.ContentLength = bytes.Length;
        return context.Response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }

    private static Task WriteProblemAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        var problem = new JsonObject { ["type"] = "about:blank", ["title"] = title, ["status"] = status, ["detail"] = detail };
        var bytes = Encoding.UTF8.GetBytes(problem.ToJsonString());
        context.Response.ContentLength = bytes.Length;
        return context.Response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }

    private static void Note(HttpContext context, string? note)
    {
        if (note is not null) context.Items[LogNoteItem] = note;
    }
}
