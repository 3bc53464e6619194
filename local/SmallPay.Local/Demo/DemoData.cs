using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace SmallPay.Local.Demo;

/// <summary>
/// Sample data for the demo account, created through the API exactly as the SPA would: a business profile,
/// customers in several countries, and invoices in every state (draft, open, partly paid, paid, overdue, void)
/// over the past months, so the dashboard and every list have something to show. Runs only while the demo
/// tenant has no customers, so restarting against running emulators adds nothing.
/// </summary>
public static class DemoData
{
    /// <param name="api">Base address = the local API; sends the demo user's ID token as Authorization.</param>
    public static async Task SeedAsync(HttpClient api, CancellationToken cancellationToken)
    {
        var existing = await SendAsync(api, HttpMethod.Get, "customers?limit=1", null, cancellationToken);
        if (existing["items"]!.AsArray().Count > 0) return;

        var settings = await SendAsync(api, HttpMethod.Get, "settings", null, cancellationToken);
        await SendAsync(api, HttpMethod.Put, "settings", new JsonObject
        {
            ["businessName"] = "Northwind Studio",
            ["address"] = new JsonObject { ["line1"] = "Kastanienallee 12", ["city"] = "Berlin", ["postalCode"] = "10435", ["country"] = "Germany" },
            ["email"] = "hello@northwind.example",
            ["phone"] = "+49 30 5550 1234",
            ["taxId"] = "DE287654321",
            ["defaultCurrency"] = "EUR",
            ["paymentTermsDays"] = 14,
            ["numberPrefix"] = "NW-",
            ["nextNumber"] = 1,
        }, cancellationToken, ifMatch: settings["version"]!.GetValue<long>());

        var acme = await CustomerAsync(api, "Acme Robotics GmbH", "ap@acme-robotics.example", "Hafenstraße 3", "Hamburg", "20457", "Germany", "DE811907980", cancellationToken);
        var lodz = await CustomerAsync(api, "Łódź Craft Brewery", "faktury@lodzcraft.example", "ul. Piotrkowska 104", "Łódź", "90-006", "Poland", "PL7251801126", cancellationToken);
        var bluebird = await CustomerAsync(api, "Bluebird Café", "owner@bluebird.example", "18 Market Street", "San Francisco", "94105", "United States", null, cancellationToken);
        var athens = await CustomerAsync(api, "Ελληνικά Γεύματα ΑΕ", "logistirio@gevmata.example", "Ermou 21", "Athens", "105 63", "Greece", "EL094259216", cancellationToken);

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        // (customer, currency, days ago issued, terms, lines, what happens after it is issued)
        var plan = new (string Customer, string Currency, int DaysAgo, int Terms, JsonArray Lines, Func<string, decimal, Task>? After)[]
        {
            (acme, "EUR", 150, 14, Lines(("Brand workshop (2 days)", 2, 1200m, 0m, 19m), ("Logo design", 1, 2400m, 0m, 19m)), (id, due) => PayAsync(api, id, due, today.AddDays(-140), cancellationToken)),
            (lodz, "EUR", 120, 30, Lines(("Label design, 4 beers", 4, 350m, 10m, 23m)), (id, due) => PayAsync(api, id, due, today.AddDays(-95), cancellationToken)),
            (bluebird, "USD", 95, 30, Lines(("Menu redesign", 1, 1800m, 0m, 0m), ("Photography, half day", 1, 650m, 0m, 0m)), (id, due) => PayAsync(api, id, due, today.AddDays(-70), cancellationToken)),
            (athens, "EUR", 80, 30, Lines(("Website, phase 1", 1, 4800m, 0m, 24m)), (id, _) => PayAsync(api, id, 2000m, today.AddDays(-40), cancellationToken)),
            (acme, "EUR", 60, 14, Lines(("Trade fair booth graphics", 1, 3100m, 0m, 19m), ("Printing (pass-through)", 1, 890m, 0m, 7m)), null),
            (bluebird, "USD", 45, 14, Lines(("Instagram content, October", 12, 85m, 0m, 0m)), null),
            (lodz, "EUR", 30, 30, Lines(("Can artwork adaptation", 3, 420m, 0m, 23m)), (id, due) => PayAsync(api, id, due, today.AddDays(-10), cancellationToken)),
            (acme, "EUR", 20, 14, Lines(("Wrong customer — reissued", 1, 500m, 0m, 19m)), (id, _) => VoidAsync(api, id, cancellationToken)),
            (athens, "EUR", 12, 30, Lines(("Website, phase 2", 1, 5200m, 0m, 24m), ("Hosting, 12 months", 12, 25m, 0m, 24m)), null),
            (bluebird, "USD", 5, 14, Lines(("Instagram content, November", 12, 85m, 0m, 0m)), null),
        };
        foreach (var (customer, currency, daysAgo, terms, lines, after) in plan)
        {
            var id = await InvoiceAsync(api, customer, currency, today.AddDays(-daysAgo), terms, lines, cancellationToken);
            var issued = await SendAsync(api, HttpMethod.Post, $"invoices/{id}/finalize", null, cancellationToken);
            if (after is not null) await after(id, issued["totals"]!["balanceDue"]!.GetValue<decimal>());
        }
        // Two drafts still being written.
        await InvoiceAsync(api, acme, "EUR", today, 14, Lines(("Annual report layout (estimate)", 40, 95m, 0m, 19m)), cancellationToken,
            discountPercent: 5m, notes: "Draft: confirm page count with Acme before sending.");
        await InvoiceAsync(api, lodz, "EUR", today, 30, Lines(("Seasonal label, winter ale", 1, 600m, 0m, 23m)), cancellationToken);
    }

