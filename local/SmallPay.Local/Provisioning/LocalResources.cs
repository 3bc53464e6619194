using Amazon.DynamoDBv2;
using Amazon.S3;
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
        IReadOnlyDictionary<string, (string UserPoolId, string ClientId)> userPoolClients,
        IReadOnlyDictionary<string, string> buckets)
    {
        Template = template;
        Tables = tables;
        Buckets = buckets;
        UserPools = userPools;
        UserPoolClients = userPoolClients;
        Resolver = new IntrinsicResolver(template, PhysicalId);
    }

    public SamTemplate Template { get; }

    /// <summary>Local table names by logical id.</summary>
    public IReadOnlyDictionary<string, string> Tables { get; }

    /// <summary>Local bucket names by logical id.</summary>
    public IReadOnlyDictionary<string, string> Buckets { get; }

    /// <summary>User pool ids by logical id.</summary>
    public IReadOnlyDictionary<string, string> UserPools { get; }

    /// <summary>App client ids (and their pool) by logical id.</summary>
    public IReadOnlyDictionary<string, (string UserPoolId, string ClientId)> UserPoolClients { get; }

    /// <summary>
    /// Resolves intrinsics with these local ids (<c>!Ref InvoicesTable</c> → <c>InvoicesTable</c>, <c>!Ref UserPool</c> → the pool id,
    /// <c>!Ref DocumentsBucket</c> → <c>smallpay-local-documents-bucket</c>).
    /// </summary>
    public IntrinsicResolver Resolver { get; }

    /// <summary>The pool and app client the SPA signs in with: the template's first client.</summary>
    public (string UserPoolId, string ClientId)? AppClient => UserPoolClients.Count > 0 ? UserPoolClients.First().Value : null;

    public string? PhysicalId(string logicalId) =>
        Tables.GetValueOrDefault(logicalId)
        ?? Buckets.GetValueOrDefault(logicalId)
        ?? UserPools.GetValueOrDefault(logicalId)
        ?? (UserPoolClients.TryGetValue(logicalId, out var client) ? client.ClientId : null)
        ?? QueueUrl(Template, logicalId);

    /// <summary><c>!Ref</c> of a queue is its URL in AWS.</summary>
    internal static string? QueueUrl(SamTemplate template, string logicalId) =>
        template.Resources.TryGetValue(logicalId, out var resource) && resource.Type == "AWS::SQS::Queue"
            ? LocalResourceNames.QueueUrl(LocalResourceNames.Queue(logicalId))
            : null;

    /// <summary>Creates (or finds, when they exist already) every table, bucket, user pool and app client the template declares.</summary>
    public static async Task<LocalResources> ProvisionAsync(
        SamTemplate template, IAmazonDynamoDB dynamo, IAmazonS3 s3, LocalCognito cognito, CancellationToken cancellationToken)
    {
        // Tables, buckets and pools first (pool Refs are needed by clients), in parallel: each is a few round trips.
        var bare = new IntrinsicResolver(template);
        var tablesTask = new DynamoDbTableProvisioner(dynamo).EnsureTablesAsync(template, bare, cancellationToken);
        var bucketsTask = new S3BucketProvisioner(s3).EnsureBucketsAsync(template, bare, cancellationToken);
        var cognitoProvisioner = new CognitoProvisioner(cognito);
        var pools = await cognitoProvisioner.EnsureUserPoolsAsync(template, bare, cancellationToken);
        var withPools = new IntrinsicResolver(template, logicalId => pools.GetValueOrDefault(logicalId));
        var clients = await cognitoProvisioner.EnsureClientsAsync(template, withPools, cancellationToken);
        var tables = await tablesTask;
        var buckets = await bucketsTask;
        return new LocalResources(template, tables, pools, clients, buckets);
    }
}
