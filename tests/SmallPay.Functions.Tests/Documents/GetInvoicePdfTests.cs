using SmallPay.Domain;
using SmallPay.Domain.Customers;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Functions.Storage;
using SmallPay.Functions.Tests.Infrastructure;

namespace SmallPay.Functions.Tests.Documents;

/// <summary>GetInvoicePdf through the catalog on tables and a bucket of its own (no pipeline renders behind the test's back).</summary>
[Collection(LocalStackCollection.Name)]
public sealed class GetInvoicePdfTests(LocalStackFixture stack) : IAsyncLifetime
{
    private static readonly DateTimeOffset Created = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
    private readonly string _owner = Guid.NewGuid().ToString();
    private IsolatedDocumentsStack _isolated = null!;

    public async Task InitializeAsync() => _isolated = await IsolatedDocumentsStack.CreateAsync(stack);

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<(int Status, System.Text.Json.Nodes.JsonNode? Body)> GetPdfAsync(string invoiceId, string? tenant = null) =>
        _isolated.InvokeApiAsync("GetInvoicePdf", "GET", $"/invoices/{invoiceId}/pdf", tenant ?? _owner, new() { ["invoiceId"] = invoiceId });

    [Fact]
    public async Task The_owner_gets_a_five_minute_link_that_downloads_the_current_pdf()
    {
        var open = await SeedAsync(finalize: true);
        var key = $"invoices/{_owner}/{open.Id}/v2.pdf";
        await _isolated.PutObjectAsync(key, "%PDF-1.7 the invoice");
        await RecordAsync(open.Id, new StoredDocument(key, 2, Created, 20));
        var before = DateTimeOffset.UtcNow;

        var (status, body) = await GetPdfAsync(open.Id);

        Assert.Equal(200, status);
        Assert.Equal(2, body!["documentVersion"]!.GetValue<long>());
        var expiresAt = DateTimeOffset.Parse(body["expiresAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expiresAt - before, TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(5));
        var url = new Uri(body["url"]!.GetValue<string>());
        Assert.Contains(_isolated.Bucket, url.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Signature=", url.Query, StringComparison.Ordinal);
        var signedFor = System.Text.RegularExpressions.Regex.Match(url.Query, "X-Amz-Expires=(?<s>[0-9]+)").Groups["s"].Value;
        Assert.InRange(int.Parse(signedFor, System.Globalization.CultureInfo.InvariantCulture), 295, 305);
        using var http = new HttpClient();
        Assert.Equal("%PDF-1.7 the invoice", await http.GetStringAsync(url)); // no token needed: the signature is the permission
    }

    [Fact]
    public async Task Another_tenant_gets_404_as_for_an_unknown_invoice()
    {
        var open = await SeedAsync(finalize: true);
        await RecordAsync(open.Id, new StoredDocument($"invoices/{_owner}/{open.Id}/v2.pdf", 2, Created, 20));

        var (status, body) = await GetPdfAsync(open.Id, tenant: Guid.NewGuid().ToString());

        Assert.Equal(404, status);
        Assert.Equal("/problems/not-found", body!["type"]!.GetValue<string>());
        Assert.Equal(404, (await GetPdfAsync(Ids.New("inv"))).Status);
        Assert.Equal(404, (await GetPdfAsync("not-an-id")).Status);
    }

    [Fact]
    public async Task A_draft_has_no_pdf_409()
    {
        var draft = await SeedAsync(finalize: false);

        var (status, body) = await GetPdfAsync(draft.Id);

        Assert.Equal(409, status);
        Assert.Equal("/problems/document-not-ready", body!["type"]!.GetValue<string>());
        Assert.Contains("draft", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Until_the_current_version_is_rendered_the_answer_is_409()
    {
        var open = await SeedAsync(finalize: true);

        var (neverRendered, body) = await GetPdfAsync(open.Id);
        await RecordAsync(open.Id, new StoredDocument($"invoices/{_owner}/{open.Id}/v1.pdf", 1, Created, 20));
        var (olderVersion, _) = await GetPdfAsync(open.Id);

        Assert.Equal(409, neverRendered);
        Assert.Equal("/problems/document-not-ready", body!["type"]!.GetValue<string>());
        Assert.Contains("being rendered", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(409, olderVersion);
    }

    private Task RecordAsync(string invoiceId, StoredDocument document) =>
        new DynamoDbWorkerInvoiceStore(stack.DynamoDb, _isolated.InvoicesTable).RecordDocumentAsync(invoiceId, document, CancellationToken.None);

    /// <summary>A draft (version 1), or finalized as INV-000001 (version 2), of the owner.</summary>
    private async Task<Invoice> SeedAsync(bool finalize)
    {
        var customer = new Customer
        {
            Id = Ids.New("cus"), Tenant = _owner, CreatedAt = Created, UpdatedAt = Created,
            Details = new CustomerDetails("Łódź Craft Brewery", $"faktury-{Guid.NewGuid():N}@lodzcraft.example", null, null, null),
        };
        await new DynamoDbCustomerStore(stack.DynamoDb, _isolated.CustomersTable).CreateAsync(customer, CancellationToken.None);
        var invoices = new DynamoDbInvoiceStore(stack.DynamoDb, _isolated.InvoicesTable, _isolated.CustomersTable);
        var draft = InvoiceLifecycle.CreateDraft(Ids.New("inv"), _owner,
            new InvoiceContent(customer.Id, "PLN", new DateOnly(2026, 11, 20), null, 14, [new InvoiceLine("Label design", 4m, 350m, 10m, 23m)], InvoiceDiscount.None, null),
            customer.Snapshot(), Created);
        await invoices.CreateAsync(draft, CancellationToken.None);
        if (!finalize) return draft;
        var open = InvoiceLifecycle.Finalize(draft, "INV-000001", customer.Snapshot(), Created) with { Version = 2 };
        await invoices.UpdateAsync(draft, open, CancellationToken.None);
        return open;
    }
}
