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
    public async Task Sending_stores_the_request_as_its_own_item_and_leaves_the_invoice_item_as_it_was()
    {
        var open = await CreateOpenAsync();
        var before = await RawAsync(open.Id);

        await SendAsync(open, "dlv_own");

        var invoiceItem = await RawAsync(open.Id);
        Assert.False(invoiceItem.ContainsKey("deliveryRequests"));
        Assert.False(invoiceItem.ContainsKey("deliveryResults"));
        Assert.Equal(before["version"].N, invoiceItem["version"].N);
        var delivery = await RawAsync($"delivery#{open.Id}#dlv_own");
        Assert.Equal(("Delivery", "api", open.Tenant), (delivery["entity"].S, delivery["changedBy"].S, delivery["business"].S));
        Assert.Equal("dlv_own", Assert.Single((await ApiStore.GetAsync(open.Tenant, open.Id, CancellationToken.None))!.DeliveryRequests).RequestId);
    }

    [Fact]
    public async Task Fifty_sends_with_long_messages_and_many_recipients_leave_the_invoice_item_its_size()
    {
        var open = await CreateOpenAsync();
        var before = ItemSize(await RawAsync(open.Id));
        var message = new string('x', InvoiceDeliveries.MaxMessageLength);
        var to = Enumerable.Range(0, InvoiceDeliveries.MaxRecipients).Select(i => $"to{i}-{new string('a', 40)}@mueller.example").ToList();
        var cc = Enumerable.Range(0, InvoiceDeliveries.MaxRecipients).Select(i => $"cc{i}-{new string('b', 40)}@mueller.example").ToList();

        var current = open;
        for (var i = 0; i < InvoiceDeliveries.MaxRequestsPerInvoice; i++)
        {
            var requested = InvoiceDeliveries.Request(current, new DeliveryInput(to, cc, "Invoice", message), $"dlv_{i:00}", "Atelier", Now.AddMinutes(i));
            await ApiStore.AddDeliveryAsync(open, requested.DeliveryRequests[^1], new SendingQuota(open.Tenant, new DateOnly(2026, 11, 20), 20, 100_000), CancellationToken.None);
            current = requested;
        }

        var after = ItemSize(await RawAsync(open.Id));
        Assert.Equal(before, after);
        Assert.Equal(InvoiceDeliveries.MaxRequestsPerInvoice, (await ApiStore.GetAsync(open.Tenant, open.Id, CancellationToken.None))!.DeliveryRequests.Count);
        Assert.InRange(ItemSize(await RawAsync($"delivery#{open.Id}#dlv_49")), 5_000, 20_000);
    }

    [Fact]
    public async Task Api_updates_keep_the_workers_document_and_delivery_results()
    {
        var open = await CreateOpenAsync();
        await SendAsync(open, "dlv_keep");
        Assert.True(await WorkerStore.RecordDocumentAsync(open.Id, new StoredDocument("invoices/t/x/v3.pdf", 3, Now, 1234), CancellationToken.None));
        Assert.True(await WorkerStore.ClaimDeliveryAsync(open.Id, "dlv_keep", Claim(Now.AddMinutes(1)), Now, CancellationToken.None));
        Assert.Equal("worker", (await RawAsync(open.Id))["changedBy"].S);

        var voided = InvoiceLifecycle.Void(open, "wrong customer", Now) with { Version = open.Version + 1 };
        await ApiStore.UpdateAsync(open, voided, CancellationToken.None);

        var stored = (await WorkerStore.LoadAsync(open.Id, CancellationToken.None))!;
        Assert.Equal(InvoiceStatus.Void, stored.Status);
        Assert.Equal(3, stored.Version);
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
        await SendAsync(open, "dlv_v");

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
        await SendAsync(open, "dlv_c");
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
        await SendAsync(open, "dlv_s");
        await SendAsync(open, "dlv_f");
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
        await SendAsync(open, "dlv_r");
        Assert.True(await WorkerStore.ClaimDeliveryAsync(open.Id, "dlv_r", Claim(lease), Now, CancellationToken.None));

        Assert.True(await WorkerStore.ReleaseClaimAsync(open.Id, "dlv_r", lease, "Refused for now: busy@mueller.example", recipients, CancellationToken.None));

        var released = (await WorkerStore.LoadAsync(open.Id, CancellationToken.None))!.DeliveryResults["dlv_r"];
        Assert.Equal(recipients, released.Recipients);
        var raw = (await RawAsync($"delivery#{open.Id}#dlv_r"))["result"].M;
        Assert.Equal(["address", "at", "status"], raw["recipients"].L[0].M.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Refused for now: busy@mueller.example", raw["lastError"].S);

        // The retry's claim carries them on, and is taken only over the result it read (attempts 1).
        Assert.False(await WorkerStore.ClaimDeliveryAsync(open.Id, "dlv_r", Claim(Now.AddMinutes(5), attempts: 3) with { Recipients = recipients }, Now.AddSeconds(1), CancellationToken.None));
        Assert.True(await WorkerStore.ClaimDeliveryAsync(open.Id, "dlv_r", Claim(Now.AddMinutes(5), attempts: 2) with { Recipients = recipients }, Now.AddSeconds(1), CancellationToken.None));
        Assert.Equal(recipients, (await WorkerStore.LoadAsync(open.Id, CancellationToken.None))!.DeliveryResults["dlv_r"].Recipients);
    }

    [Fact]
    public async Task An_invoice_stored_before_deliveries_had_items_has_them_moved_with_their_outcomes_and_still_claimable()
    {
        var open = await CreateOpenAsync();
        // As an invoice item written by the earlier version: its requests and results inside it.
        await stack.DynamoDb.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = InvoicesTable, Key = new() { ["id"] = new AttributeValue { S = open.Id } },
            UpdateExpression = "SET deliveryRequests = :requests, deliveryResults = :results",
            ExpressionAttributeValues = new()
            {
                [":requests"] = new AttributeValue { L =
                [
                    new AttributeValue { M = ItemMapping.ToMap(new DeliveryRequest("dlv_old", ["billing@mueller.example"], [], "Invoice", null, Now, 2)) },
                    new AttributeValue { M = ItemMapping.ToMap(new DeliveryRequest("dlv_todo", ["billing@mueller.example"], [], "Invoice", null, Now.AddMinutes(1), 2)) },
                ] },
                [":results"] = new AttributeValue { M = new()
                {
                    // a result from before per-recipient outcomes existed
                    ["dlv_old"] = new AttributeValue { M = new()
                    {
                        ["status"] = new AttributeValue { S = "Sent" }, ["attempts"] = new AttributeValue { N = "1" },
                        ["sentAt"] = new AttributeValue { S = "2026-11-20T09:00:00.0000000Z" },
                        ["to"] = new AttributeValue { L = [new AttributeValue { S = "billing@mueller.example" }] },
                    } },
                } },
            },
        });

        var loaded = (await WorkerStore.LoadAsync(open.Id, CancellationToken.None))!;

        var result = loaded.DeliveryResults["dlv_old"];
        Assert.Equal((DeliveryStatus.Sent, Now, 1, (IReadOnlyList<RecipientOutcome>?)null), (result.Status, result.SentAt, result.Attempts, result.Recipients));
        var request = new DeliveryRequest("dlv_old", ["billing@mueller.example"], [], "", null, Now, 2);
        Assert.Equal(RecipientStatus.Delivered, Assert.Single(InvoiceDeliveries.RecipientsOf(request, result)).Status);
        Assert.Equal(["dlv_old", "dlv_todo"], loaded.DeliveryRequests.Select(r => r.RequestId));
        var invoiceItem = await RawAsync(open.Id);
        Assert.False(invoiceItem.ContainsKey("deliveryRequests"));
        Assert.False(invoiceItem.ContainsKey("deliveryResults"));
        Assert.Equal("Sent", (await RawAsync($"delivery#{open.Id}#dlv_old"))["result"].M["status"].S);
        Assert.True(await WorkerStore.ClaimDeliveryAsync(open.Id, "dlv_todo", Claim(Now.AddMinutes(2)), Now, CancellationToken.None));
        Assert.False(await WorkerStore.ClaimDeliveryAsync(open.Id, "dlv_old", Claim(Now.AddMinutes(2)), Now, CancellationToken.None));
        Assert.Equal(2, (await WorkerStore.LoadAsync(open.Id, CancellationToken.None))!.DeliveryRequests.Count); // moved once
    }

    [Fact]
    public async Task Concurrent_claims_of_one_delivery_let_exactly_one_worker_through()
    {
        var open = await CreateOpenAsync();
        await SendAsync(open, "dlv_race");

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            WorkerStore.ClaimDeliveryAsync(open.Id, "dlv_race", Claim(Now.AddMinutes(1).AddMilliseconds(i)), Now, CancellationToken.None)));

        Assert.Equal(1, claims.Count(claimed => claimed));
    }

    [Fact]
    public async Task A_claim_needs_a_stored_request()
    {
        var open = await CreateOpenAsync();

        Assert.False(await WorkerStore.ClaimDeliveryAsync(open.Id, "dlv_never_requested", Claim(Now.AddMinutes(1)), Now, CancellationToken.None));
    }

    [Fact]
    public async Task Load_finds_invoices_only()
    {
        Assert.Null(await WorkerStore.LoadAsync("settings#someone", CancellationToken.None));
        Assert.Null(await WorkerStore.LoadAsync(Ids.New("inv"), CancellationToken.None));
    }

    /// <summary>An e-mail request for the invoice, stored as the API stores it.</summary>
    private async Task SendAsync(Invoice open, string requestId)
    {
        var requested = InvoiceDeliveries.Request(open, new DeliveryInput(), requestId, "Atelier", Now);
        await ApiStore.AddDeliveryAsync(open, requested.DeliveryRequests[^1], new SendingQuota(open.Tenant, new DateOnly(2026, 11, 20), 1, 1000), CancellationToken.None);
    }

    /// <summary>An item's size as DynamoDB counts it: attribute names and values in UTF-8 (numbers as their digits), nested alike.</summary>
    private static int ItemSize(Dictionary<string, AttributeValue> item) =>
        item.Sum(a => System.Text.Encoding.UTF8.GetByteCount(a.Key) + ValueSize(a.Value));

    private static int ValueSize(AttributeValue value) =>
        value.S is { } s ? System.Text.Encoding.UTF8.GetByteCount(s)
        : value.N is { } n ? n.Length
        : value.M is { } m ? 3 + m.Sum(e => System.Text.Encoding.UTF8.GetByteCount(e.Key) + 1 + ValueSize(e.Value))
        : value.L is { } l ? 3 + l.Sum(e => 1 + ValueSize(e))
        : 1;

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
