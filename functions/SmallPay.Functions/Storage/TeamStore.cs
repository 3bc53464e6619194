using System.Security.Cryptography;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SmallPay.Domain.Teams;
using static SmallPay.Functions.Storage.Attributes;

namespace SmallPay.Functions.Storage;

public interface ITeamStore
{
    /// <summary>The user's role in the business, or null when they are not a member (every user owns the business whose id is their sub).</summary>
    Task<Role?> RoleOfAsync(string business, string user, CancellationToken ct);
    Task<IReadOnlyList<Membership>> MembersAsync(string business, CancellationToken ct);
    /// <summary>The businesses the user belongs to besides their own.</summary>
    Task<IReadOnlyList<Membership>> MembershipsAsync(string user, CancellationToken ct);
    /// <summary>The business the app opens for the user (set when they accept an invitation); null = their own.</summary>
    Task<string?> DefaultBusinessAsync(string user, CancellationToken ct);
    Task SetDefaultBusinessAsync(string user, string business, CancellationToken ct);
    /// <summary>
    /// Gives the member <paramref name="role"/> if their membership is still at <paramref name="expectedVersion"/>.
    /// Throws <see cref="NotFoundException"/> when the user is not a member, <see cref="StaleVersionException"/> when it changed.
    /// </summary>
    Task ChangeRoleAsync(string business, string user, Role role, long expectedVersion, CancellationToken ct);
    /// <summary>Throws <see cref="NotFoundException"/> when the user is not a member.</summary>
    Task RemoveAsync(string business, string user, CancellationToken ct);

    /// <summary>
    /// Stores the invitation with its link's secret, which the document worker mails and then removes; its e-mail counts
    /// against <paramref name="quota"/> when given (throws <see cref="SendingLimitException"/>).
    /// </summary>
    Task CreateInvitationAsync(Invitation invitation, string token, CancellationToken ct, SendingQuota? quota = null);
    Task<IReadOnlyList<Invitation>> InvitationsAsync(string business, CancellationToken ct);
    Task<Invitation?> InvitationAsync(string id, CancellationToken ct);
    /// <summary>Revokes a pending invitation of the business; false when there is none (accepted, revoked, another business's).</summary>
    Task<bool> RevokeInvitationAsync(string business, string id, CancellationToken ct);
    /// <summary>
    /// Atomically: the invitation becomes accepted (if still pending and valid at <paramref name="now"/>), the user becomes a
    /// member with its role, and the business becomes the user's default. False when the invitation was used, revoked or
    /// expired meanwhile; throws <see cref="AlreadyExistsException"/> when the user is a member already.
    /// </summary>
    Task<bool> AcceptInvitationAsync(Invitation invitation, Membership membership, DateTimeOffset now, CancellationToken ct);
}

/// <summary>
/// Memberships and invitations in the invoices table, next to the business's data. A membership is two items written
/// together, one listed under the business (<c>member#{business}#{user}</c>, ranked in <c>members#{business}</c>) and one
/// under the user (<c>membership#{user}#{business}</c>, in <c>memberships#{user}</c>), so both lists are one query on the
/// "rank" index. Invitations are <c>invitation#{id}</c>, where the id is derived from the hash of the link's secret: the
/// secret itself is never stored.
/// </summary>
public sealed class DynamoDbTeamStore(IAmazonDynamoDB dynamo, string table) : ITeamStore, SmallPay.Functions.Documents.IInvitationOutbox
{
    async Task<SmallPay.Functions.Documents.InvitationMail?> SmallPay.Functions.Documents.IInvitationOutbox.LoadAsync(string invitationId, CancellationToken ct)
    {
        var item = (await dynamo.GetItemAsync(new GetItemRequest { TableName = table, Key = Key(InvitationId(invitationId)), ConsistentRead = true }, ct)).Item;
        return item is { Count: > 0 } && item.GetString("entity") == "Invitation"
            ? new SmallPay.Functions.Documents.InvitationMail(ToInvitation(item), item.GetString("token"), item.GetTime("mailedAt"))
            : null;
    }

