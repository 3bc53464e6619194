using System.Text.Json.Serialization;
using SmallPay.Domain.Validation;

namespace SmallPay.Functions.Hosting.Http;

/// <summary>RFC 9457 problem details. <see cref="Errors"/> carries field-level detail as JSON Pointers into the request body.</summary>
public sealed class Problem
{
    public string Type { get; init; } = "about:blank";
    public string Title { get; init; } = "";
    public int Status { get; init; }
    public string? Detail { get; init; }
    public string? Instance { get; init; }
    public IReadOnlyList<ProblemFieldError>? Errors { get; init; }
}

public sealed record ProblemFieldError(string Pointer, string Detail);

/// <summary>Thrown anywhere below a handler to answer with a problem; the adapter turns it into the response.</summary>
public sealed class ProblemException(int status, string type, string title, string? detail = null, IReadOnlyList<ProblemFieldError>? errors = null)
    : Exception(detail ?? title)
{
    public Problem ToProblem(string? instance) => new()
    {
        Type = type, Title = title, Status = Status, Detail = detail, Instance = instance, Errors = errors,
    };

    public int Status { get; } = status;

    /// <summary>Seconds after which a retry may succeed (sent as Retry-After with 429 and 503).</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>The problem as a response, with its Retry-After header.</summary>
    public ApiResponse ToResponse(string? instance)
    {
        var response = ApiResponse.From(ToProblem(instance));
        return RetryAfterSeconds is { } seconds
            ? response with { Headers = new Dictionary<string, string> { ["retry-after"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) } }
            : response;
    }
}

/// <summary>The problems SmallPay answers with; the type URIs are documented in openapi.yaml.</summary>
public static class Problems
{
    public static ProblemException BadRequest(string detail, string? pointer = null) =>
        new(400, "/problems/bad-request", "The request is malformed.", detail,
            pointer is null ? null : [new ProblemFieldError(pointer, detail)]);

    public static ProblemException Unauthorized() =>
        new(401, "/problems/unauthorized", "Sign-in required.", "The request carries no verified identity.");

    public static ProblemException Forbidden(string detail) =>
        new(403, "/problems/forbidden", "Your role does not allow this.", detail);

    public static ProblemException NotFound(string what) =>
        new(404, "/problems/not-found", "Not found.", $"{what} does not exist.");

    public static ProblemException Conflict(string detail, string? pointer = null) =>
        new(409, "/problems/conflict", "The request conflicts with the current state.", detail,
            pointer is null ? null : [new ProblemFieldError(pointer, detail)]);

    /// <summary>The invoice's PDF for its current version is not stored yet (being rendered, or a draft that has none).</summary>
    public static ProblemException DocumentNotReady(string detail) =>
        new(409, "/problems/document-not-ready", "The PDF is not ready.", detail);

    public static ProblemException PreconditionFailed(string what) =>
        new(412, "/problems/stale-version", "Someone else changed this first.",
            $"{what} changed since you loaded it. Reload it and apply your change again; nothing was saved.");

    public static ProblemException PreconditionRequired() =>
        new(428, "/problems/precondition-required", "If-Match required.",
            "Send the ETag you loaded in an If-Match header so a concurrent change is never overwritten.");

    public static ProblemException PayloadTooLarge(int limit) =>
        new(413, "/problems/payload-too-large", "The request body is too large.", $"At most {limit / 1024} KiB are accepted.");

    public static ProblemException UnsupportedMediaType() =>
        new(415, "/problems/unsupported-media-type", "Send JSON.", "The request body must be application/json.");

    public static ProblemException Validation(string detail, IEnumerable<FieldError> errors) =>
        new(422, "/problems/validation", "Some fields are invalid.", detail,
            errors.Select(e => new ProblemFieldError(ToPointer(e.Path), e.Message)).ToList());

    public static ProblemException Validation(string pointer, string message) =>
        new(422, "/problems/validation", "Some fields are invalid.", message, [new ProblemFieldError(pointer, message)]);

    public static ProblemException IdempotencyKeyReused() =>
        new(422, "/problems/idempotency-key-reused", "Idempotency-Key already used.",
            "This Idempotency-Key was used with a different request body. Use a new key for a new request.");

    public static ProblemException IdempotentRequestInProgress() =>
        new(409, "/problems/idempotent-request-in-progress", "The first request with this Idempotency-Key is still running.",
            "Retry in a moment to receive its response.");

    public static Problem InternalError(string requestId) => new()
    {
        Type = "/problems/internal", Title = "Something went wrong on our side.", Status = 500,
        Detail = $"Nothing was changed by this failure unless stated otherwise. Quote request id {requestId} if it persists.",
    };

    public static string ToPointer(string path) => path.Length == 0 ? "" : "/" + path.TrimStart('/');
}

// Written only: the generator's fast path, no property metadata to build at a cold start.
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Serialization, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Problem))]
internal sealed partial class ProblemJsonContext : JsonSerializerContext;
