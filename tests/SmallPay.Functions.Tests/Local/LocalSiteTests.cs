using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using SmallPay.Functions.Tests.Infrastructure;
using SmallPay.Local;

namespace SmallPay.Functions.Tests.Local;

/// <summary>The host beyond the fixture's setup: a built SPA, openapi.yaml, and templates the catalog cannot fully serve.</summary>
[Collection(LocalStackCollection.Name)]
public sealed class LocalSiteTests(LocalStackFixture stack) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("smallpay-site-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Built_spa_is_served_with_history_fallback_while_api_calls_still_reach_the_api()
    {
        var dist = Directory.CreateDirectory(Path.Combine(_root, "frontend", "dist", "assets")).Parent!.FullName;
        await File.WriteAllTextAsync(Path.Combine(dist, "index.html"), "<!doctype html><title>SmallPay SPA</title>");
        await File.WriteAllTextAsync(Path.Combine(dist, "assets", "app.js"), "console.log('app')");
        await File.WriteAllTextAsync(Path.Combine(_root, "openapi.yaml"), "openapi: 3.1.0\n");
        await using var host = await TestHosts.StartAsync(stack, handlers: null, RepositoryLayout.FindTemplate(), _root);
        using var http = new HttpClient { BaseAddress = host.ApiBaseUrl };

        Assert.Contains("SmallPay SPA", await Navigate(http, "/"));
        Assert.Contains("SmallPay SPA", await Navigate(http, "/invoices/inv_123"));
        Assert.Equal("console.log('app')", await http.GetStringAsync("assets/app.js"));
        Assert.Equal("openapi: 3.1.0\n", await http.GetStringAsync("openapi.yaml"));

        // fetch() from the app: no text/html in Accept, a token (here none: the authorizer answers).
        using var api = await http.GetAsync("invoices");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "invoices");
        request.Headers.Accept.ParseAdd("text/html");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "x");
        using var withToken = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, withToken.StatusCode);
    }

    [Fact]
    public async Task Functions_missing_from_the_catalog_answer_501_and_open_routes_need_no_token()
    {
        var template = Path.Combine(_root, "template.yaml");
        await File.WriteAllTextAsync(template, """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              UserPool:
                Type: AWS::Cognito::UserPool
                Properties:
                  UsernameAttributes: [email]
              UserPoolClient:
                Type: AWS::Cognito::UserPoolClient
                Properties:
                  UserPoolId: !Ref UserPool
                  ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
              Api:
                Type: AWS::Serverless::HttpApi
                Properties:
                  Auth:
                    DefaultAuthorizer: Jwt
                    Authorizers:
                      Jwt:
                        JwtConfiguration:
                          issuer: !Sub https://cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}
                          audience: [!Ref UserPoolClient]
              MysteryFunction:
                Type: AWS::Serverless::Function
                Properties:
                  Environment:
                    Variables:
                      SMALLPAY_FUNCTION: NoSuchFunctionInTheCatalog
                  Events:
                    Api:
                      Type: HttpApi
                      Properties: { ApiId: !Ref Api, Method: GET, Path: /mystery }
              SlowFunction:
                Type: AWS::Serverless::Function
                Properties:
                  Timeout: 1
                  Environment:
                    Variables:
                      SMALLPAY_FUNCTION: Slow
                  Events:
                    Api:
                      Type: HttpApi
                      Properties: { ApiId: !Ref Api, Method: GET, Path: /slow, Auth: { Authorizer: NONE } }
              PublicFunction:
                Type: AWS::Serverless::Function
                Properties:
                  Environment:
                    Variables:
                      SMALLPAY_FUNCTION: PublicEcho
                  Events:
                    Api:
                      Type: HttpApi
                      Properties:
                        ApiId: !Ref Api
                        Method: GET
                        Path: /public/{proxy+}
                        Auth: { Authorizer: NONE }
            """);
        await using var host = await TestHosts.StartAsync(stack, name => name switch
        {
            "PublicEcho" => new EchoHandler(),
            "Slow" => new SlowHandler(TimeSpan.FromSeconds(10)),
            _ => null,
        }, template, _root);
        var user = await stack.CreateUserAsync();
        using var http = new HttpClient { BaseAddress = host.ApiBaseUrl };

        using var open = await http.GetAsync("public/a/b");
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        var evt = JsonNode.Parse(await open.Content.ReadAsStringAsync())!;
        Assert.Equal("a/b", evt["pathParameters"]!["proxy"]!.GetValue<string>());
        Assert.Null(evt["requestContext"]!["authorizer"]);

        // Lambda's Timeout (1 s here) ends the invocation; API Gateway answers 500.
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var slow = await http.GetAsync("slow");
        Assert.Equal(HttpStatusCode.InternalServerError, slow.StatusCode);
        Assert.InRange(started.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(8));

        using var unauthenticated = await http.GetAsync("mystery");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Get, "mystery");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.IdToken);
        using var missing = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotImplemented, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Contains("NoSuchFunctionInTheCatalog", await missing.Content.ReadAsStringAsync());
    }

    private static async Task<string> Navigate(HttpClient http, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
