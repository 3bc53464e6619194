using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SmallPay.Domain.Links;
using static SmallPay.Functions.Storage.Attributes;

namespace SmallPay.Functions.Storage;

/// <summary>The customers' links (<c>link#{lnk_…}</c> items) and what their pages record on the document they show.</summary>
public interface IDocumentLinkStore
{
    /// <summary>Stores the link made for one e-mail; the same link again (a retried e-mail) changes nothing.</summary>
    Task CreateAsync(DocumentLink link, CancellationToken ct);

    Task<DocumentLink?> GetAsync(string linkId, CancellationToken ct);

    /// <summary>
    /// Records the link's first view, and the document's first view if it has none yet, in one write. False when the link
    /// was viewed before (nothing written): each link's first view is recorded exactly once, however many open it at once.
    /// </summary>
    Task<bool> RecordFirstViewAsync(DocumentLink link, DateTimeOffset at, CancellationToken ct);

    /// <summary>Refuses every link made until <paramref name="at"/> to this business's document; false when there is no such document.</summary>
    Task<bool> RevokeAsync(string business, LinkedDocumentKind kind, string documentId, DateTimeOffset at, CancellationToken ct);
}

/// <summary>
/// Links live in the invoices table as <c>link#{lnk_…}</c> (entity <c>DocumentLink</c>), expiring (TTL) 30 days after
/// they stop working. What the page records on the document (<c>viewedAt</c>, and the owner's <c>linksRevokedAt</c>) is
/// written with <c>changedBy = "customer-page"</c> and without touching <c>version</c>: no API write goes stale, and the
/// documents pipe (which forwards the API's changes only) does not render the invoice again.
/// </summary>
public sealed class DynamoDbDocumentLinkStore(IAmazonDynamoDB dynamo, string table) : IDocumentLinkStore
{
    public const string Entity = "DocumentLink";
    public const string ChangedByPage = "customer-page";

    public static string ItemId(string linkId) => $"link#{linkId}";

    /// <summary>The attribute naming a document's business: invoices keep it in <c>creator</c> (their GSI), quotes in <c>business</c>.</summary>
    public static string TenantAttribute(LinkedDocumentKind kind) => kind == LinkedDocumentKind.Invoice ? "creator" : "business";

    public async Task CreateAsync(DocumentLink link, CancellationToken ct)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["id"] = S(ItemId(link.Id)),
            ["entity"] = S(Entity),
            ["linkId"] = S(link.Id),
            ["business"] = S(link.Business),
            ["kind"] = S(link.Kind.ToString()),
            ["documentId"] = S(link.DocumentId),
            ["createdAt"] = Time(link.CreatedAt),
            ["validUntil"] = N(link.ValidUntil.ToUnixTimeSeconds()),
            ["expiresAt"] = N(link.ValidUntil.AddDays(30).ToUnixTimeSeconds()),
        };
        // Already there: this e-mail's earlier try made it (its id is the e-mail's).
        await RetrySafeWrites.PutAsync(dynamo, new PutItemRequest { TableName = table, Item = item, ConditionExpression = "attribute_not_exists(id)" }, ct);
    }

    public async Task<DocumentLink?> GetAsync(string linkId, CancellationToken ct)
    {
        var item = (await dynamo.GetItemAsync(new GetItemRequest { TableName = table, Key = Key(ItemId(linkId)), ConsistentRead = true }, ct)).Item;
        if (item is not { Count: > 0 } || item.GetString("entity") != Entity) return null;
        return new DocumentLink(item.RequireString("linkId"), item.RequireString("business"), Enum.Parse<LinkedDocumentKind>(item.RequireString("kind")),
            item.RequireString("documentId"), item.GetTime("createdAt")!.Value, DateTimeOffset.FromUnixTimeSeconds(item.GetLong("validUntil")),
            item.GetTime("viewedAt"));
    }

    public async Task<bool> RecordFirstViewAsync(DocumentLink link, DateTimeOffset at, CancellationToken ct)
    {
        var items = new List<TransactWriteItem>
        {
            new()
            {
                Update = new Update
                {
                    TableName = table,
                    Key = Key(ItemId(link.Id)),
                    UpdateExpression = "SET viewedAt = :at",
                    ConditionExpression = "attribute_exists(id) AND attribute_not_exists(viewedAt)",
                    ExpressionAttributeValues = new() { [":at"] = Time(at) },
                },
            },
            new()
            {
                Update = new Update
                {
                    TableName = table,
                    Key = Key(link.DocumentId),
                    UpdateExpression = "SET viewedAt = if_not_exists(viewedAt, :at), changedBy = :page",
                    ConditionExpression = "attribute_exists(id) AND #tenant = :business",
                    ExpressionAttributeNames = new() { ["#tenant"] = TenantAttribute(link.Kind) },
                    ExpressionAttributeValues = new() { [":at"] = Time(at), [":page"] = S(ChangedByPage), [":business"] = S(link.Business) },
                },
            },
        };
        return await RetrySafeWrites.TransactAsync(dynamo, items, ct) is null;
    }

    public async Task<bool> RevokeAsync(string business, LinkedDocumentKind kind, string documentId, DateTimeOffset at, CancellationToken ct) =>
        await RetrySafeWrites.UpdateAsync(dynamo, new UpdateItemRequest
        {
            TableName = table,
            Key = Key(documentId),
            UpdateExpression = "SET linksRevokedAt = :at, changedBy = :page",
            ConditionExpression = "attribute_exists(id) AND #tenant = :business",
            ExpressionAttributeNames = new() { ["#tenant"] = TenantAttribute(kind) },
            ExpressionAttributeValues = new() { [":at"] = Time(at), [":page"] = S(ChangedByPage), [":business"] = S(business) },
        }, ct);
}
