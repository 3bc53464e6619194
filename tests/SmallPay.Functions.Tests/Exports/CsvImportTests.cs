using SmallPay.Functions.Tests.Api;

namespace SmallPay.Functions.Tests.Exports;

/// <summary>POST /customers/import(/preview) over the in-memory API: per-row errors, idempotency, tenants.</summary>
public sealed class CsvImportTests
{
    private readonly SmallPay.Testing.InMemoryApi stack = new();

    private const string File =
        "\uFEFFname,email,phone,taxId,language,line1,city,postalCode,country,remindersEnabled\r\n" +
        "\"Bäckerei Müller, Inh. \"\"Jo\"\"\",info@baeckerei.example,+49 30 1,DE1,de,Hauptstraße 5,Berlin,10115,DE,true\r\n" +
        "株式会社テスト商事,keiri@test-shoji.example,,,ja,,東京,,JP,\r\n" +
        "'=Formula Corp,formula@corp.example,,,,,,,,no\r\n" +
        "No Mail Ltd,,,GB123,,,London,,GB,\r\n" +
        ",missing@name.example,,,,,,,,\r\n" +
        "Bad Mail,not-an-address,,,klingon,,,,,maybe\r\n" +
        "Twice,INFO@baeckerei.example,,,,,,,,\r\n" +
        ",,,,,,,,,\r\n";

    private static object Body(string csv) => new { csv };

    [Fact]
    public async Task A_preview_checks_every_row_with_the_customer_rules_and_writes_nothing()
    {
        var api = await TestApi.ForNewUserAsync(stack);

        var preview = (await api.PostAsync("/customers/import/preview", Body(File))).Expect(200);

        Assert.True(preview.Body["preview"]!.GetValue<bool>());
        var items = preview.Body["items"]!.AsArray();
        Assert.Equal(["create", "create", "create", "create", "invalid", "invalid", "skip"], items.Select(i => i!["status"]!.GetValue<string>()));
        Assert.Equal((7, 4, 1, 2), (preview.Body["rows"]!.GetValue<int>(), preview.Body["create"]!.GetValue<int>(), preview.Body["skip"]!.GetValue<int>(), preview.Body["invalid"]!.GetValue<int>()));
        Assert.Equal(["name"], items[4]!["errors"]!.AsArray().Select(e => e!["column"]!.GetValue<string>()));
        Assert.Equal(["remindersEnabled", "email", "language"], items[5]!["errors"]!.AsArray().Select(e => e!["column"]!.GetValue<string>()));
        Assert.Equal("the same customer as row 1", items[6]!["reason"]!.GetValue<string>());
        Assert.Empty((await api.GetAsync("/customers")).Expect(200).Body["items"]!.AsArray());
    }

