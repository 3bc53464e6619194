using System.Text.Json.Nodes;
using SmallPay.Local.Aws;
using SmallPay.Local.Template;

namespace SmallPay.Local.Provisioning;

/// <summary>
/// Creates the template's <c>AWS::Cognito::UserPool</c>s and <c>AWS::Cognito::UserPoolClient</c>s on the
/// local Cognito, or finds the ones a previous run made (by name = logical id).
/// </summary>
public sealed class CognitoProvisioner
{
    public const string UserPoolType = "AWS::Cognito::UserPool";
    public const string UserPoolClientType = "AWS::Cognito::UserPoolClient";

    // The CreateUserPool / CreateUserPoolClient members that CloudFormation passes through unchanged.
    private static readonly string[] UserPoolMembers =
    [
        "UsernameAttributes", "AliasAttributes", "AutoVerifiedAttributes", "Policies", "Schema", "MfaConfiguration",
        "UsernameConfiguration", "AdminCreateUserConfig", "AccountRecoverySetting", "UserPoolTags", "VerificationMessageTemplate",
        "EmailVerificationMessage", "EmailVerificationSubject", "DeletionProtection", "UserAttributeUpdateSettings",
    ];

    private static readonly string[] ClientMembers =
    [
        "GenerateSecret", "ExplicitAuthFlows", "RefreshTokenValidity", "AccessTokenValidity", "IdTokenValidity", "TokenValidityUnits",
        "ReadAttributes", "WriteAttributes", "PreventUserExistenceErrors", "SupportedIdentityProviders", "CallbackURLs", "LogoutURLs",
        "AllowedOAuthFlows", "AllowedOAuthScopes", "AllowedOAuthFlowsUserPoolClient", "EnableTokenRevocation", "AuthSessionValidity",
    ];

    // Template scalars are strings; the JSON API wants these as numbers and booleans.
    private static readonly HashSet<string> NumberMembers =
    [
        "MinimumLength", "TemporaryPasswordValidityDays", "Priority", "RefreshTokenValidity", "AccessTokenValidity",
        "IdTokenValidity", "AuthSessionValidity", "UnusedAccountValidityDays", "PasswordHistorySize",
    ];

    private static readonly HashSet<string> BooleanMembers =
    [
        "RequireUppercase", "RequireLowercase", "RequireNumbers", "RequireSymbols", "Mutable", "Required", "DeveloperOnlyAttribute",
        "CaseSensitive", "AllowAdminCreateUserOnly", "GenerateSecret", "AllowedOAuthFlowsUserPoolClient", "EnableTokenRevocation",
        "EnablePropagateAdditionalUserContextData",
    ];

    private readonly LocalCognito _cognito;

    public CognitoProvisioner(LocalCognito cognito) => _cognito = cognito;

    /// <summary>Pool ids by logical id.</summary>
    public async Task<Dictionary<string, string>> EnsureUserPoolsAsync(SamTemplate template, IntrinsicResolver resolver, CancellationToken cancellationToken)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pool in template.ResourcesOfType(UserPoolType))
        {
            var name = LocalResourceNames.UserPool(pool.LogicalId);
            var properties = resolver.Resolve(pool.Properties) as JsonObject;
            var id = await _cognito.FindUserPoolIdAsync(name, cancellationToken);
            if (id is null)
            {
                var request = ApiRequest(properties, UserPoolMembers);
                request["PoolName"] = name;
                var created = await _cognito.CallAsync("CreateUserPool", request, cancellationToken);
                id = created["UserPool"]!["Id"]!.GetValue<string>();
            }
            await EnableMfasAsync(id, properties, cancellationToken);
            ids[pool.LogicalId] = id;
        }
        return ids;
    }

    /// <summary>
    /// CloudFormation's <c>EnabledMfas</c> is no CreateUserPool member: CloudFormation turns it into SetUserPoolMfaConfig,
    /// and so does this (only SOFTWARE_TOKEN_MFA: the template sends no text messages). Set on a found pool too, so a
    /// moto left running by an earlier version gets it.
    /// </summary>
    private async Task EnableMfasAsync(string poolId, JsonObject? properties, CancellationToken cancellationToken)
    {
        if (properties?["EnabledMfas"].AsList().Any(m => m.AsText() == "SOFTWARE_TOKEN_MFA") != true) return;
        await _cognito.CallAsync("SetUserPoolMfaConfig", new JsonObject
        {
            ["UserPoolId"] = poolId,
            ["MfaConfiguration"] = properties?["MfaConfiguration"].AsText() ?? "OPTIONAL",
            ["SoftwareTokenMfaConfiguration"] = new JsonObject { ["Enabled"] = true },
        }, cancellationToken);
    }

    /// <summary>Client ids by logical id; <paramref name="resolver"/> must already resolve the pools' Refs.</summary>
    public async Task<Dictionary<string, (string UserPoolId, string ClientId)>> EnsureClientsAsync(
        SamTemplate template, IntrinsicResolver resolver, CancellationToken cancellationToken)
    {
        var ids = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var client in template.ResourcesOfType(UserPoolClientType))
        {
            var properties = resolver.Resolve(client.Properties) as JsonObject ?? new JsonObject();
            var poolId = properties["UserPoolId"].AsText()
                ?? throw new InvalidDataException($"{template.Path}: {client.LogicalId} has no UserPoolId");
            var name = LocalResourceNames.UserPoolClient(client.LogicalId);
            var id = await _cognito.FindUserPoolClientIdAsync(poolId, name, cancellationToken);
            if (id is null)
            {
                var request = ApiRequest(properties, ClientMembers);
                request["UserPoolId"] = poolId;
                request["ClientName"] = name;
                var created = await _cognito.CallAsync("CreateUserPoolClient", request, cancellationToken);
                id = created["UserPoolClient"]!["ClientId"]!.GetValue<string>();
            }
            ids[client.LogicalId] = (poolId, id);
        }
        return ids;
    }

    private static JsonObject ApiRequest(JsonObject? properties, string[] members)
    {
        var request = new JsonObject();
        foreach (var member in members)
            if (properties?[member] is { } value) request[member] = Typed(member, value);
        return request;
    }

    private static JsonNode? Typed(string name, JsonNode? value) => value switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Typed(p.Key, p.Value)))),
        JsonArray array => new JsonArray(array.Select(item => Typed(name, item)).ToArray()),
        JsonValue when NumberMembers.Contains(name) && value.AsInt() is { } number => JsonValue.Create(number),
        JsonValue when BooleanMembers.Contains(name) && value.AsBool() is { } flag => JsonValue.Create(flag),
        _ => value?.DeepClone(),
    };
}
