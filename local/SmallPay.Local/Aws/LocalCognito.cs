using System.Text.Json.Nodes;

namespace SmallPay.Local.Aws;

/// <summary>
/// The Cognito user-pool calls the local stack makes, over the JSON API (AWSSDK.CognitoIdentityProvider
/// is not available here). Works against moto's Cognito.
/// </summary>
public sealed class LocalCognito
{
    private readonly AwsJsonClient _api;

    public LocalCognito(HttpClient http, Uri endpoint) =>
        _api = new AwsJsonClient(http, endpoint, "cognito-idp", "AWSCognitoIdentityProviderService");

    public Task<JsonObject> CallAsync(string operation, JsonObject request, CancellationToken cancellationToken) =>
        _api.CallAsync(operation, request, cancellationToken);

    public async Task<string?> FindUserPoolIdAsync(string poolName, CancellationToken cancellationToken)
    {
        string? next = null;
        do
        {
            var request = new JsonObject { ["MaxResults"] = 60 };
            if (next is not null) request["NextToken"] = next;
            var page = await CallAsync("ListUserPools", request, cancellationToken);
            foreach (var pool in page["UserPools"]?.AsArray() ?? [])
                if (pool?["Name"]?.GetValue<string>() == poolName) return pool["Id"]!.GetValue<string>();
            next = page["NextToken"]?.GetValue<string>();
        } while (next is not null);
        return null;
    }

    public async Task<string?> FindUserPoolClientIdAsync(string userPoolId, string clientName, CancellationToken cancellationToken)
    {
        string? next = null;
        do
        {
            var request = new JsonObject { ["UserPoolId"] = userPoolId, ["MaxResults"] = 60 };
            if (next is not null) request["NextToken"] = next;
            var page = await CallAsync("ListUserPoolClients", request, cancellationToken);
            foreach (var client in page["UserPoolClients"]?.AsArray() ?? [])
                if (client?["ClientName"]?.GetValue<string>() == clientName) return client["ClientId"]!.GetValue<string>();
            next = page["NextToken"]?.GetValue<string>();
        } while (next is not null);
        return null;
    }

    /// <summary>A confirmed user with this e-mail as username; an existing user is left as it is.</summary>
    public async Task EnsureConfirmedUserAsync(string userPoolId, string clientId, string email, string password, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync("SignUp", new JsonObject
            {
                ["ClientId"] = clientId,
                ["Username"] = email,
                ["Password"] = password,
                ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = email }),
            }, cancellationToken);
        }
        catch (AwsServiceException error) when (error.ErrorCode == "UsernameExistsException")
        {
        }
        await CallAsync("AdminConfirmSignUp", new JsonObject { ["UserPoolId"] = userPoolId, ["Username"] = email }, cancellationToken);
        // Cognito marks the address verified when a sign-up is confirmed with the e-mailed code (AutoVerifiedAttributes:
        // email), and its ID tokens then say email_verified; moto does not, so say it here.
        await CallAsync("AdminUpdateUserAttributes", new JsonObject
        {
            ["UserPoolId"] = userPoolId,
            ["Username"] = email,
            ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email_verified", ["Value"] = "true" }),
        }, cancellationToken);
    }

    /// <summary>USER_PASSWORD_AUTH sign-in, as the SPA does it: the ID, access and refresh tokens.</summary>
    public async Task<CognitoTokens> SignInAsync(string clientId, string username, string password, CancellationToken cancellationToken)
    {
        var response = await CallAsync("InitiateAuth", new JsonObject
        {
            ["ClientId"] = clientId,
            ["AuthFlow"] = "USER_PASSWORD_AUTH",
            ["AuthParameters"] = new JsonObject { ["USERNAME"] = username, ["PASSWORD"] = password },
        }, cancellationToken);
        var result = response["AuthenticationResult"]
            ?? throw new InvalidOperationException($"InitiateAuth asked for a challenge ({response["ChallengeName"]}) instead of signing in");
        return new CognitoTokens(
            result["IdToken"]!.GetValue<string>(),
            result["AccessToken"]!.GetValue<string>(),
            result["RefreshToken"]?.GetValue<string>());
    }
}

public sealed record CognitoTokens(string IdToken, string AccessToken, string? RefreshToken);
