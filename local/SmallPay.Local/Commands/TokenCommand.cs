using System.Text.Json.Nodes;
using SmallPay.Local.Aws;

namespace SmallPay.Local.Commands;

/// <summary>
/// <c>SmallPay.Local token</c>: signs the demo account in on the running local stack (found through its
/// /config.json) and prints the ID token, for <c>curl -H "Authorization: Bearer $(...)"</c>.
/// </summary>
internal static class TokenCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        CommandLine line;
        try
        {
            line = CommandLine.Parse(args,
                valued: new HashSet<string> { "--port", "--api-url", "--email", "--password" },
                flags: new HashSet<string> { "--access" });
        }
        catch (UsageException error)
        {
            Console.Error.WriteLine($"SmallPay.Local token: {error.Message}{Environment.NewLine}{ServeCommand.Usage}");
            return 2;
        }

        var api = line.Get("--api-url") is { } url ? new Uri(url.TrimEnd('/') + "/") : new Uri($"http://localhost:{line.GetInt("--port", 3000)}/");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            Console.WriteLine(await GetTokenAsync(http, api,
                line.Get("--email") ?? LocalStackOptions.DefaultDemoEmail,
                line.Get("--password") ?? LocalStackOptions.DefaultDemoPassword,
                accessToken: line.Has("--access"),
                CancellationToken.None));
            return 0;
        }
        catch (HttpRequestException error)
        {
            Console.Error.WriteLine($"SmallPay.Local token: no local stack answers at {api} ({error.Message}). Start it with `make run`.");
            return 1;
        }
        catch (AwsServiceException error)
        {
            Console.Error.WriteLine($"SmallPay.Local token: sign-in failed: {error.Message}");
            return 1;
        }
    }

    /// <summary>Signs in on the Cognito that the running stack's /config.json names, as the SPA does.</summary>
    internal static async Task<string> GetTokenAsync(
        HttpClient http, Uri api, string email, string password, bool accessToken, CancellationToken cancellationToken)
    {
        var config = JsonNode.Parse(await http.GetStringAsync(new Uri(api, "config.json"), cancellationToken)) as JsonObject ?? new JsonObject();
        var cognito = new LocalCognito(http, new Uri(config["cognitoEndpoint"]!.GetValue<string>()));
        var tokens = await cognito.SignInAsync(config["userPoolClientId"]!.GetValue<string>(), email, password, cancellationToken);
        return accessToken ? tokens.AccessToken : tokens.IdToken;
    }
}
