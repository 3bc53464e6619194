using System.Diagnostics;
using System.Text;
using System.Text.Json;
using SmallPay.Domain.Validation;
using SmallPay.Functions.Hosting.Logging;

namespace SmallPay.Functions.Hosting.Http;

/// <summary>
/// The adapter every API function goes through, written once: HTTP API event in → tenant from the JWT claims →
/// content checks → handler → response out; every expected failure becomes an RFC 9457 problem, never a 5xx.
/// </summary>
public sealed class HttpApiFunction(IApiHandler handler, JsonLog log, TimeProvider? clock = null) : ILambdaHandler
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public async Task<byte[]> HandleAsync(ReadOnlyMemory<byte> eventJson, LambdaInvocation invocation, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var raw = HttpApiRequestReader.Read(eventJson.Span);
        if (string.IsNullOrEmpty(raw.RequestContext.RequestId)) raw.RequestContext.RequestId = invocation.RequestId;

        var response = await RespondAsync(raw, invocation.Deadline, cancellationToken);
        log.Info("request", raw.RequestContext.RequestId,
            ("method", raw.RequestContext.Http.Method), ("path", raw.RawPath), ("status", response.StatusCode),
            ("ms", Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3)));
        return JsonSerializer.SerializeToUtf8Bytes(ToHttpApiResponse(response), HttpApiResponseJsonContext.Default.HttpApiResponse);
    }

    private async Task<ApiResponse> RespondAsync(HttpApiRequest raw, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        try
        {
            var request = new ApiRequest(raw, TenantOf(raw), _clock.GetUtcNow(), deadline);
            CheckBody(request);
            return await handler.HandleAsync(request, cancellationToken);
        }
        catch (ProblemException e) { return e.ToResponse(raw.RawPath); }
        catch (DomainValidationException e) { return ApiResponse.From(Problems.Validation(e.Message, e.Errors).ToProblem(raw.RawPath)); }
        catch (InvoiceStateException e) { return ApiResponse.From(Problems.Conflict(e.Message).ToProblem(raw.RawPath)); }
        catch (Exception e) when (StoreProblems.From(e) is { } problem) { return problem.ToResponse(raw.RawPath); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.Error("unhandled", e, raw.RequestContext.RequestId);
            return ApiResponse.From(Problems.InternalError(raw.RequestContext.RequestId));
        }
    }

    private static string TenantOf(HttpApiRequest raw) =>
        raw.RequestContext.Authorizer?.Jwt?.Claims?.GetValueOrDefault("sub") is { Length: > 0 and <= 128 } sub
            ? sub
            : throw Problems.Unauthorized();

    private static void CheckBody(ApiRequest request)
    {
        if (string.IsNullOrEmpty(request.Raw.Body)) return;
        // Base64 inflates by 4/3; decoded size is what counts.
        var size = request.Raw.IsBase64Encoded ? request.Raw.Body.Length / 4 * 3 : Encoding.UTF8.GetByteCount(request.Raw.Body);
        if (size > ApiRequest.MaxBodyBytes) throw Problems.PayloadTooLarge(ApiRequest.MaxBodyBytes);
        var contentType = request.Header("content-type");
        if (contentType is null || !IsJson(contentType)) throw Problems.UnsupportedMediaType();
    }

    private static bool IsJson(string contentType)
    {
        var mediaType = contentType.Split(';', 2)[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
               || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    private static HttpApiResponse ToHttpApiResponse(ApiResponse response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["cache-control"] = "no-store" };
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
