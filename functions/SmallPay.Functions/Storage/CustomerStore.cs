using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SmallPay.Domain.Customers;
using static SmallPay.Functions.Storage.Attributes;

namespace SmallPay.Functions.Storage;

public interface ICustomerStore
{
    Task<Customer?> GetAsync(string tenant, string id, CancellationToken ct);
    /// <summary>Throws <see cref="DuplicateEmailException"/>.</summary>
    Task CreateAsync(Customer customer, CancellationToken ct);
    /// <summary>Writes the details if the stored version is updated.Version - 1. Throws <see cref="StaleVersionException"/>, <see cref="DuplicateEmailException"/>.</summary>
    Task UpdateAsync(Customer updated, string? previousEmail, CancellationToken ct);
    /// <summary>Throws <see cref="CustomerInUseException"/>, <see cref="StaleVersionException"/>.</summary>
    Task DeleteAsync(Customer customer, CancellationToken ct);
    Task<Page<Customer>> ListAsync(string tenant, string? search, int limit, string? cursor, CancellationToken ct);

    /// <summary>Every customer of the tenant, by name (the CSV export): pages of <see cref="ListAsync"/>, one query each.</summary>
    async IAsyncEnumerable<Customer> AllAsync(string tenant, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        string? cursor = null;
        do
        {
            var page = await ListAsync(tenant, null, 100, cursor, ct);
            foreach (var customer in page.Items) yield return customer;
            cursor = page.NextCursor;
        } while (cursor is not null);
    }

    /// <summary>
    /// The id of the tenant's customer with this e-mail address (any case), or null: the import's preview. This default
    /// looks through <see cref="AllAsync"/>; the DynamoDB store reads the e-mail claim (one GetItem).
    /// </summary>
    async Task<string?> IdByEmailAsync(string tenant, string email, CancellationToken ct)
    {
        var wanted = Customer.NormalizeEmail(email);
        await foreach (var customer in AllAsync(tenant, ct))
            if (Customer.NormalizeEmail(customer.Details.Email) == wanted) return customer.Id;
        return null;
    }
}

