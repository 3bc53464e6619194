using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Local;
using SmallPay.Local.Http;
using SmallPay.Local.Template;

namespace SmallPay.Testing;

/// <summary>
/// The HTTP API of template.yaml in memory: a request is matched to its route as API Gateway matches it, turned into
/// the payload 2.0 event with the caller's claims, and handed to the route's function built by
/// <see cref="FunctionCatalog"/> over the in-memory stores. API tests run against it in milliseconds, with the same
/// HttpClient-based client they use against the local stack. The bearer token is <c>in-memory:{sub}</c> or
/// <c>in-memory:{sub}:{verified e-mail}</c> (no JWT to verify: the claims are what the authorizer would pass).
/// </summary>
public sealed class InMemoryApi : HttpMessageHandler
{
    public const string TokenPrefix = "in-memory:";

    /// <summary>Each route's function, and whether API Gateway checks a JWT before it (the customer's pages: no).</summary>
    private static readonly Lazy<RouteTable<(string Function, bool Anonymous)>> Routes = new(() =>
    {
        var template = SamTemplate.Load(RepositoryLayout.FindTemplate());
        var functions = SamFunction.ReadAll(template);
        return new RouteTable<(string, bool)>(HttpApiDefinition.ReadAll(template, functions)
            .SelectMany(api => api.Routes.Select(route => (Route: route, Anonymous: (route.Authorizer ?? api.DefaultAuthorizer) is null or "NONE")))
            .Select(entry => (entry.Route.Method, entry.Route.Path, (entry.Route.Function.CatalogName, entry.Anonymous))));
    });

    private readonly ConcurrentDictionary<string, ILambdaHandler> _functions = new(StringComparer.Ordinal);

    public InMemoryApi(InMemoryFunctionServices? services = null) => Services = services ?? new InMemoryFunctionServices();

    public InMemoryFunctionServices Services { get; }

    /// <summary>A client of this API; with a tenant, it calls as that user.</summary>
    public HttpClient CreateClient(string? user = null, string? email = null)
    {
        var client = new HttpClient(this, disposeHandler: false) { BaseAddress = new Uri("http://api.in-memory.invalid/") };
        if (user is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(user, email));
        return client;
    }

    public static string Token(string user, string? email = null) => TokenPrefix + user + (email is null ? "" : ":" + email);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        var match = Routes.Value.Match(request.Method.Method, path);
        if (match is null) return Message(HttpStatusCode.NotFound, "Not Found");
        // Behind the JWT authorizer, a request without a token is answered by API Gateway before any function runs.
        var token = request.Headers.Authorization?.Parameter;
        var anonymous = match.Route.Anonymous;
        if (!anonymous && (request.Headers.Authorization?.Scheme != "Bearer" || token is null || !token.StartsWith(TokenPrefix, StringComparison.Ordinal)))
            return Message(HttpStatusCode.Unauthorized, "Unauthorized");

        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>()))
            headers[name.ToLowerInvariant()] = string.Join(",", values);
        var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri.Query);
        var raw = new HttpApiRequest
        {
            RouteKey = $"{request.Method.Method} {match.PathTemplate}",
            RawPath = path,
            RawQueryString = request.RequestUri.Query.TrimStart('?'),
            Headers = headers,
            QueryStringParameters = query.Count == 0 ? null : query.AllKeys.OfType<string>().ToDictionary(k => k, k => query[k]!),
            PathParameters = match.PathParameters is { Count: > 0 } parameters ? new Dictionary<string, string>(parameters) : null,
            Body = string.IsNullOrEmpty(body) ? null : body,
            RequestContext = new HttpApiRequestContext
            {
                RequestId = Guid.NewGuid().ToString(),
                RouteKey = $"{request.Method.Method} {match.PathTemplate}",
                Http = new HttpApiHttpDescription { Method = request.Method.Method, Path = path, SourceIp = request.Headers.TryGetValues("x-test-source-ip", out var ip) ? ip.First() : "127.0.0.1" },
                Authorizer = anonymous ? null : new HttpApiAuthorizer { Jwt = new HttpApiJwtDescription { Claims = Claims(token![TokenPrefix.Length..]) } },
                TimeEpoch = Services.Environment.Clock.GetUtcNow().ToUnixTimeMilliseconds(),
            },
        };

        var function = _functions.GetOrAdd(match.Route.Function, Services.Function);
        var output = await function.HandleAsync(JsonSerializer.SerializeToUtf8Bytes(raw, HttpApiJsonContext.Default.HttpApiRequest),
            LambdaInvocation.Local(TimeSpan.FromSeconds(10)), cancellationToken);
        var answer = JsonSerializer.Deserialize(output, HttpApiJsonContext.Default.HttpApiResponse)!;
        var response = new HttpResponseMessage((HttpStatusCode)answer.StatusCode)
        {
            Content = new ByteArrayContent(answer.Body is null ? [] : answer.IsBase64Encoded ? Convert.FromBase64String(answer.Body) : Encoding.UTF8.GetBytes(answer.Body)),
        };
        foreach (var (name, value) in answer.Headers ?? [])
            if (!response.Headers.TryAddWithoutValidation(name, value)) response.Content.Headers.TryAddWithoutValidation(name, value);
        return response;
    }

    private static Dictionary<string, string> Claims(string subject)
    {
        var colon = subject.IndexOf(':');
        return colon < 0
            ? new() { ["sub"] = subject }
            : new() { ["sub"] = subject[..colon], ["email"] = subject[(colon + 1)..], ["email_verified"] = "true" };
    }

    private static HttpResponseMessage Message(HttpStatusCode status, string message) => new(status)
    {
        Content = new StringContent(JsonSerializer.Serialize(new Dictionary<string, string> { ["message"] = message }), Encoding.UTF8, "application/json"),
    };
}
