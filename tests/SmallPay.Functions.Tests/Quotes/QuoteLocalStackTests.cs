using System.Text.RegularExpressions;
using SmallPay.Functions.Tests.Api;
using SmallPay.Functions.Tests.Infrastructure;
using SmallPay.Functions.Tests.Pipeline;

namespace SmallPay.Functions.Tests.Quotes;

/// <summary>
/// A quote end to end on the local stack, over DynamoDB Local's conditional writes and transactions: sent through the
/// pipeline and mailed with its page link, the page served by the local host, six customers' answers at once recorded
/// once, six converts at once making one invoice.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed partial class QuoteLocalStackTests(LocalStackFixture stack) : PipelineTest(stack)
{
    [Fact]
    public async Task A_quote_is_mailed_with_its_page_accepted_once_and_converted_once_whatever_races()
    {
        var owner = await Stack.CreateUserAsync();
        var api = new ApiClient(Stack.CreateHttpClient(), owner.IdToken);
        var customerEmail = $"quote-{Guid.NewGuid():N}@example.com";
        var customerId = (await api.PostAsync("/customers", ApiData.Customer("Quote Client", customerEmail))).Expect(201).Id;
        var quote = (await api.PostAsync("/quotes", new
        {
            customerId, currency = "EUR", validUntil = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(20).ToString("yyyy-MM-dd"),
            lines = new[] { ApiData.Line("Brand strategy workshop", 1, 1200) },
        })).Expect(201);

        var sent = (await api.PostAsync($"/quotes/{quote.Id}/send")).Expect(202);
        Assert.Equal("QUO-000001", sent.Body["number"]!.GetValue<string>());
        var mail = Assert.Single(await Stack.MailSink.WaitForRecipientAsync(customerEmail, timeout: TimeSpan.FromSeconds(30)));
        Assert.StartsWith("Quote QUO-000001", mail.Subject);
        // The page as the local host serves it (the tests' stack names no public address of its own).
        var link = new Uri(Stack.ApiBaseUrl, new Uri(PageLink().Match(mail.Text ?? "").Value).AbsolutePath);

        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var page = await browser.GetAsync(link);
        Assert.Equal(200, (int)page.StatusCode);
        Assert.Contains("Quote QUO-000001", await page.Content.ReadAsStringAsync());

        var answers = await Task.WhenAll(Enumerable.Range(1, 6).Select(n => browser.PostAsync(link,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["action"] = "accept", ["name"] = $"Customer {n}" }))));
        Assert.Single(answers, a => (int)a.StatusCode == 303);
        Assert.All(answers.Where(a => (int)a.StatusCode != 303), a => Assert.Equal(409, (int)a.StatusCode));
        var accepted = (await api.GetAsync($"/quotes/{quote.Id}")).Expect(200).Body;
        Assert.Equal("Accepted", accepted["status"]!.GetValue<string>());
        Assert.StartsWith("Customer ", accepted["acceptedBy"]!.GetValue<string>());
        Assert.NotNull(accepted["viewedAt"]);

        var converts = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => api.PostAsync($"/quotes/{quote.Id}/convert")));
        var made = Assert.Single(converts, c => c.Code == 201);
        Assert.All(converts.Where(c => c.Code != 201), c => Assert.Equal(409, c.Code));
        var invoices = (await api.GetAsync("/invoices")).Expect(200).Body["items"]!.AsArray();
        Assert.Equal(made.Id, Assert.Single(invoices)!["id"]!.GetValue<string>());
        Assert.Equal(quote.Id, (await api.GetAsync($"/invoices/{made.Id}")).Expect(200).Body["quoteId"]!.GetValue<string>());
        Assert.Equal(made.Id, (await api.GetAsync($"/quotes/{quote.Id}")).Expect(200).Body["invoiceId"]!.GetValue<string>());
    }

    [GeneratedRegex(@"https?://\S+/d/[A-Za-z0-9_.\-%]+")]
    private static partial Regex PageLink();
}
