namespace SmallPay.Functions.Tests.Api;

/// <summary>Request bodies for tests: sensible defaults, override what the test is about.</summary>
public static class ApiData
{
    public static object Customer(string? name = null, string? email = null) => new
    {
        name = name ?? "Müller GmbH",
        email = email ?? $"billing+{Guid.NewGuid():N}@example.com",
        phone = "+49 30 1234567",
        address = new { line1 = "Hauptstraße 5", city = "Berlin", postalCode = "10115", country = "DE" },
        taxId = "DE123456789",
    };

    public static object Invoice(string customerId, string currency = "EUR", object[]? lines = null, object? discount = null,
        string? issueDate = null, string? dueDate = null, string? notes = "Thank you for your business.") => new
    {
        customerId,
        currency,
        issueDate = issueDate ?? "2026-11-02",
        dueDate = dueDate ?? "2026-11-16",
        lines = lines ?? [Line("Consulting", 10, 95.5m, taxRate: 19), Line("Travel", 1, 120, taxRate: 7)],
        discount,
        notes,
    };

    public static object Line(string description, decimal quantity, decimal unitPrice, decimal discount = 0, decimal taxRate = 19) =>
        new { description, quantity, unitPrice, discountPercent = discount, taxRatePercent = taxRate };
}
