using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SmallPay.Functions.Tests.Infrastructure;
using SmallPay.Local;
using SmallPay.Local.Aws;
using SmallPay.Local.Template;
using Xunit.Abstractions;

namespace SmallPay.Functions.Tests.Local;

/// <summary>The local host as the fixture starts it: provisioning, authorizer, routing, CORS, config.json.</summary>
[Collection(LocalStackCollection.Name)]
public sealed class LocalStackHostTests(LocalStackFixture stack)
{
    private static SamTemplate Template => SamTemplate.Load(RepositoryLayout.FindTemplate());

    [Theory]
    [InlineData("InvoicesTable")]
    [InlineData("CustomersTable")]
    public async Task Provisioning_creates_each_table_as_the_template_declares(string logicalId)
    {
        var declared = Template.Resources[logicalId].Properties;

        var table = (await stack.DynamoDb.DescribeTableAsync(LocalResourceNames.Table(logicalId))).Table;

        Assert.Equal(declared["BillingMode"].AsText(), table.BillingModeSummary?.BillingMode?.Value ?? "PROVISIONED");
        Assert.Equal(Keys(declared["KeySchema"]), table.KeySchema.Select(k => $"{k.AttributeName}:{k.KeyType.Value}"));
        Assert.Equal(
            declared["AttributeDefinitions"].AsList().Select(a => $"{a?["AttributeName"].AsText()}:{a?["AttributeType"].AsText()}").Order(),
            table.AttributeDefinitions.Select(a => $"{a.AttributeName}:{a.AttributeType.Value}").Order());

        var declaredIndexes = declared["GlobalSecondaryIndexes"].AsList();
        Assert.Equal(declaredIndexes.Count, table.GlobalSecondaryIndexes?.Count ?? 0);
        foreach (var declaredIndex in declaredIndexes)
        {
            var index = Assert.Single(table.GlobalSecondaryIndexes!, i => i.IndexName == declaredIndex?["IndexName"].AsText());
            Assert.Equal(Keys(declaredIndex?["KeySchema"]), index.KeySchema.Select(k => $"{k.AttributeName}:{k.KeyType.Value}"));
            Assert.Equal(declaredIndex?["Projection"]?["ProjectionType"].AsText(), index.Projection.ProjectionType.Value);
        }

        var streamView = declared["StreamSpecification"]?["StreamViewType"].AsText();
        Assert.Equal(streamView is not null, table.StreamSpecification?.StreamEnabled ?? false);
        if (streamView is not null)
        {
            Assert.Equal(streamView, table.StreamSpecification!.StreamViewType.Value);
            Assert.False(string.IsNullOrEmpty(table.LatestStreamArn));
        }

        var ttl = (await stack.DynamoDb.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = table.TableName })).TimeToLiveDescription;
        if (declared["TimeToLiveSpecification"] is { } ttlSpec && ttlSpec["Enabled"].AsBool() == true)
        {
            Assert.Equal(TimeToLiveStatus.ENABLED, ttl.TimeToLiveStatus);
            Assert.Equal(ttlSpec["AttributeName"].AsText(), ttl.AttributeName);
        }
        else
        {
            Assert.NotEqual(TimeToLiveStatus.ENABLED, ttl?.TimeToLiveStatus);
        }
    }

    [Fact]
    public async Task Provisioning_creates_the_user_pool_and_a_public_client_as_the_template_declares()
    {
        using var http = new HttpClient();
        var cognito = new LocalCognito(http, stack.Host.AwsEndpoint);

        var pool = (await cognito.CallAsync("DescribeUserPool", new JsonObject { ["UserPoolId"] = stack.UserPoolId }, default))["UserPool"]!;
        var client = (await cognito.CallAsync("DescribeUserPoolClient",
            new JsonObject { ["UserPoolId"] = stack.UserPoolId, ["ClientId"] = stack.UserPoolClientId }, default))["UserPoolClient"]!;

        var declaredPool = Template.Resources["UserPool"].Properties;
        Assert.Equal(Texts(declaredPool["UsernameAttributes"]), Texts(pool["UsernameAttributes"]));
        Assert.Equal(Texts(declaredPool["AutoVerifiedAttributes"]), Texts(pool["AutoVerifiedAttributes"]));
        var declaredPolicy = declaredPool["Policies"]!["PasswordPolicy"]!;
        var policy = pool["Policies"]!["PasswordPolicy"]!;
        Assert.Equal(declaredPolicy["MinimumLength"].AsInt(), policy["MinimumLength"]!.GetValue<int>());
        Assert.Equal(declaredPolicy["RequireSymbols"].AsBool(), policy["RequireSymbols"]!.GetValue<bool>());
        Assert.Equal("OPTIONAL", declaredPool["MfaConfiguration"].AsText());
        Assert.Equal("OPTIONAL", pool["MfaConfiguration"].AsText());
        var mfa = await cognito.CallAsync("GetUserPoolMfaConfig", new JsonObject { ["UserPoolId"] = stack.UserPoolId }, default);
        Assert.True(mfa["SoftwareTokenMfaConfiguration"]?["Enabled"]?.GetValue<bool>());

        var declaredClient = Template.Resources["UserPoolClient"].Properties;
        Assert.Equal(Texts(declaredClient["ExplicitAuthFlows"]).Order(), Texts(client["ExplicitAuthFlows"]).Order());
        Assert.Null(client["ClientSecret"]);
    }

    [Fact]
    public async Task Provisioning_again_on_the_same_emulator_reuses_what_exists()
    {
        var tablesBefore = (await stack.DynamoDb.ListTablesAsync()).TableNames.Order().ToList();

        await using var second = await TestHosts.StartAsync(stack, handlers: null);

        Assert.Equal(stack.UserPoolId, second.UserPoolId);
        Assert.Equal(stack.UserPoolClientId, second.UserPoolClientId);
        Assert.Equal(tablesBefore, (await stack.DynamoDb.ListTablesAsync()).TableNames.Order().ToList());
    }

    [Fact]
    public async Task Request_without_a_token_is_401_as_API_Gateway_answers_it()
    {
        using var http = stack.CreateHttpClient();

        using var response = await http.GetAsync("invoices");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("""{"message":"Unauthorized"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")]
    public async Task Request_with_a_bad_token_is_401_invalid_token(string token)
    {
        using var http = stack.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await http.PostAsync("invoices", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Token_with_the_right_claims_but_not_signed_by_the_pool_is_401()
    {
        var key = TestSigningKey.MotoLookalike; // moto's own kid: only the signature can tell them apart
        var claims = TestSigningKey.IdTokenClaims(DateTimeOffset.UtcNow);
        claims["iss"] = LocalResourceNames.CognitoIssuer(stack.UserPoolId);
        claims["aud"] = stack.UserPoolClientId;
        using var http = stack.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Sign(claims));

        using var response = await http.GetAsync("invoices");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/no-such-route")]
    [InlineData("DELETE", "/invoices")]
    [InlineData("PATCH", "/settings")]
    public async Task Unknown_route_is_404_Not_Found(string method, string path)
    {
        using var http = stack.CreateHttpClient();
        var user = await stack.CreateUserAsync();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.IdToken);

        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("""{"message":"Not Found"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Preflight_from_the_spa_origin_is_answered_without_a_token()
    {
        var spaOrigin = SmallPay.Local.LocalResourceNames.ParameterOverrides["SpaOrigin"]; // the local dev stack allows the dev server
        using var http = stack.CreateHttpClient();

        using var response = await http.SendAsync(Preflight("invoices", spaOrigin));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(spaOrigin, Header(response, "access-control-allow-origin"));
        Assert.Contains("POST", Header(response, "access-control-allow-methods"));
        Assert.Contains("authorization", Header(response, "access-control-allow-headers"));
        Assert.Equal("600", Header(response, "access-control-max-age"));
    }

    [Fact]
    public async Task Preflight_from_the_local_hosts_own_origin_is_allowed_and_other_origins_are_not()
    {
        using var http = stack.CreateHttpClient();
        var ownOrigin = stack.ApiBaseUrl.GetLeftPart(UriPartial.Authority);

        using var own = await http.SendAsync(Preflight("invoices/inv_1", ownOrigin));
        using var evil = await http.SendAsync(Preflight("invoices/inv_1", "https://evil.example.com"));

        Assert.Equal(ownOrigin, Header(own, "access-control-allow-origin"));
        Assert.Equal(HttpStatusCode.NoContent, evil.StatusCode);
        Assert.Null(Header(evil, "access-control-allow-origin"));
    }

    [Fact]
    public async Task Gateway_refusals_carry_cors_headers_so_the_browser_can_read_them()
    {
        var spaOrigin = SmallPay.Local.LocalResourceNames.ParameterOverrides["SpaOrigin"]; // the local dev stack allows the dev server
        using var http = stack.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "invoices");
        request.Headers.Add("Origin", spaOrigin);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(spaOrigin, Header(response, "access-control-allow-origin"));
        Assert.Contains("etag", Header(response, "access-control-expose-headers"));
    }

    [Fact]
    public async Task Config_json_names_the_pool_and_a_token_signed_in_with_it_is_accepted()
    {
        using var http = stack.CreateHttpClient();
        var config = JsonNode.Parse(await http.GetStringAsync("config.json"))!;

        Assert.Equal(stack.ApiBaseUrl.ToString().TrimEnd('/'), config["apiUrl"]!.GetValue<string>());
        Assert.Equal("us-east-1", config["region"]!.GetValue<string>());
        Assert.Equal(new Uri(stack.ApiBaseUrl, "/_local/cognito").ToString(), config["cognitoEndpoint"]!.GetValue<string>());

        // Sign in the way the SPA does: with only what config.json says.
        var user = await stack.CreateUserAsync();
        var cognito = new LocalCognito(http, new Uri(config["cognitoEndpoint"]!.GetValue<string>()));
        var tokens = await cognito.SignInAsync(config["userPoolClientId"]!.GetValue<string>(), user.Email, user.Password, default);
        Assert.Equal(stack.UserPoolId, config["userPoolId"]!.GetValue<string>());

        foreach (var token in new[] { tokens.IdToken, tokens.AccessToken })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "invoices");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request);
            Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    [Fact]
    public async Task Moto_issues_tokens_with_the_issuer_the_template_resolves_to()
    {
        var user = await stack.CreateUserAsync();

        var payload = JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(user.IdToken.Split('.')[1]))!;

        Assert.Equal(LocalResourceNames.CognitoIssuer(stack.UserPoolId), payload["iss"]!.GetValue<string>());
        Assert.Equal(stack.UserPoolClientId, payload["aud"]!.GetValue<string>());
    }

    [Fact]
    public async Task Root_without_a_built_spa_says_the_api_is_up()
    {
        // A repository root of its own: the real one has frontend/dist once the SPA was built.
        var root = Directory.CreateTempSubdirectory("smallpay-no-spa-");
        var template = Path.Combine(root.FullName, "template.yaml");
        File.Copy(stack.Host.Template.Path, template);
        await using var host = await TestHosts.StartAsync(stack, handlers: null, templatePath: template, repositoryRoot: root.FullName);
        using var http = new HttpClient { BaseAddress = host.ApiBaseUrl };

        var page = await http.GetStringAsync("/");

        Assert.Contains("SmallPay local API is up", page);
        Assert.Contains("POST /invoices", page);
    }

    [Fact]
    public async Task Moto_lets_a_page_of_the_local_host_call_cognito_from_the_browser()
    {
        // The SPA's Cognito client calls config.json's cognitoEndpoint cross-origin: moto must answer CORS.
        var ownOrigin = stack.ApiBaseUrl.GetLeftPart(UriPartial.Authority);
        using var http = new HttpClient { BaseAddress = stack.Host.AwsEndpoint };
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/");
        preflight.Headers.Add("Origin", ownOrigin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type,x-amz-target,x-amz-user-agent");
        using var call = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new StringContent("""{"MaxResults":1}""", Encoding.UTF8, "application/x-amz-json-1.1"),
        };
        call.Headers.Add("Origin", ownOrigin);
        call.Headers.Add("X-Amz-Target", "AWSCognitoIdentityProviderService.ListUserPools");

        using var preflightResponse = await http.SendAsync(preflight);
        using var callResponse = await http.SendAsync(call);

        Assert.Equal(ownOrigin, Header(preflightResponse, "access-control-allow-origin"));
        Assert.Contains("x-amz-target", Header(preflightResponse, "access-control-allow-headers"));
        Assert.Equal(ownOrigin, Header(callResponse, "access-control-allow-origin"));
    }

    [Fact]
    public async Task Demo_account_can_be_ensured_again_and_signs_in_each_time()
    {
        var email = $"demo-{Guid.NewGuid():N}@example.com";

        var first = await SmallPay.Local.Demo.DemoAccount.EnsureAsync(stack.Host.Cognito, stack.UserPoolId, stack.UserPoolClientId, email, "Demo-password-2026", default);
        var again = await SmallPay.Local.Demo.DemoAccount.EnsureAsync(stack.Host.Cognito, stack.UserPoolId, stack.UserPoolClientId, email, "Demo-password-2026", default);

        using var api = again.CreateApiClient(stack.ApiBaseUrl);
        using var response = await api.GetAsync("invoices");
        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(ClaimOf(first.Tokens.IdToken, "sub"), ClaimOf(again.Tokens.IdToken, "sub"));
    }

    [Fact]
    public async Task Token_command_signs_in_through_the_running_stacks_config_json()
    {
        var user = await stack.CreateUserAsync();
        using var http = new HttpClient();

        var idToken = await SmallPay.Local.Commands.TokenCommand.GetTokenAsync(http, stack.ApiBaseUrl, user.Email, user.Password, accessToken: false, default);
        var accessToken = await SmallPay.Local.Commands.TokenCommand.GetTokenAsync(http, stack.ApiBaseUrl, user.Email, user.Password, accessToken: true, default);

        Assert.Equal(user.Sub, ClaimOf(idToken, "sub"));
        Assert.Equal("id", ClaimOf(idToken, "token_use"));
        Assert.Equal("access", ClaimOf(accessToken, "token_use"));
    }

    [Fact]
    public void Functions_send_mail_to_the_local_sink_in_plain_SMTP_without_credentials_and_store_files_on_moto()
    {
        var variables = stack.Host.SharedFunctionVariables();

        Assert.Equal("127.0.0.1", variables["SMTP_HOST"]);
        Assert.Equal(stack.Mail.Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), variables["SMTP_PORT"]);
        Assert.Equal("false", variables["SMTP_STARTTLS"]);
        Assert.Equal("", variables["SMTP_SECRET_NAME"]);
        Assert.Equal(stack.AwsEndpoint, variables["AWS_ENDPOINT_URL_S3"]);
    }

    [Fact]
    public async Task The_mail_page_is_served_and_the_banner_says_where()
    {
        using var http = new HttpClient();
        // maildev answers its page to browsers (Accept: text/html), JSON 404s to anything else.
        http.DefaultRequestHeaders.Accept.ParseAdd("text/html");

        using var page = await http.GetAsync(stack.Mail.WebUrl);
        var banner = SmallPay.Local.Commands.ServeCommand.Banner(stack.Host, new LocalStackOptions());

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"Mail         {stack.Mail.WebUrl}  maildev", banner);
        Assert.Contains($"SMTP {stack.Mail.Smtp}; recipients at *.invalid are refused (550)", banner);
    }

    [Fact]
    public async Task Without_a_pipeline_the_queue_endpoints_say_so()
    {
        await using var host = await TestHosts.StartAsync(stack, handlers: null);
        using var http = new HttpClient { BaseAddress = host.ApiBaseUrl };

        using var response = await http.GetAsync("_local/queues");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("not running", await response.Content.ReadAsStringAsync());
    }

    private static string ClaimOf(string jwt, string claim) =>
        JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(jwt.Split('.')[1]))![claim]!.GetValue<string>();

    private static HttpRequestMessage Preflight(string path, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return request;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : null;

    private static IEnumerable<string> Keys(JsonNode? keySchema) =>
        keySchema.AsList().Select(k => $"{k?["AttributeName"].AsText()}:{k?["KeyType"].AsText()}");

    private static List<string> Texts(JsonNode? node) => node.AsList().Select(n => n.AsText() ?? "").ToList();
}
