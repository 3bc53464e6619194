using SmallPay.Functions.Hosting;
using System.Text.RegularExpressions;
using SmallPay.Local.Template;

namespace SmallPay.Functions.Tests.Template;

public partial class TemplateRouteTests
{
    /// <summary>The JWT API: every route but the customer's pages.</summary>
    private static HttpApiDefinition TheApi => Assert.Single(TemplateUnderTest.HttpApis, api => api.LogicalId == "HttpApi");

    /// <summary>The customer's pages: anonymous, under /d/ (CloudFront's /d/* behaviour).</summary>
    private static HttpApiDefinition PagesApi => Assert.Single(TemplateUnderTest.HttpApis, api => api.LogicalId == "PagesApi");

    [Fact]
    public void Every_function_but_the_queue_consumers_has_exactly_one_HttpApi_event_on_the_shared_api()
    {
        // A queue consumer (DocumentWorker) has an SQS event instead: Documents/DocumentsTemplateTests checks it; the
        // scheduled RunRecurring has an EventBridge Scheduler event (ScheduleV2); the change feed (RecordChanges) reads the
        // tables' streams (DynamoDB events: ChangeFeedTests checks them).
        var apiFunctions = TemplateUnderTest.Functions.Where(function => function.Events.All(e => e.Type is not ("SQS" or "ScheduleV2" or "DynamoDB"))).ToList();
        Assert.NotEmpty(apiFunctions);
        Assert.All(apiFunctions, function =>
        {
            var (_, type, properties) = Assert.Single(function.Events);
            Assert.Equal("HttpApi", type);
            var expected = FunctionCatalog.PublicFunctions.Contains(TemplateUnderTest.SelectorOf(function) ?? "") ? "PagesApi" : "HttpApi";
            Assert.Equal(expected, properties["ApiId"]?["Ref"].AsText());
        });
        Assert.Equal(["HttpApi", "PagesApi"], TemplateUnderTest.HttpApis.Select(api => api.LogicalId).Order());
    }

    [Fact]
    public void No_two_functions_share_a_route()
    {
        var duplicates = TheApi.Routes
            .GroupBy(route => route.RouteKey, StringComparer.Ordinal)
            .Where(group => group.Count() > 1)
            .Select(group => $"{group.Key}: {string.Join(", ", group.Select(route => route.Function.LogicalId))}")
            .ToList();

        Assert.True(duplicates.Count == 0, string.Join("\n", duplicates));
    }

    [Fact]
    public void Routes_are_exactly_the_architecture_function_catalogue()
    {
        var documented = DocumentedRoutes();
        var declared = TemplateUnderTest.HttpApis.SelectMany(api => api.Routes).ToDictionary(
            route => TemplateUnderTest.SelectorOf(route.Function) ?? route.Function.LogicalId,
            route => route.RouteKey,
            StringComparer.Ordinal);

        Assert.Equal(documented.OrderBy(entry => entry.Key), declared.OrderBy(entry => entry.Key));
    }

    [Fact]
    public void Every_route_is_behind_the_Cognito_JWT_authorizer()
    {
        var api = TheApi;
        Assert.Equal("CognitoAuthorizer", api.DefaultAuthorizer);

        var authorizer = api.Authorizers["CognitoAuthorizer"];
        Assert.Equal("$request.header.Authorization", authorizer?["IdentitySource"].AsText());
        var issuer = authorizer?["JwtConfiguration"]?["issuer"]?["Fn::Sub"].AsText();
        Assert.Equal("https://cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}", issuer);
        var audience = Assert.Single(authorizer?["JwtConfiguration"]?["audience"].AsList() ?? []);
        Assert.Equal("UserPoolClient", audience?["Ref"].AsText());

        // A route's own Auth.Authorizer would override the default (NONE opens it): none may set one.
        var overridden = api.Routes.Where(route => route.Authorizer is not null).Select(route => $"{route.RouteKey}: {route.Authorizer}").ToList();
        Assert.True(overridden.Count == 0, string.Join("\n", overridden));
    }

    [Fact]
    public void The_pages_api_serves_only_the_customers_pages_without_an_authorizer_or_cors()
    {
        var api = PagesApi;
        Assert.Null(api.DefaultAuthorizer);
        Assert.Empty(api.Authorizers);
        Assert.Null(api.CorsConfiguration);
        Assert.All(api.Routes, route => Assert.StartsWith("/d/", route.Path, StringComparison.Ordinal));
        Assert.Equal(FunctionCatalog.PublicFunctions.Order(), api.Routes.Select(route => route.Function.CatalogName).Order());
        Assert.All(FunctionCatalog.PublicFunctions, name => Assert.Null(FunctionCatalog.PermissionOf(name)));
    }

    [Fact]
    public void Cors_allows_only_the_spa_origin_and_the_headers_the_api_uses()
    {
        var cors = TheApi.CorsConfiguration;
        // SpaOrigin when set, else the stack's own CloudFront distribution: one origin either way.
        var origin = Assert.Single(cors?["AllowOrigins"].AsList() ?? []);
        var choice = origin?["Fn::If"].AsList() ?? [];
        Assert.Equal("HasSpaOrigin", choice[0].AsText());
        Assert.Equal("SpaOrigin", choice[1]?["Ref"].AsText());
        Assert.Equal("https://${SpaDistribution.DomainName}", choice[2]?["Fn::Sub"].AsText());

        var allowed = Lowered(cors?["AllowHeaders"]);
        Assert.Superset(new HashSet<string> { "authorization", "content-type", "if-match", "idempotency-key" }, allowed);
        Assert.Superset(new HashSet<string> { "etag", "location" }, Lowered(cors?["ExposeHeaders"]));

        var methods = Lowered(cors?["AllowMethods"]);
        Assert.Superset(TheApi.Routes.Select(route => route.Method.ToLowerInvariant()).ToHashSet(), methods);
    }

    private static HashSet<string> Lowered(System.Text.Json.Nodes.JsonNode? list) =>
        list.AsList().Select(item => item.AsText()?.ToLowerInvariant()).OfType<string>().ToHashSet();

    /// <summary>The "Function catalogue" table of docs/ARCHITECTURE.md: name → "METHOD /path".</summary>
    private static Dictionary<string, string> DocumentedRoutes()
    {
        var routes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(TemplateUnderTest.PathOf("docs/ARCHITECTURE.md")))
        {
            var match = CatalogueRow().Match(line);
            if (match.Success) routes.Add(match.Groups["name"].Value, $"{match.Groups["method"].Value} {match.Groups["path"].Value}");
        }
        Assert.NotEmpty(routes);
        return routes;
    }

    [GeneratedRegex(@"^\|\s*(?<name>[A-Z]\w+)\s*\|\s*(?<method>GET|POST|PUT|PATCH|DELETE)\s+(?<path>/\S*)\s*\|(?:[^|]*\|)?\s*$")]
    private static partial Regex CatalogueRow();
}
