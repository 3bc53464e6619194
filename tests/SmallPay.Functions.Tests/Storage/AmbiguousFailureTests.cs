using Amazon.DynamoDBv2.Model;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Tests.Api;
using SmallPay.Functions.Tests.Infrastructure;
using SmallPay.Testing;

namespace SmallPay.Functions.Tests.Storage;

/// <summary>
/// The functions on DynamoDB Local through the official SDK clients, with responses lost after DynamoDB applied the
/// write (<see cref="LostResponseHandler"/>): the SDK retries, or gives up and the client retries with its
/// Idempotency-Key. Whatever happens, every effect happens once and a done write is answered as done.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed class AmbiguousFailureTests(LocalStackFixture stack)
{
    private readonly string _tenant = $"tenant-{Guid.NewGuid():N}";

    private static bool Is(string target, string operation) => target.EndsWith("." + operation, StringComparison.Ordinal);

    /// <summary>A function of the catalogue on DynamoDB Local; its network loses the responses <paramref name="network"/> drops.</summary>
    private ILambdaHandler Function(string name, LostResponseHandler? network = null)
    {
        var environment = stack.EnvironmentFor(name);
        var clients = new AwsClients(environment, network is null ? null : new AwsTransport(() => network));
        return FunctionCatalog.Create(name, new FunctionServices(environment, clients));
    }

    private async Task<(string CustomerId, string InvoiceId)> DraftAsync()
    {
        var customer = await Function("CreateCustomer").InvokeAsync(new ApiCall("POST", "/customers", _tenant) { Body = ApiData.Customer() });
        Assert.Equal(201, customer.Status);
        var invoice = await Function("CreateInvoice").InvokeAsync(new ApiCall("POST", "/invoices", _tenant) { Body = ApiData.Invoice(customer.Id) });
        Assert.Equal(201, invoice.Status);
        return (customer.Id, invoice.Id);
    }

    private async Task<string> OpenInvoiceAsync()
    {
        var (_, invoiceId) = await DraftAsync();
        var finalized = await Function("FinalizeInvoice").InvokeAsync(Route("POST", $"/invoices/{invoiceId}/finalize", "/invoices/{invoiceId}/finalize"));
        Assert.Equal(200, finalized.Status);
        return invoiceId;
    }

    private ApiCall Route(string method, string path, string template) => new(method, path, _tenant) { RouteTemplate = template };

    private async Task<Dictionary<string, AttributeValue>> ItemAsync(string table, string id) =>
        (await stack.DynamoDb.GetItemAsync(new GetItemRequest { TableName = table, Key = new() { ["id"] = new AttributeValue { S = id } }, ConsistentRead = true })).Item;

    private string InvoicesTable => stack.FunctionEnvironment.Require("INVOICES_TABLE");
    private string CustomersTable => stack.FunctionEnvironment.Require("CUSTOMERS_TABLE");

    [Fact]
    public async Task A_payment_whose_answer_was_lost_is_recorded_once_and_answered_201()
    {
        var invoiceId = await OpenInvoiceAsync();
        var network = new LostResponseHandler((target, _) => false);
        network.Drop = (target, body) => Is(target, "TransactWriteItems") && body.Contains("payments", StringComparison.Ordinal) && network.Dropped == 0;

        var answer = await Function("RecordPayment", network).InvokeAsync(
            Route("POST", $"/invoices/{invoiceId}/payments", "/invoices/{invoiceId}/payments") with { Body = new { amount = 100m, date = "2026-11-20", method = "bankTransfer" } });

        Assert.Equal(1, network.Dropped);
        Assert.Equal(201, answer.Status);
        var stored = await ItemAsync(InvoicesTable, invoiceId);
        Assert.Single(stored["payments"].L);
        Assert.Equal("PartiallyPaid", stored["status"].S);
        // The SDK retried the same write once; nothing re-read the invoice and applied the payment again.
        Assert.Equal(2, network.Operations.Count(o => o == "TransactWriteItems"));
        // The tenant's dashboard counted it once too (the payment's transaction carries the running total).
        var dashboard = await Function("GetDashboard").InvokeAsync(new ApiCall("GET", "/dashboard", _tenant));
        Assert.Equal(100m, dashboard.Json["currencies"]![0]!["received"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_created_draft_whose_answer_was_lost_is_answered_201_and_counted_once_on_its_customer()
    {
        var customer = await Function("CreateCustomer").InvokeAsync(new ApiCall("POST", "/customers", _tenant) { Body = ApiData.Customer() });
        var network = new LostResponseHandler((target, _) => false);
        network.Drop = (target, _) => Is(target, "TransactWriteItems") && network.Dropped == 0;

        var answer = await Function("CreateInvoice", network).InvokeAsync(new ApiCall("POST", "/invoices", _tenant) { Body = ApiData.Invoice(customer.Id) });

        Assert.Equal(1, network.Dropped);
        Assert.Equal(201, answer.Status);
        Assert.Equal("Invoice", (await ItemAsync(InvoicesTable, answer.Id))["entity"].S);
        Assert.Equal("1", (await ItemAsync(CustomersTable, customer.Id))["invoiceCount"].N);
    }

    [Fact]
    public async Task A_create_whose_every_attempt_lost_its_answer_is_still_answered_201_from_one_read()
    {
        var customer = await Function("CreateCustomer").InvokeAsync(new ApiCall("POST", "/customers", _tenant) { Body = ApiData.Customer() });
        var network = new LostResponseHandler((target, _) => Is(target, "TransactWriteItems"));

        var answer = await Function("CreateInvoice", network).InvokeAsync(new ApiCall("POST", "/invoices", _tenant) { Body = ApiData.Invoice(customer.Id) });

        Assert.Equal(3, network.Dropped); // the SDK's three attempts, each applied or refused by DynamoDB, none answered
        Assert.Equal(201, answer.Status);
        Assert.Equal("1", (await ItemAsync(CustomersTable, customer.Id))["invoiceCount"].N);
        Assert.Equal("GetItem", network.Operations[^1]); // settled by one consistent read
    }

    [Fact]
    public async Task A_create_retried_under_its_Idempotency_Key_after_a_failure_makes_one_invoice_and_replays_it()
    {
        var customer = await Function("CreateCustomer").InvokeAsync(new ApiCall("POST", "/customers", _tenant) { Body = ApiData.Customer() });
        var call = new ApiCall("POST", "/invoices", _tenant) { Body = ApiData.Invoice(customer.Id) }.IdempotencyKey($"key-{Guid.NewGuid():N}");
        // Every answer from DynamoDB is lost, reads too: the function cannot tell whether the draft exists, and fails.
        var down = new LostResponseHandler((target, body) => Is(target, "TransactWriteItems") || (Is(target, "GetItem") && body.Contains("inv_", StringComparison.Ordinal)));

        var first = await Function("CreateInvoice", down).InvokeAsync(call);
        Assert.Equal(503, first.Status);
        Assert.Equal("/problems/unavailable", first.ProblemType);

        var retry = await Function("CreateInvoice").InvokeAsync(call);
        Assert.Equal(201, retry.Status);
        var again = await Function("CreateInvoice").InvokeAsync(call);
        Assert.Equal(201, again.Status);
        Assert.Equal(retry.Id, again.Id);
        Assert.Equal("true", again.Headers.GetValueOrDefault("idempotent-replayed"));
        Assert.Equal("1", (await ItemAsync(CustomersTable, customer.Id))["invoiceCount"].N);
        var list = await Function("ListInvoices").InvokeAsync(new ApiCall("GET", "/invoices", _tenant));
        Assert.Single(list.Json["items"]!.AsArray());
    }

    [Fact]
    public async Task A_payment_retried_under_its_Idempotency_Key_after_a_failure_is_recorded_once()
    {
        var invoiceId = await OpenInvoiceAsync();
        var call = Route("POST", $"/invoices/{invoiceId}/payments", "/invoices/{invoiceId}/payments")
            with { Body = new { amount = 100m, date = "2026-11-20", method = "bankTransfer" } };
        call = call.IdempotencyKey($"key-{Guid.NewGuid():N}");
        var firstLoad = true;
        var down = new LostResponseHandler((target, body) =>
        {
            if (Is(target, "TransactWriteItems") && body.Contains("payments", StringComparison.Ordinal)) return true;
            // The handler's first load of the invoice gets through; the read that would settle the lost write does not.
            if (Is(target, "GetItem") && body.Contains(invoiceId, StringComparison.Ordinal)) { var drop = !firstLoad; firstLoad = false; return drop; }
            return false;
        });

        var first = await Function("RecordPayment", down).InvokeAsync(call);
        Assert.Equal(503, first.Status);
        Assert.Equal("/problems/unavailable", first.ProblemType);

        var retry = await Function("RecordPayment").InvokeAsync(call);
        Assert.Equal(201, retry.Status);
        var stored = await ItemAsync(InvoicesTable, invoiceId);
        Assert.Single(stored["payments"].L);
    }

    [Fact]
    public async Task A_finalize_whose_answer_was_lost_is_answered_200_with_its_number_not_as_a_conflict()
    {
        var (_, invoiceId) = await DraftAsync();
        var network = new LostResponseHandler((target, _) => false);
        network.Drop = (target, _) => Is(target, "TransactWriteItems") && network.Dropped == 0;

        var answer = await Function("FinalizeInvoice", network).InvokeAsync(Route("POST", $"/invoices/{invoiceId}/finalize", "/invoices/{invoiceId}/finalize"));

        Assert.Equal(1, network.Dropped);
        Assert.Equal(200, answer.Status);
        var number = answer.Json["number"]!.GetValue<string>();
        var settings = await ItemAsync(InvoicesTable, $"settings#{_tenant}");
        Assert.Equal("2", settings["nextNumber"].N); // the counter moved once: no number was skipped
        Assert.Equal(invoiceId, (await ItemAsync(InvoicesTable, $"number#{_tenant}#{number}"))["invoiceId"].S);
    }

    [Fact]
    public async Task An_idempotency_claim_whose_answer_was_lost_lets_its_own_request_proceed()
    {
        var customer = await Function("CreateCustomer").InvokeAsync(new ApiCall("POST", "/customers", _tenant) { Body = ApiData.Customer() });
        var network = new LostResponseHandler((target, _) => false);
        network.Drop = (target, body) => Is(target, "PutItem") && body.Contains("Idempotency", StringComparison.Ordinal) && network.Dropped == 0;

        var answer = await Function("CreateInvoice", network).InvokeAsync(
            new ApiCall("POST", "/invoices", _tenant) { Body = ApiData.Invoice(customer.Id) }.IdempotencyKey($"key-{Guid.NewGuid():N}"));

        Assert.Equal(1, network.Dropped);
        Assert.Equal(201, answer.Status); // not 409 "in progress": the record it found was its own
    }
}
