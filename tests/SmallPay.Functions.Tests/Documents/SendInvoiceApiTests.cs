using System.Net.Http.Headers;
using Amazon.S3;
using Amazon.S3.Model;
using SmallPay.Domain.Documents;
using SmallPay.Functions.Storage;
using SmallPay.Functions.Tests.Api;
using SmallPay.Functions.Tests.Infrastructure;

namespace SmallPay.Functions.Tests.Documents;

/// <summary>POST /invoices/{id}/send and GET /invoices/{id}/pdf through the local HTTP API (JWT authorizer, real routes).</summary>
[Collection(LocalStackCollection.Name)]
public sealed class SendInvoiceApiTests(LocalStackFixture stack)
{
    private static readonly string Today = DateTime.UtcNow.ToString("yyyy-MM-dd");

    private static async Task<(ApiClient Api, string CustomerId, string CustomerEmail)> NewTenantAsync(LocalStackFixture stack, string? email = "")
    {
        var api = await TestApi.ForNewUserAsync(stack);
        email = email == "" ? $"billing+{Guid.NewGuid():N}@example.com" : email;
        var customer = email is null
            ? new { name = "Café Rosa", email = (string?)null }
            : new { name = "Müller GmbH", email = (string?)email };
        var customerId = (await api.PostAsync("/customers", customer)).Expect(201).Id;
        return (api, customerId, email ?? "");
    }

    private static async Task<string> DraftAsync(ApiClient api, string customerId) =>
        (await api.PostAsync("/invoices", ApiData.Invoice(customerId, issueDate: Today, dueDate: Today))).Expect(201).Id;

    [Fact]
    public async Task The_default_subject_is_in_the_customers_language()
    {
        var api = await TestApi.ForNewUserAsync(stack);
        var customerId = (await api.PostAsync("/customers", new { name = "株式会社テスト商事", email = $"keiri+{Guid.NewGuid():N}@example.com", language = "ja" })).Expect(201).Id;
        var id = await DraftAsync(api, customerId);

        var sent = (await api.PostAsync($"/invoices/{id}/send")).Expect(202);

        Assert.Equal("請求書 INV-000001", sent.Navigate("deliveries.0.subject")!.GetValue<string>());
    }

