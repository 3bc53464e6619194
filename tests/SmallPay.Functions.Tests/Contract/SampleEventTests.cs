using SmallPay.Local.Demo;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using SmallPay.Domain;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Hosting.Http;

namespace SmallPay.Functions.Tests.Contract;

/// <summary>events/ holds one HTTP API payload 2.0 event per function, shaped exactly as API Gateway sends it.</summary>
public partial class SampleEventTests
{
    private static readonly string[] RequiredClaims =
        ["sub", "email", "email_verified", "iss", "aud", "token_use", "auth_time", "exp", "iat", "cognito:username"];

    /// <summary>The events of the HTTP API's functions (a queue consumer's event is an SQS batch, not checked here).</summary>
    public static TheoryData<string> EventFiles()
    {
        var data = new TheoryData<string>();
        foreach (var function in ContractFiles.ApiFunctions) data.Add(ContractFiles.KebabName(function) + ".json");
        return data;
    }

    [Fact]
    public void Every_API_function_has_an_event_and_every_event_names_a_function()
    {
        var functions = FunctionCatalog.Names.Concat(ContractFiles.Routes.Select(route => route.Function.CatalogName))
            .Select(name => ContractFiles.KebabName(name) + ".json").ToHashSet(StringComparer.Ordinal);
        var api = ContractFiles.ApiFunctions.Select(name => ContractFiles.KebabName(name) + ".json").ToList();
        var present = Directory.EnumerateFiles(ContractFiles.EventsDirectory).Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.Ordinal);

