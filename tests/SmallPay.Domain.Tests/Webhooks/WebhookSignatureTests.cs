using System.Text;
using SmallPay.Domain.Webhooks;

namespace SmallPay.Domain.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    private static byte[] Repeat(byte value, int count) => Enumerable.Repeat(value, count).ToArray();

    public static TheoryData<byte[], byte[], string> Rfc4231 => new()
    {
        // RFC 4231, section 4: test cases 1, 2, 3, 4, 6 and 7 (case 5 is a truncated MAC), HMAC-SHA-256.
        { Repeat(0x0b, 20), "Hi There"u8.ToArray(), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
        { "Jefe"u8.ToArray(), "what do ya want for nothing?"u8.ToArray(), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
        { Repeat(0xaa, 20), Repeat(0xdd, 50), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
        { Enumerable.Range(1, 25).Select(i => (byte)i).ToArray(), Repeat(0xcd, 50), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
        { Repeat(0xaa, 131), "Test Using Larger Than Block-Size Key - Hash Key First"u8.ToArray(), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
        {
            Repeat(0xaa, 131),
            "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."u8.ToArray(),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
        },
    };

    [Theory]
    [MemberData(nameof(Rfc4231))]
    public void The_signer_matches_the_RFC_4231_HMAC_SHA256_test_vectors(byte[] key, byte[] data, string expected) =>
        Assert.Equal(expected, WebhookSignature.Hmac(key, data));

    [Fact]
    public void The_header_signs_timestamp_dot_body_with_each_secret_and_a_receiver_verifies_it()
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(1_796_457_600);
        const string body = "{\"id\":\"evt_1\",\"type\":\"InvoicePaid\"}";

        var header = WebhookSignature.Header(["whsec_new", "whsec_old"], at, body);

        var parts = header.Split(',');
        Assert.Equal("t=1796457600", parts[0]);
        Assert.Equal("v1=" + WebhookSignature.Hmac(Encoding.UTF8.GetBytes("whsec_new"), Encoding.UTF8.GetBytes("1796457600." + body)), parts[1]);
        Assert.Equal("v1=" + WebhookSignature.Hmac(Encoding.UTF8.GetBytes("whsec_old"), Encoding.UTF8.GetBytes("1796457600." + body)), parts[2]);
        Assert.True(WebhookSignature.Verify(header, "whsec_old", body, at.AddMinutes(2), TimeSpan.FromMinutes(5)));
        Assert.True(WebhookSignature.Verify(header, "whsec_new", body, at, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(header, "whsec_other", body, at, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(header, "whsec_new", body + " ", at, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(header, "whsec_new", body, at.AddMinutes(6), TimeSpan.FromMinutes(5))); // replayed late
    }

    [Fact]
    public void New_secrets_are_prefixed_random_and_long()
    {
        var a = WebhookSignature.NewSecret();
        Assert.StartsWith("whsec_", a, StringComparison.Ordinal);
        Assert.Equal(6 + 43, a.Length);
        Assert.NotEqual(a, WebhookSignature.NewSecret());
    }

    [Fact]
    public void A_rotated_out_secret_signs_beside_the_new_one_for_24_hours()
    {
        var now = new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
        var endpoint = new WebhookEndpoint("biz", "whk_1", "https://hooks.example.test/x", ["InvoicePaid"], null, true, "whsec_old", null, null, now, now, 1, "u");
        var rotated = endpoint.Rotated("whsec_new", now);
        Assert.Equal(["whsec_new", "whsec_old"], rotated.SigningSecrets(now.AddHours(23)));
        Assert.Equal(["whsec_new"], rotated.SigningSecrets(now.AddHours(24)));
    }
}
