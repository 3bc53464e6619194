using System.Buffers.Text;
using System.Text;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Tests.Api;
using SmallPay.Functions.Tests.Infrastructure;
using SmallPay.Testing;

namespace SmallPay.Functions.Tests.Storage;

/// <summary>
/// Crafted list cursors, through ListInvoices and ListCustomers on DynamoDB Local: a cursor the API did not issue for
/// that list is a 400 problem at /query/cursor, never a 500, and never shows anything of another tenant.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed class CursorTests(LocalStackFixture stack) : IAsyncLifetime
{
    private readonly string _tenant = $"tenant-{Guid.NewGuid():N}";
    private readonly Dictionary<string, string> _real = new();

    private async Task<ApiAnswer> CallAsync(string function, ApiCall call)
    {
        var environment = stack.EnvironmentFor(function);
        return await FunctionCatalog.Create(function, new FunctionServices(environment, new AwsClients(environment))).InvokeAsync(call);
    }

    private static string Encode(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    public async Task InitializeAsync()
    {
        for (var i = 1; i <= 3; i++)
        {
            var customer = await CallAsync("CreateCustomer", new ApiCall("POST", "/customers", _tenant) { Body = ApiData.Customer($"Customer {i} GmbH") });
            var invoice = await CallAsync("CreateInvoice", new ApiCall("POST", "/invoices", _tenant)
            {
                Body = ApiData.Invoice(customer.Id, issueDate: $"2026-11-0{i}", dueDate: "2026-11-30"),
            });
            Assert.Equal((201, 201), (customer.Status, invoice.Status));
        }
        _real["invoices"] = (await List("ListInvoices", "/invoices", new() { ["limit"] = "1" })).Json["nextCursor"]!.GetValue<string>();
        _real["customers"] = (await List("ListCustomers", "/customers", new() { ["limit"] = "1" })).Json["nextCursor"]!.GetValue<string>();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<ApiAnswer> List(string function, string path, Dictionary<string, string> query) =>
        CallAsync(function, new ApiCall("GET", path, _tenant) { Query = query });

    public static TheoryData<string, string, string, string?, int> Cases() => new()
    {
        // case, route (invoices|customers), cursor ({invoices}/{customers}: a real one of that list), extra query, status
        { "a real invoices cursor", "invoices", "{invoices}", null, 200 },
        { "a real customers cursor", "customers", "{customers}", null, 200 },
        { "sort key after the to date", "invoices", Encode("inv_01ARZ3NDEKTSV4RRFFQ69G5FAV\n2026-12-31#inv_01ARZ3NDEKTSV4RRFFQ69G5FAV"), "from=2026-11-01&to=2026-11-30", 400 },
        { "sort key before the from date", "invoices", Encode("inv_01ARZ3NDEKTSV4RRFFQ69G5FAV\n2025-01-01#inv_01ARZ3NDEKTSV4RRFFQ69G5FAV"), "from=2026-11-01", 400 },
        { "a real cursor outside the from/to of the next request", "invoices", "{invoices}", "from=2026-11-01&to=2026-11-02", 400 },
        { "a real cursor on the edge of the next request's range (nothing after it)", "invoices", "{invoices}", "from=2026-11-03&to=2026-11-03", 200 },
        { "sort key outside the range the list always has", "invoices", Encode("inv_01ARZ3NDEKTSV4RRFFQ69G5FAV\nzzzz#inv_01ARZ3NDEKTSV4RRFFQ69G5FAV"), null, 400 },
        { "a customers cursor on invoices", "invoices", "{customers}", null, 400 },
        { "an invoices cursor on customers", "customers", "{invoices}", null, 400 },
        { "another index's key shape (a ranking)", "invoices", Encode("inv_01ARZ3NDEKTSV4RRFFQ69G5FAV\n1795166441000"), null, 400 },
        { "sort key not ending in the id", "customers", Encode("cus_01ARZ3NDEKTSV4RRFFQ69G5FAV\nmüller gmbh#cus_SOMEONEELSE"), null, 400 },
        { "three parts", "customers", Encode("cus_a\nb#cus_a\nc"), null, 400 },
        { "empty parts", "invoices", Encode("\n"), null, 400 },
        { "invalid base64", "invoices", "%%%garbage", null, 400 },
        { "base64 of random bytes", "customers", Convert.ToBase64String(Enumerable.Range(0, 48).Select(i => (byte)(i * 37 + 11)).ToArray()), null, 400 },
        { "base64 of text without a line break", "invoices", Encode("inv_01ARZ3NDEKTSV4RRFFQ69G5FAV"), null, 400 },
        { "over 1024 characters", "invoices", Encode("inv_" + new string('x', 800) + "\n2026-11-02#inv_" + new string('x', 800)), null, 400 },
        { "long but well-formed, inside the range", "invoices", Encode("inv_" + new string('x', 300) + "\n2026-11-02#inv_" + new string('x', 300)), null, 200 },
        { "well-formed with control characters", "customers", Encode("cus_\u0001\u0000\nname\u0000#cus_\u0001\u0000"), null, 200 },
        { "a number id", "customers", Encode("cus_1\n1#cus_1"), null, 200 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_crafted_cursor_is_a_400_never_a_500(string name, string route, string cursor, string? extra, int expected)
    {
        var query = new Dictionary<string, string> { ["cursor"] = cursor.Replace("{invoices}", _real["invoices"]).Replace("{customers}", _real["customers"]) };
        foreach (var pair in (extra ?? "").Split('&', StringSplitOptions.RemoveEmptyEntries)) query[pair.Split('=')[0]] = pair.Split('=')[1];

        var answer = await List(route == "invoices" ? "ListInvoices" : "ListCustomers", $"/{route}", query);

        Assert.True(answer.Status == expected, $"{name}: expected {expected}, got {answer}");
        if (expected == 400)
        {
            Assert.Equal("/problems/bad-request", answer.ProblemType);
            Assert.Contains("/query/cursor", answer.Json["errors"]!.AsArray().Select(e => e!["pointer"]!.GetValue<string>()));
        }
        else
        {
            Assert.All(answer.Json["items"]!.AsArray(), item => Assert.StartsWith(route == "invoices" ? "inv_" : "cus_", item!["id"]!.GetValue<string>()));
        }
    }
}
