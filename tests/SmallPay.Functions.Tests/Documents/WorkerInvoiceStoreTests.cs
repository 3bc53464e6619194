using Amazon.DynamoDBv2.Model;
using SmallPay.Domain;
using SmallPay.Domain.Customers;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Functions.Storage;
using SmallPay.Functions.Tests.Infrastructure;

namespace SmallPay.Functions.Tests.Documents;

/// <summary>The worker's conditional writes and the API's update-only writes, against the local DynamoDB.</summary>
[Collection(LocalStackCollection.Name)]
public sealed class WorkerInvoiceStoreTests(LocalStackFixture stack)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    private string InvoicesTable => stack.FunctionEnvironment.Require("INVOICES_TABLE");
    private string CustomersTable => stack.FunctionEnvironment.Require("CUSTOMERS_TABLE");
    private DynamoDbInvoiceStore ApiStore => new(stack.DynamoDb, InvoicesTable, CustomersTable);
    private DynamoDbWorkerInvoiceStore WorkerStore => new(stack.DynamoDb, InvoicesTable);

    [Fact]
    public async Task CreateInvoice_starts_with_an_empty_deliveryResults_map_written_by_the_api()
    {
        var invoice = await CreateOpenAsync();

        var item = await RawAsync(invoice.Id);

        Assert.NotNull(item["deliveryResults"].M);
        Assert.Empty(item["deliveryResults"].M);
        Assert.Equal("api", item["changedBy"].S);
    }

    [Fact]
    public async Task Api_updates_keep_the_workers_document_and_delivery_results()
    {
        var open = await CreateOpenAsync();
        var sent = InvoiceDeliveries.Request(open, new DeliveryInput(), "dlv_keep", "Atelier", Now) with { Version = open.Version + 1 };
        await ApiStore.UpdateAsync(open, sent, CancellationToken.None);
        Assert.True(await WorkerStore.RecordDocumentAsync(open.Id, new StoredDocument("invoices/t/x/v3.pdf", 3, Now, 1234), CancellationToken.None));
        Assert.True(await WorkerStore.ClaimDeliveryAsync(open.Id, "dlv_keep", Claim(Now.AddMinutes(1)), Now, CancellationToken.None));
        Assert.Equal("worker", (await RawAsync(open.Id))["changedBy"].S);

        var voided = InvoiceLifecycle.Void(sent, "wrong customer", Now) with { Version = sent.Version + 1 };
        await ApiStore.UpdateAsync(sent, voided, CancellationToken.None);

        var stored = (await WorkerStore.LoadAsync(open.Id, CancellationToken.None))!;
        Assert.Equal(InvoiceStatus.Void, stored.Status);
        Assert.Equal(4, stored.Version);
        Assert.Equal(new StoredDocument("invoices/t/x/v3.pdf", 3, Now, 1234), stored.Document);
        Assert.Equal(DeliveryStatus.Sending, stored.DeliveryResults["dlv_keep"].Status);
        Assert.Equal("dlv_keep", Assert.Single(stored.DeliveryRequests).RequestId);
        Assert.Equal("api", (await RawAsync(open.Id))["changedBy"].S);
    }

    [Fact]
    public async Task Api_update_removes_optional_attributes_it_cleared()
    {
        var open = await CreateOpenAsync(notes: "Thanks!");
        var edited = InvoiceLifecycle.Edit(open, open.Content with { Notes = null }, open.Customer, Now) with { Version = open.Version + 1 };

        await ApiStore.UpdateAsync(open, edited, CancellationToken.None);

        Assert.False((await RawAsync(open.Id)).ContainsKey("notes"));
    }

    [Fact]
    public async Task Api_update_of_a_missing_invoice_is_stale_not_an_upsert()
    {
        var open = await CreateOpenAsync();
        var ghost = open with { Id = Ids.New("inv"), Version = 2 };

        await Assert.ThrowsAsync<StaleVersionException>(() => ApiStore.UpdateAsync(open with { Id = ghost.Id }, ghost, CancellationToken.None));
        Assert.Null(await WorkerStore.LoadAsync(ghost.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Worker_writes_never_change_the_version()
    {
        var open = await CreateOpenAsync();

        await WorkerStore.RecordDocumentAsync(open.Id, new StoredDocument("k", open.Version, Now, 10), CancellationToken.None);
        await WorkerStore.ClaimDeliveryAsync(open.Id, "dlv_v", Claim(Now.AddMinutes(1)), Now, CancellationToken.None);

        Assert.Equal(open.Version, (await WorkerStore.LoadAsync(open.Id, CancellationToken.None))!.Version);
    }

    [Fact]
    public async Task A_document_is_recorded_only_over_an_older_one()
    {
        var open = await CreateOpenAsync();

        Assert.True(await WorkerStore.RecordDocumentAsync(open.Id, new StoredDocument("v3", 3, Now, 10), CancellationToken.None));
        Assert.False(await WorkerStore.RecordDocumentAsync(open.Id, new StoredDocument("v2", 2, Now, 10), CancellationToken.None));
        Assert.False(await WorkerStore.RecordDocumentAsync(open.Id, new StoredDocument("v3-again", 3, Now, 10), CancellationToken.None));
        Assert.True(await WorkerStore.RecordDocumentAsync(open.Id, new StoredDocument("v4", 4, Now, 10), CancellationToken.None));

        Assert.Equal("v4", (await WorkerStore.LoadAsync(open.Id, CancellationToken.None))!.Document!.Key);
        Assert.False(await WorkerStore.RecordDocumentAsync(Ids.New("inv"), new StoredDocument("none", 1, Now, 10), CancellationToken.None));
    }

    [Fact]
    public async Task A_delivery_is_claimed_once_until_its_lease_ends_or_it_is_released()
    {
        var open = await CreateOpenAsync();
        var lease = Now.AddMinutes(1);

        Assert.True(await WorkerStore.ClaimDeliveryAsync(open.Id, "dlv_c", Claim(lease), Now, CancellationToken.None));
        Assert.False(await WorkerStore.ClaimDeliveryAsync(open.Id, "dlv_c", Claim(lease.AddSeconds(5)), Now.AddSeconds(5), CancellationToken.None));
        Assert.False(await WorkerStore.ReleaseClaimAsync(open.Id, "dlv_c", lease.AddSeconds(1), "not my claim", null, CancellationToken.None));
        Assert.True(await WorkerStore.ReleaseClaimAsync(open.Id, "dlv_c", lease, "SMTP down", null, CancellationToken.None));

        var released = (await WorkerStore.LoadAsync(open.Id, CancellationToken.None))!;
        Assert.True(InvoiceDeliveries.IsPending(released, new DeliveryRequest("dlv_c", [], [], "", null, Now, 1), Now));
        Assert.True(await WorkerStore.ClaimDeliveryAsync(open.Id, "dlv_c", Claim(Now.AddMinutes(2), attempts: 2), Now.AddSeconds(10), CancellationToken.None));
        Assert.False(await WorkerStore.ClaimDeliveryAsync(open.Id, "dlv_c", Claim(Now.AddMinutes(9)), Now.AddMinutes(2).AddSeconds(-1), CancellationToken.None));
        Assert.True(await WorkerStore.ClaimDeliveryAsync(open.Id, "dlv_c", Claim(Now.AddMinutes(9), attempts: 3), Now.AddMinutes(2).AddSeconds(1), CancellationToken.None));
    }

    [Fact]
    public async Task Sent_and_failed_deliveries_are_never_claimed_again()
    {
        var open = await CreateOpenAsync();
        await WorkerStore.ClaimDeliveryAsync(open.Id, "dlv_s", Claim(Now.AddMinutes(1)), Now, CancellationToken.None);
        await WorkerStore.ClaimDeliveryAsync(open.Id, "dlv_f", Claim(Now.AddMinutes(1)), Now, CancellationToken.None);

        Assert.True(await WorkerStore.CompleteDeliveryAsync(open.Id, "dlv_s",
            new DeliveryResult(DeliveryStatus.Sent, SentAt: Now, To: ["a@b.example"], Attempts: 1), CancellationToken.None));
        Assert.True(await WorkerStore.CompleteDeliveryAsync(open.Id, "dlv_f",
            new DeliveryResult(DeliveryStatus.Failed, FailureReason: "550 no such mailbox", Attempts: 1), CancellationToken.None));
        Assert.False(await WorkerStore.CompleteDeliveryAsync(open.Id, "dlv_s",
            new DeliveryResult(DeliveryStatus.Failed, FailureReason: "late", Attempts: 1), CancellationToken.None));

        var later = Now.AddDays(1);
        Assert.False(await WorkerStore.ClaimDeliveryAsync(open.Id, "dlv_s", Claim(later.AddMinutes(1)), later, CancellationToken.None));
        Assert.False(await WorkerStore.ClaimDeliveryAsync(open.Id, "dlv_f", Claim(later.AddMinutes(1)), later, CancellationToken.None));
        var stored = (await WorkerStore.LoadAsync(open.Id, CancellationToken.None))!;
        Assert.Equal((DeliveryStatus.Sent, Now, 1), (stored.DeliveryResults["dlv_s"].Status, stored.DeliveryResults["dlv_s"].SentAt, stored.DeliveryResults["dlv_s"].Attempts));
        Assert.Equal(["a@b.example"], stored.DeliveryResults["dlv_s"].To);
        Assert.Equal("550 no such mailbox", stored.DeliveryResults["dlv_f"].FailureReason);
    }

    [Fact]
    public async Task Recipients_settled_by_a_try_are_kept_with_the_released_claim_and_carried_by_the_next_claim()
    {
        var open = await CreateOpenAsync();
        var lease = Now.AddMinutes(1);
        IReadOnlyList<RecipientOutcome> recipients =
        [
            new("ap@mueller.example", RecipientStatus.Delivered, At: Now),
            new("jörg@example.de", RecipientStatus.Refused, "the mail server does not accept internationalised addresses (no SMTPUTF8)"),
            new("busy@mueller.example", RecipientStatus.Pending, "450 4.2.1 mailbox busy"),
        ];
        Assert.True(await WorkerStore.ClaimDeliveryAsync(open.Id, "dlv_r", Claim(lease), Now, CancellationToken.None));

        Assert.True(await WorkerStore.ReleaseClaimAsync(open.Id, "dlv_r", lease, "Refused for now: busy@mueller.example", recipients, CancellationToken.None));

        var released = (await WorkerStore.LoadAsync(open.Id, CancellationToken.None))!.DeliveryResults["dlv_r"];
        Assert.Equal(recipients, released.Recipients);
        var raw = (await RawAsync(open.Id))["deliveryResults"].M["dlv_r"].M;
        Assert.Equal(["address", "at", "status"], raw["recipients"].L[0].M.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Refused for now: busy@mueller.example", raw["lastError"].S);

        // The retry's claim carries them on, and is taken only over the result it read (attempts 1).
        Assert.False(await WorkerStore.ClaimDeliveryAsync(open.Id, "dlv_r", Claim(Now.AddMinutes(5), attempts: 3) with { Recipients = recipients }, Now.AddSeconds(1), CancellationToken.None));
        Assert.True(await WorkerStore.ClaimDeliveryAsync(open.Id, "dlv_r", Claim(Now.AddMinutes(5), attempts: 2) with { Recipients = recipients }, Now.AddSeconds(1), CancellationToken.None));
        Assert.Equal(recipients, (await WorkerStore.LoadAsync(open.Id, CancellationToken.None))!.DeliveryResults["dlv_r"].Recipients);
    }

    [Fact]
    public async Task Results_stored_before_per_recipient_outcomes_read_as_before()
    {
        var open = await CreateOpenAsync();
        await stack.DynamoDb.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = InvoicesTable, Key = new() { ["id"] = new AttributeValue { S = open.Id } },
            UpdateExpression = "SET deliveryResults.dlv_old = :old",
            ExpressionAttributeValues = new()
            {
                [":old"] = new AttributeValue { M = new()
                {
                    ["status"] = new AttributeValue { S = "Sent" }, ["attempts"] = new AttributeValue { N = "1" },
                    ["sentAt"] = new AttributeValue { S = "2026-11-20T09:00:00.0000000Z" },
                    ["to"] = new AttributeValue { L = [new AttributeValue { S = "billing@mueller.example" }] },
                } },
            },
        });

        var result = (await WorkerStore.LoadAsync(open.Id, CancellationToken.None))!.DeliveryResults["dlv_old"];

        Assert.Equal((DeliveryStatus.Sent, Now, 1, (IReadOnlyList<RecipientOutcome>?)null), (result.Status, result.SentAt, result.Attempts, result.Recipients));
        var request = new DeliveryRequest("dlv_old", ["billing@mueller.example"], [], "", null, Now, 2);
        Assert.Equal(RecipientStatus.Delivered, Assert.Single(InvoiceDeliveries.RecipientsOf(request, result)).Status);
    }

    [Fact]
    public async Task Concurrent_claims_of_one_delivery_let_exactly_one_worker_through()
    {
        var open = await CreateOpenAsync();

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            WorkerStore.ClaimDeliveryAsync(open.Id, "dlv_race", Claim(Now.AddMinutes(1).AddMilliseconds(i)), Now, CancellationToken.None)));

        Assert.Equal(1, claims.Count(claimed => claimed));
    }

    [Fact]
    public async Task An_item_without_deliveryResults_is_still_claimable()
    {
        var open = await CreateOpenAsync();
        await stack.DynamoDb.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = InvoicesTable, Key = new() { ["id"] = new AttributeValue { S = open.Id } }, UpdateExpression = "REMOVE deliveryResults",
        });

        Assert.True(await WorkerStore.ClaimDeliveryAsync(open.Id, "dlv_old", Claim(Now.AddMinutes(1)), Now, CancellationToken.None));
    }

    [Fact]
    public async Task Load_finds_invoices_only()
    {
        Assert.Null(await WorkerStore.LoadAsync("settings#someone", CancellationToken.None));
        Assert.Null(await WorkerStore.LoadAsync(Ids.New("inv"), CancellationToken.None));
    }

    private static DeliveryResult Claim(DateTimeOffset lease, int attempts = 1) => new(DeliveryStatus.Sending, LeaseUntil: lease, Attempts: attempts);

    /// <summary>An Open invoice (version 2) of a fresh tenant, written the way the API writes it.</summary>
    private async Task<Invoice> CreateOpenAsync(string? notes = null)
    {
        var tenant = Guid.NewGuid().ToString();
        var details = new CustomerDetails("Müller GmbH", $"billing-{Guid.NewGuid():N}@mueller.example", null, null, null);
        var customer = new Customer { Id = Ids.New("cus"), Tenant = tenant, Details = details, CreatedAt = Now, UpdatedAt = Now };
        await new DynamoDbCustomerStore(stack.DynamoDb, CustomersTable).CreateAsync(customer, CancellationToken.None);
        var content = new InvoiceContent(customer.Id, "EUR", new DateOnly(2026, 11, 20), null, 14,
            [new InvoiceLine("Design", 2m, 100m, 0m, 19m)], InvoiceDiscount.None, notes);
        var draft = InvoiceLifecycle.CreateDraft(Ids.New("inv"), tenant, content, customer.Snapshot(), Now);
        await ApiStore.CreateAsync(draft, CancellationToken.None);
        var open = InvoiceLifecycle.Finalize(draft, "INV-000001", customer.Snapshot(), Now) with { Version = 2 };
        await ApiStore.UpdateAsync(draft, open, CancellationToken.None);
        return open;
    }

    private async Task<Dictionary<string, AttributeValue>> RawAsync(string id) =>
        (await stack.DynamoDb.GetItemAsync(new GetItemRequest
        {
            TableName = InvoicesTable, Key = new() { ["id"] = new AttributeValue { S = id } }, ConsistentRead = true,
        })).Item;
}
