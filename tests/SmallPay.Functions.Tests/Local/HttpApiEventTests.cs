using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Tests.Infrastructure;
using SmallPay.Local;
using SmallPay.Local.Template;

namespace SmallPay.Functions.Tests.Local;

/// <summary>
/// What a function receives and how its answer reaches the client, seen through test functions put in
/// place of the catalog's (echo, fixed answers, failures) on the template's real routes.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed class HttpApiEventTests(LocalStackFixture stack) : IAsyncLifetime
{
    private static readonly byte[] BinaryBytes = [0, 1, 2, 250, 255];

    private LocalStackHost _host = null!;
    private TestUser _user = null!;

    public async Task InitializeAsync()
    {
        _host = await TestHosts.StartAsync(stack, name => name switch
        {
            "DeleteInvoice" => new ThrowingHandler(),
            "VoidInvoice" => new FixedResponseHandler("not json at all"),
            "GetDashboard" => new FixedResponseHandler(
                $$"""{"statusCode":202,"headers":{"content-type":"application/octet-stream","x-custom":"yes","access-control-allow-origin":"*"},"cookies":["a=1; Path=/","b=2"],"body":"{{Convert.ToBase64String(BinaryBytes)}}","isBase64Encoded":true}"""),
            "GetSettings" => new FixedResponseHandler("""{"currency":"EUR"}"""),
            _ => new EchoHandler(),
        });
        _user = await stack.CreateUserAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = _host.ApiBaseUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? _user.IdToken);
        return client;
    }

    private static async Task<JsonNode> EventOf(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    [Fact]
    public async Task Claims_of_the_id_token_arrive_in_the_authorizer_context_as_strings()
    {
        using var http = Client();

        var evt = await EventOf(await http.GetAsync("invoices"));

        var claims = evt["requestContext"]!["authorizer"]!["jwt"]!["claims"]!;
        Assert.Equal(_user.Sub, claims["sub"]!.GetValue<string>());
        Assert.Equal(_user.Email, claims["email"]!.GetValue<string>());
        Assert.Equal(stack.UserPoolClientId, claims["aud"]!.GetValue<string>());
        Assert.Equal("id", claims["token_use"]!.GetValue<string>());
        Assert.Matches("^[0-9]+$", claims["exp"]!.GetValue<string>());
    }

    [Fact]
    public async Task Access_token_is_accepted_and_its_scopes_arrive_in_the_event()
    {
        using var http = Client(_user.AccessToken);

        var evt = await EventOf(await http.GetAsync("customers"));

        var jwt = evt["requestContext"]!["authorizer"]!["jwt"]!;
        Assert.Equal(_user.Sub, jwt["claims"]!["sub"]!.GetValue<string>());
        Assert.Contains("aws.cognito.signin.user.admin", jwt["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Fact]
    public async Task Event_is_http_api_payload_2_0_with_route_path_query_and_headers()
    {
        using var http = Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "invoices/inv_01%20x/payments?b=2&a=1&a=3");
        request.Headers.Add("X-Repeated", ["one", "two"]);
        request.Headers.Add("Cookie", "session=abc; theme=dark");
        request.Content = new StringContent("""{"amount":"12.50"}""", Encoding.UTF8, "application/json");

        var evt = await EventOf(await http.SendAsync(request));

        Assert.Equal("2.0", evt["version"]!.GetValue<string>());
        Assert.Equal("POST /invoices/{invoiceId}/payments", evt["routeKey"]!.GetValue<string>());
        Assert.Equal("/invoices/inv_01%20x/payments", evt["rawPath"]!.GetValue<string>());
        Assert.Equal("b=2&a=1&a=3", evt["rawQueryString"]!.GetValue<string>());
        Assert.Equal("1,3", evt["queryStringParameters"]!["a"]!.GetValue<string>());
        Assert.Equal("inv_01 x", evt["pathParameters"]!["invoiceId"]!.GetValue<string>());
        // HttpClient itself joins repeated values with ", " on one line (HttpApiEventBuilderTests covers separate lines).
        Assert.Equal("one, two", evt["headers"]!["x-repeated"]!.GetValue<string>());
        Assert.StartsWith("application/json", evt["headers"]!["content-type"]!.GetValue<string>());
        Assert.Null(evt["headers"]!["cookie"]);
        Assert.Equal(["session=abc", "theme=dark"], evt["cookies"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("""{"amount":"12.50"}""", evt["body"]!.GetValue<string>());
        Assert.False(evt["isBase64Encoded"]!.GetValue<bool>());

        var context = evt["requestContext"]!;
        Assert.Equal("POST", context["http"]!["method"]!.GetValue<string>());
        Assert.Equal("/invoices/inv_01%20x/payments", context["http"]!["path"]!.GetValue<string>());
        Assert.Equal("POST /invoices/{invoiceId}/payments", context["routeKey"]!.GetValue<string>());
        Assert.Equal("$default", context["stage"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(context["requestId"]!.GetValue<string>()));
        Assert.Matches(@"^\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d \+0000$", context["time"]!.GetValue<string>());
        Assert.InRange(context["timeEpoch"]!.GetValue<long>(), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task Binary_body_arrives_base64_encoded_and_flagged()
    {
        using var http = Client();
        var content = new ByteArrayContent(BinaryBytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");

        var evt = await EventOf(await http.PutAsync("invoices/inv_1", content));

        Assert.True(evt["isBase64Encoded"]!.GetValue<bool>());
        Assert.Equal(BinaryBytes, Convert.FromBase64String(evt["body"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Request_without_body_has_no_body_in_the_event()
    {
        using var http = Client();

        var evt = await EventOf(await http.GetAsync("invoices/inv_1"));

        Assert.Null(evt["body"]);
        Assert.Null(evt["queryStringParameters"]);
    }

    [Fact]
    public async Task Body_over_10_MB_is_413_and_never_reaches_the_function()
    {
        using var http = Client();
        var content = new ByteArrayContent(new byte[10 * 1024 * 1024 + 1]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await http.PostAsync("invoices", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("""{"message":"Request Entity Too Large"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Function_that_throws_is_500_Internal_Server_Error()
    {
        using var http = Client();

        using var response = await http.DeleteAsync("invoices/inv_1");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("""{"message":"Internal Server Error"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Function_answer_that_is_not_json_is_500()
    {
        using var http = Client();

        using var response = await http.PostAsync("invoices/inv_1/void", null);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    [Fact]
    public async Task Structured_answer_maps_status_headers_cookies_and_base64_body_and_gateway_owns_cors()
    {
        using var http = Client();

        using var response = await http.GetAsync("dashboard");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(BinaryBytes, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("yes", response.Headers.GetValues("x-custom").Single());
        Assert.Equal(["a=1; Path=/", "b=2"], response.Headers.GetValues("set-cookie"));
        // No Origin header was sent: the function's own CORS header is dropped, as API Gateway does.
        Assert.False(response.Headers.Contains("access-control-allow-origin"));
    }

    [Fact]
    public async Task Answer_without_statusCode_is_a_200_json_body()
    {
        using var http = Client();

        using var response = await http.GetAsync("settings");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"currency":"EUR"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Handlers_are_created_once_and_stay_warm()
    {
        var created = 0;
        await using var host = await TestHosts.StartAsync(stack, _ =>
        {
            Interlocked.Increment(ref created);
            return new EchoHandler();
        });
        // One handler per routed function (a queue consumer such as DocumentWorker has no route).
        var routes = SamFunction.ReadAll(host.Resources.Template).Count(function => function.Events.Any(e => e.Type == "HttpApi"));
        using var http = new HttpClient { BaseAddress = host.ApiBaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _user.IdToken);

        for (var i = 0; i < 3; i++) (await http.GetAsync("invoices")).EnsureSuccessStatusCode();

        Assert.Equal(routes, created);
    }

    [Fact]
    public async Task Handler_gets_the_template_environment_with_local_names_and_the_emulator()
    {
        var variables = _host.FunctionVariables("CreateInvoice");

        Assert.Equal("CreateInvoice", variables[FunctionCatalog.SelectorVariable]);
        Assert.Equal(LocalResourceNames.Table("InvoicesTable"), variables["INVOICES_TABLE"]);
        Assert.Equal(LocalResourceNames.Table("CustomersTable"), variables["CUSTOMERS_TABLE"]);
        Assert.Equal(stack.AwsEndpoint, variables["AWS_ENDPOINT_URL"]);
        Assert.Equal("us-east-1", variables["AWS_REGION"]);
        Assert.False(stack.Host.SharedFunctionVariables().ContainsKey(FunctionCatalog.SelectorVariable));
    }
}
