using SmallPay.Functions.Tests.Api;

namespace SmallPay.Functions.Tests.CreditNotes;

/// <summary>Credit note checks that run the same over the in-memory API and the local stack (DynamoDB Local's transactions).</summary>
internal static class CreditNoteScenarios
{
    /// <summary>A finalized invoice of one line (<paramref name="quantity"/> × <paramref name="unitPrice"/> at <paramref name="taxRate"/>%).</summary>
    public static async Task<string> FinalizedInvoiceAsync(ApiClient api, string currency = "EUR", decimal quantity = 1, decimal unitPrice = 100, decimal taxRate = 0,
        string? dueDate = null)
    {
        var customerId = (await api.PostAsync("/customers", ApiData.Customer())).Expect(201).Id;
        var id = (await api.PostAsync("/invoices", ApiData.Invoice(customerId, currency, [ApiData.Line("Work", quantity, unitPrice, taxRate: taxRate)],
            issueDate: "2026-11-02", dueDate: dueDate ?? "2026-11-16"))).Expect(201).Id;
        (await api.PostAsync($"/invoices/{id}/finalize")).Expect(200);
        return id;
    }

    /// <summary>8 credit notes issued at once against one invoice get CN-000001 … CN-000008, none skipped, each counted once.</summary>
    public static async Task EightConcurrentIssuesAreNumberedGaplessAsync(ApiClient api)
    {
        var invoiceId = await FinalizedInvoiceAsync(api, unitPrice: 1000);
        async Task<ApiResult> IssueAsync(int n)
        {
            for (var attempt = 1; ; attempt++)
            {
                var result = await api.PostAsync($"/invoices/{invoiceId}/credit-notes", new { amount = "10.00", reason = $"Goodwill {n}" });
                if (result.Code != 503 || attempt == 10) return result;
                await Task.Delay(Random.Shared.Next(50, 250));
            }
        }
        var results = await Task.WhenAll(Enumerable.Range(1, 8).Select(IssueAsync));
        Assert.All(results, r => r.Expect(201));
        Assert.Equal(Enumerable.Range(1, 8).Select(n => $"CN-{n:000000}"), results.Select(r => r.Body["number"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        var invoice = (await api.GetAsync($"/invoices/{invoiceId}")).Expect(200);
        Assert.Equal(80m, invoice.Money("creditedTotal"));
        Assert.Equal(920m, invoice.Money("totals.balanceDue"));
        Assert.Equal(8, invoice.Body["credits"]!.AsArray().Count);
        Assert.Equal(9, (await api.GetAsync("/settings")).Expect(200).Body["creditNoteNextNumber"]!.GetValue<long>());
        var listed = (await api.GetAsync($"/credit-notes?invoiceId={invoiceId}&limit=5")).Expect(200);
        Assert.Equal(5, listed.Body["items"]!.AsArray().Count);
        var rest = (await api.GetAsync($"/credit-notes?invoiceId={invoiceId}&limit=5&cursor={Uri.EscapeDataString(listed.Body["nextCursor"]!.GetValue<string>())}")).Expect(200);
        Assert.Equal(3, rest.Body["items"]!.AsArray().Count);
    }

    /// <summary>Two credit notes of 60 at once against an invoice of 100: one is issued, the other refused; never 120 credited.</summary>
    public static async Task TwoConcurrentIssuesNeverExceedTheCreditableAsync(ApiClient api)
    {
        var invoiceId = await FinalizedInvoiceAsync(api);
        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => api.PostAsync($"/invoices/{invoiceId}/credit-notes", new { amount = 60, reason = "Returned" })));
        Assert.Equal([201, 422], results.Select(r => r.Code).Order());
        Assert.Contains("/amount", results.Single(r => r.Code == 422).ErrorPointers());
        var invoice = (await api.GetAsync($"/invoices/{invoiceId}")).Expect(200);
        Assert.Equal(60m, invoice.Money("creditedTotal"));
        Assert.Equal(40m, invoice.Money("totals.balanceDue"));
    }

    /// <summary>A credit on a paid invoice is owed back; a refund settles it; over-refunds are refused; the dashboard nets the refund.</summary>
    public static async Task PaidInvoiceCreditIsOwedThenRefundedAsync(ApiClient api)
    {
        var invoiceId = await FinalizedInvoiceAsync(api);
        (await api.PostAsync($"/invoices/{invoiceId}/payments", new { amount = 100 })).Expect(201);
        var note = (await api.PostAsync($"/invoices/{invoiceId}/credit-notes", new { amount = "30.00", reason = "Damaged item" })).Expect(201);
        Assert.Equal(30m, note.Money("owedToCustomer"));
        var invoice = (await api.GetAsync($"/invoices/{invoiceId}")).Expect(200);
        Assert.Equal("Paid", invoice.Body["status"]!.GetValue<string>());
        Assert.Equal(30m, invoice.Money("owedToCustomer"));
        Assert.Equal(0m, invoice.Money("totals.balanceDue"));

        var over = (await api.PostAsync($"/credit-notes/{note.Id}/refunds", new { amount = 30.01m })).Expect(422);
        Assert.Contains("/amount", over.ErrorPointers());
        var refunded = (await api.PostAsync($"/credit-notes/{note.Id}/refunds", new { amount = 30, method = "BankTransfer" },
            new Dictionary<string, string> { ["Idempotency-Key"] = "refund-1" })).Expect(201);
        Assert.Equal(0m, refunded.Money("owedToCustomer"));
        var replay = (await api.PostAsync($"/credit-notes/{note.Id}/refunds", new { amount = 30, method = "BankTransfer" },
            new Dictionary<string, string> { ["Idempotency-Key"] = "refund-1" })).Expect(201);
        Assert.Single(replay.Body["refunds"]!.AsArray());
        (await api.PostAsync($"/credit-notes/{note.Id}/refunds", new { amount = 1 })).Expect(409); // nothing owed any more
        Assert.Equal(0m, (await api.GetAsync($"/invoices/{invoiceId}")).Expect(200).Money("owedToCustomer"));

        var eur = (await api.GetAsync("/dashboard")).Expect(200).Body["currencies"]!.AsArray().Single(c => c!["currency"]!.GetValue<string>() == "EUR")!;
        Assert.Equal(70m, eur["received"]!.GetValue<decimal>()); // 100 paid, 30 refunded
        Assert.Equal(0m, eur["outstanding"]!.GetValue<decimal>());
    }
}