    [Fact]
    public async Task Sending_a_draft_finalizes_it_and_records_a_pending_delivery_to_the_customer()
    {
        var (api, customerId, email) = await NewTenantAsync(stack);
        var id = await DraftAsync(api, customerId);

        var sent = (await api.PostAsync($"/invoices/{id}/send")).Expect(202);

        Assert.Equal("Open", sent.Body["status"]!.GetValue<string>());
        Assert.Equal("INV-000001", sent.Body["number"]!.GetValue<string>());
        Assert.Equal("\"2\"", sent.ETag); // finalized and asked to send in one change
        Assert.Equal($"/invoices/{id}", sent.Headers["location"]);
        var delivery = Assert.Single(sent.Body["deliveries"]!.AsArray())!;
        Assert.StartsWith("dlv_", delivery["requestId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal([email], delivery["to"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Empty(delivery["cc"]!.AsArray());
        Assert.Equal("Invoice INV-000001", delivery["subject"]!.GetValue<string>());
        Assert.Contains(delivery["status"]!.GetValue<string>(), new[] { "Pending", "Sending", "Sent" }); // a running pipeline may be quick
        var reloaded = (await api.GetAsync($"/invoices/{id}")).Expect(200);
        Assert.Equal(delivery["requestId"]!.GetValue<string>(), reloaded.Body["deliveries"]![0]!["requestId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Recipients_subject_and_message_are_kept_and_the_default_subject_names_the_business()
    {
        var (api, customerId, _) = await NewTenantAsync(stack);
        var settings = (await api.GetAsync("/settings")).Expect(200);
        (await api.PutAsync("/settings", new { businessName = "Atelier Sommer", defaultCurrency = "EUR", paymentTermsDays = 14, numberPrefix = "AS-", nextNumber = 7 }, settings.ETag)).Expect(200);
        var id = await DraftAsync(api, customerId);
        (await api.PostAsync($"/invoices/{id}/finalize")).Expect(200);

        var first = (await api.PostAsync($"/invoices/{id}/send", new { cc = new[] { "me@atelier.example" } })).Expect(202);
        var second = (await api.PostAsync($"/invoices/{id}/send", new
        {
            to = new[] { "ap@mueller.example", "AP@mueller.example" },
            cc = new[] { "ap@mueller.example", "boss@mueller.example" },
            subject = "Your invoice AS-000007",
            message = "Hello!\nPlease find it attached.",
        })).Expect(202);

        Assert.Equal("Invoice AS-000007 from Atelier Sommer", first.Body["deliveries"]![0]!["subject"]!.GetValue<string>());
        Assert.Equal(["me@atelier.example"], first.Body["deliveries"]![0]!["cc"]!.AsArray().Select(n => n!.GetValue<string>()));
        var latest = second.Body["deliveries"]![1]!;
        Assert.Equal(["ap@mueller.example"], latest["to"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["boss@mueller.example"], latest["cc"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("Your invoice AS-000007", latest["subject"]!.GetValue<string>());
        Assert.Equal("\"2\"", second.ETag); // sending records a request of its own: the invoice itself stays at the version it was finalized with
    }

    [Fact]
    public async Task A_customer_without_email_and_no_to_is_422_on_to_and_the_draft_keeps_no_number()
    {
        var (api, customerId, _) = await NewTenantAsync(stack, email: null);
        var id = await DraftAsync(api, customerId);

        var refused = (await api.PostAsync($"/invoices/{id}/send", new { subject = "Invoice" })).Expect(422);

        Assert.Equal(["/to"], refused.ErrorPointers());
        var draft = (await api.GetAsync($"/invoices/{id}")).Expect(200);
        Assert.Equal("Draft", draft.Body["status"]!.GetValue<string>());
        Assert.Equal("INV-000001", (await api.PostAsync($"/invoices/{id}/send", new { to = new[] { "hallo@cafe-rosa.example" } })).Expect(202).Body["number"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_fields_are_422_with_every_pointer_before_anything_is_written()
    {
        var (api, customerId, _) = await NewTenantAsync(stack);
        var id = await DraftAsync(api, customerId);

        var refused = (await api.PostAsync($"/invoices/{id}/send", new
        {
            to = Enumerable.Range(0, 11).Select(i => $"p{i}@mueller.example").ToArray(),
            cc = new[] { "not-an-address" },
            subject = "Line one\r\nBcc: everyone@example.com",
            message = new string('m', 5001),
        })).Expect(422);

        Assert.Equal(["/to", "/cc/0", "/subject", "/message"], refused.ErrorPointers());
        Assert.Equal("Draft", (await api.GetAsync($"/invoices/{id}")).Expect(200).Body["status"]!.GetValue<string>());
        (await api.SendAsync(HttpMethod.Post, $"/invoices/{id}/send", rawBody: "{\"to\": \"one@example.com\"}")).Expect(400);
    }

    [Fact]
    public async Task Void_invoices_are_not_sent_and_drafts_need_lines()
    {
        var (api, customerId, _) = await NewTenantAsync(stack);
        var voided = await DraftAsync(api, customerId);
        (await api.PostAsync($"/invoices/{voided}/finalize")).Expect(200);
        (await api.PostAsync($"/invoices/{voided}/void")).Expect(200);
        var empty = (await api.PostAsync("/invoices", ApiData.Invoice(customerId, lines: []))).Expect(201).Id;

        Assert.Equal("/problems/conflict", (await api.PostAsync($"/invoices/{voided}/send")).Expect(409).Body["type"]!.GetValue<string>());
        Assert.Equal(["/lines"], (await api.PostAsync($"/invoices/{empty}/send")).Expect(422).ErrorPointers());
    }

    [Fact]
    public async Task Concurrent_sends_of_a_draft_finalize_it_once_and_record_every_delivery()
    {
        var (api, customerId, _) = await NewTenantAsync(stack);
        var id = await DraftAsync(api, customerId);

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            api.PostAsync($"/invoices/{id}/send", new { to = new[] { $"person{i}@mueller.example" } })));

        Assert.All(answers, answer => answer.Expect(202));
        var invoice = (await api.GetAsync($"/invoices/{id}")).Expect(200);
        Assert.Equal("INV-000001", invoice.Body["number"]!.GetValue<string>());
        Assert.Equal(4, invoice.Body["deliveries"]!.AsArray().Count);
        Assert.Equal(2, invoice.Body["version"]!.GetValue<long>()); // finalized once; the sends are items of their own
        Assert.Equal(2, (await api.GetAsync("/settings")).Expect(200).Body["nextNumber"]!.GetValue<long>()); // the counter moved once
    }

    [Fact]
    public async Task A_retry_with_the_same_Idempotency_Key_sends_once()
    {
        var (api, customerId, _) = await NewTenantAsync(stack);
        var id = await DraftAsync(api, customerId);
        var key = new Dictionary<string, string> { ["Idempotency-Key"] = Guid.NewGuid().ToString() };

        var first = (await api.PostAsync($"/invoices/{id}/send", new { cc = new[] { "me@atelier.example" } }, key)).Expect(202);
        var replay = (await api.PostAsync($"/invoices/{id}/send", new { cc = new[] { "me@atelier.example" } }, key)).Expect(202);
        (await api.PostAsync($"/invoices/{id}/send", new { cc = new[] { "other@atelier.example" } }, key)).Expect(422);

        Assert.Equal("true", replay.Headers.GetValueOrDefault("idempotent-replayed"));
        Assert.Equal(first.Body["deliveries"]![0]!["requestId"]!.GetValue<string>(), replay.Body["deliveries"]![0]!["requestId"]!.GetValue<string>());
        Assert.Single((await api.GetAsync($"/invoices/{id}")).Expect(200).Body["deliveries"]!.AsArray());
    }

    [Fact]
    public async Task A_stale_If_Match_sends_nothing_and_another_tenant_gets_404()
    {
        var (api, customerId, _) = await NewTenantAsync(stack);
        var id = await DraftAsync(api, customerId);
        var other = await TestApi.ForNewUserAsync(stack);

        (await api.PostAsync($"/invoices/{id}/send", null, new Dictionary<string, string> { ["If-Match"] = "\"7\"" })).Expect(412);
        (await other.PostAsync($"/invoices/{id}/send")).Expect(404);
        (await other.GetAsync($"/invoices/{id}/pdf")).Expect(404);

        var current = (await api.GetAsync($"/invoices/{id}")).Expect(200);
        Assert.Equal("Draft", current.Body["status"]!.GetValue<string>());
        Assert.Empty(current.Body["deliveries"]!.AsArray());
        (await api.PostAsync($"/invoices/{id}/send", null, new Dictionary<string, string> { ["If-Match"] = "\"1\"" })).Expect(202);
    }

    [Fact]
    public async Task The_pdf_link_is_for_the_owner_only_and_downloads_the_current_version()
    {
        var (api, customerId, _) = await NewTenantAsync(stack);
        var id = await DraftAsync(api, customerId);
        var other = await TestApi.ForNewUserAsync(stack);
        Assert.Equal("/problems/document-not-ready", (await api.GetAsync($"/invoices/{id}/pdf")).Expect(409).Body["type"]!.GetValue<string>());

        var sent = (await api.PostAsync($"/invoices/{id}/send")).Expect(202);
        await EnsureDocumentAsync(id, sent.Body["version"]!.GetValue<long>());
        var link = (await api.GetAsync($"/invoices/{id}/pdf")).Expect(200);
        (await other.GetAsync($"/invoices/{id}/pdf")).Expect(404);

        Assert.Equal(sent.Body["version"]!.GetValue<long>(), link.Body["documentVersion"]!.GetValue<long>());
        using var http = new HttpClient();
        var pdf = await http.GetByteArrayAsync(link.Body["url"]!.GetValue<string>());
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4));
        var invoice = (await api.GetAsync($"/invoices/{id}")).Expect(200);
        Assert.Equal(sent.Body["version"]!.GetValue<long>(), invoice.Body["document"]!["version"]!.GetValue<long>());
    }

    /// <summary>
    /// The document of this version: the local pipeline renders it when it runs; otherwise (or if it is slow) the test
    /// stores one itself, exactly where and how the worker would, in the bucket the function is configured with.
    /// </summary>
    private async Task EnsureDocumentAsync(string invoiceId, long version)
    {
        var invoicesTable = stack.FunctionEnvironment.Require("INVOICES_TABLE");
        var worker = new DynamoDbWorkerInvoiceStore(stack.DynamoDb, invoicesTable);
        var invoice = (await worker.LoadAsync(invoiceId, CancellationToken.None))!;
        if (invoice.HasCurrentDocument) return;
        var bucket = stack.EnvironmentFor("GetInvoicePdf").Require("DOCUMENTS_BUCKET");
        using var s3 = new AmazonS3Client("test", "test", new AmazonS3Config { ServiceURL = stack.AwsEndpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        try { await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket }); }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists") { }
        var key = $"invoices/{invoice.Tenant}/{invoiceId}/v{version}.pdf";
        const string pdf = "%PDF-1.7 stored by the test";
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = pdf, ContentType = "application/pdf" });
        await worker.RecordDocumentAsync(invoiceId, new StoredDocument(key, version, DateTimeOffset.UtcNow, pdf.Length), CancellationToken.None);
    }
}
