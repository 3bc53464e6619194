using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace SmallPay.Functions.Hosting.Http;

/// <summary>
/// One authenticated API request, as a handler sees it. <see cref="Tenant"/> is the business the caller works in, and
/// the caller is a member of it with <see cref="Role"/> (checked before the handler runs, from a trusted store — never
/// from a parameter or a body field); <see cref="Actor"/> is who they are (the verified JWT's <c>sub</c>).
/// </summary>
public sealed class ApiRequest(HttpApiRequest raw, string tenant, DateTimeOffset receivedAt, DateTimeOffset? deadline = null,
    string? actor = null, SmallPay.Domain.Teams.Role role = SmallPay.Domain.Teams.Role.Owner, string? actorEmail = null)
{
    /// <summary>The header that picks the business a request works in; absent, the caller's own business.</summary>
    public const string BusinessHeader = "x-smallpay-business";

    public const int MaxBodyBytes = 256 * 1024;

    public HttpApiRequest Raw { get; } = raw;
    /// <summary>The business: every item read or written belongs to it.</summary>
    public string Tenant { get; } = tenant;
    /// <summary>The signed-in user acting (their Cognito sub); writes record it.</summary>
    public string Actor { get; } = actor ?? tenant;
    public SmallPay.Domain.Teams.Role Role { get; } = role;
    /// <summary>The caller's verified e-mail address, when the token carries one.</summary>
    public string? ActorEmail { get; } = actorEmail;
    /// <summary>The clock for this request: tests set it, handlers never call DateTimeOffset.UtcNow themselves.</summary>
    public DateTimeOffset ReceivedAt { get; } = receivedAt;
    public DateOnly Today => DateOnly.FromDateTime(ReceivedAt.UtcDateTime);
    /// <summary>When Lambda stops this invocation: work that retries (finalizing under contention) must end before it.</summary>
    public DateTimeOffset Deadline { get; } = deadline ?? receivedAt.AddSeconds(10);
    public string RequestId => Raw.RequestContext.RequestId;

    /// <summary>Set by <see cref="Idempotency.IdempotentHandler"/> when the request carries an Idempotency-Key (with its body's hash).</summary>
    public string? IdempotencySeed { get; internal set; }

    /// <summary>
    /// A new id for something this request creates. Under an Idempotency-Key it is the same id every time the request is
    /// repeated, so a create whose first attempt was applied but never answered finds its own item instead of a second.
    /// </summary>
    public string NewId(string prefix) =>
        IdempotencySeed is { } seed ? SmallPay.Domain.Ids.FromSeed(prefix, $"{seed}#{prefix}") : SmallPay.Domain.Ids.New(prefix, ReceivedAt);
    public string Path => Raw.RawPath;

    public string? Header(string name) => Raw.Headers?.GetValueOrDefault(name.ToLowerInvariant());

    public string? Query(string name) => Raw.QueryStringParameters?.GetValueOrDefault(name) is { Length: > 0 } v ? v : null;

    public string PathParameter(string name) =>
        Raw.PathParameters?.GetValueOrDefault(name) ?? throw Problems.BadRequest($"Path parameter {name} is missing.");

    public int QueryInt(string name, int defaultValue, int min, int max)
    {
        if (Query(name) is not { } text) return defaultValue;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw Problems.BadRequest($"Query parameter {name} must be a whole number from {min} to {max}.", $"/query/{name}");
        return value;
    }

    public DateOnly? QueryDate(string name)
    {
        if (Query(name) is not { } text) return null;
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            throw Problems.BadRequest($"Query parameter {name} must be a date like 2026-01-31.", $"/query/{name}");
        return date;
    }

    /// <summary>The If-Match version, or null when the client sent none.</summary>
    public long? IfMatchVersion()
    {
        var header = Header("if-match");
        if (header is null) return null;
        return ETags.TryParse(header, out var version)
            ? version
            : throw Problems.BadRequest("If-Match must be the ETag the resource was loaded with, e.g. \"3\".", "/headers/if-match");
    }

    public long RequireIfMatchVersion() => IfMatchVersion() ?? throw Problems.PreconditionRequired();

    public byte[] BodyBytes()
    {
        if (string.IsNullOrEmpty(Raw.Body)) return [];
        if (!Raw.IsBase64Encoded) return Encoding.UTF8.GetBytes(Raw.Body);
        try { return Convert.FromBase64String(Raw.Body); }
        catch (FormatException) { throw Problems.BadRequest("The body is flagged base64 but is not."); }
    }

    /// <summary>Reads the JSON body; malformed JSON or a wrong type is a 400 that points at the offending field.</summary>
    public T ReadJson<T>(JsonTypeInfo<T> type) where T : class
    {
        var body = BodyBytes();
        if (body.Length == 0) throw Problems.BadRequest("A JSON body is required.");
        try
        {
            return JsonSerializer.Deserialize(body, type) ?? throw Problems.BadRequest("The body must be a JSON object, not null.");
        }
        catch (JsonException e)
        {
            var pointer = JsonPathToPointer(e.Path);
            var where = pointer is { Length: > 0 } ? $" at {pointer}" : "";
            throw Problems.BadRequest($"The body is not valid JSON for this request{where}: {Describe(e)}", pointer);
        }
    }

    private static string Describe(JsonException e) =>
        e.InnerException is FormatException or OverflowException || e.Message.Contains("could not be converted", StringComparison.Ordinal)
            ? "a value has the wrong type or is out of range."
            : "it could not be parsed.";

    /// <summary>"$.lines[2].quantity" → "/lines/2/quantity".</summary>
    internal static string? JsonPathToPointer(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return null;
        var builder = new StringBuilder();
        foreach (var part in path.TrimStart('$').Split(['.', '['], StringSplitOptions.RemoveEmptyEntries))
            builder.Append('/').Append(part.TrimEnd(']').Trim('\''));
        return builder.ToString();
    }
}
