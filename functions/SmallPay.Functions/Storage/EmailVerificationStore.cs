using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SmallPay.Domain.Settings;
using static SmallPay.Functions.Storage.Attributes;

namespace SmallPay.Functions.Storage;

/// <summary>
/// The code that proves a business owns the address in its settings: one at a time per business, mailed by the worker,
/// valid for <see cref="EmailCode.Lifetime"/> and <see cref="EmailCode.MaxAttempts"/> wrong tries.
/// </summary>
/// <param name="RequestId">Which request issued it: a new request replaces the code, and the worker mails each request once.</param>
public sealed record EmailCode(string Business, string Email, string Code, string RequestId, DateTimeOffset ExpiresAt, int Attempts, string? MailedRequestId)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);
    public const int MaxAttempts = 5;

    public static string ItemId(string business) => $"emailcode#{business}";
}

/// <summary>The API's side: issue a code (counted against the daily sending limit), read it, count a wrong try, confirm it.</summary>
public interface IEmailVerificationStore
{
    /// <summary>Stores <paramref name="code"/> in place of any earlier one and counts its one recipient. Throws SendingLimitException.</summary>
    Task IssueAsync(EmailCode code, SendingQuota quota, CancellationToken ct);
    Task<EmailCode?> GetAsync(string business, CancellationToken ct);
    /// <summary>Counts a wrong try of this very code (false: it was replaced or used meanwhile).</summary>
    Task<bool> CountWrongAsync(string business, string requestId, CancellationToken ct);
    /// <summary>Saves <paramref name="verified"/> (its version one above what was read) and removes the code, together. Throws StaleVersionException.</summary>
    Task ConfirmAsync(string business, string requestId, BusinessSettings verified, CancellationToken ct);
}

/// <summary>The worker's side: take the code's e-mail, record it went, or give it back after a transient failure.</summary>
public interface IEmailCodeOutbox
{
    Task<EmailCode?> GetAsync(string business, CancellationToken ct);
    Task<bool> ClaimAsync(string business, string requestId, DateTimeOffset lease, DateTimeOffset now, CancellationToken ct);
    Task CompleteAsync(string business, string requestId, CancellationToken ct);
    Task ReleaseAsync(string business, string requestId, CancellationToken ct);
}

/// <summary>
/// <c>emailcode#{business}</c> in the invoices table (entity EmailCode). The API writes it with changedBy "api", which is
/// what DocumentsPipe forwards; its wrong-try counts ("confirm") and the worker's claims ("worker") are not forwarded. The
/// table's TTL removes it after it expired.
/// </summary>
public sealed class DynamoDbEmailVerificationStore(IAmazonDynamoDB dynamo, string table) : IEmailVerificationStore, IEmailCodeOutbox
{
    public const string Entity = "EmailCode";

    public async Task IssueAsync(EmailCode code, SendingQuota quota, CancellationToken ct)
    {
        var items = new List<TransactWriteItem>
        {
            new()
            {
                Put = new Put
                {
                    TableName = table,
                    Item = new()
                    {
                        ["id"] = S(EmailCode.ItemId(code.Business)),
                        ["entity"] = S(Entity),
                        ["tenant"] = S(code.Business),
                        ["email"] = S(code.Email),
                        ["code"] = S(code.Code),
                        ["requestId"] = S(code.RequestId),
                        ["attempts"] = N(0),
                        ["expiresAt"] = N(code.ExpiresAt.ToUnixTimeSeconds()),
                        ["changedBy"] = S(ItemMapping.ChangedByApi),
                    },
                    // Only ever this business's code under this business's key.
                    ConditionExpression = "attribute_not_exists(id) OR tenant = :tenant",
                    ExpressionAttributeValues = new() { [":tenant"] = S(code.Business) },
                },
            },
            quota.Reserve(table),
        };
        if (await RetrySafeWrites.TransactAsync(dynamo, items, ct) is not { } reasons) return;
        if (reasons.Count > 1 && reasons[1].Code == "ConditionalCheckFailed") throw quota.Exceeded(reasons[1].Item);
        throw new StaleVersionException("The verification code");
    }

    async Task<EmailCode?> IEmailVerificationStore.GetAsync(string business, CancellationToken ct) => await ReadAsync(business, ct);

    async Task<EmailCode?> IEmailCodeOutbox.GetAsync(string business, CancellationToken ct) => await ReadAsync(business, ct);

