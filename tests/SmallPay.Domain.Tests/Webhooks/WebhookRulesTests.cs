using System.Net;
using SmallPay.Domain.Validation;
using SmallPay.Domain.Webhooks;

namespace SmallPay.Domain.Tests.Webhooks;

public sealed class WebhookRulesTests
{
    [Theory]
    [InlineData("127.0.0.1")] [InlineData("127.8.9.10")] [InlineData("10.0.0.5")] [InlineData("172.16.0.1")] [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")] [InlineData("169.254.169.254")] [InlineData("100.64.0.1")] [InlineData("100.127.255.254")] [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")] [InlineData("239.255.255.250")] [InlineData("255.255.255.255")] [InlineData("240.0.0.1")] [InlineData("198.18.0.1")]
    [InlineData("192.0.2.1")] [InlineData("::1")] [InlineData("::")] [InlineData("fc00::1")] [InlineData("fd12:3456::1")] [InlineData("fe80::1")]
    [InlineData("ff02::1")] [InlineData("::ffff:127.0.0.1")] [InlineData("::ffff:169.254.169.254")] [InlineData("::ffff:10.1.2.3")]
    [InlineData("64:ff9b::a9fe:a9fe")] [InlineData("2001:db8::1")] [InlineData("::127.0.0.1")]
    public void Private_loopback_link_local_CGNAT_multicast_unspecified_and_reserved_addresses_are_not_public(string address) =>
        Assert.False(WebhookAddresses.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.215.14")] [InlineData("8.8.8.8")] [InlineData("172.32.0.1")] [InlineData("100.128.0.1")] [InlineData("2606:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void Public_unicast_addresses_are_public(string address) => Assert.True(WebhookAddresses.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("http://hooks.example.test/in", "https://")]
    [InlineData("https://user:pw@hooks.example.test/in", "user name")]
    [InlineData("https://localhost/in", "localhost")]
    [InlineData("https://api.localhost/in", "localhost")]
    [InlineData("https://169.254.169.254/latest/meta-data", "169.254.169.254")]
    [InlineData("https://127.0.0.1/in", "127.0.0.1")]
    [InlineData("https://[::1]/in", "::1")]
    [InlineData("https://[::ffff:127.0.0.1]/in", "127.0.0.1")]
    [InlineData("https://[fc00::1]/in", "fc00::1")]
    [InlineData("https://10.1.2.3/in", "10.1.2.3")]
    [InlineData("ftp://hooks.example.test/in", "https://")]
    [InlineData("not a url", "absolute")]
    public void Urls_that_are_not_https_to_a_public_host_are_refused_on_url(string url, string why)
    {
        var e = Assert.Throws<DomainValidationException>(() => WebhookRules.Validate(url, ["InvoicePaid"], null));
        var error = Assert.Single(e.Errors);
        Assert.Equal("url", error.Path);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Events_must_be_known_types_and_are_kept_distinct_in_catalogue_order()
    {
        var ok = WebhookRules.Validate(" https://hooks.example.test/in ", ["InvoicePaid", "InvoiceFinalized", "InvoicePaid"], "  ERP  ");
        Assert.Equal("https://hooks.example.test/in", ok.Url);
        Assert.Equal(["InvoiceFinalized", "InvoicePaid"], ok.Events);
        Assert.Equal("ERP", ok.Description);

        var e = Assert.Throws<DomainValidationException>(() => WebhookRules.Validate("https://hooks.example.test/in", ["InvoicePaid", "Nope"], null));
        Assert.Equal("events/1", Assert.Single(e.Errors).Path);
        Assert.Equal("events", Assert.Single(Assert.Throws<DomainValidationException>(() => WebhookRules.Validate("https://hooks.example.test/in", [], null)).Errors).Path);
    }

    [Fact]
    public void The_local_test_receiver_is_allowed_only_at_the_exact_origin_named()
    {
        const string origin = "http://127.0.0.1:3000";
        Assert.NotNull(WebhookRules.Validate("http://127.0.0.1:3000/_local/webhook-receiver/erp", ["InvoicePaid"], null, origin));
        Assert.Throws<DomainValidationException>(() => WebhookRules.Validate("http://127.0.0.1:3000/_local/webhook-receiver/erp", ["InvoicePaid"], null));
        Assert.Throws<DomainValidationException>(() => WebhookRules.Validate("http://127.0.0.1:3001/_local/webhook-receiver/erp", ["InvoicePaid"], null, origin));
        Assert.Throws<DomainValidationException>(() => WebhookRules.Validate("http://127.0.0.1:3000/settings", ["InvoicePaid"], null, origin));
    }
}

public sealed class WebhookRetryScheduleTests
{
    private static readonly DateTimeOffset First = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Failed_tries_back_off_1_5_30_min_2_5_10_h_then_a_last_try_a_day_after_the_first()
    {
        var at = First;
        var times = new List<TimeSpan>();
        for (var tries = 1; ; tries++)
        {
            if (WebhookRetrySchedule.NextAttempt(First, at, tries) is not { } next) break;
            at = next;
            times.Add(at - First);
        }
        Assert.Equal(
            [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(6), TimeSpan.FromMinutes(36), new TimeSpan(2, 36, 0), new TimeSpan(7, 36, 0), new TimeSpan(17, 36, 0), TimeSpan.FromHours(24)],
            times);
    }

    [Fact]
    public void A_late_try_never_pushes_the_schedule_past_a_day()
    {
        Assert.Equal(First.AddHours(24), WebhookRetrySchedule.NextAttempt(First, First.AddHours(20), 6));
        Assert.Null(WebhookRetrySchedule.NextAttempt(First, First.AddHours(24), 3));
    }

    [Fact]
    public void Attempts_are_bounded()
    {
        IReadOnlyList<WebhookAttempt> attempts = [];
        for (var i = 0; i < 30; i++) attempts = WebhookRetrySchedule.Append(attempts, new WebhookAttempt(First.AddMinutes(i), 500, 1, null, null));
        Assert.Equal(WebhookRetrySchedule.MaxAttemptsKept, attempts.Count);
        Assert.Equal(First.AddMinutes(29), attempts[^1].At);
    }
}
