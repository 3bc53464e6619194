using System.Text.Json.Nodes;
using SmallPay.Domain.Validation;
using SmallPay.Functions.Tests.Infrastructure;

namespace SmallPay.Functions.Tests.Api;

/// <summary>
/// Bidirectional controls (U+202A–U+202E, U+2066–U+2069) typed into names, addresses, lines, notes, subjects and messages
/// are not kept: what the API answers (and so the PDF and the e-mail) is the text without them.
/// </summary>
public abstract class BidiControlTests
{
    protected abstract Task<ApiClient> NewUserAsync();

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(member => Strings(member.Value)),
        JsonArray array => array.SelectMany(Strings),
        JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.String => [value.GetValue<string>()],
        _ => [],
    };

    private static void AssertNoBidiControls(JsonNode body) =>
        Assert.All(Strings(body), text => Assert.False(text.Any(PlainText.IsBidiControl), $"bidirectional control kept in \"{text}\""));

    [Fact]
    public async Task Names_addresses_lines_notes_subjects_and_messages_are_kept_without_bidirectional_controls()
    {
        var api = await NewUserAsync();
        var etag = (await api.GetAsync("/settings")).Expect(200).ETag;
        var settings = (await api.PutAsync("/settings", new
        {
            businessName = "Atelier\u202E Sommer",
            address = new { line1 = "Lindenstra\u2067ße 12\u2069", city = "Leipzig", postalCode = "04109", country = "DE" },
            phone = "+49\u202D 341",
            taxId = "DE987\u202A654321",
            defaultCurrency = "EUR",
        }, etag)).Expect(200).Body;
        var customer = (await api.PostAsync("/customers", new
        {
            name = "Evil\u202Egnp.exe Ltd",
            email = $"billing-{Guid.NewGuid():N}@customer.example",
            address = new { line1 = "\u2066Main St 1", city = "Berlin\u202C" },
        })).Expect(201).Body;
        var customerId = customer["id"]!.GetValue<string>();
        var invoice = (await api.PostAsync("/invoices", ApiData.Invoice(customerId,
            lines: [ApiData.Line("Design\u202B work\u202C", 2, 50m)], notes: "Thanks\u2068!\u2069"))).Expect(201).Body;
        var invoiceId = invoice["id"]!.GetValue<string>();
        var sent = (await api.PostAsync($"/invoices/{invoiceId}/send", new { subject = "Your invoice\u202E fdp.exe", message = "Hello\u2067 there" })).Expect(202).Body;
        (await api.PostAsync($"/invoices/{invoiceId}/payments", new { amount = 10m, method = "Cash", note = "cash\u202E" })).Expect(201);
        var nameless = await api.PostAsync("/customers", new { name = "\u202E\u2066 " });

        var stored = (await api.GetAsync($"/invoices/{invoiceId}")).Expect(200).Body;
        var storedCustomer = (await api.GetAsync($"/customers/{customerId}")).Expect(200).Body;
        var storedSettings = (await api.GetAsync("/settings")).Expect(200).Body;

        foreach (var body in new[] { settings, customer, invoice, sent, stored, storedCustomer, storedSettings }) AssertNoBidiControls(body);
        Assert.Equal("Atelier Sommer", storedSettings["businessName"]!.GetValue<string>());
        Assert.Equal("Lindenstraße 12", storedSettings["address"]!["line1"]!.GetValue<string>());
        Assert.Equal("Evilgnp.exe Ltd", storedCustomer["name"]!.GetValue<string>());
        Assert.Equal("Main St 1", storedCustomer["address"]!["line1"]!.GetValue<string>());
        Assert.Equal("Design work", stored["lines"]![0]!["description"]!.GetValue<string>());
        Assert.Equal("Thanks!", stored["notes"]!.GetValue<string>());
        Assert.Equal("Evilgnp.exe Ltd", stored["customer"]!["name"]!.GetValue<string>());
        Assert.Equal("Your invoice fdp.exe", stored["deliveries"]![0]!["subject"]!.GetValue<string>());
        Assert.Equal("cash", stored["payments"]![0]!["note"]!.GetValue<string>());
        Assert.Equal(422, nameless.Code);
        Assert.Contains("/name", nameless.ErrorPointers());
    }
}

/// <summary>Over the in-memory stores.</summary>
public sealed class BidiControlTestsInMemory : BidiControlTests
{
    private readonly SmallPay.Testing.InMemoryApi _api = new();
    protected override Task<ApiClient> NewUserAsync() => TestApi.ForNewUserAsync(_api);
}

/// <summary>On the local stack (DynamoDB Local): what is stored.</summary>
[Collection(LocalStackCollection.Name)]
public sealed class BidiControlTestsOnLocalStack(LocalStackFixture stack) : BidiControlTests
{
    protected override Task<ApiClient> NewUserAsync() => TestApi.ForNewUserAsync(stack);
}