/// <summary>
/// Customers keyed by id, listed by name through the creator GSI. E-mail uniqueness per tenant is kept by a claim item
/// written in the same transaction as the customer.
/// </summary>
public sealed class DynamoDbCustomerStore(IAmazonDynamoDB dynamo, string customersTable) : ICustomerStore
{
    public async Task<Customer?> GetAsync(string tenant, string id, CancellationToken ct)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest { TableName = customersTable, Key = Key(id), ConsistentRead = true }, ct);
        var item = response.Item;
        return item is { Count: > 0 } && item.GetString("entity") == ItemMapping.EntityCustomer && item.GetString("creator") == tenant
            ? ItemMapping.ToCustomer(item)
            : null;
    }

    public async Task CreateAsync(Customer customer, CancellationToken ct)
    {
        var item = ItemMapping.DetailsAttributes(customer.Details);
        item["id"] = S(customer.Id);
        item["entity"] = S(ItemMapping.EntityCustomer);
        item["creator"] = S(customer.Tenant);
        item["sortKey"] = S($"{item["sortKey"].S}#{customer.Id}");
        item["version"] = N(customer.Version);
        item["invoiceCount"] = N(0);
        item["createdAt"] = Time(customer.CreatedAt);
        item["updatedAt"] = Time(customer.UpdatedAt);
        item.PutIfPresent("updatedBy", customer.UpdatedBy);

        var writes = new List<TransactWriteItem> { new() { Put = new Put { TableName = customersTable, Item = item, ConditionExpression = "attribute_not_exists(id)" } } };
        if (Customer.NormalizeEmail(customer.Details.Email) is { } email) writes.Add(ClaimEmail(customer.Tenant, email, customer.Id));
        await TransactAsync(writes, $"Customer {customer.Details.Name}", ct);
    }

    public async Task UpdateAsync(Customer updated, string? previousEmail, CancellationToken ct)
    {
        var details = ItemMapping.DetailsAttributes(updated.Details);
        details["sortKey"] = S($"{details["sortKey"].S}#{updated.Id}");
        details["updatedAt"] = Time(updated.UpdatedAt);
        details.PutIfPresent("updatedBy", updated.UpdatedBy);
        details["version"] = N(updated.Version);
        var names = new Dictionary<string, string>();
        var values = new Dictionary<string, AttributeValue> { [":expected"] = N(updated.Version - 1), [":tenant"] = S(updated.Tenant) };
        var sets = new List<string>();
        foreach (var (name, value) in details)
        {
            names[$"#{name}"] = name;
            values[$":{name}"] = value;
            sets.Add($"#{name} = :{name}");
        }
        // Optional fields the owner cleared are removed; invoiceCount is never touched here (invoice writes own it).
        var removes = new[] { "email", "phone", "taxId", "address", "language", "remindersOff" }.Where(n => !details.ContainsKey(n)).ToList();
        foreach (var name in removes) names[$"#{name}"] = name;
        var expression = "SET " + string.Join(", ", sets) + (removes.Count > 0 ? " REMOVE " + string.Join(", ", removes.Select(n => $"#{n}")) : "");

        var writes = new List<TransactWriteItem>
        {
            new()
            {
                Update = new Update
                {
                    TableName = customersTable, Key = Key(updated.Id), UpdateExpression = expression,
                    ConditionExpression = "version = :expected AND creator = :tenant",
                    ExpressionAttributeNames = names, ExpressionAttributeValues = values,
                },
            },
        };
        var oldEmail = Customer.NormalizeEmail(previousEmail);
        var newEmail = Customer.NormalizeEmail(updated.Details.Email);
        if (oldEmail != newEmail)
        {
            if (oldEmail is not null) writes.Add(new() { Delete = new Delete { TableName = customersTable, Key = Key(EmailClaimId(updated.Tenant, oldEmail)) } });
            if (newEmail is not null) writes.Add(ClaimEmail(updated.Tenant, newEmail, updated.Id));
        }
        await TransactAsync(writes, $"Customer {updated.Details.Name}", ct);
    }

    public async Task DeleteAsync(Customer customer, CancellationToken ct)
    {
        var writes = new List<TransactWriteItem>
        {
            new()
            {
                Delete = new Delete
                {
                    TableName = customersTable, Key = Key(customer.Id),
                    ConditionExpression = "version = :v AND creator = :tenant AND (attribute_not_exists(invoiceCount) OR invoiceCount = :zero)",
                    ExpressionAttributeValues = new() { [":v"] = N(customer.Version), [":tenant"] = S(customer.Tenant), [":zero"] = N(0) },
                },
            },
        };
        if (Customer.NormalizeEmail(customer.Details.Email) is { } email)
            writes.Add(new() { Delete = new Delete { TableName = customersTable, Key = Key(EmailClaimId(customer.Tenant, email)) } });
        try
        {
            await TransactAsync(writes, $"Customer {customer.Details.Name}", ct);
        }
        catch (StaleVersionException)
        {
            // Tell "still has invoices" apart from "changed meanwhile" by looking again.
            var current = await GetAsync(customer.Tenant, customer.Id, ct);
            if (current is { InvoiceCount: > 0 }) throw new CustomerInUseException(current.InvoiceCount);
            throw;
        }
    }

    public async Task<Page<Customer>> ListAsync(string tenant, string? search, int limit, string? cursor, CancellationToken ct)
    {
        var request = new QueryRequest
        {
            TableName = customersTable, IndexName = "creator",
            KeyConditionExpression = "#creator = :tenant",
            FilterExpression = search is null ? null : "contains(searchText, :q)",
            ExpressionAttributeNames = new() { ["#creator"] = "creator" },
            ExpressionAttributeValues = new() { [":tenant"] = S(tenant) },
        };
        if (search is not null) request.ExpressionAttributeValues[":q"] = S(search.ToLowerInvariant());
        return await Paging.QueryPageAsync(dynamo, request, tenant, limit, cursor, "cus_", ItemMapping.ToCustomer, ct);
    }

    public async Task<string?> IdByEmailAsync(string tenant, string email, CancellationToken ct)
    {
        if (Customer.NormalizeEmail(email) is not { } normalized) return null;
        var response = await dynamo.GetItemAsync(new GetItemRequest { TableName = customersTable, Key = Key(EmailClaimId(tenant, normalized)), ConsistentRead = true }, ct);
        return response.Item is { Count: > 0 } item ? item.GetString("customerId") : null;
    }

    private TransactWriteItem ClaimEmail(string tenant, string email, string customerId) => new()
    {
        Put = new Put
        {
            TableName = customersTable,
            Item = new() { ["id"] = S(EmailClaimId(tenant, email)), ["entity"] = S("EmailClaim"), ["customerId"] = S(customerId) },
            ConditionExpression = "attribute_not_exists(id)",
        },
    };

    private static string EmailClaimId(string tenant, string email) => $"email#{tenant}#{email}";

    private async Task TransactAsync(List<TransactWriteItem> writes, string what, CancellationToken ct)
    {
        if (await RetrySafeWrites.TransactAsync(dynamo, writes, ct) is not { } reasons) return;
        var customerFailed = reasons.FirstOrDefault()?.Code == "ConditionalCheckFailed";
        if (customerFailed && writes[0].Put is not null) throw new AlreadyExistsException();
        var claimFailed = reasons.Skip(1).Any(r => r.Code == "ConditionalCheckFailed") && writes.Skip(1).Any(w => w.Put is not null);
        if (!customerFailed && claimFailed) throw new DuplicateEmailException();
        throw new StaleVersionException(what);
    }
}