    private static JsonArray Lines(params (string Description, decimal Quantity, decimal UnitPrice, decimal Discount, decimal Tax)[] lines) =>
        new(lines.Select(l => (JsonNode)new JsonObject
        {
            ["description"] = l.Description, ["quantity"] = l.Quantity, ["unitPrice"] = l.UnitPrice,
            ["discountPercent"] = l.Discount, ["taxRatePercent"] = l.Tax,
        }).ToArray());

    private static async Task<string> CustomerAsync(HttpClient api, string name, string email, string street, string city, string postalCode,
        string country, string? taxId, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["name"] = name, ["email"] = email, ["taxId"] = taxId,
            ["address"] = new JsonObject { ["line1"] = street, ["city"] = city, ["postalCode"] = postalCode, ["country"] = country },
        };
        return (await SendAsync(api, HttpMethod.Post, "customers", body, ct))["id"]!.GetValue<string>();
    }

    private static async Task<string> InvoiceAsync(HttpClient api, string customerId, string currency, DateOnly issued, int terms, JsonArray lines,
        CancellationToken ct, decimal discountPercent = 0m, string? notes = "Thank you for your business!")
    {
        var body = new JsonObject
        {
            ["customerId"] = customerId, ["currency"] = currency, ["issueDate"] = Date(issued), ["paymentTermsDays"] = terms,
            ["lines"] = lines, ["notes"] = notes,
            ["discount"] = discountPercent > 0 ? new JsonObject { ["kind"] = "Percent", ["value"] = discountPercent } : null,
        };
        return (await SendAsync(api, HttpMethod.Post, "invoices", body, ct))["id"]!.GetValue<string>();
    }

    private static Task PayAsync(HttpClient api, string invoiceId, decimal amount, DateOnly date, CancellationToken ct) =>
        SendAsync(api, HttpMethod.Post, $"invoices/{invoiceId}/payments",
            new JsonObject { ["amount"] = amount, ["date"] = Date(date), ["method"] = "BankTransfer" }, ct);

    private static Task VoidAsync(HttpClient api, string invoiceId, CancellationToken ct) =>
        SendAsync(api, HttpMethod.Post, $"invoices/{invoiceId}/void", new JsonObject { ["reason"] = "Issued to the wrong company" }, ct);

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<JsonNode> SendAsync(HttpClient api, HttpMethod method, string path, JsonNode? body, CancellationToken ct, long? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body);
        if (ifMatch is { } version) request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
        using var response = await api.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"Demo data: {method} /{path} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text.Length == 0 ? "{}" : text)!;
    }
}
