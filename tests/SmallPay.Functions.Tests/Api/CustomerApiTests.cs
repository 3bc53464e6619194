
namespace SmallPay.Functions.Tests.Api;

public sealed class CustomerApiTests
{
    // The API's rules, checked over the in-memory stores in milliseconds; the emulator-backed suites prove storage and wiring.
    private readonly SmallPay.Testing.InMemoryApi stack = new();

    [Fact]
    public async Task A_customer_is_created_read_updated_listed_and_deleted()
    {
        var api = await TestApi.ForNewUserAsync(stack);
        var created = (await api.PostAsync("/customers", ApiData.Customer("Ελληνικά Ltd", "info@hellas.example"))).Expect(201);
        Assert.Equal("\"1\"", created.ETag);
        Assert.Equal("Ελληνικά Ltd", created.Body["name"]!.GetValue<string>());
        Assert.Equal("Berlin", created.Navigate("address.city")!.GetValue<string>());

        var read = (await api.GetAsync($"/customers/{created.Id}")).Expect(200);
        var updated = (await api.PutAsync($"/customers/{created.Id}", new { name = "Hellas Ltd", email = "accounts@hellas.example" }, read.ETag)).Expect(200);
        Assert.Equal("\"2\"", updated.ETag);
        Assert.Null(updated.Body["phone"]); // a full replace: absent optional fields are cleared
        (await api.PutAsync($"/customers/{created.Id}", new { name = "Stale" }, read.ETag)).Expect(412);

        var list = (await api.GetAsync("/customers?q=hellas")).Expect(200);
        Assert.Equal("Hellas Ltd", Assert.Single(list.Body["items"]!.AsArray())!["name"]!.GetValue<string>());

        (await api.DeleteAsync($"/customers/{created.Id}")).Expect(204);
        (await api.GetAsync($"/customers/{created.Id}")).Expect(404);
        // the e-mail is free again
        (await api.PostAsync("/customers", ApiData.Customer("Hellas again", "accounts@hellas.example"))).Expect(201);
    }

    [Fact]
    public async Task A_customer_has_an_optional_language_from_the_supported_list_frozen_onto_its_invoices()
    {
        var api = await TestApi.ForNewUserAsync(stack);
        var created = (await api.PostAsync("/customers", new { name = "株式会社テスト商事", email = "keiri@test-shoji.example", language = "ja" })).Expect(201);
        Assert.Equal("ja", created.Body["language"]!.GetValue<string>());
        var invoice = (await api.PostAsync("/invoices", ApiData.Invoice(created.Id))).Expect(201);
        Assert.Equal("ja", invoice.Navigate("customer.language")!.GetValue<string>());

        var unknown = (await api.PutAsync($"/customers/{created.Id}", new { name = "株式会社テスト商事", language = "klingon" }, created.ETag)).Expect(422);
        Assert.Contains("/language", unknown.ErrorPointers());
        (await api.PostAsync("/customers", new { name = "Wrong case", language = "JA" })).Expect(422);

        // Left out on a full replace: cleared, the customer gets the business's language again.
        var cleared = (await api.PutAsync($"/customers/{created.Id}", new { name = "株式会社テスト商事" }, created.ETag)).Expect(200);
        Assert.Null(cleared.Body["language"]);
    }

    [Fact]
    public async Task The_business_language_defaults_to_english_and_accepts_only_supported_languages()
    {
        var api = await TestApi.ForNewUserAsync(stack);
        var settings = (await api.GetAsync("/settings")).Expect(200);
        Assert.Equal("en", settings.Body["language"]!.GetValue<string>());
        var saved = (await api.PutAsync("/settings", new { businessName = "Atelier Sommer", language = "de" }, settings.ETag)).Expect(200);
        Assert.Equal("de", saved.Body["language"]!.GetValue<string>());
        var refused = (await api.PutAsync("/settings", new { businessName = "Atelier Sommer", language = "xx" }, saved.ETag)).Expect(422);
        Assert.Contains("/language", refused.ErrorPointers());
        var kept = (await api.PutAsync("/settings", new { businessName = "Atelier Sommer" }, saved.ETag)).Expect(200);
        Assert.Equal("de", kept.Body["language"]!.GetValue<string>());
    }

    [Fact]
    public async Task Email_addresses_are_unique_per_tenant_regardless_of_case()
    {
        var api = await TestApi.ForNewUserAsync(stack);
        var other = await TestApi.ForNewUserAsync(stack);
        (await api.PostAsync("/customers", ApiData.Customer("A", "same@example.com"))).Expect(201);
        var duplicate = (await api.PostAsync("/customers", ApiData.Customer("B", "SAME@example.com"))).Expect(409);
        Assert.Contains("/email", duplicate.ErrorPointers());
        (await other.PostAsync("/customers", ApiData.Customer("C", "same@example.com"))).Expect(201); // another tenant may use it
    }

    [Fact]
    public async Task A_customer_with_invoices_cannot_be_deleted_until_its_drafts_are_gone()
    {
        var api = await TestApi.ForNewUserAsync(stack);
        var customerId = (await api.PostAsync("/customers", ApiData.Customer())).Expect(201).Id;
        var invoiceId = (await api.PostAsync("/invoices", ApiData.Invoice(customerId))).Expect(201).Id;
        Assert.Equal(1, (await api.GetAsync($"/customers/{customerId}")).Expect(200).Body["invoiceCount"]!.GetValue<int>());

        var refused = (await api.DeleteAsync($"/customers/{customerId}")).Expect(409);
        Assert.Contains("1 invoice", refused.Body["detail"]!.GetValue<string>());

        (await api.DeleteAsync($"/invoices/{invoiceId}")).Expect(204);
        (await api.DeleteAsync($"/customers/{customerId}")).Expect(204);
    }

    [Fact]
    public async Task Customers_list_by_name_and_page_with_a_cursor()
    {
        var api = await TestApi.ForNewUserAsync(stack);
        foreach (var name in new[] { "delta", "Alpha", "charlie", "Bravo", "echo" })
            (await api.PostAsync("/customers", ApiData.Customer(name))).Expect(201);
        var first = (await api.GetAsync("/customers?limit=3")).Expect(200);
        var second = (await api.GetAsync($"/customers?limit=3&cursor={Uri.EscapeDataString(first.Body["nextCursor"]!.GetValue<string>())}")).Expect(200);
        var names = first.Body["items"]!.AsArray().Concat(second.Body["items"]!.AsArray()).Select(c => c!["name"]!.GetValue<string>());
        Assert.Equal(["Alpha", "Bravo", "charlie", "delta", "echo"], names);
    }
}
