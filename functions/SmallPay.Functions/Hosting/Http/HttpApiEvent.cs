using System.Text.Json.Serialization;

namespace SmallPay.Functions.Hosting.Http;

/// <summary>API Gateway HTTP API payload format 2.0: the request (only the fields SmallPay reads or the local host sets).</summary>
public sealed class HttpApiRequest
{
    public string Version { get; set; } = "2.0";
    public string RouteKey { get; set; } = "";
    public string RawPath { get; set; } = "";
    public string RawQueryString { get; set; } = "";
    public string[]? Cookies { get; set; }
    /// <summary>Header names are lower-case; repeated headers are joined with commas, as API Gateway does.</summary>
    public Dictionary<string, string>? Headers { get; set; }
    public Dictionary<string, string>? QueryStringParameters { get; set; }
    public Dictionary<string, string>? PathParameters { get; set; }
    public HttpApiRequestContext RequestContext { get; set; } = new();
    public string? Body { get; set; }
    public bool IsBase64Encoded { get; set; }
}

public sealed class HttpApiRequestContext
{
    public string AccountId { get; set; } = "";
    public string ApiId { get; set; } = "";
    public HttpApiAuthorizer? Authorizer { get; set; }
    public string DomainName { get; set; } = "";
    public HttpApiHttpDescription Http { get; set; } = new();
    public string RequestId { get; set; } = "";
    public string RouteKey { get; set; } = "";
    public string Stage { get; set; } = "$default";
    public string Time { get; set; } = "";
    public long TimeEpoch { get; set; }
}

public sealed class HttpApiAuthorizer
{
    public HttpApiJwtDescription? Jwt { get; set; }
}

public sealed class HttpApiJwtDescription
{
    /// <summary>The JWT authorizer passes every claim as a string.</summary>
    public Dictionary<string, string>? Claims { get; set; }
    public string[]? Scopes { get; set; }
}

public sealed class HttpApiHttpDescription
{
    public string Method { get; set; } = "";
    public string Path { get; set; } = "";
    public string Protocol { get; set; } = "HTTP/1.1";
    public string SourceIp { get; set; } = "";
    public string UserAgent { get; set; } = "";
}

/// <summary>API Gateway HTTP API payload format 2.0: the response.</summary>
public sealed class HttpApiResponse
{
    public int StatusCode { get; set; }
    public Dictionary<string, string>? Headers { get; set; }
    public string? Body { get; set; }
    public bool IsBase64Encoded { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HttpApiRequest))]
[JsonSerializable(typeof(HttpApiResponse))]
public sealed partial class HttpApiJsonContext : JsonSerializerContext;

/// <summary>
/// The response as a function writes it: the generator's fast path (GenerationMode Serialization), so a cold start
/// builds no property metadata for it. <see cref="HttpApiJsonContext"/> reads it (the local host, tests).
/// </summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Serialization, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HttpApiResponse))]
public sealed partial class HttpApiResponseJsonContext : JsonSerializerContext;
