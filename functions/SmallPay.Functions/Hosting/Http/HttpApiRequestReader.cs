using System.Text.Json;

namespace SmallPay.Functions.Hosting.Http;

/// <summary>
/// Reads an HTTP API (payload 2.0) event straight off a Utf8JsonReader into <see cref="HttpApiRequest"/>. Every API
/// cold start parses one: the source-generated metadata path builds property metadata for the event's five types first
/// (about 150 methods to JIT, ~25 ms of a ~300 ms cold start); this reader is one small method per type. It gives the
/// same object as <see cref="HttpApiJsonContext"/> (HttpApiRequestReaderTests compare them on every events/ file).
/// Unknown properties are skipped; a claim that is not a string (a number, a list) keeps its JSON text.
/// </summary>
public static class HttpApiRequestReader
{
    public static HttpApiRequest Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 16 });
        Expect(ref reader, JsonTokenType.StartObject);
        var request = new HttpApiRequest();
        while (NextProperty(ref reader) is { } name)
        {
            switch (name)
            {
                case "version": request.Version = String(ref reader) ?? request.Version; break;
                case "routeKey": request.RouteKey = String(ref reader) ?? ""; break;
                case "rawPath": request.RawPath = String(ref reader) ?? ""; break;
                case "rawQueryString": request.RawQueryString = String(ref reader) ?? ""; break;
                case "cookies": request.Cookies = Strings(ref reader); break;
                case "headers": request.Headers = Map(ref reader); break;
                case "queryStringParameters": request.QueryStringParameters = Map(ref reader); break;
                case "pathParameters": request.PathParameters = Map(ref reader); break;
                case "requestContext": request.RequestContext = Context(ref reader); break;
                case "body": request.Body = String(ref reader); break;
                case "isBase64Encoded": request.IsBase64Encoded = reader.TokenType == JsonTokenType.True; break;
                default: reader.Skip(); break;
            }
        }
        return request;
    }

    private static HttpApiRequestContext Context(ref Utf8JsonReader reader)
    {
        var context = new HttpApiRequestContext();
        if (reader.TokenType == JsonTokenType.Null) return context;
        Expect(ref reader, JsonTokenType.StartObject, advance: false);
        while (NextProperty(ref reader) is { } name)
        {
            switch (name)
            {
                case "accountId": context.AccountId = String(ref reader) ?? ""; break;
                case "apiId": context.ApiId = String(ref reader) ?? ""; break;
                case "authorizer": context.Authorizer = Authorizer(ref reader); break;
                case "domainName": context.DomainName = String(ref reader) ?? ""; break;
                case "http": context.Http = Http(ref reader); break;
                case "requestId": context.RequestId = String(ref reader) ?? ""; break;
                case "routeKey": context.RouteKey = String(ref reader) ?? ""; break;
                case "stage": context.Stage = String(ref reader) ?? context.Stage; break;
                case "time": context.Time = String(ref reader) ?? ""; break;
                case "timeEpoch": context.TimeEpoch = reader.TokenType == JsonTokenType.Number ? reader.GetInt64() : 0; break;
                default: reader.Skip(); break;
            }
        }
        return context;
    }

    private static HttpApiAuthorizer? Authorizer(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        Expect(ref reader, JsonTokenType.StartObject, advance: false);
        var authorizer = new HttpApiAuthorizer();
        while (NextProperty(ref reader) is { } name)
        {
            if (name != "jwt" || reader.TokenType == JsonTokenType.Null)
            {
                reader.Skip();
                continue;
            }
            Expect(ref reader, JsonTokenType.StartObject, advance: false);
            var jwt = new HttpApiJwtDescription();
            while (NextProperty(ref reader) is { } field)
            {
                if (field == "claims") jwt.Claims = Map(ref reader);
                else if (field == "scopes") jwt.Scopes = Strings(ref reader);
                else reader.Skip();
            }
            authorizer.Jwt = jwt;
        }
        return authorizer;
    }

    private static HttpApiHttpDescription Http(ref Utf8JsonReader reader)
    {
        var http = new HttpApiHttpDescription();
        if (reader.TokenType == JsonTokenType.Null) return http;
        Expect(ref reader, JsonTokenType.StartObject, advance: false);
        while (NextProperty(ref reader) is { } name)
        {
            switch (name)
            {
                case "method": http.Method = String(ref reader) ?? ""; break;
                case "path": http.Path = String(ref reader) ?? ""; break;
                case "protocol": http.Protocol = String(ref reader) ?? http.Protocol; break;
                case "sourceIp": http.SourceIp = String(ref reader) ?? ""; break;
                case "userAgent": http.UserAgent = String(ref reader) ?? ""; break;
                default: reader.Skip(); break;
            }
        }
        return http;
    }

    /// <summary>A JSON object of strings (headers, parameters, claims); null stays null.</summary>
    private static Dictionary<string, string>? Map(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        Expect(ref reader, JsonTokenType.StartObject, advance: false);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (NextProperty(ref reader) is { } name)
            map[name] = reader.TokenType == JsonTokenType.String ? reader.GetString()! : RawText(ref reader);
        return map;
    }

    private static string[]? Strings(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        Expect(ref reader, JsonTokenType.StartArray, advance: false);
        var values = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            values.Add(reader.TokenType == JsonTokenType.String ? reader.GetString()! : RawText(ref reader));
        return [.. values];
    }

    private static string? String(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw new JsonException($"Expected a string at position {reader.TokenStartIndex}, found {reader.TokenType}."),
    };

    /// <summary>The value's JSON text (for a claim that is not a string); the reader ends on its last token.</summary>
    private static string RawText(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
            return System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray());
        using var element = JsonDocument.ParseValue(ref reader);
        return element.RootElement.GetRawText();
    }

    /// <summary>Moves to the next property's value and returns its name; null at the end of the object.</summary>
    private static string? NextProperty(ref Utf8JsonReader reader)
    {
        if (!reader.Read()) throw new JsonException("The event ends inside an object.");
        if (reader.TokenType == JsonTokenType.EndObject) return null;
        var name = reader.GetString()!;
        if (!reader.Read()) throw new JsonException("The event ends after a property name.");
        return name;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, bool advance = true)
    {
        if (advance && !reader.Read()) throw new JsonException("The event is empty.");
        if (reader.TokenType != type) throw new JsonException($"Expected {type} at position {reader.TokenStartIndex}, found {reader.TokenType}.");
    }
}
