using SmallPay.Functions.Tests.Api;
using SmallPay.Functions.Tests.Documents;
using SmallPay.Testing;

namespace SmallPay.Functions.Tests.CreditNotes;

/// <summary>
/// Credit notes over the in-memory API: issued against finalized invoices by lines or by amount in the invoice's currency
/// and tax rates, never more than is left to credit, numbered from their own gapless series; the invoice's balance,
/// status, reminder marker and void rule follow; what exceeds the balance is owed back and refunded.
/// </summary>
public sealed class CreditNoteApiTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
    private readonly InMemoryApi _api = new(new InMemoryFunctionServices(clock: new ManualClock(Start)));

    private ApiClient Owner(string? sub = null) => new(_api.CreateClient(), InMemoryApi.TokenPrefix + (sub ?? Guid.NewGuid().ToString()));

    private static Dictionary<string, string> Key(string key) => new() { ["Idempotency-Key"] = key };

    [Fact]
    public Task Eight_concurrent_issues_are_numbered_CN_000001_to_8() => CreditNoteScenarios.EightConcurrentIssuesAreNumberedGaplessAsync(Owner());

    [Fact]
    public Task Two_concurrent_credit_notes_never_exceed_what_is_left_to_credit() => CreditNoteScenarios.TwoConcurrentIssuesNeverExceedTheCreditableAsync(Owner());

    [Fact]
    public Task A_credit_on_a_paid_invoice_is_owed_back_then_refunded() => CreditNoteScenarios.PaidInvoiceCreditIsOwedThenRefundedAsync(Owner());

    [Theory]
    [InlineData("JPY", 3, 1000, 10, 1, "1100", "2200")]      // no minor unit: 3300 in all
    [InlineData("USD", 2, 19.99, 8.25, 1, "21.64", "21.64")] // 39.98 + 3.30 tax = 43.28; one: 19.99 + 1.65
    [InlineData("KWD", 4, 1.255, 5, 2, "2.636", "2.635")]    // 3 minor digits: 5.020 + 0.251 = 5.271; two: 2.510 + 0.126
    public async Task Lines_are_credited_at_the_invoice_s_prices_and_tax_in_its_currency(string currency, decimal quantity, decimal unitPrice, decimal taxRate,
        decimal creditQuantity, string expectedCredit, string expectedBalance)
    {
        var api = Owner();
        var invoiceId = await CreditNoteScenarios.FinalizedInvoiceAsync(api, currency, quantity, unitPrice, taxRate);
        var total = (await api.GetAsync($"/invoices/{invoiceId}")).Expect(200).Money("totals.total");
        var note = (await api.PostAsync($"/invoices/{invoiceId}/credit-notes", new { lines = new[] { new { lineIndex = 0, quantity = creditQuantity } }, reason = "Returned" })).Expect(201);
        Assert.Equal(decimal.Parse(expectedCredit, System.Globalization.CultureInfo.InvariantCulture), note.Money("total"));
        Assert.Equal(currency, note.Body["currency"]!.GetValue<string>());
        Assert.Equal(taxRate, note.Money("lines.0.taxRatePercent"));
        var invoice = (await api.GetAsync($"/invoices/{invoiceId}")).Expect(200);
        Assert.Equal(note.Money("total"), invoice.Money("creditedTotal"));
        Assert.Equal(total - note.Money("total"), invoice.Money("totals.balanceDue"));
        Assert.Equal(decimal.Parse(expectedBalance, System.Globalization.CultureInfo.InvariantCulture), invoice.Money("totals.balanceDue"));
        Assert.Equal("Open", invoice.Body["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("JPY", 1000, 10, "550", "550")]
    [InlineData("USD", 100, 19, "59.50", "59.50")]
    [InlineData("KWD", 10, 5, "5.250", "5.250")]
    public async Task An_amount_is_credited_exactly_at_the_invoice_s_tax_rate(string currency, decimal unitPrice, decimal taxRate, string amount, string expectedBalance)
    {
        var api = Owner();
        var invoiceId = await CreditNoteScenarios.FinalizedInvoiceAsync(api, currency, 1, unitPrice, taxRate);
        var note = (await api.PostAsync($"/invoices/{invoiceId}/credit-notes", new { amount, reason = "Late delivery" })).Expect(201);
        Assert.Equal(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), note.Money("total"));
        Assert.Equal(taxRate, note.Money("lines.0.taxRatePercent"));
        Assert.Equal(note.Money("total"), note.Money("totals.subtotal") + note.Money("totals.tax"));
        Assert.Equal(decimal.Parse(expectedBalance, System.Globalization.CultureInfo.InvariantCulture),
            (await api.GetAsync($"/invoices/{invoiceId}")).Expect(200).Money("totals.balanceDue"));
    }

    [Fact]
    public async Task A_fully_credited_unpaid_invoice_becomes_Paid_and_loses_its_reminder_marker()
    {
        var api = Owner();
        var invoiceId = await CreditNoteScenarios.FinalizedInvoiceAsync(api, "EUR", 2, 50, 19);
        Assert.Contains(_api.Services.Stores.Reminders.All, m => m.InvoiceId == invoiceId);
        (await api.PostAsync($"/invoices/{invoiceId}/payments", new { amount = 19 })).Expect(201);
        var note = (await api.PostAsync($"/invoices/{invoiceId}/credit-notes", new { lines = new[] { new { lineIndex = 0, quantity = 2 } }, reason = "Cancelled order" })).Expect(201);
        Assert.Equal(119m, note.Money("total"));
        Assert.Equal(19m, note.Money("owedToCustomer")); // 19 paid and 119 credited on 119: 19 goes back
        var invoice = (await api.GetAsync($"/invoices/{invoiceId}")).Expect(200);
        Assert.Equal("Paid", invoice.Body["status"]!.GetValue<string>());
        Assert.Equal(0m, invoice.Money("totals.balanceDue"));
        Assert.Equal(19m, invoice.Money("owedToCustomer"));
        Assert.DoesNotContain(_api.Services.Stores.Reminders.All, m => m.InvoiceId == invoiceId);
        // Nothing is left to credit now.
        (await api.PostAsync($"/invoices/{invoiceId}/credit-notes", new { amount = 1, reason = "Again" })).Expect(409);
    }

    [Fact]
    public async Task An_invoice_with_credit_notes_cannot_be_voided()
    {
        var api = Owner();
        var invoiceId = await CreditNoteScenarios.FinalizedInvoiceAsync(api);
        (await api.PostAsync($"/invoices/{invoiceId}/credit-notes", new { amount = 10, reason = "Discount agreed later" })).Expect(201);
        (await api.PostAsync($"/invoices/{invoiceId}/void", new { reason = "Mistake" })).Expect(409);
        Assert.Equal("Open", (await api.GetAsync($"/invoices/{invoiceId}")).Expect(200).Body["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Drafts_and_void_invoices_take_no_credit_notes()
    {
        var api = Owner();
        var customerId = (await api.PostAsync("/customers", ApiData.Customer())).Expect(201).Id;
        var draft = (await api.PostAsync("/invoices", ApiData.Invoice(customerId))).Expect(201).Id;
        (await api.PostAsync($"/invoices/{draft}/credit-notes", new { amount = 1, reason = "x" })).Expect(409);
        var voided = await CreditNoteScenarios.FinalizedInvoiceAsync(api);
        (await api.PostAsync($"/invoices/{voided}/void", new { reason = "Mistake" })).Expect(200);
        (await api.PostAsync($"/invoices/{voided}/credit-notes", new { amount = 1, reason = "x" })).Expect(409);
        Assert.Empty(_api.Services.Stores.CreditNotes.All);
    }

    [Fact]
    public async Task Another_business_s_invoice_and_credit_notes_read_as_404()
    {
        var owner = Owner();
        var stranger = Owner();
        var invoiceId = await CreditNoteScenarios.FinalizedInvoiceAsync(owner);
        var note = (await owner.PostAsync($"/invoices/{invoiceId}/credit-notes", new { amount = 10, reason = "Goodwill" })).Expect(201);
        (await stranger.PostAsync($"/invoices/{invoiceId}/credit-notes", new { amount = 10, reason = "Goodwill" })).Expect(404);
        (await stranger.GetAsync($"/credit-notes/{note.Id}")).Expect(404);
        (await stranger.PostAsync($"/credit-notes/{note.Id}/refunds", new { amount = 1 })).Expect(404);
        Assert.Empty((await stranger.GetAsync("/credit-notes")).Expect(200).Body["items"]!.AsArray());
        (await owner.GetAsync($"/credit-notes/{note.Id}")).Expect(200);
        (await owner.GetAsync("/credit-notes/crn_nonsense")).Expect(404);
    }

    [Fact]
    public async Task A_request_repeated_under_its_Idempotency_Key_issues_one_credit_note()
    {
        var api = Owner();
        var invoiceId = await CreditNoteScenarios.FinalizedInvoiceAsync(api);
        var first = (await api.PostAsync($"/invoices/{invoiceId}/credit-notes", new { amount = 10, reason = "Goodwill" }, Key("cn-1"))).Expect(201);
        var again = (await api.PostAsync($"/invoices/{invoiceId}/credit-notes", new { amount = 10, reason = "Goodwill" }, Key("cn-1"))).Expect(201);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal("CN-000001", again.Body["number"]!.GetValue<string>());
        Assert.StartsWith("crn_", first.Id);
        Assert.Equal(27 + 3, first.Id.Length);
        Assert.Single(_api.Services.Stores.CreditNotes.All);
        Assert.Equal(10m, (await api.GetAsync($"/invoices/{invoiceId}")).Expect(200).Money("creditedTotal"));
        Assert.Equal(2, (await api.GetAsync("/settings")).Expect(200).Body["creditNoteNextNumber"]!.GetValue<long>());
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"reason":"x"}""", "/lines" },
        { """{"amount":5,"lines":[{"lineIndex":0,"quantity":1}],"reason":"x"}""", "/amount" },
        { """{"amount":5}""", "/reason" },
        { """{"amount":5,"reason":"   "}""", "/reason" },
        { """{"amount":0,"reason":"x"}""", "/amount" },
        { """{"amount":-3,"reason":"x"}""", "/amount" },
        { """{"amount":"1.001","reason":"x"}""", "/amount" },
        { """{"amount":100.01,"reason":"x"}""", "/amount" },
        { """{"lines":[],"reason":"x"}""", "/lines" },
        { """{"lines":[null],"reason":"x"}""", "/lines/0" },
        { """{"lines":[{"quantity":1}],"reason":"x"}""", "/lines/0/lineIndex" },
        { """{"lines":[{"lineIndex":0}],"reason":"x"}""", "/lines/0/quantity" },
        { """{"lines":[{"lineIndex":5,"quantity":1}],"reason":"x"}""", "/lines/0/lineIndex" },
        { """{"lines":[{"lineIndex":-1,"quantity":1}],"reason":"x"}""", "/lines/0/lineIndex" },
        { """{"lines":[{"lineIndex":0,"quantity":2}],"reason":"x"}""", "/lines/0/quantity" },
        { """{"lines":[{"lineIndex":0,"quantity":0}],"reason":"x"}""", "/lines/0/quantity" },
        { """{"lines":[{"lineIndex":0,"quantity":0.5},{"lineIndex":0,"quantity":0.5}],"reason":"x"}""", "/lines/1/lineIndex" },
        { "{\"amount\":5,\"reason\":\"" + new string('r', 201) + "\"}", "/reason" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_bodies_get_422_with_the_field_s_pointer(string body, string pointer)
    {
        var api = Owner();
        var invoiceId = await CreditNoteScenarios.FinalizedInvoiceAsync(api);
        var result = await api.SendAsync(HttpMethod.Post, $"/invoices/{invoiceId}/credit-notes", rawBody: body);
        result.Expect(422);
        Assert.Contains(pointer, result.ErrorPointers());
        Assert.Empty(_api.Services.Stores.CreditNotes.All);
    }

    [Theory]
    [InlineData("""{"amount":"abc","reason":"x"}""")]
    [InlineData("""{"lines":{"lineIndex":0},"reason":"x"}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""not json""")]
    public async Task Malformed_bodies_get_400_never_5xx(string body)
    {
        var api = Owner();
        var invoiceId = await CreditNoteScenarios.FinalizedInvoiceAsync(api);
        (await api.SendAsync(HttpMethod.Post, $"/invoices/{invoiceId}/credit-notes", rawBody: body)).Expect(400);
    }

    [Fact]
    public async Task Bad_refunds_get_422_with_pointers()
    {
        var api = Owner();
        var invoiceId = await CreditNoteScenarios.FinalizedInvoiceAsync(api);
        (await api.PostAsync($"/invoices/{invoiceId}/payments", new { amount = 100 })).Expect(201);
        var note = (await api.PostAsync($"/invoices/{invoiceId}/credit-notes", new { amount = 20, reason = "Goodwill" })).Expect(201);
        Assert.Contains("/amount", (await api.PostAsync($"/credit-notes/{note.Id}/refunds", new { })).Expect(422).ErrorPointers());
        Assert.Contains("/amount", (await api.PostAsync($"/credit-notes/{note.Id}/refunds", new { amount = -1 })).Expect(422).ErrorPointers());
        Assert.Contains("/amount", (await api.PostAsync($"/credit-notes/{note.Id}/refunds", new { amount = 1.001m })).Expect(422).ErrorPointers());
        Assert.Contains("/date", (await api.PostAsync($"/credit-notes/{note.Id}/refunds", new { amount = 1, date = "2027-06-01" })).Expect(422).ErrorPointers());
        (await api.PostAsync($"/credit-notes/{note.Id}/refunds", new { amount = 1, method = "Barter" })).Expect(400);
        Assert.Equal(20m, (await api.GetAsync($"/credit-notes/{note.Id}")).Expect(200).Money("owedToCustomer"));
    }

    [Fact]
    public async Task A_partial_credit_on_a_partly_paid_invoice_lowers_the_balance_and_owes_only_the_excess()
    {
        var api = Owner();
        var invoiceId = await CreditNoteScenarios.FinalizedInvoiceAsync(api);
        (await api.PostAsync($"/invoices/{invoiceId}/payments", new { amount = 80 })).Expect(201);
        var note = (await api.PostAsync($"/invoices/{invoiceId}/credit-notes", new { amount = 30, reason = "Short delivery" })).Expect(201);
        Assert.Equal(10m, note.Money("owed"));
        var invoice = (await api.GetAsync($"/invoices/{invoiceId}")).Expect(200);
        Assert.Equal("Paid", invoice.Body["status"]!.GetValue<string>());
        Assert.Equal(0m, invoice.Money("totals.balanceDue"));
        Assert.Equal(10m, invoice.Money("owedToCustomer"));
        Assert.Equal(note.Id, invoice.Body["credits"]![0]!["creditNoteId"]!.GetValue<string>());
        (await api.PostAsync($"/invoices/{invoiceId}/payments", new { amount = 1 })).Expect(409);
    }

    [Fact]
    public async Task The_CSV_export_lists_the_credit_notes_issued_in_the_range_with_the_API_s_figures()
    {
        var api = Owner();
        var first = await CreditNoteScenarios.FinalizedInvoiceAsync(api, "KWD", 4, 1.255m, 5);
        var second = await CreditNoteScenarios.FinalizedInvoiceAsync(api);
        (await api.PostAsync($"/invoices/{second}/payments", new { amount = 100 })).Expect(201);
        var byLines = (await api.PostAsync($"/invoices/{first}/credit-notes", new { lines = new[] { new { lineIndex = 0, quantity = 2 } }, reason = "=cmd|' /C calc'!A0" })).Expect(201);
        var byAmount = (await api.PostAsync($"/invoices/{second}/credit-notes", new { amount = "12.50", reason = "Late, \"sorry\"" })).Expect(201);

        var export = (await api.GetAsync("/exports?kind=credit-notes&from=2026-11-01&to=2026-11-30")).Expect(200);
        Assert.Equal("attachment; filename=\"credit-notes-2026-11-01-to-2026-11-30.csv\"", export.Headers["content-disposition"]);
        var text = System.Text.Encoding.UTF8.GetString(export.Bytes, 3, export.Bytes.Length - 3);
        Assert.StartsWith("number,creditNoteId,issueDate,invoiceNumber,invoiceId,customerId,customerName,currency,reason,subtotal,discount,tax,total,owed,refunded,owedToCustomer\r\n", text);
        var rows = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, rows.Length);
        Assert.StartsWith($"CN-000001,{byLines.Id},2026-11-20,INV-000001,{first},", rows[1]);
        Assert.Contains(",KWD,\"'=cmd|' /C calc'!A0\",2.510,0.000,0.126,2.636,0.000,0.000,0.000", rows[1]); // 3 digits; formula defused
        Assert.StartsWith($"CN-000002,{byAmount.Id},2026-11-20,INV-000002,{second},", rows[2]);
        Assert.EndsWith(",EUR,\"Late, \"\"sorry\"\"\",12.50,0.00,0.00,12.50,12.50,0.00,12.50", rows[2]);
        Assert.Single(text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1), r => r.Contains("CN-000002", StringComparison.Ordinal));
        var outside = (await api.GetAsync("/exports?kind=credit-notes&from=2026-12-01&to=2026-12-31")).Expect(200);
        Assert.Equal("0", outside.Headers["x-smallpay-rows"]);
        Assert.Empty((await Owner().GetAsync("/exports?kind=credit-notes&from=2026-11-01&to=2026-11-30")).Expect(200).Headers["x-smallpay-rows"].Trim('0'));
    }
}