    [Fact]
    public async Task Importing_the_same_file_twice_creates_nothing_new()
    {
        var api = await TestApi.ForNewUserAsync(stack);
        (await api.PostAsync("/customers", new { name = "Already Here", email = "formula@corp.example" })).Expect(201);

        var first = (await api.PostAsync("/customers/import", Body(File))).Expect(200);
        Assert.Equal(["created", "created", "skipped", "created", "invalid", "invalid", "skipped"], first.Body["items"]!.AsArray().Select(i => i!["status"]!.GetValue<string>()));
        var customers = (await api.GetAsync("/customers?limit=100")).Expect(200).Body["items"]!.AsArray();
        Assert.Equal(4, customers.Count);
        var baker = customers.Single(c => c!["email"]?.GetValue<string>() == "info@baeckerei.example")!;
        Assert.Equal("Bäckerei Müller, Inh. \"Jo\"", baker["name"]!.GetValue<string>());
        Assert.Equal(("Berlin", "de", true), (baker["address"]!["city"]!.GetValue<string>(), baker["language"]!.GetValue<string>(), baker["remindersEnabled"]!.GetValue<bool>()));
        Assert.Contains(customers, c => c!["name"]!.GetValue<string>() == "株式会社テスト商事");

        var again = (await api.PostAsync("/customers/import", Body(File))).Expect(200);
        Assert.Equal(0, again.Body["create"]!.GetValue<int>());
        Assert.Equal(4, (await api.GetAsync("/customers?limit=100")).Expect(200).Body["items"]!.AsArray().Count);
        Assert.Equal(0, (await api.PostAsync("/customers/import/preview", Body(File))).Expect(200).Body["create"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_idempotency_key_replays_the_first_report()
    {
        var api = await TestApi.ForNewUserAsync(stack);
        var key = new Dictionary<string, string> { ["Idempotency-Key"] = Guid.NewGuid().ToString() };
        var first = (await api.PostAsync("/customers/import", Body(File), key)).Expect(200);
        var replay = (await api.PostAsync("/customers/import", Body(File), key)).Expect(200);
        Assert.Equal(first.Text, replay.Text);
        Assert.Equal(4, replay.Body["create"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_customers_export_imports_back_into_another_business_as_the_same_customers_and_into_its_own_as_nothing()
    {
        var owner = await TestApi.ForNewUserAsync(stack);
        (await owner.PostAsync("/customers/import", Body(File))).Expect(200);
        (await owner.PostAsync("/customers", new { name = "Only A Name" })).Expect(201);
        var export = (await owner.GetAsync("/exports?kind=customers")).Expect(200);
        var csv = System.Text.Encoding.UTF8.GetString(export.Bytes);

        Assert.Equal(0, (await owner.PostAsync("/customers/import", Body(csv))).Expect(200).Body["create"]!.GetValue<int>());

        var other = await TestApi.ForNewUserAsync(stack);
        var imported = (await other.PostAsync("/customers/import", Body(csv))).Expect(200);
        Assert.Equal(5, imported.Body["create"]!.GetValue<int>());
        var names = (await other.GetAsync("/customers?limit=100")).Expect(200).Body["items"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        var originals = (await owner.GetAsync("/customers?limit=100")).Expect(200).Body["items"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(originals, names); // "=Formula Corp" came back without the export's apostrophe
        Assert.Contains("=Formula Corp", names);
        // The owner's customers are untouched by the other business's import.
        Assert.Equal(5, (await owner.GetAsync("/customers?limit=100")).Expect(200).Body["items"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("", "/csv")]
    [InlineData("email,phone\r\na@b.example,1\r\n", "/csv")]
    [InlineData("name\r\n", "/csv")]
    [InlineData("name,email\r\n\"unclosed,a@b.example\r\n", "/csv")]
    public async Task A_file_that_cannot_be_imported_as_a_whole_is_a_422_naming_why(string csv, string pointer)
    {
        var api = await TestApi.ForNewUserAsync(stack);
        foreach (var route in new[] { "/customers/import/preview", "/customers/import" })
        {
            var refused = (await api.PostAsync(route, Body(csv))).Expect(422);
            Assert.Contains(pointer, refused.ErrorPointers());
        }
    }

    [Fact]
    public async Task More_than_500_customers_are_refused_and_a_semicolon_file_is_read()
    {
        var api = await TestApi.ForNewUserAsync(stack);
        var big = "name\r\n" + string.Concat(Enumerable.Range(1, 501).Select(i => $"Customer {i}\r\n"));
        var refused = (await api.PostAsync("/customers/import/preview", Body(big))).Expect(422);
        Assert.Contains("500", refused.Body["detail"]!.GetValue<string>());

        var semicolons = (await api.PostAsync("/customers/import/preview", Body("Name;E-Mail;City\r\nMüller; m@mueller.example;Köln\r\n"))).Expect(200);
        Assert.Equal("create", semicolons.Body["items"]![0]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Another_business_finds_none_of_the_imported_customers()
    {
        var owner = await TestApi.ForNewUserAsync(stack);
        (await owner.PostAsync("/customers/import", Body(File))).Expect(200);
        // Roles are checked route by route in TeamTests' matrix; here the stranger: another business reads as nothing.
        var stranger = await TestApi.ForNewUserAsync(stack);
        Assert.Equal(4, (await stranger.PostAsync("/customers/import/preview", Body(File))).Expect(200).Body["create"]!.GetValue<int>());
    }
}
