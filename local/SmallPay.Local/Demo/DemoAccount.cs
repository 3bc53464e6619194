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

    /// <summary>An API client that calls as this user (ID token as bearer, as the SPA sends it), in a business if named.</summary>
    public HttpClient CreateApiClient(Uri apiBaseUrl, string? business = null)
    {
        var client = new HttpClient { BaseAddress = apiBaseUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.IdToken);
        if (business is not null) client.DefaultRequestHeaders.Add("X-SmallPay-Business", business);
        return client;
    }

    /// <summary>The user's Cognito sub, read from the ID token.</summary>
    public string Sub
    {
        get
        {
            var payload = System.Buffers.Text.Base64Url.DecodeFromChars(Tokens.IdToken.Split('.')[1]);
            using var document = System.Text.Json.JsonDocument.Parse(payload);
            return document.RootElement.GetProperty("sub").GetString()!;
        }
    }
}
