using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SmallPay.Local.Template;

namespace SmallPay.Local.Provisioning;

/// <summary>
/// Creates each <c>AWS::DynamoDB::Table</c> of the template (keys, attributes, GSIs/LSIs, billing mode,
/// stream, TTL) under its local name. A table that already exists is left as it is, so a second
/// run against the same emulator is a no-op.
/// </summary>
public sealed class DynamoDbTableProvisioner
{
    public const string TableType = "AWS::DynamoDB::Table";

    private readonly IAmazonDynamoDB _dynamo;

    public DynamoDbTableProvisioner(IAmazonDynamoDB dynamo) => _dynamo = dynamo;

    /// <summary>Local table names by logical id.</summary>
    public async Task<Dictionary<string, string>> EnsureTablesAsync(SamTemplate template, IntrinsicResolver resolver, CancellationToken cancellationToken)
    {
        var tables = template.ResourcesOfType(TableType).ToList();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        await Task.WhenAll(tables.Select(async table =>
        {
            var name = LocalResourceNames.Table(table.LogicalId);
            var properties = resolver.Resolve(table.Properties) as JsonObject ?? new JsonObject();
            await EnsureTableAsync(name, properties, cancellationToken);
            await EnsureTimeToLiveAsync(name, properties["TimeToLiveSpecification"], cancellationToken);
        }));
        foreach (var table in tables) names[table.LogicalId] = LocalResourceNames.Table(table.LogicalId);
        return names;
    }

    private async Task EnsureTableAsync(string name, JsonObject properties, CancellationToken cancellationToken)
    {
        try
        {
            await _dynamo.DescribeTableAsync(name, cancellationToken);
            return;
        }
        catch (ResourceNotFoundException)
        {
        }

        try
        {
            await _dynamo.CreateTableAsync(CreateTableRequestFor(name, properties), cancellationToken);
        }
        catch (ResourceInUseException)
        {
            // Created concurrently by another host on the same emulator.
        }
        await WaitUntilActiveAsync(name, cancellationToken);
    }

    /// <summary>The CreateTable request CloudFormation would make from these (resolved) properties.</summary>
    internal static CreateTableRequest CreateTableRequestFor(string name, JsonObject properties)
    {
        var billingMode = properties["BillingMode"].AsText() ?? "PROVISIONED";
        var request = new CreateTableRequest
        {
            TableName = name,
            BillingMode = new BillingMode(billingMode),
            AttributeDefinitions = properties["AttributeDefinitions"].AsList()
                .Select(a => new AttributeDefinition(a!["AttributeName"].AsText(), new ScalarAttributeType(a["AttributeType"].AsText())))
                .ToList(),
            KeySchema = KeySchema(properties["KeySchema"]),
        };
        if (billingMode == "PROVISIONED") request.ProvisionedThroughput = Throughput(properties["ProvisionedThroughput"]);

        var globalIndexes = properties["GlobalSecondaryIndexes"].AsList();
        if (globalIndexes.Count > 0)
        {
            request.GlobalSecondaryIndexes = globalIndexes.Select(index => new GlobalSecondaryIndex
            {
                IndexName = index!["IndexName"].AsText(),
                KeySchema = KeySchema(index["KeySchema"]),
                Projection = Projection(index["Projection"]),
                ProvisionedThroughput = billingMode == "PROVISIONED" ? Throughput(index["ProvisionedThroughput"]) : null,
            }).ToList();
        }

        var localIndexes = properties["LocalSecondaryIndexes"].AsList();
        if (localIndexes.Count > 0)
        {
            request.LocalSecondaryIndexes = localIndexes.Select(index => new LocalSecondaryIndex
            {
                IndexName = index!["IndexName"].AsText(),
                KeySchema = KeySchema(index["KeySchema"]),
                Projection = Projection(index["Projection"]),
            }).ToList();
        }

        if (properties["StreamSpecification"]?["StreamViewType"].AsText() is { } viewType)
            request.StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = new StreamViewType(viewType) };
        return request;
    }

    private async Task EnsureTimeToLiveAsync(string name, JsonNode? specification, CancellationToken cancellationToken)
    {
        if (specification?["Enabled"].AsBool() != true || specification["AttributeName"].AsText() is not { } attribute) return;
        var current = await _dynamo.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = name }, cancellationToken);
        if (current.TimeToLiveDescription?.TimeToLiveStatus == TimeToLiveStatus.ENABLED
            && current.TimeToLiveDescription.AttributeName == attribute) return;
        await _dynamo.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
        {
            TableName = name,
            TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = attribute, Enabled = true },
        }, cancellationToken);
    }

    private async Task WaitUntilActiveAsync(string name, CancellationToken cancellationToken)
    {
        // moto and DynamoDB Local create tables ACTIVE at once; real DynamoDB would take a few seconds.
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var table = await _dynamo.DescribeTableAsync(name, cancellationToken);
            if (table.Table.TableStatus == TableStatus.ACTIVE) return;
            await Task.Delay(100, cancellationToken);
        }
        throw new TimeoutException($"table {name} did not become ACTIVE");
    }

    private static List<KeySchemaElement> KeySchema(JsonNode? node) =>
        node.AsList().Select(k => new KeySchemaElement(k!["AttributeName"].AsText(), new KeyType(k["KeyType"].AsText()))).ToList();

    private static Projection Projection(JsonNode? node)
    {
        var projection = new Projection { ProjectionType = new ProjectionType(node?["ProjectionType"].AsText() ?? "ALL") };
        var nonKey = node?["NonKeyAttributes"].AsList().Select(a => a.AsText()).OfType<string>().ToList();
        if (nonKey is { Count: > 0 }) projection.NonKeyAttributes = nonKey;
        return projection;
    }

    private static ProvisionedThroughput Throughput(JsonNode? node) => new()
    {
        ReadCapacityUnits = node?["ReadCapacityUnits"].AsInt() ?? 5,
        WriteCapacityUnits = node?["WriteCapacityUnits"].AsInt() ?? 5,
    };
}