    Task<bool> SmallPay.Functions.Documents.IInvitationOutbox.ClaimAsync(string invitationId, DateTimeOffset lease, DateTimeOffset now, CancellationToken ct) =>
        RetrySafeWrites.UpdateAsync(dynamo, new UpdateItemRequest
        {
            TableName = table, Key = Key(InvitationId(invitationId)),
            UpdateExpression = "SET mailLease = :lease, changedBy = :worker",
            ConditionExpression = "attribute_exists(id) AND attribute_not_exists(mailedAt) AND (attribute_not_exists(mailLease) OR mailLease < :now)",
            ExpressionAttributeValues = new() { [":lease"] = N(lease.ToUnixTimeMilliseconds()), [":now"] = N(now.ToUnixTimeMilliseconds()), [":worker"] = S(ItemMapping.ChangedByWorker) },
        }, ct);

    async Task SmallPay.Functions.Documents.IInvitationOutbox.CompleteAsync(string invitationId, DateTimeOffset at, string? failure, CancellationToken ct)
    {
        var values = new Dictionary<string, AttributeValue> { [":at"] = Time(at), [":worker"] = S(ItemMapping.ChangedByWorker) };
        var update = "SET mailedAt = :at, changedBy = :worker";
        if (failure is not null) { values[":failure"] = S(failure.Length > 500 ? failure[..500] : failure); update += ", mailFailure = :failure"; }
        await dynamo.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table, Key = Key(InvitationId(invitationId)),
            UpdateExpression = update + " REMOVE #token, mailLease",
            ConditionExpression = "attribute_exists(id)",
            ExpressionAttributeNames = new() { ["#token"] = "token" },
            ExpressionAttributeValues = values,
        }, ct);
    }

    Task SmallPay.Functions.Documents.IInvitationOutbox.ReleaseAsync(string invitationId, CancellationToken ct) =>
        dynamo.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table, Key = Key(InvitationId(invitationId)),
            UpdateExpression = "SET mailLease = :released, changedBy = :worker",
            ConditionExpression = "attribute_exists(id)",
            ExpressionAttributeValues = new() { [":released"] = N(0), [":worker"] = S(ItemMapping.ChangedByWorker) },
        }, ct);

    public async Task<Role?> RoleOfAsync(string business, string user, CancellationToken ct)
    {
        if (business == user) return Role.Owner;
        var item = (await dynamo.GetItemAsync(new GetItemRequest { TableName = table, Key = Key(MemberId(business, user)), ConsistentRead = true }, ct)).Item;
        return item is { Count: > 0 } && Roles.TryParse(item.GetString("role"), out var role) ? role : null;
    }

    public async Task<IReadOnlyList<Membership>> MembersAsync(string business, CancellationToken ct) =>
        (await RankedAsync($"members#{business}", ct)).Select(ToMembership).ToList();

    public async Task<IReadOnlyList<Membership>> MembershipsAsync(string user, CancellationToken ct) =>
        (await RankedAsync($"memberships#{user}", ct)).Select(ToMembership).ToList();

    public async Task<string?> DefaultBusinessAsync(string user, CancellationToken ct) =>
        (await dynamo.GetItemAsync(new GetItemRequest { TableName = table, Key = Key(UserId(user)), ConsistentRead = true }, ct)).Item?.GetString("defaultBusiness");

    public Task SetDefaultBusinessAsync(string user, string business, CancellationToken ct) =>
        dynamo.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table, Key = Key(UserId(user)),
            UpdateExpression = "SET entity = :user, defaultBusiness = :business",
            ExpressionAttributeValues = new() { [":user"] = S("User"), [":business"] = S(business) },
        }, ct);

    public async Task ChangeRoleAsync(string business, string user, Role role, long expectedVersion, CancellationToken ct)
    {
        var items = new List<TransactWriteItem>
        {
            SetRole(MemberId(business, user), role, expectedVersion),
            SetRole(MembershipId(user, business), role, null),
        };
        if (await RetrySafeWrites.TransactAsync(dynamo, items, ct) is { } reasons)
        {
            var current = reasons.FirstOrDefault()?.Item;
            throw current is { Count: > 0 } ? new StaleVersionException($"Member {current.GetString("email") ?? user}") : new NotFoundException("This member");
        }
    }

    public async Task RemoveAsync(string business, string user, CancellationToken ct)
    {
        var items = new List<TransactWriteItem>
        {
            new() { Delete = new Delete { TableName = table, Key = Key(MemberId(business, user)), ConditionExpression = "attribute_exists(id)" } },
            new() { Delete = new Delete { TableName = table, Key = Key(MembershipId(user, business)) } },
        };
        if (await RetrySafeWrites.TransactAsync(dynamo, items, ct) is not null) throw new NotFoundException("This member");
    }

    public async Task CreateInvitationAsync(Invitation invitation, string token, CancellationToken ct, SendingQuota? quota = null)
    {
        var item = ToItem(invitation);
        item["token"] = S(token);
        var items = new List<TransactWriteItem> { new() { Put = new Put { TableName = table, Item = item, ConditionExpression = "attribute_not_exists(id)" } } };
        if (quota is not null) items.Add(quota.Reserve(table));
        if (await RetrySafeWrites.TransactAsync(dynamo, items, ct) is not { } reasons) return;
        if (quota is not null && reasons.Count > 1 && reasons[1].Code == "ConditionalCheckFailed") throw quota.Exceeded(reasons[1].Item);
        throw new AlreadyExistsException();
    }

    public async Task<IReadOnlyList<Invitation>> InvitationsAsync(string business, CancellationToken ct) =>
        (await RankedAsync($"invitations#{business}", ct)).Select(ToInvitation).ToList();

    public async Task<Invitation?> InvitationAsync(string id, CancellationToken ct)
    {
        var item = (await dynamo.GetItemAsync(new GetItemRequest { TableName = table, Key = Key(InvitationId(id)), ConsistentRead = true }, ct)).Item;
        return item is { Count: > 0 } && item.GetString("entity") == "Invitation" ? ToInvitation(item) : null;
    }

    public Task<bool> RevokeInvitationAsync(string business, string id, CancellationToken ct) =>
        RetrySafeWrites.UpdateAsync(dynamo, new UpdateItemRequest
        {
            TableName = table, Key = Key(InvitationId(id)),
            UpdateExpression = "SET #status = :revoked",
            ConditionExpression = "business = :business AND #status = :pending",
            ExpressionAttributeNames = new() { ["#status"] = "status" },
            ExpressionAttributeValues = new() { [":revoked"] = S(nameof(InvitationStatus.Revoked)), [":pending"] = S(nameof(InvitationStatus.Pending)), [":business"] = S(business) },
        }, ct);

    public async Task<bool> AcceptInvitationAsync(Invitation invitation, Membership membership, DateTimeOffset now, CancellationToken ct)
    {
        var items = new List<TransactWriteItem>
        {
            new()
            {
                Update = new Update
                {
                    TableName = table, Key = Key(InvitationId(invitation.Id)),
                    UpdateExpression = "SET #status = :accepted, acceptedAt = :now, acceptedBy = :user",
                    ConditionExpression = "#status = :pending AND validUntil > :nowSeconds",
                    ExpressionAttributeNames = new() { ["#status"] = "status" },
                    ExpressionAttributeValues = new()
                    {
                        [":accepted"] = S(nameof(InvitationStatus.Accepted)), [":pending"] = S(nameof(InvitationStatus.Pending)),
                        [":now"] = Time(now), [":nowSeconds"] = N(now.ToUnixTimeSeconds()), [":user"] = S(membership.User),
                    },
                },
            },
            new() { Put = new Put { TableName = table, Item = ToItem(membership, forBusiness: true), ConditionExpression = "attribute_not_exists(id)" } },
            new() { Put = new Put { TableName = table, Item = ToItem(membership, forBusiness: false) } },
            new()
            {
                Update = new Update
                {
                    TableName = table, Key = Key(UserId(membership.User)),
                    UpdateExpression = "SET entity = :entity, defaultBusiness = :business",
                    ExpressionAttributeValues = new() { [":entity"] = S("User"), [":business"] = S(membership.Business) },
                },
            },
        };
        var reasons = await RetrySafeWrites.TransactAsync(dynamo, items, ct);
        if (reasons is null) return true;
        if (reasons.Count > 1 && reasons[1].Code == "ConditionalCheckFailed") throw new AlreadyExistsException();
        return false;
    }

    /// <summary>An invitation's id from its link's secret: a hash, so the stored id cannot be turned back into the link.</summary>
    public static string InvitationIdOf(string token)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(token), hash);
        return SmallPay.Domain.Ids.FromSeed("ivt", Convert.ToHexString(hash));
    }

    private async Task<List<Dictionary<string, AttributeValue>>> RankedAsync(string ranking, CancellationToken ct)
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await dynamo.QueryAsync(new QueryRequest
            {
                TableName = table, IndexName = "rank",
                KeyConditionExpression = "rankedIn = :ranking",
                ExpressionAttributeValues = new() { [":ranking"] = S(ranking) },
                ExclusiveStartKey = start,
            }, ct);
            items.AddRange(response.Items ?? []);
            start = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        } while (start is not null);
        return items;
    }

    private TransactWriteItem SetRole(string id, Role role, long? expectedVersion)
    {
        var values = new Dictionary<string, AttributeValue> { [":role"] = S(role.ToString()), [":one"] = N(1) };
        if (expectedVersion is { } expected) values[":expected"] = N(expected);
        return new()
        {
            Update = new Update
            {
                TableName = table, Key = Key(id),
                UpdateExpression = "SET #role = :role ADD #version :one",
                ConditionExpression = expectedVersion is null ? "attribute_exists(id)" : "attribute_exists(id) AND #version = :expected",
                ExpressionAttributeNames = new() { ["#role"] = "role", ["#version"] = "version" },
                ExpressionAttributeValues = values,
                ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
            },
        };
    }

    private static string MemberId(string business, string user) => $"member#{business}#{user}";
    private static string MembershipId(string user, string business) => $"membership#{user}#{business}";
    private static string UserId(string user) => $"user#{user}";
    private static string InvitationId(string id) => $"invitation#{id}";

    private static Dictionary<string, AttributeValue> ToItem(Membership membership, bool forBusiness)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["id"] = S(forBusiness ? MemberId(membership.Business, membership.User) : MembershipId(membership.User, membership.Business)),
            ["entity"] = S(forBusiness ? "Member" : "Membership"),
            ["business"] = S(membership.Business),
            ["user"] = S(membership.User),
            ["role"] = S(membership.Role.ToString()),
            ["joinedAt"] = Time(membership.JoinedAt),
            ["rankedIn"] = S(forBusiness ? $"members#{membership.Business}" : $"memberships#{membership.User}"),
            ["rank"] = N(membership.JoinedAt.ToUnixTimeMilliseconds()),
            ["version"] = N(membership.Version),
        };
        item.PutIfPresent("email", membership.Email);
        item.PutIfPresent("addedBy", membership.AddedBy);
        item.PutIfPresent("businessName", membership.BusinessName);
        return item;
    }

    private static Membership ToMembership(Dictionary<string, AttributeValue> item) => new(
        item.RequireString("business"), item.RequireString("user"),
        Roles.TryParse(item.GetString("role"), out var role) ? role : Role.Accountant,
        item.GetString("email"), item.GetTime("joinedAt") ?? DateTimeOffset.UnixEpoch, item.GetString("addedBy"), item.GetString("businessName"),
        item.GetLong("version", 1));

    private static Dictionary<string, AttributeValue> ToItem(Invitation invitation) => new()
    {
        ["id"] = S(InvitationId(invitation.Id)),
        ["entity"] = S("Invitation"),
        ["invitationId"] = S(invitation.Id),
        ["business"] = S(invitation.Business),
        ["email"] = S(invitation.Email),
        ["role"] = S(invitation.Role.ToString()),
        ["createdAt"] = Time(invitation.CreatedAt),
        ["validUntil"] = N(invitation.ExpiresAt.ToUnixTimeSeconds()),
        // The table's TTL removes it a month after it could last be used.
        ["expiresAt"] = N(invitation.ExpiresAt.AddDays(30).ToUnixTimeSeconds()),
        ["invitedBy"] = S(invitation.InvitedBy),
        ["status"] = S(invitation.Status.ToString()),
        ["changedBy"] = S(ItemMapping.ChangedByApi),
        ["rankedIn"] = S($"invitations#{invitation.Business}"),
        ["rank"] = N(invitation.CreatedAt.ToUnixTimeMilliseconds()),
    };

    private static Invitation ToInvitation(Dictionary<string, AttributeValue> item) => new(
        item.RequireString("invitationId"), item.RequireString("business"), item.RequireString("email"),
        Roles.TryParse(item.GetString("role"), out var role) ? role : Role.Accountant,
        item.GetTime("createdAt") ?? DateTimeOffset.UnixEpoch,
        DateTimeOffset.FromUnixTimeSeconds(item.GetLong("validUntil")),
        item.GetString("invitedBy") ?? "",
        Enum.TryParse<InvitationStatus>(item.GetString("status"), out var status) ? status : InvitationStatus.Pending,
        item.GetTime("acceptedAt"), item.GetString("acceptedBy"));
}
