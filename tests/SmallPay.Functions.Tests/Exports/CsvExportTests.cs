using System.Globalization;
using System.Text;
using CsvHelper;
using SmallPay.Functions.Tests.Api;

namespace SmallPay.Functions.Tests.Exports;

/// <summary>GET /exports over the in-memory API: what an accountant's spreadsheet gets, read back with CsvHelper.</summary>
public sealed class CsvExportTests
{
    private readonly SmallPay.Testing.InMemoryApi stack = new();

    private static List<Dictionary<string, string?>> Parse(byte[] bytes)
    {
        using var reader = CsvReader.Create(bytes, CsvReaderOptions.Default with { HasHeader = true, Separator = ',' });
        var rows = new List<Dictionary<string, string?>>();
        while (reader.Read())
        {
            var row = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.Headers.Count; i++) row[reader.Headers[i]] = reader.GetString(i);
            rows.Add(row);
        }
        return rows;
    }

    private static async Task<(string Customer, string Invoice)> FinalizedInvoiceAsync(ApiClient api, string name, string issueDate, string currency = "EUR", object[]? lines = null)
    {
        var customer = (await api.PostAsync("/customers", ApiData.Customer(name))).Expect(201).Id;
        var invoice = (await api.PostAsync("/invoices", ApiData.Invoice(customer, currency, lines, issueDate: issueDate, dueDate: issueDate))).Expect(201).Id;
        (await api.PostAsync($"/invoices/{invoice}/finalize")).Expect(200);
        return (customer, invoice);
    }

    [Fact]
    public async Task An_invoice_export_is_utf8_with_a_bom_crlf_iso_dates_and_the_same_figures_as_the_api()
    {
        var api = await TestApi.ForNewUserAsync(stack);
        var (_, first) = await FinalizedInvoiceAsync(api, "Müller, \"Die Bäckerei\"\nBerlin", "2026-03-02");
        var (_, second) = await FinalizedInvoiceAsync(api, "株式会社テスト商事", "2026-03-20", "JPY", [ApiData.Line("設計", 3, 12000, taxRate: 10)]);
        await FinalizedInvoiceAsync(api, "Outside the range", "2026-04-01");
        var customer = (await api.PostAsync("/customers", ApiData.Customer("Only a draft"))).Expect(201).Id;
        (await api.PostAsync("/invoices", ApiData.Invoice(customer, issueDate: "2026-03-05"))).Expect(201);
        (await api.PostAsync($"/invoices/{first}/payments", new { amount = 100.5m, date = "2026-03-10", method = "Card" })).Expect(201);

        var export = (await api.GetAsync("/exports?kind=invoices&from=2026-03-01&to=2026-03-31")).Expect(200);

        Assert.Equal("text/csv; charset=utf-8", export.Headers["content-type"]);
        Assert.Equal("attachment; filename=\"invoices-2026-03-01-to-2026-03-31.csv\"", export.Headers["content-disposition"]);
        Assert.Equal([0xEF, 0xBB, 0xBF], export.Bytes[..3]);
        var text = Encoding.UTF8.GetString(export.Bytes, 3, export.Bytes.Length - 3);
        Assert.StartsWith("number,invoiceId,status,issueDate,dueDate,", text);
        Assert.EndsWith("\r\n", text);
        Assert.DoesNotContain("\r\n", text.Replace("\r\n", "").Replace("\n", "")); // no bare CR
        var rows = Parse(export.Bytes);
        Assert.Equal(2, rows.Count); // the draft and April's invoice are not in it
        Assert.Equal("2", export.Headers["x-smallpay-rows"]);

        foreach (var (row, id) in rows.Zip([first, second]))
        {
            var invoice = (await api.GetAsync($"/invoices/{id}")).Expect(200);
            Assert.Equal(id, row["invoiceId"]);
            Assert.Equal(invoice.Body["number"]!.GetValue<string>(), row["number"]);
            Assert.Equal(invoice.Body["issueDate"]!.GetValue<string>(), row["issueDate"]);
            Assert.Equal(invoice.Navigate("customer.name")!.GetValue<string>(), row["customerName"]);
            Assert.Equal(invoice.Body["currency"]!.GetValue<string>(), row["currency"]);
            foreach (var figure in new[] { "subtotal", "tax", "total", "amountPaid", "balanceDue" })
                Assert.Equal(invoice.Money($"totals.{figure}"), decimal.Parse(row[figure]!, NumberStyles.Number, CultureInfo.InvariantCulture));
        }
        Assert.Equal("Müller, \"Die Bäckerei\"\nBerlin", rows[0]["customerName"]); // comma, quote and line break survive the quoting
        Assert.Equal("PartiallyPaid", rows[0]["status"]);
        Assert.Equal("100.50", rows[0]["amountPaid"]);
        Assert.Equal("株式会社テスト商事", rows[1]["customerName"]);
        Assert.Equal("JPY", rows[1]["currency"]);
        Assert.Equal("39600", rows[1]["total"]); // JPY has no minor digits
    }

    [Fact]
    public async Task Per_line_rows_add_up_to_the_invoice_and_payments_are_listed_by_their_date()
    {
        var api = await TestApi.ForNewUserAsync(stack);
        var (_, invoice) = await FinalizedInvoiceAsync(api, "Lines Ltd", "2026-05-04");
        (await api.PostAsync($"/invoices/{invoice}/payments", new { amount = 10m, date = "2026-05-20", method = "Cash" })).Expect(201);
        (await api.PostAsync($"/invoices/{invoice}/payments", new { amount = 20m, date = "2026-06-02" })).Expect(201);

        var lines = Parse((await api.GetAsync("/exports?kind=invoices&rows=line&from=2026-05-01&to=2026-05-31")).Expect(200).Bytes);
        var stored = (await api.GetAsync($"/invoices/{invoice}")).Expect(200);
        Assert.Equal(["1", "2"], lines.Select(l => l["line"]));
        Assert.Equal(["Consulting", "Travel"], lines.Select(l => l["description"]));
        Assert.Equal(stored.Money("totals.subtotal"), lines.Sum(l => decimal.Parse(l["lineAmount"]!, CultureInfo.InvariantCulture)));

        var payments = Parse((await api.GetAsync("/exports?kind=payments&from=2026-05-01&to=2026-05-31")).Expect(200).Bytes);
        var payment = Assert.Single(payments);
        Assert.Equal(("2026-05-20", "10.00", "EUR", "Cash"), (payment["date"], payment["amount"], payment["currency"], payment["method"]));
        Assert.Equal(stored.Body["number"]!.GetValue<string>(), payment["invoiceNumber"]);
    }

    [Fact]
    public async Task A_cell_a_spreadsheet_would_run_as_a_formula_gets_an_apostrophe_and_numbers_stay_numbers()
    {
        var api = await TestApi.ForNewUserAsync(stack);
        foreach (var name in new[] { "=HYPERLINK(\"http://evil.example\",\"click\")", "+Plus Corp", "-Minus Corp", "@At Corp" })
            (await api.PostAsync("/customers", ApiData.Customer(name))).Expect(201);

        var export = (await api.GetAsync("/exports?kind=customers")).Expect(200);

        var names = Parse(export.Bytes).Select(r => r["name"]).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["'+Plus Corp", "'-Minus Corp", "'=HYPERLINK(\"http://evil.example\",\"click\")", "'@At Corp"], names);
        Assert.All(Parse(export.Bytes), r => Assert.Equal("'+49 30 1234567", r["phone"])); // text that starts with + is defused too
        Assert.All(Parse(export.Bytes), r => Assert.Equal("0", r["invoiceCount"]));
    }

    [Fact]
    public async Task A_large_export_or_one_asked_as_a_link_goes_to_the_bucket_and_answers_a_presigned_link()
    {
        var api = await TestApi.ForNewUserAsync(stack);
        await FinalizedInvoiceAsync(api, "Linked GmbH", "2026-02-10");

        var link = (await api.GetAsync("/exports?kind=invoices&from=2026-02-01&to=2026-02-28&delivery=link")).Expect(200);

        Assert.Equal(1, link.Body["rows"]!.GetValue<int>());
        Assert.Equal("invoices-2026-02-01-to-2026-02-28.csv", link.Body["fileName"]!.GetValue<string>());
        var key = new Uri(link.Body["url"]!.GetValue<string>()).AbsolutePath.TrimStart('/');
        Assert.StartsWith("exports/", key);
        var stored = stack.Services.DocumentObjects.Objects[key];
        Assert.Equal(link.Body["sizeBytes"]!.GetValue<long>(), stored.Length);
        Assert.Equal("Linked GmbH", Assert.Single(Parse(stored))["customerName"]);
    }

    [Theory]
    [InlineData("/exports?from=2026-01-01&to=2026-01-31", "/query/kind")]
    [InlineData("/exports?kind=quotes&from=2026-01-01&to=2026-01-31", "/query/kind")]
    [InlineData("/exports?kind=1&from=2026-01-01&to=2026-01-31", "/query/kind")]
    [InlineData("/exports?kind=invoices&to=2026-01-31", "/query/from")]
    [InlineData("/exports?kind=invoices&from=2026-01-01", "/query/to")]
    [InlineData("/exports?kind=invoices&from=2026-02-01&to=2026-01-31", "/query/from")]
    [InlineData("/exports?kind=invoices&from=2026-13-01&to=2027-01-31", "/query/from")]
    [InlineData("/exports?kind=invoices&from=0001-01-01&to=9999-12-31", "/query/to")]
    [InlineData("/exports?kind=payments&from=9999-12-01&to=9999-12-31&rows=line", null)]
    [InlineData("/exports?kind=invoices&from=2026-01-01&to=2026-01-31&rows=cell", "/query/rows")]
    [InlineData("/exports?kind=invoices&from=2026-01-01&to=2026-01-31&delivery=email", "/query/delivery")]
    public async Task A_bad_range_or_kind_is_a_problem_never_a_server_error(string path, string? pointer)
    {
        var api = await TestApi.ForNewUserAsync(stack);
        var result = await api.GetAsync(path);
        if (pointer is null) { result.Expect(200); return; }
        result.Expect(400);
        Assert.Equal("application/problem+json", result.Headers["content-type"]);
        Assert.Contains(pointer, result.ErrorPointers());
    }

    [Fact]
    public async Task An_export_holds_only_the_callers_business()
    {
        var owner = await TestApi.ForNewUserAsync(stack);
        var stranger = await TestApi.ForNewUserAsync(stack);
        await FinalizedInvoiceAsync(owner, "Owner's Customer", "2026-07-01");

        Assert.Single(Parse((await owner.GetAsync("/exports?kind=invoices&from=2026-07-01&to=2026-07-31")).Expect(200).Bytes));
        Assert.Empty(Parse((await stranger.GetAsync("/exports?kind=invoices&from=2026-07-01&to=2026-07-31")).Expect(200).Bytes));
        Assert.Empty(Parse((await stranger.GetAsync("/exports?kind=customers")).Expect(200).Bytes));
        var other = await stranger.SendAsync(HttpMethod.Get, "/exports?kind=customers", headers: new Dictionary<string, string> { ["X-SmallPay-Business"] = "someone-else" });
        other.Expect(403);
    }
}
