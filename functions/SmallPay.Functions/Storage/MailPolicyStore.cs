using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SmallPay.Domain.Documents;
using static SmallPay.Functions.Storage.Attributes;

namespace SmallPay.Functions.Storage;

/// <summary>What decides whether a business may e-mail someone: its standing against the daily limit, and the addresses it may no longer send to.</summary>
public interface IMailPolicyStore
{
    Task<SendingStanding> StandingAsync(string business, DateOnly day, CancellationToken ct);
    /// <summary>Which of <paramref name="addresses"/> are on the business's suppression list (compared case-insensitively).</summary>
    Task<IReadOnlySet<string>> SuppressedAsync(string business, IEnumerable<string> addresses, CancellationToken ct);
    /// <summary>Puts the address on the business's suppression list (a hard bounce, a complaint, a permanent refusal).</summary>
    Task SuppressAsync(string business, string address, string reason, DateTimeOffset at, CancellationToken ct);
}

/// <summary>
/// In the invoices table: the day's counter (<see cref="SendingQuota"/>), the operator's limit for a business
/// (<c>limits#{business}</c>, attribute <c>dailyRecipients</c>: set with the AWS CLI, see the README), whether it has been
/// paid (its dashboard summary's <c>count:Paid</c>), and the suppression list (<c>suppressed#{business}#{address}</c>).
/// </summary>
public sealed class DynamoDbMailPolicyStore(IAmazonDynamoDB dynamo, string table) : IMailPolicyStore
{
    public async Task<SendingStanding> StandingAsync(string business, DateOnly day, CancellationToken ct)
    {
        var response = await dynamo.BatchGetItemAsync(new BatchGetItemRequest
        {
            RequestItems = new()
            {
                [table] = new KeysAndAttributes
                {
                    Keys = [Key($"limits#{business}"), Key(ItemMapping.SummaryId(business)), Key(SendingQuota.CounterId(business, day))],
                    ConsistentRead = true,
                },
            },
        }, ct);
        var items = (response.Responses?.GetValueOrDefault(table) ?? []).ToDictionary(i => i.GetString("id") ?? "", StringComparer.Ordinal);
        var limit = items.GetValueOrDefault($"limits#{business}")?.GetInt("dailyRecipients");
        var paid = items.GetValueOrDefault(ItemMapping.SummaryId(business)) is { } summary && summary.GetDecimal("count:Paid") > 0;
        var used = (int)(items.GetValueOrDefault(SendingQuota.CounterId(business, day))?.GetLong("sent") ?? 0);
        return new SendingStanding(limit, paid, used);
    }

    public async Task<IReadOnlySet<string>> SuppressedAsync(string business, IEnumerable<string> addresses, CancellationToken ct)
    {
        var keys = addresses.Select(a => a.Trim().ToLowerInvariant()).Distinct().ToList();
        if (keys.Count == 0) return new HashSet<string>();
        var response = await dynamo.BatchGetItemAsync(new BatchGetItemRequest
        {
            RequestItems = new() { [table] = new KeysAndAttributes { Keys = keys.Select(a => Key(SuppressionId(business, a))).ToList(), ConsistentRead = true } },
        }, ct);
        return (response.Responses?.GetValueOrDefault(table) ?? []).Select(i => i.GetString("address") ?? "").ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    public Task SuppressAsync(string business, string address, string reason, DateTimeOffset at, CancellationToken ct) =>
        dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = table,
            Item = new()
            {
                ["id"] = S(SuppressionId(business, address.Trim().ToLowerInvariant())), ["entity"] = S("Suppression"),
                ["business"] = S(business), ["address"] = S(address.Trim().ToLowerInvariant()),
                ["reason"] = S(reason.Length > 500 ? reason[..500] : reason), ["at"] = Time(at),
            },
        }, ct);

    private static string SuppressionId(string business, string address) => $"suppressed#{business}#{address}";
}
