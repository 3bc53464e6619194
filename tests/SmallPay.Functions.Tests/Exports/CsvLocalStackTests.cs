using System.Diagnostics;
using System.Globalization;
using Amazon.DynamoDBv2.Model;
using CsvHelper;
using SmallPay.Domain.Invoices;
using SmallPay.Functions.Storage;
using SmallPay.Functions.Tests.Api;
using SmallPay.Functions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SmallPay.Functions.Tests.Exports;

/// <summary>The CSV routes through the local stack: Cognito tokens, the HTTP API, DynamoDB Local, moto's S3 and its presigned link.</summary>
[Collection(LocalStackCollection.Name)]
public sealed class CsvLocalStackTests(LocalStackFixture stack, ITestOutputHelper output)
{
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

    [Fact]
    public async Task An_export_as_a_link_downloads_from_the_bucket_and_an_import_twice_creates_once()
    {
        var api = await TestApi.ForNewUserAsync(stack);
        var csv = "name,email,city\r\n\"Ünal, \"\"Çay\"\" & Co\",cay@unal.example,İstanbul\r\nمكتب الرياض,,الرياض\r\n";
        Assert.Equal(2, (await api.PostAsync("/customers/import", new { csv })).Expect(200).Body["create"]!.GetValue<int>());
        Assert.Equal(0, (await api.PostAsync("/customers/import", new { csv })).Expect(200).Body["create"]!.GetValue<int>());
        var customers = (await api.GetAsync("/customers")).Expect(200).Body["items"]!.AsArray();
        Assert.Equal(2, customers.Count);

        var customer = customers[0]!["id"]!.GetValue<string>();
        var invoice = (await api.PostAsync("/invoices", ApiData.Invoice(customer, issueDate: "2026-02-03", dueDate: "2026-02-17"))).Expect(201).Id;
        (await api.PostAsync($"/invoices/{invoice}/finalize")).Expect(200);
        var total = (await api.GetAsync($"/invoices/{invoice}")).Expect(200).Money("totals.total");

        var link = (await api.GetAsync("/exports?kind=invoices&from=2026-02-01&to=2026-02-28&delivery=link")).Expect(200);
        using var download = new HttpClient();
        using var file = await download.GetAsync(link.Body["url"]!.GetValue<string>());
        file.EnsureSuccessStatusCode();
        var bytes = await file.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var row = Assert.Single(Parse(bytes));
        Assert.Equal(invoice, row["invoiceId"]);
        Assert.Equal(total, decimal.Parse(row["total"]!, CultureInfo.InvariantCulture));

        var direct = (await api.GetAsync("/exports?kind=customers")).Expect(200);
        Assert.Equal("text/csv; charset=utf-8", direct.Headers["content-type"]);
        Assert.Equal(new[] { "Ünal, \"Çay\" & Co", "مكتب الرياض" }.Order(StringComparer.Ordinal), Parse(direct.Bytes).Select(r => r["name"]).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// The README's figure: 10,000 finalized invoices of one business (written straight into DynamoDB Local), exported
    /// through the HTTP API, and the time each export took printed. A measurement, not a test of speed: by default it
    /// exports 300 invoices (the suite stays quick) and checks every one is in the file; SMALLPAY_MEASURE_EXPORT=1 makes it
    /// 10,000.
    /// </summary>
    [Fact]
    public async Task Measure_exporting_10000_invoices()
    {
        var count = Environment.GetEnvironmentVariable("SMALLPAY_MEASURE_EXPORT") == "1" ? 10_000 : 300;
        var user = await stack.CreateUserAsync();
        var api = new ApiClient(stack.CreateHttpClient(), user.IdToken);
        var customer = (await api.PostAsync("/customers", ApiData.Customer("Measure GmbH"))).Expect(201).Id;
        var template = (await api.PostAsync("/invoices", ApiData.Invoice(customer, issueDate: "2025-01-01"))).Expect(201).Id;
        var table = stack.FunctionEnvironment.Require("INVOICES_TABLE");
        var store = new DynamoDbInvoiceStore(stack.DynamoDb, table, stack.FunctionEnvironment.Require("CUSTOMERS_TABLE"));
        var draft = (await store.GetAsync(user.Sub, template, CancellationToken.None))!;
        var seeding = Stopwatch.StartNew();
        var items = Enumerable.Range(1, count).Select(i => ItemMapping.ToItem(draft with
        {
            Id = SmallPay.Domain.Ids.FromSeed("inv", $"measure#{user.Sub}#{i}"),
            Number = $"INV-{i:000000}", Status = InvoiceStatus.Open,
            Content = draft.Content with { IssueDate = new DateOnly(2025, 1, 1).AddDays(i % 365) },
        })).ToList();
        foreach (var batch in items.Chunk(25))
        {
            var request = new Dictionary<string, List<WriteRequest>> { [table] = batch.Select(item => new WriteRequest { PutRequest = new PutRequest { Item = item } }).ToList() };
            do { request = (await stack.DynamoDb.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = request })).UnprocessedItems; } while (request is { Count: > 0 });
        }
        output.WriteLine($"seeded {count:N0} invoices in {seeding.Elapsed.TotalSeconds:F1} s");

        foreach (var (rows, delivery) in new[] { ("document", "auto"), ("document", "auto"), ("line", "link") })
        {
            var watch = Stopwatch.StartNew();
            var result = (await api.GetAsync($"/exports?kind=invoices&from=2025-01-01&to=2025-12-31&rows={rows}&delivery={delivery}")).Expect(200);
            var isFile = result.Headers.GetValueOrDefault("content-type")?.StartsWith("text/csv", StringComparison.Ordinal) == true;
            var size = isFile ? result.Bytes.Length : result.Body["sizeBytes"]!.GetValue<long>();
            output.WriteLine($"rows={rows} delivery={delivery}: {watch.ElapsedMilliseconds} ms, {size:N0} bytes");
            // Every invoice is in the file (per line: each has its one line), the header not counted.
            var dataRows = isFile ? System.Text.Encoding.UTF8.GetString(result.Bytes).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length - 1 : result.Body["rows"]!.GetValue<int>();
            Assert.Equal(count * (rows == "line" ? draft.Content.Lines.Count : 1), dataRows);
        }
    }
}
