using System.Net.Http.Headers;
using SmallPay.Local.Aws;

namespace SmallPay.Local.Demo;

/// <summary>The demo user: created confirmed in the local pool (idempotent), then signed in.</summary>
public sealed record DemoAccount(string Email, string Password, CognitoTokens Tokens)
{
    public static async Task<DemoAccount> EnsureAsync(
        LocalCognito cognito, string userPoolId, string clientId, string email, string password, CancellationToken cancellationToken)
    {
        await cognito.EnsureConfirmedUserAsync(userPoolId, clientId, email, password, cancellationToken);
        var tokens = await cognito.SignInAsync(clientId, email, password, cancellationToken);
        return new DemoAccount(email, password, tokens);
    }

    /// <summary>An API client that calls as this user (ID token as bearer, as the SPA sends it).</summary>
    public HttpClient CreateApiClient(Uri apiBaseUrl)
    {
        var client = new HttpClient { BaseAddress = apiBaseUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.IdToken);
        return client;
    }
}
