using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SmallPay.Domain.Settings;
using static SmallPay.Functions.Storage.Attributes;

namespace SmallPay.Functions.Storage;

public interface ISettingsStore
{
    /// <summary>The tenant's settings, or the defaults (Version 0) when never saved.</summary>
    Task<BusinessSettings> GetAsync(string tenant, CancellationToken ct);
    /// <summary>Saves if the stored version is updated.Version - 1 (0: not stored yet). Throws <see cref="StaleVersionException"/>.</summary>
    Task SaveAsync(string tenant, BusinessSettings updated, CancellationToken ct);
}

/// <summary>Settings live in the invoices table so finalizing can advance the counter in the same transaction as the invoice.</summary>
public sealed class DynamoDbSettingsStore(IAmazonDynamoDB dynamo, string invoicesTable) : ISettingsStore
{
    public async Task<BusinessSettings> GetAsync(string tenant, CancellationToken ct)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest { TableName = invoicesTable, Key = Key(ItemMapping.SettingsId(tenant)), ConsistentRead = true }, ct);
        return response.Item is { Count: > 0 } item ? ItemMapping.ToSettings(item) : BusinessSettings.Defaults;
    }

    public async Task SaveAsync(string tenant, BusinessSettings updated, CancellationToken ct)
    {
        var expected = updated.Version - 1;
        var request = new PutItemRequest
        {
            TableName = invoicesTable,
            Item = ItemMapping.ToItem(tenant, updated),
            // The item's key is the tenant's (settings#{tenant}); its tenant attribute must say so too, as for every write.
            ConditionExpression = expected == 0 ? "attribute_not_exists(id)" : "version = :expected AND tenant = :tenant",
            ExpressionAttributeValues = expected == 0 ? null : new() { [":expected"] = N(expected), [":tenant"] = S(tenant) },
        };
        if (!await RetrySafeWrites.PutAsync(dynamo, request, ct)) throw new StaleVersionException("Your settings");
    }
}
