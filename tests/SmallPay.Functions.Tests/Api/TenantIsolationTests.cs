using SmallPay.Functions.Tests.Infrastructure;

namespace SmallPay.Functions.Tests.Api;

/// <summary>Every route, called by a second tenant with the first tenant's ids: 404 or an empty result, and nothing changes.</summary>
public abstract class TenantIsolationTests
{
    protected abstract Task<ApiClient> NewUserAsync();

    [Fact]
    public async Task Another_tenant_can_neither_see_nor_touch_any_of_the_owners_data()
    {
        var owner = await NewUserAsync();
        var intruder = await NewUserAsync();
        var customer = (await owner.PostAsync("/customers", ApiData.Customer("Private Client"))).Expect(201);
        var draft = (await owner.PostAsync("/invoices", ApiData.Invoice(customer.Id))).Expect(201);
        var open = (await owner.PostAsync("/invoices", ApiData.Invoice(customer.Id))).Expect(201);
        (await owner.PostAsync($"/invoices/{open.Id}/finalize")).Expect(200);
        var settingsETag = (await owner.GetAsync("/settings")).Expect(200).ETag;
        var settings = (await owner.PutAsync("/settings", new { businessName = "Owner Inc", numberPrefix = "OWN-" }, settingsETag)).Expect(200);
        var before = await SnapshotAsync(owner, customer.Id, draft.Id, open.Id);

        var anyVersion = new Dictionary<string, string> { ["If-Match"] = "\"1\"" };
        var attempts = new (string Route, Task<ApiResult> Call)[]
        {
            ("GetInvoice", intruder.GetAsync($"/invoices/{open.Id}")),
            ("UpdateInvoice", intruder.PutAsync($"/invoices/{draft.Id}", ApiData.Invoice(customer.Id, notes: "hijacked"), "\"1\"")),
            ("DeleteInvoice", intruder.DeleteAsync($"/invoices/{draft.Id}")),
            ("FinalizeInvoice", intruder.PostAsync($"/invoices/{draft.Id}/finalize")),
            ("VoidInvoice", intruder.PostAsync($"/invoices/{open.Id}/void")),
            ("RecordPayment", intruder.PostAsync($"/invoices/{open.Id}/payments", new { amount = 1 })),
            ("GetCustomer", intruder.GetAsync($"/customers/{customer.Id}")),
            ("UpdateCustomer", intruder.PutAsync($"/customers/{customer.Id}", new { name = "hijacked" }, "\"1\"")),
            ("DeleteCustomer", intruder.DeleteAsync($"/customers/{customer.Id}")),
        };
        foreach (var (route, call) in attempts)
        {
            var result = await call;
            Assert.True(result.Code == 404, $"{route}: expected 404, got {result.Code} {result.Text}");
        }

        // Creating an invoice for someone else's customer: that customer does not exist for the intruder.
        var foreignCustomer = (await intruder.PostAsync("/invoices", ApiData.Invoice(customer.Id))).Expect(422);
        Assert.Contains("/customerId", foreignCustomer.ErrorPointers());

        // Lists, dashboard and settings show the intruder only their own (empty) world.
        Assert.Empty((await intruder.GetAsync("/invoices")).Expect(200).Body["items"]!.AsArray());
        Assert.Empty((await intruder.GetAsync($"/invoices?customerId={customer.Id}")).Expect(200).Body["items"]!.AsArray());
        Assert.Empty((await intruder.GetAsync("/customers")).Expect(200).Body["items"]!.AsArray());
        Assert.Empty((await intruder.GetAsync("/dashboard")).Expect(200).Body["currencies"]!.AsArray());
        var intruderSettings = (await intruder.GetAsync("/settings")).Expect(200);
        Assert.Equal("INV-", intruderSettings.Body["numberPrefix"]!.GetValue<string>());
        Assert.NotEqual(settings.Body["businessName"]!.GetValue<string>(), intruderSettings.Body["businessName"]!.GetValue<string>());

        // An owner's cursor replayed by the intruder pages through the intruder's data only.
        for (var i = 0; i < 3; i++) (await owner.PostAsync("/customers", ApiData.Customer($"Client {i}"))).Expect(201);
        var ownerPage = (await owner.GetAsync("/customers?limit=1")).Expect(200);
        var replayed = await intruder.GetAsync($"/customers?limit=1&cursor={Uri.EscapeDataString(ownerPage.Body["nextCursor"]!.GetValue<string>())}");
        Assert.True(replayed.Code is 200 or 400, replayed.Text);
        if (replayed.Code == 200) Assert.Empty(replayed.Body["items"]!.AsArray());

        Assert.Equal(before, await SnapshotAsync(owner, customer.Id, draft.Id, open.Id));
    }

    private static async Task<string> SnapshotAsync(ApiClient owner, string customerId, string draftId, string openId) =>
        string.Join("\n",
            (await owner.GetAsync($"/customers/{customerId}")).Expect(200).Text,
            (await owner.GetAsync($"/invoices/{draftId}")).Expect(200).Text,
            WithoutDocument((await owner.GetAsync($"/invoices/{openId}")).Expect(200)),
            (await owner.GetAsync("/settings")).Expect(200).Text);

    /// <summary>
    /// The invoice without <c>document</c>: the document worker records the finalized invoice's PDF there on its own
    /// schedule (the local pipeline may do it in the middle of this test); no tenant can write it.
    /// </summary>
    private static string WithoutDocument(ApiResult invoice)
    {
        var body = invoice.Body.DeepClone().AsObject();
        body.Remove("document");
        return body.ToJsonString();
    }
}

/// <summary>Over the in-memory stores: the rules.</summary>
public sealed class TenantIsolationTestsInMemory : TenantIsolationTests
{
    private readonly SmallPay.Testing.InMemoryApi _api = new();
    protected override Task<ApiClient> NewUserAsync() => TestApi.ForNewUserAsync(_api);
}

/// <summary>On the local stack (Cognito tokens, the JWT authorizer, DynamoDB Local): the same cases end to end.</summary>
[Collection(LocalStackCollection.Name)]
public sealed class TenantIsolationTestsOnLocalStack(LocalStackFixture stack) : TenantIsolationTests
{
    protected override Task<ApiClient> NewUserAsync() => TestApi.ForNewUserAsync(stack);
}
