using SmallPay.Functions.Tests.Api;
using SmallPay.Functions.Tests.Documents;
using SmallPay.Functions.Tests.Infrastructure;
using SmallPay.Testing;

namespace SmallPay.Functions.Tests.Settings;

/// <summary>
/// The business's address becomes the Reply-To of its e-mails only after its owner confirms a code mailed to it, over
/// the in-memory API (the code is read from the store, as the owner reads it from the e-mail the worker sends; the
/// local-stack test that reads it from the real e-mail is InvoiceDeliveryTests).
/// </summary>
public sealed class EmailVerificationTests
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero));
    private readonly InMemoryFunctionServices _services;
    private readonly InMemoryApi _api;

    public EmailVerificationTests()
    {
        _services = new InMemoryFunctionServices(clock: _clock, variables: new Dictionary<string, string>
        {
            ["SMTP_SENDER"] = "invoices@smallpay.test",
            ["SENDING_LIMIT_NEW"] = "3",
        });
        _api = new InMemoryApi(_services);
    }

    private async Task<(ApiClient Api, string Business)> BusinessWithEmailAsync(string email = "owner@atelier.example")
    {
        var business = Guid.NewGuid().ToString();
        var api = new ApiClient(_api.CreateClient(), InMemoryApi.Token(business));
        var etag = (await api.GetAsync("/settings")).Expect(200).ETag;
        (await api.PutAsync("/settings", new { businessName = "Atelier", email }, etag)).Expect(200);
        return (api, business);
    }

    private string CodeOf(string business) => _services.Stores.EmailCodes.Current(business)!.Code;

    private static string Wrong(string code) => code == "000000" ? "111111" : "000000";

    [Fact]
    public async Task The_right_code_verifies_the_address_and_a_changed_address_is_unverified_again()
    {
        var (api, business) = await BusinessWithEmailAsync();
        var before = (await api.GetAsync("/settings")).Expect(200);
        Assert.False(before.Body["emailVerified"]!.GetValue<bool>());

        var issued = (await api.PostAsync("/settings/email-verification")).Expect(202).Body;
        Assert.Equal("owner@atelier.example", issued["email"]!.GetValue<string>());
        Assert.Equal(_clock.Now.AddMinutes(30), issued["expiresAt"]!.GetValue<DateTimeOffset>());
        var code = CodeOf(business);
        Assert.Matches("^[0-9]{6}$", code);

        var verified = (await api.PostAsync("/settings/email-verification/confirm", new { code = $" {code[..3]} {code[3..]} " })).Expect(200);
        Assert.True(verified.Body["emailVerified"]!.GetValue<bool>());
        Assert.Equal(before.Body["version"]!.GetValue<long>() + 1, verified.Body["version"]!.GetValue<long>());
        Assert.Null(_services.Stores.EmailCodes.Current(business)); // spent
        Assert.Equal("owner@atelier.example", (await _services.Settings.GetAsync(business, default)).ReplyTo);

        // A new address in settings is not verified: replies go nowhere until it is.
        var changed = (await api.PutAsync("/settings", new { businessName = "Atelier", email = "someone-else@phish.example" }, verified.ETag)).Expect(200);
        Assert.False(changed.Body["emailVerified"]!.GetValue<bool>());
        Assert.Null((await _services.Settings.GetAsync(business, default)).ReplyTo);
        (await api.PostAsync("/settings/email-verification")).Expect(202);
        Assert.Equal("someone-else@phish.example", _services.Stores.EmailCodes.Current(business)!.Email);
    }

    [Fact]
    public async Task Wrong_codes_count_down_and_five_spend_the_code_even_for_the_right_one_afterwards()
    {
        var (api, business) = await BusinessWithEmailAsync();
        (await api.PostAsync("/settings/email-verification")).Expect(202);
        var code = CodeOf(business);

        for (var left = 4; left >= 0; left--)
        {
            var refused = (await api.PostAsync("/settings/email-verification/confirm", new { code = Wrong(code) })).Expect(422);
            Assert.Equal("/code", refused.Body["errors"]![0]!["pointer"]!.GetValue<string>());
            Assert.Contains(left > 0 ? $"{left} {(left == 1 ? "try" : "tries")} left" : "last try", refused.Body["errors"]![0]!["detail"]!.GetValue<string>());
        }
        var spent = (await api.PostAsync("/settings/email-verification/confirm", new { code })).Expect(422);
        Assert.Contains("too often", spent.Body["errors"]![0]!["detail"]!.GetValue<string>());
        Assert.False((await api.GetAsync("/settings")).Expect(200).Body["emailVerified"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_code_expires_after_30_minutes_and_one_for_an_address_no_longer_in_settings_is_refused()
    {
        var (api, business) = await BusinessWithEmailAsync();
        (await api.PostAsync("/settings/email-verification")).Expect(202);
        _clock.Now = _clock.Now.AddMinutes(31);
        var expired = (await api.PostAsync("/settings/email-verification/confirm", new { code = CodeOf(business) })).Expect(422);
        Assert.Contains("expired", expired.Body["errors"]![0]!["detail"]!.GetValue<string>());

        (await api.PostAsync("/settings/email-verification")).Expect(202);
        var code = CodeOf(business);
        var etag = (await api.GetAsync("/settings")).Expect(200).ETag;
        (await api.PutAsync("/settings", new { businessName = "Atelier", email = "new@atelier.example" }, etag)).Expect(200);
        var moved = (await api.PostAsync("/settings/email-verification/confirm", new { code })).Expect(422);
        Assert.Contains("owner@atelier.example", moved.Body["errors"]![0]!["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12a456")]
    [InlineData("")]
    public async Task A_code_that_is_not_six_digits_is_a_field_error(string code)
    {
        var (api, _) = await BusinessWithEmailAsync();
        (await api.PostAsync("/settings/email-verification")).Expect(202);
        var refused = (await api.PostAsync("/settings/email-verification/confirm", new { code })).Expect(422);
        Assert.Equal("/code", refused.Body["errors"]![0]!["pointer"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_retried_request_with_its_Idempotency_Key_gets_the_first_answer_and_sends_no_second_code()
    {
        var (api, business) = await BusinessWithEmailAsync();
        var key = new Dictionary<string, string> { ["Idempotency-Key"] = Guid.NewGuid().ToString() };

        var first = (await api.PostAsync("/settings/email-verification", headers: key)).Expect(202);
        var code = _services.Stores.EmailCodes.Current(business)!;
        var retry = (await api.PostAsync("/settings/email-verification", headers: key)).Expect(202);

        Assert.Equal("true", retry.Headers["idempotent-replayed"]);
        Assert.Equal(first.Body.ToJsonString(), retry.Body.ToJsonString());
        Assert.Equal(code, _services.Stores.EmailCodes.Current(business)); // the same code, not a new one
        // Counted once: two more codes fit the limit of three, a third does not.
        (await api.PostAsync("/settings/email-verification")).Expect(202);
        (await api.PostAsync("/settings/email-verification")).Expect(202);
        (await api.PostAsync("/settings/email-verification")).Expect(429);
    }

    [Fact]
    public async Task Codes_count_against_the_daily_sending_limit()
    {
        var (api, _) = await BusinessWithEmailAsync();
        for (var i = 0; i < 3; i++) (await api.PostAsync("/settings/email-verification")).Expect(202);
        var limited = (await api.PostAsync("/settings/email-verification")).Expect(429);
        Assert.Equal("/problems/sending-limit", limited.Body["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_an_address_or_once_verified_there_is_nothing_to_send()
    {
        var business = Guid.NewGuid().ToString();
        var api = new ApiClient(_api.CreateClient(), InMemoryApi.Token(business));
        Assert.Equal("/problems/email-missing", (await api.PostAsync("/settings/email-verification")).Expect(409).Body["type"]!.GetValue<string>());

        var (owner, withEmail) = await BusinessWithEmailAsync();
        (await owner.PostAsync("/settings/email-verification")).Expect(202);
        (await owner.PostAsync("/settings/email-verification/confirm", new { code = CodeOf(withEmail) })).Expect(200);
        Assert.Equal("/problems/email-verified", (await owner.PostAsync("/settings/email-verification")).Expect(409).Body["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Another_business_can_neither_see_nor_use_the_code()
    {
        var (owner, business) = await BusinessWithEmailAsync();
        (await owner.PostAsync("/settings/email-verification")).Expect(202);
        var (other, otherBusiness) = await BusinessWithEmailAsync("other@elsewhere.example");

        // The other business has no code waiting: the first business's code does nothing there.
        var refused = (await other.PostAsync("/settings/email-verification/confirm", new { code = CodeOf(business) })).Expect(422);
        Assert.Contains("no code", refused.Body["errors"]![0]!["detail"]!.GetValue<string>());
        Assert.Null((await _services.Settings.GetAsync(otherBusiness, default)).ReplyTo);
        Assert.NotNull(_services.Stores.EmailCodes.Current(business));
    }
}