    private async Task<EmailCode?> ReadAsync(string business, CancellationToken ct)
    {
        var item = (await dynamo.GetItemAsync(new GetItemRequest { TableName = table, Key = Key(EmailCode.ItemId(business)), ConsistentRead = true }, ct)).Item;
        if (item is not { Count: > 0 } || item.GetString("entity") != Entity || item.GetString("tenant") != business) return null;
        return new EmailCode(business, item.GetString("email") ?? "", item.GetString("code") ?? "", item.GetString("requestId") ?? "",
            DateTimeOffset.FromUnixTimeSeconds(item.GetLong("expiresAt")), item.GetInt("attempts") ?? 0, item.GetString("mailedRequestId"));
    }

    public Task<bool> CountWrongAsync(string business, string requestId, CancellationToken ct) =>
        RetrySafeWrites.UpdateAsync(dynamo, new UpdateItemRequest
        {
            TableName = table, Key = Key(EmailCode.ItemId(business)),
            UpdateExpression = "ADD attempts :one SET changedBy = :confirm",
            ConditionExpression = "requestId = :request AND tenant = :tenant",
            ExpressionAttributeValues = new() { [":one"] = N(1), [":confirm"] = S("confirm"), [":request"] = S(requestId), [":tenant"] = S(business) },
        }, ct);

    public async Task ConfirmAsync(string business, string requestId, BusinessSettings verified, CancellationToken ct)
    {
        var expected = verified.Version - 1;
        var items = new List<TransactWriteItem>
        {
            new()
            {
                Put = new Put
                {
                    TableName = table,
                    Item = ItemMapping.ToItem(business, verified),
                    ConditionExpression = expected == 0 ? "attribute_not_exists(id)" : "version = :expected AND tenant = :tenant",
                    ExpressionAttributeValues = expected == 0 ? null : new() { [":expected"] = N(expected), [":tenant"] = S(business) },
                },
            },
            new()
            {
                Delete = new Delete
                {
                    TableName = table, Key = Key(EmailCode.ItemId(business)),
                    ConditionExpression = "requestId = :request AND tenant = :tenant",
                    ExpressionAttributeValues = new() { [":request"] = S(requestId), [":tenant"] = S(business) },
                },
            },
        };
        if (await RetrySafeWrites.TransactAsync(dynamo, items, ct) is not null) throw new StaleVersionException("Your settings");
    }

    public Task<bool> ClaimAsync(string business, string requestId, DateTimeOffset lease, DateTimeOffset now, CancellationToken ct) =>
        RetrySafeWrites.UpdateAsync(dynamo, new UpdateItemRequest
        {
            TableName = table, Key = Key(EmailCode.ItemId(business)),
            UpdateExpression = "SET mailLease = :lease, changedBy = :worker",
            ConditionExpression = "requestId = :request AND (attribute_not_exists(mailedRequestId) OR mailedRequestId <> :request) " +
                                  "AND (attribute_not_exists(mailLease) OR mailLease < :now)",
            ExpressionAttributeValues = new()
            {
                [":lease"] = N(lease.ToUnixTimeMilliseconds()), [":now"] = N(now.ToUnixTimeMilliseconds()),
                [":request"] = S(requestId), [":worker"] = S(ItemMapping.ChangedByWorker),
            },
        }, ct);

    public async Task CompleteAsync(string business, string requestId, CancellationToken ct) =>
        await RetrySafeWrites.UpdateAsync(dynamo, new UpdateItemRequest
        {
            TableName = table, Key = Key(EmailCode.ItemId(business)),
            UpdateExpression = "SET mailedRequestId = :request, changedBy = :worker REMOVE mailLease",
            ConditionExpression = "requestId = :request",
            ExpressionAttributeValues = new() { [":request"] = S(requestId), [":worker"] = S(ItemMapping.ChangedByWorker) },
        }, ct);

    public async Task ReleaseAsync(string business, string requestId, CancellationToken ct) =>
        await RetrySafeWrites.UpdateAsync(dynamo, new UpdateItemRequest
        {
            TableName = table, Key = Key(EmailCode.ItemId(business)),
            UpdateExpression = "SET changedBy = :worker REMOVE mailLease",
            ConditionExpression = "requestId = :request",
            ExpressionAttributeValues = new() { [":request"] = S(requestId), [":worker"] = S(ItemMapping.ChangedByWorker) },
        }, ct);
}
