using System.Text.Json.Nodes;

namespace SmallPay.Local.Template;

/// <summary>
/// An <c>AWS::Serverless::HttpApi</c> (or SAM's implicit API when events name no ApiId) with
/// <c>Globals.HttpApi</c> merged in, and the <c>HttpApi</c> events of every function that target it.
/// Values are unresolved: issuer, audience and origins usually hold intrinsics.
/// </summary>
public sealed class HttpApiDefinition
{
    public const string ResourceType = "AWS::Serverless::HttpApi";

    /// <summary>SAM's name for the API it creates when events have no ApiId.</summary>
    public const string ImplicitApiId = "ServerlessHttpApi";

    private HttpApiDefinition(string logicalId, JsonObject properties, IReadOnlyList<HttpApiRouteDefinition> routes)
    {
        LogicalId = logicalId;
        Properties = properties;
        Routes = routes;
    }

    public string LogicalId { get; }

    public JsonObject Properties { get; }

    public IReadOnlyList<HttpApiRouteDefinition> Routes { get; }

    /// <summary><c>CorsConfiguration</c>: an object, <c>true</c> (allow all), or null (no CORS).</summary>
    public JsonNode? CorsConfiguration => Properties["CorsConfiguration"];

    public string? DefaultAuthorizer => Properties["Auth"]?["DefaultAuthorizer"].AsText();

    public JsonObject Authorizers => Properties["Auth"]?["Authorizers"] as JsonObject ?? new JsonObject();

    public static IReadOnlyList<HttpApiDefinition> ReadAll(SamTemplate template, IReadOnlyList<SamFunction> functions)
    {
        var globals = template.Globals("HttpApi");
        var routesByApi = new Dictionary<string, List<HttpApiRouteDefinition>>(StringComparer.Ordinal);
        foreach (var function in functions)
        {
            foreach (var (name, type, properties) in function.Events)
            {
                if (type != "HttpApi") continue;
                var apiId = properties["ApiId"] is JsonObject reference ? reference["Ref"].AsText() : null;
                var method = (properties["Method"].AsText() ?? "ANY").ToUpperInvariant();
                var route = new HttpApiRouteDefinition(
                    Method: method is "*" or "X-AMAZON-APIGATEWAY-ANY-METHOD" ? "ANY" : method,
                    Path: properties["Path"].AsText() ?? "/$default",
                    Function: function,
                    EventName: name,
                    Authorizer: properties["Auth"]?["Authorizer"].AsText(),
                    AuthorizationScopes: properties["Auth"]?["AuthorizationScopes"].AsList().Select(s => s.AsText()).OfType<string>().ToList() ?? []);
                var key = apiId ?? ImplicitApiId;
                if (!routesByApi.TryGetValue(key, out var list)) routesByApi[key] = list = [];
                list.Add(route);
            }
        }

        var apis = template.ResourcesOfType(ResourceType)
            .Select(resource => new HttpApiDefinition(
                resource.LogicalId,
                TemplateNodes.Merge(globals, resource.Properties),
                routesByApi.GetValueOrDefault(resource.LogicalId) ?? []))
            .ToList();
        if (routesByApi.TryGetValue(ImplicitApiId, out var implicitRoutes) && apis.All(api => api.LogicalId != ImplicitApiId))
            apis.Add(new HttpApiDefinition(ImplicitApiId, TemplateNodes.Merge(globals, null), implicitRoutes));
        return apis;
    }
}

/// <summary>One <c>HttpApi</c> event: <c>Authorizer</c> null means the API's default, <c>NONE</c> means open.</summary>
public sealed record HttpApiRouteDefinition(
    string Method,
    string Path,
    SamFunction Function,
    string EventName,
    string? Authorizer,
    IReadOnlyList<string> AuthorizationScopes)
{
    public string RouteKey => Path is "/$default" or "$default" ? "$default" : $"{Method} {Path}";
}
