using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace SmallPay.Functions.Hosting.Http;

/// <summary>What an API handler answers: status, JSON body already serialized with its source-generated type info, headers.</summary>
public sealed record ApiResponse(int StatusCode, byte[]? Body = null, string? ContentType = null, IReadOnlyDictionary<string, string>? Headers = null)
{
    /// <summary>The body goes base64-encoded (<c>isBase64Encoded</c>): bytes exactly as written (a CSV's byte order mark), and a size known in advance.</summary>
    public bool Base64 { get; init; }

    public const string Json = "application/json";
    public const string ProblemJson = "application/problem+json";

    public static ApiResponse Ok<T>(T value, JsonTypeInfo<T> type, IReadOnlyDictionary<string, string>? headers = null) =>
        new(200, JsonSerializer.SerializeToUtf8Bytes(value, type), Json, headers);

    public static ApiResponse Created<T>(T value, JsonTypeInfo<T> type, string location, string? etag = null) =>
        new(201, JsonSerializer.SerializeToUtf8Bytes(value, type), Json, WithETag(new() { ["location"] = location }, etag));

    public static ApiResponse OkWithETag<T>(T value, JsonTypeInfo<T> type, long version) =>
        new(200, JsonSerializer.SerializeToUtf8Bytes(value, type), Json, WithETag([], ETags.Format(version)));

    /// <summary>202: the change is stored; its effect (a PDF, an e-mail) follows asynchronously. <paramref name="location"/> is where to watch it.</summary>
    public static ApiResponse Accepted<T>(T value, JsonTypeInfo<T> type, string location, long version) =>
        new(202, JsonSerializer.SerializeToUtf8Bytes(value, type), Json, WithETag(new() { ["location"] = location }, ETags.Format(version)));

    public static ApiResponse NoContent() => new(204);

    public static ApiResponse From(Problem problem) =>
        new(problem.Status, JsonSerializer.SerializeToUtf8Bytes(problem, ProblemJsonContext.Default.Problem), ProblemJson);

    private static Dictionary<string, string> WithETag(Dictionary<string, string> headers, string? etag)
    {
        if (etag is not null) headers["etag"] = etag;
        return headers;
    }
}

/// <summary>Versions travel as strong ETags ("7") so clients can send them back in If-Match.</summary>
public static class ETags
{
    public static string Format(long version) => $"\"{version}\"";

    public static bool TryParse(string? header, out long version)
    {
        version = 0;
        if (string.IsNullOrWhiteSpace(header)) return false;
        var value = header.Trim();
        if (value.StartsWith("W/", StringComparison.Ordinal)) value = value[2..];
        return long.TryParse(value.Trim('"'), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out version) && version >= 0;
    }
}
