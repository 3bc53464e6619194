using Microsoft.Extensions.Logging;
using SmallPay.Functions.Hosting;
using SmallPay.Local.Auth;
using SmallPay.Local.Functions;
using SmallPay.Local.Provisioning;
using SmallPay.Local.Template;

namespace SmallPay.Local.Http;

/// <summary>Assembles the local HTTP API from template.yaml: routes, warm handlers, JWT authorizers, CORS.</summary>
public static class LocalHttpApiBuilder
{
    public sealed record Result(RouteTable<LocalRoute> Routes, CorsPolicy? Cors, IReadOnlyList<JwtAuthorizer> Authorizers);

    /// <param name="handlerOverride">Test seam: a handler by catalog name that replaces FunctionCatalog's.</param>
    public static Result Build(
        LocalResources resources,
        LocalEndpoints endpoints,
        HttpClient http,
        ILogger logger,
        Func<string, ILambdaHandler?>? handlerOverride = null)
    {
        var template = resources.Template;
        var resolver = resources.Resolver;
        var functions = SamFunction.ReadAll(template);
        var apis = HttpApiDefinition.ReadAll(template, functions);

        var handlers = new Dictionary<string, (ILambdaHandler? Handler, string? Reason)>(StringComparer.Ordinal);
        var routes = new List<(string, string, LocalRoute)>();
        var allAuthorizers = new List<JwtAuthorizer>();
        CorsPolicy? cors = null;

        foreach (var api in apis)
        {
            var authorizers = JwtAuthorizers(api, resolver, endpoints.Aws, http);
            allAuthorizers.AddRange(authorizers.Values.Select(a => a.Authorizer));
            cors ??= Cors(api, resolver);

            foreach (var route in api.Routes)
            {
                var function = route.Function;
                if (!handlers.TryGetValue(function.LogicalId, out var handler))
                    handlers[function.LogicalId] = handler = LocalHandlerFactory.Create(function, resolver, endpoints, logger, handlerOverride);

                var authorizerName = route.Authorizer ?? api.DefaultAuthorizer;
                JwtAuthorizer? jwt = null;
                string? unsupported = null;
                IReadOnlyList<string> scopes = route.AuthorizationScopes;
                if (authorizerName is not null && authorizerName != "NONE")
                {
                    if (authorizers.TryGetValue(authorizerName, out var found))
                    {
                        jwt = found.Authorizer;
                        if (scopes.Count == 0) scopes = found.DefaultScopes;
                    }
                    else
                    {
                        unsupported = authorizerName;
                        logger.LogWarning("{RouteKey}: authorizer {Authorizer} is not a JWT authorizer; the local stack denies the route",
                            route.RouteKey, authorizerName);
                    }
                }

                routes.Add((route.Method, route.Path, new LocalRoute(
                    route.RouteKey, function.LogicalId, function.CatalogName, handler.Handler, handler.Reason,
                    function.Timeout, jwt, scopes, unsupported)));
            }
        }
        return new Result(new RouteTable<LocalRoute>(routes), cors, allAuthorizers);
    }

    private static Dictionary<string, (JwtAuthorizer Authorizer, IReadOnlyList<string> DefaultScopes)> JwtAuthorizers(
        HttpApiDefinition api, IntrinsicResolver resolver, Uri awsEndpoint, HttpClient http)
    {
        var result = new Dictionary<string, (JwtAuthorizer, IReadOnlyList<string>)>(StringComparer.Ordinal);
        foreach (var (name, definition) in api.Authorizers)
        {
            var configuration = definition.Property("JwtConfiguration");
            if (configuration is null) continue;
            // The template's issuer is https://cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}; with the local
            // pool id that is exactly the iss moto puts in its tokens, so no translation is needed here.
            var issuer = resolver.ResolveText(configuration.Property("issuer"))
                ?? throw new InvalidDataException($"authorizer {name} has no issuer");
            var audience = resolver.ResolveTextList(configuration.Property("audience"));
            var identitySource = resolver.ResolveTextList(definition.Property("IdentitySource")).FirstOrDefault() ?? "$request.header.Authorization";
            const string headerPrefix = "$request.header.";
            var header = identitySource.StartsWith(headerPrefix, StringComparison.Ordinal) ? identitySource[headerPrefix.Length..] : "Authorization";

            var keys = new HttpJsonWebKeySource(http, JwksUri(issuer, awsEndpoint));
            var scopes = resolver.ResolveTextList(definition.Property("AuthorizationScopes"));
            result[name] = (new JwtAuthorizer(new JwtAuthorizerSettings(issuer, audience, header), keys), scopes);
        }
        return result;
    }

    /// <summary>
    /// API Gateway fetches <c>{issuer}/.well-known/jwks.json</c>. A Cognito issuer lives on the emulator
    /// locally: moto serves each pool's keys at <c>{endpoint}/{poolId}/.well-known/jwks.json</c>.
    /// </summary>
    public static Uri JwksUri(string issuer, Uri awsEndpoint)
    {
        var issuerUri = new Uri(issuer);
        if (issuerUri.Host.StartsWith("cognito-idp.", StringComparison.Ordinal) && issuerUri.Host.EndsWith(".amazonaws.com", StringComparison.Ordinal))
            return new Uri(awsEndpoint, issuerUri.AbsolutePath.TrimEnd('/') + "/.well-known/jwks.json");
        return new Uri(issuer.TrimEnd('/') + "/.well-known/jwks.json");
    }

    private static CorsPolicy? Cors(HttpApiDefinition api, IntrinsicResolver resolver)
    {
        var configuration = api.CorsConfiguration;
        if (configuration is null) return null;
        if (configuration is not System.Text.Json.Nodes.JsonObject)
            return resolver.Resolve(configuration).AsBool() == true ? CorsPolicy.AllowAll() : null;
        return new CorsPolicy(
            resolver.ResolveTextList(configuration.Property("AllowOrigins")),
            resolver.ResolveTextList(configuration.Property("AllowHeaders")),
            resolver.ResolveTextList(configuration.Property("AllowMethods")),
            resolver.ResolveTextList(configuration.Property("ExposeHeaders")),
            resolver.Resolve(configuration.Property("MaxAge")).AsInt(),
            resolver.Resolve(configuration.Property("AllowCredentials")).AsBool() ?? false);
    }
}
