using Amazon.DynamoDBv2.Model;
using SmallPay.Domain.Settings;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Storage;
using SmallPay.Functions.Tests.Api;
using SmallPay.Functions.Tests.Infrastructure;
using SmallPay.Testing;

namespace SmallPay.Functions.Tests.Storage;

/// <summary>
/// Every conditional write of the stores names the tenant, as every read does: on DynamoDB Local, a write built with
/// another tenant's item id (the id guessed or leaked, the rest of the write the intruder's own) changes nothing.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed class TenantConditionTests(LocalStackFixture stack)
{
    private readonly string _owner = $"owner-{Guid.NewGuid():N}";
    private readonly string _intruder = $"intruder-{Guid.NewGuid():N}";

    private string InvoicesTable => stack.FunctionEnvironment.Require("INVOICES_TABLE");
    private string CustomersTable => stack.FunctionEnvironment.Require("CUSTOMERS_TABLE");
    private DynamoDbInvoiceStore Invoices => new(stack.DynamoDb, InvoicesTable, CustomersTable);
    private DynamoDbCustomerStore Customers => new(stack.DynamoDb, CustomersTable);
    private DynamoDbSettingsStore Settings => new(stack.DynamoDb, InvoicesTable);

    private async Task<ApiAnswer> CallAsync(string function, ApiCall call)
    {
        var environment = stack.EnvironmentFor(function);
        return await FunctionCatalog.Create(function, new FunctionServices(environment, new AwsClients(environment))).InvokeAsync(call);
    }

    private async Task<(string CustomerId, string InvoiceId)> DraftOfAsync(string tenant)
    {
        var customer = await CallAsync("CreateCustomer", new ApiCall("POST", "/customers", tenant) { Body = ApiData.Customer() });
        var invoice = await CallAsync("CreateInvoice", new ApiCall("POST", "/invoices", tenant) { Body = ApiData.Invoice(customer.Id) });
        Assert.Equal((201, 201), (customer.Status, invoice.Status));
        return (customer.Id, invoice.Id);
    }

    [Fact]
    public async Task Deleting_or_updating_another_tenants_draft_is_refused()
    {
        var (_, invoiceId) = await DraftOfAsync(_owner);
        var (intruderCustomer, _) = await DraftOfAsync(_intruder);
        var draft = (await Invoices.GetAsync(_owner, invoiceId, CancellationToken.None))!;
        // Everything the intruder controls is theirs (tenant, customer); only the id and version are the owner's.
        var forged = draft with { Tenant = _intruder, Content = draft.Content with { CustomerId = intruderCustomer } };
        var edited = forged with { Version = forged.Version + 1, Content = forged.Content with { Notes = "changed by someone else" } };

        await Assert.ThrowsAsync<StaleVersionException>(() => Invoices.DeleteAsync(forged, CancellationToken.None));
        await Assert.ThrowsAsync<StaleVersionException>(() => Invoices.UpdateAsync(forged, edited, CancellationToken.None));

        var stored = await Invoices.GetAsync(_owner, invoiceId, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal((draft.Version, draft.Content.Notes), (stored.Version, stored.Content.Notes));
    }

    [Fact]
    public async Task Deleting_or_updating_another_tenants_customer_is_refused()
    {
        var customer = await CallAsync("CreateCustomer", new ApiCall("POST", "/customers", _owner) { Body = ApiData.Customer("Owner's Customer GmbH") });
        var stored = (await Customers.GetAsync(_owner, customer.Id, CancellationToken.None))!;
        var forged = stored with { Tenant = _intruder };

        await Assert.ThrowsAsync<StaleVersionException>(() =>
            Customers.UpdateAsync(forged with { Version = forged.Version + 1, Details = forged.Details with { Name = "Renamed" } }, stored.Details.Email, CancellationToken.None));
        await Assert.ThrowsAsync<StaleVersionException>(() => Customers.DeleteAsync(forged, CancellationToken.None));

        Assert.Equal("Owner's Customer GmbH", (await Customers.GetAsync(_owner, customer.Id, CancellationToken.None))!.Details.Name);
    }

    [Fact]
    public async Task A_settings_item_whose_tenant_is_another_is_never_overwritten_nor_its_counter_advanced()
    {
        await Settings.SaveAsync(_owner, BusinessSettings.Defaults with { BusinessName = "Owner Ltd", Version = 1 }, CancellationToken.None);
        // The item under the owner's key, but not the owner's (as a forged or mixed-up write would leave it).
        await stack.DynamoDb.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = InvoicesTable,
            Key = new() { ["id"] = new AttributeValue { S = $"settings#{_owner}" } },
            UpdateExpression = "SET tenant = :other",
            ExpressionAttributeValues = new() { [":other"] = new AttributeValue { S = _intruder } },
        });

        await Assert.ThrowsAsync<StaleVersionException>(() =>
            Settings.SaveAsync(_owner, BusinessSettings.Defaults with { BusinessName = "Overwritten", Version = 2 }, CancellationToken.None));
        // The counter's write of a finalization (alone here: SkipTakenNumber moves it the same way).
        var read = await Settings.GetAsync(_owner, CancellationToken.None);
        await Invoices.SkipTakenNumberAsync(_owner, read.NextNumber, read, CancellationToken.None);

        var settings = await stack.DynamoDb.GetItemAsync(InvoicesTable, new Dictionary<string, AttributeValue> { ["id"] = new() { S = $"settings#{_owner}" } });
        Assert.Equal("Owner Ltd", settings.Item["businessName"].S);
        Assert.Equal(("1", "1"), (settings.Item["nextNumber"].N, settings.Item["version"].N));
    }
}
