using System.Diagnostics;
using System.Text;
using System.Text.Json;
using SmallPay.Domain.Teams;
using SmallPay.Domain.Validation;
using SmallPay.Functions.Hosting.Logging;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Hosting.Http;

/// <summary>
/// The adapter every API function goes through, written once: HTTP API event in → the caller from the JWT claims →
/// the business they work in and their role there (<see cref="ITeamStore"/>), checked against the route's
/// <see cref="Permission"/> → content checks → handler → response out; every expected failure becomes an RFC 9457
/// problem, never a 5xx.
/// </summary>
public sealed class HttpApiFunction(IApiHandler handler, JsonLog log, TimeProvider? clock = null, Permission permission = Permission.Read,
    ITeamStore? teams = null, TenantRateLimit? rateLimit = null) : ILambdaHandler
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public async Task<byte[]> HandleAsync(ReadOnlyMemory<byte> eventJson, LambdaInvocation invocation, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var raw = HttpApiRequestReader.Read(eventJson.Span);
        if (string.IsNullOrEmpty(raw.RequestContext.RequestId)) raw.RequestContext.RequestId = invocation.RequestId;

        // Lambda's deadline is wall-clock time; the request's times are the clock's (which the local host can move ahead):
        // the deadline as the clock sees it keeps "time left" right either way.
        var response = await RespondAsync(raw, _clock.GetUtcNow() + (invocation.Deadline - DateTimeOffset.UtcNow), cancellationToken);
        log.Info("request", raw.RequestContext.RequestId,
            ("method", raw.RequestContext.Http.Method), ("path", raw.RawPath), ("status", response.StatusCode),
            ("ms", Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3)));
        return JsonSerializer.SerializeToUtf8Bytes(ToHttpApiResponse(response), HttpApiResponseJsonContext.Default.HttpApiResponse);
    }

    private async Task<ApiResponse> RespondAsync(HttpApiRequest raw, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        try
        {
            var request = await AuthorizeAsync(raw, deadline, cancellationToken);
            CheckBody(request);
            if (rateLimit is not null) await rateLimit.TakeAsync(request, cancellationToken);
            return await handler.HandleAsync(request, cancellationToken);
        }
        catch (ProblemException e) { return e.ToResponse(raw.RawPath); }
        catch (DomainValidationException e) { return ApiResponse.From(Problems.Validation(e.Message, e.Errors).ToProblem(raw.RawPath)); }
        catch (InvoiceStateException e) { return ApiResponse.From(Problems.Conflict(e.Message).ToProblem(raw.RawPath)); }
        catch (ForbiddenException e) { return ApiResponse.From(Problems.Forbidden(e.Message).ToProblem(raw.RawPath)); }
        catch (Exception e) when (StoreProblems.From(e) is { } problem) { return problem.ToResponse(raw.RawPath); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.Error("unhandled", e, raw.RequestContext.RequestId);
            return ApiResponse.From(Problems.InternalError(raw.RequestContext.RequestId));
        }
    }

    /// <summary>
    /// Who calls (the JWT's sub), in which business (the business header, else their own), with which role there. The
    /// role is read on every request that names another business (one consistent GetItem), so a member removed a moment
    /// ago is refused on their next request although their token is still valid; a user's own business needs no read.
    /// </summary>
    private async Task<ApiRequest> AuthorizeAsync(HttpApiRequest raw, DateTimeOffset deadline, CancellationToken ct)
    {
        var claims = raw.RequestContext.Authorizer?.Jwt?.Claims;
        if (claims?.GetValueOrDefault("sub") is not { Length: > 0 and <= 128 } user) throw Problems.Unauthorized();
        var email = claims.GetValueOrDefault("email_verified") is "true" or "True" ? claims.GetValueOrDefault("email") : null;
        var business = raw.Headers?.GetValueOrDefault(ApiRequest.BusinessHeader)?.Trim() is { Length: > 0 } named ? named : user;
        if (business.Length > 128 || business.AsSpan().IndexOfAnyExcept(BusinessIdCharacters) >= 0)
            throw Problems.BadRequest("X-SmallPay-Business must be the id of a business you belong to.", "/headers/x-smallpay-business");
        if (permission == Permission.Self) return new ApiRequest(raw, user, _clock.GetUtcNow(), deadline, user, Role.Owner, email);

        var role = business == user ? Role.Owner : teams is null ? null : await teams.RoleOfAsync(business, user, ct);
        if (role is not { } granted) throw new ForbiddenException("You are not a member of this business (any more). Ask its owner for an invitation.");
        if (!granted.Allows(permission))
            throw new ForbiddenException($"As {Article(granted)} {granted.Name()} of this business you may not {Describe(permission)}; ask an owner.");
        return new ApiRequest(raw, business, _clock.GetUtcNow(), deadline, user, granted, email);
    }

    private static readonly System.Buffers.SearchValues<char> BusinessIdCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_");

    private static string Article(Role role) => role == Role.Accountant ? "an" : "a";

    private static string Describe(Permission permission) => permission switch
    {
        Permission.Write => "change customers or invoices",
        Permission.ManageSettings => "change the business's settings",
        Permission.ManageTeam => "invite, remove or change members",
        _ => "do this",
    };

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
            Body = response.Body is null ? null : response.Base64 ? Convert.ToBase64String(response.Body) : Encoding.UTF8.GetString(response.Body),
            IsBase64Encoded = response.Body is not null && response.Base64,
        };
    }
}

/// <summary>
/// The per-business limit of a function that is expensive for everyone (create, finalize, send): <see cref="PerMinute"/>
/// requests per business per minute, counted in <see cref="Store"/> across all such functions; beyond it a 429 problem
/// with Retry-After (the seconds until the minute ends), and nothing done.
/// </summary>
public sealed record TenantRateLimit(IRateLimitStore Store, int PerMinute)
{
    public async Task TakeAsync(ApiRequest request, CancellationToken ct)
    {
        if (await Store.TryTakeAsync(request.Tenant, PerMinute, request.ReceivedAt, ct)) return;
        var seconds = 60 - request.ReceivedAt.UtcDateTime.Second;
        throw new ProblemException(429, "/problems/rate-limited", "Too many requests.",
            string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"This business has made {PerMinute} requests that create, finalize or send in this minute, the most SmallPay accepts; nothing was done. Try again in {seconds} seconds."))
        {
            RetryAfterSeconds = seconds,
        };
    }
}
