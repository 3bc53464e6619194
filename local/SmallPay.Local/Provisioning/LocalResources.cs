using Amazon.DynamoDBv2;
using SmallPay.Local.Aws;
using SmallPay.Local.Template;

namespace SmallPay.Local.Provisioning;

/// <summary>What the template's resources are called on the local emulator once they exist.</summary>
public sealed class LocalResources
{
    private LocalResources(
        SamTemplate template,
        IReadOnlyDictionary<string, string> tables,
        IReadOnlyDictionary<string, string> userPools,
        IReadOnlyDictionary<string, (string UserPoolId, string ClientId)> userPoolClients)
    {
        Template = template;
        Tables = tables;
        UserPools = userPools;
        UserPoolClients = userPoolClients;
        Resolver = new IntrinsicResolver(template, PhysicalId);
    }

    public SamTemplate Template { get; }

    /// <summary>Local table names by logical id.</summary>
    public IReadOnlyDictionary<string, string> Tables { get; }

    /// <summary>User pool ids by logical id.</summary>
    public IReadOnlyDictionary<string, string> UserPools { get; }

    /// <summary>App client ids (and their pool) by logical id.</summary>
    public IReadOnlyDictionary<string, (string UserPoolId, string ClientId)> UserPoolClients { get; }

    /// <summary>Resolves intrinsics with these local ids (<c>!Ref InvoicesTable</c> → <c>InvoicesTable</c>, <c>!Ref UserPool</c> → the pool id).</summary>
    public IntrinsicResolver Resolver { get; }

    /// <summary>The pool and app client the SPA signs in with: the template's first client.</summary>
    public (string UserPoolId, string ClientId)? AppClient => UserPoolClients.Count > 0 ? UserPoolClients.First().Value : null;

    public string? PhysicalId(string logicalId) =>
        Tables.GetValueOrDefault(logicalId)
        ?? UserPools.GetValueOrDefault(logicalId)
        ?? (UserPoolClients.TryGetValue(logicalId, out var client) ? client.ClientId : null);

    /// <summary>Creates (or finds, when they exist already) every table, user pool and app client the template declares.</summary>
    public static async Task<LocalResources> ProvisionAsync(
        SamTemplate template, IAmazonDynamoDB dynamo, LocalCognito cognito, CancellationToken cancellationToken)
    {
        // Tables and pools first (their Refs are needed by clients), in parallel: both are a few round trips.
        var bare = new IntrinsicResolver(template);
        var tablesTask = new DynamoDbTableProvisioner(dynamo).EnsureTablesAsync(template, bare, cancellationToken);
        var cognitoProvisioner = new CognitoProvisioner(cognito);
        var pools = await cognitoProvisioner.EnsureUserPoolsAsync(template, bare, cancellationToken);
        var withPools = new IntrinsicResolver(template, logicalId => pools.GetValueOrDefault(logicalId));
        var clients = await cognitoProvisioner.EnsureClientsAsync(template, withPools, cancellationToken);
        var tables = await tablesTask;
        return new LocalResources(template, tables, pools, clients);
    }
}