        Assert.True(api.All(present.Contains), $"API functions without an event: {string.Join(", ", api.Where(file => !present.Contains(file)))}");
        Assert.True(present.All(functions.Contains), $"events that name no function: {string.Join(", ", present.Where(file => !functions.Contains(file)))}");
    }

    [Theory]
    [MemberData(nameof(EventFiles))]
    public void Event_is_an_HTTP_API_2_0_request_on_its_function_route(string file)
    {
        var function = ContractFiles.ApiFunctions.SingleOrDefault(name => ContractFiles.KebabName(name) + ".json" == file);
        Assert.True(function is not null, $"{file} does not name an API function (expected <kebab-function-name>.json)");
        Assert.True(FunctionCatalog.Contains(function), $"{function} is not in FunctionCatalog");
        var route = ContractFiles.RouteOf(function);
        var bytes = File.ReadAllBytes(Path.Combine(ContractFiles.EventsDirectory, file));
        var request = JsonSerializer.Deserialize(bytes, HttpApiJsonContext.Default.HttpApiRequest);
        Assert.NotNull(request);
        using var raw = JsonDocument.Parse(bytes);
        var context = request.RequestContext;
        var problems = new List<string>();
        void Check(bool condition, string problem)
        {
            if (!condition) problems.Add(problem);
        }

        // The route: what API Gateway matched, and the path it matched it on.
        Check(request.Version == "2.0", $"version is {request.Version}");
        Check(request.RouteKey == route.RouteKey, $"routeKey is {request.RouteKey}, the template says {route.RouteKey}");
        Check(context.RouteKey == request.RouteKey, $"requestContext.routeKey is {context.RouteKey}");
        Check(context.Http.Method == route.Method, $"requestContext.http.method is {context.Http.Method}");
        Check(context.Http.Path == request.RawPath, $"requestContext.http.path {context.Http.Path} differs from rawPath {request.RawPath}");
        var placeholders = Placeholder().Matches(route.Path).Select(match => match.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var pathParameters = request.PathParameters ?? [];
        Check(placeholders.SetEquals(pathParameters.Keys), $"pathParameters {string.Join(",", pathParameters.Keys)} do not fill {route.Path}");
        var filled = Placeholder().Replace(route.Path, match => pathParameters.GetValueOrDefault(match.Groups[1].Value) ?? match.Value);
        Check(filled == request.RawPath, $"rawPath {request.RawPath} is not {route.Path} filled with the path parameters ({filled})");
        Check(raw.RootElement.TryGetProperty("isBase64Encoded", out var base64) && base64.ValueKind == JsonValueKind.False, "isBase64Encoded is not false");
        Check(context.Stage == "$default", $"stage is {context.Stage}");

        // Headers, query and body as API Gateway passes them on.
        var headers = request.Headers ?? [];
        Check(headers.Keys.All(name => name == name.ToLowerInvariant()), "header names are not all lower-case");
        Check(headers.GetValueOrDefault("host") == context.DomainName, "the host header is not the domainName");
        // The customer's pages have no authorizer: no token, no claims (API Gateway passes no authorizer context).
        var anonymous = FunctionCatalog.PublicFunctions.Contains(function);
        if (anonymous) Check(!headers.ContainsKey("authorization") && context.Authorizer is null, "an anonymous route's event carries a token or authorizer context");
        else Check(headers.GetValueOrDefault("authorization")?.StartsWith("Bearer ", StringComparison.Ordinal) == true, "no bearer authorization header");
        Check(Equal(ParseQuery(request.RawQueryString), request.QueryStringParameters), $"queryStringParameters do not decode rawQueryString {request.RawQueryString}");
        if (request.Body is { } body)
        {
            Check(route.Method is "POST" or "PUT", $"a {route.Method} event has a body");
            Check(headers.GetValueOrDefault("content-length") == Encoding.UTF8.GetByteCount(body).ToString(CultureInfo.InvariantCulture), "content-length is not the body's UTF-8 length");
            if (anonymous)
            {
                // The customer's page posts a plain HTML form (answering a quote).
                Check(headers.GetValueOrDefault("content-type") == "application/x-www-form-urlencoded", "an anonymous route's body is not an HTML form post");
            }
            else
            {
                Check(headers.GetValueOrDefault("content-type")?.StartsWith("application/json", StringComparison.Ordinal) == true, "a body without content-type application/json");
                Check(IsJsonObject(body), "the body is not a JSON object");
            }
        }
        else
        {
            Check(!headers.ContainsKey("content-type"), "content-type without a body");
        }

        // Who calls: the JWT authorizer's claims (all strings), valid when the request was made.
        var claims = context.Authorizer?.Jwt?.Claims ?? [];
        if (!anonymous)
        {
        Check(RequiredClaims.All(claims.ContainsKey), $"claims lack {string.Join(", ", RequiredClaims.Where(claim => !claims.ContainsKey(claim)))}");
        // The business's founder calls, except to accept an invitation: that is the invited user, not yet a member.
        var caller = route.Function.CatalogName == "AcceptInvitation" ? SampleEventData.Invitee : SampleEventData.Sub;
        Check(claims.GetValueOrDefault("sub") == caller, $"sub is {claims.GetValueOrDefault("sub")}, not {caller}");
        Check(claims.GetValueOrDefault("cognito:username") == caller, "cognito:username is not the sub (the pool signs in by e-mail)");
        if (caller == SampleEventData.Invitee) Check(claims.GetValueOrDefault("email") == SampleEventData.InviteeEmail, "the invitee's e-mail is not the invited address");
        Check(claims.GetValueOrDefault("token_use") == "id", "token_use is not id (the SPA sends the ID token)");
        Check(CognitoIssuer().IsMatch(claims.GetValueOrDefault("iss") ?? ""), $"iss {claims.GetValueOrDefault("iss")} is not a Cognito user pool");
        var requestedAt = context.TimeEpoch / 1000;
        Check(Seconds(claims, "auth_time") <= Seconds(claims, "iat") && Seconds(claims, "iat") <= requestedAt && requestedAt < Seconds(claims, "exp"),
            "the token was not valid when the request was made (auth_time <= iat <= timeEpoch < exp)");
        Check(raw.RootElement.GetProperty("requestContext").GetProperty("authorizer").GetProperty("jwt").TryGetProperty("scopes", out var scopes)
              && scopes.ValueKind == JsonValueKind.Null, "authorizer.jwt.scopes is not null (ID tokens carry no scopes)");
        }

        // The request's own identity and time.
        Check(AccountId().IsMatch(context.AccountId), $"accountId {context.AccountId} is not 12 digits");
        Check(context.DomainName == $"{context.ApiId}.execute-api.{(anonymous ? "eu-central-1" : Region(claims))}.amazonaws.com", $"domainName {context.DomainName} is not the API's execute-api host");
        Check(context.RequestId.Length > 0, "no requestId");
        var time = DateTimeOffset.FromUnixTimeMilliseconds(context.TimeEpoch).ToString("dd/MMM/yyyy:HH:mm:ss +0000", CultureInfo.InvariantCulture);
        Check(context.Time == time, $"time {context.Time} is not timeEpoch ({time})");

        // The invoices and customers it refers to are well-formed and seeded for the demo tenant.
        foreach (var (kind, id) in ReferencedIds(request))
        {
            if (kind == "token")
            {
                Check(id == SampleEventData.LinkToken || id == SampleEventData.QuoteLinkToken, $"{id} is not a seeded link's token");
                continue;
            }
            if (kind == "userId")
            {
                Check(id == SampleEventData.Accountant, $"{id} is not the seeded member");
                continue;
            }
            Check(Ids.IsWellFormed(id, kind), $"{id} is not a well-formed {kind} id");
            Check(SampleEventData.Ids.Contains(id) || id == SampleEventData.RevocableInvitation, $"{id} is not seeded by SampleEventData");
        }

        Assert.True(problems.Count == 0, $"{file}:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void Every_event_matches_its_operation_in_openapi_yaml()
    {
        var (exitCode, output) = ContractFiles.RunChecker("events", ContractFiles.OpenApiPath, ContractFiles.EventsDirectory);

        Assert.True(exitCode == 0, output);
    }

    private static IEnumerable<(string Kind, string Id)> ReferencedIds(HttpApiRequest request)
    {
        foreach (var (name, value) in request.PathParameters ?? [])
            yield return (name switch { "invoiceId" => "inv", "customerId" => "cus", "invitationId" => "ivt", "profileId" => "prf", "quoteId" => "quo", "creditNoteId" => "crn", _ => name }, value);
        if (request.QueryStringParameters?.GetValueOrDefault("customerId") is { } queried)
            yield return ("cus", queried);
        if (request.Body is { } body && IsJsonObject(body))
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("customerId", out var customer) && customer.GetString() is { } id)
                yield return ("cus", id);
        }
    }

    /// <summary>rawQueryString decoded the way API Gateway fills queryStringParameters (repeated names comma-joined).</summary>
    private static Dictionary<string, string>? ParseQuery(string rawQuery)
    {
        if (rawQuery.Length == 0) return null;
        return rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .GroupBy(parts => Uri.UnescapeDataString(parts[0]), StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => string.Join(',', group.Select(parts => parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "")), StringComparer.Ordinal);
    }

    private static bool Equal(Dictionary<string, string>? left, Dictionary<string, string>? right) =>
        left is null || right is null ? left is null && right is null : left.Count == right.Count && left.All(entry => right.GetValueOrDefault(entry.Key) == entry.Value);

    private static bool IsJsonObject(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static long Seconds(Dictionary<string, string> claims, string name) =>
        long.TryParse(claims.GetValueOrDefault(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : -1;

    private static string Region(Dictionary<string, string> claims) =>
        CognitoIssuer().Match(claims.GetValueOrDefault("iss") ?? "") is { Success: true } match ? match.Groups["region"].Value : "?";

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^https://cognito-idp\.(?<region>[a-z0-9-]+)\.amazonaws\.com/\k<region>_[A-Za-z0-9]+$")]
    private static partial Regex CognitoIssuer();

    [GeneratedRegex(@"^[0-9]{12}$")]
    private static partial Regex AccountId();
}
