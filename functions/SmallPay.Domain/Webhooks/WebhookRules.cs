using System.Net;
using System.Net.Sockets;
using SmallPay.Domain.Validation;

namespace SmallPay.Domain.Webhooks;

/// <summary>The domain events a webhook endpoint may subscribe to (the change feed's types).</summary>
public static class WebhookEventTypes
{
    public static readonly IReadOnlyList<string> All =
    [
        "InvoiceFinalized", "InvoiceSent", "InvoiceDelivered", "InvoiceDeliveryFailed", "PaymentRecorded", "InvoicePaid",
        "InvoiceVoided", "CreditNoteIssued", "CustomerCreated", "CustomerUpdated",
    ];

    public static bool IsKnown(string type) => All.Contains(type, StringComparer.Ordinal);
}

/// <summary>An endpoint as the owner describes it (the body of POST and PUT /webhooks).</summary>
public sealed record WebhookEndpointInput(string Url, IReadOnlyList<string> Events, string? Description);

/// <summary>
/// The rules of a webhook endpoint: at most <see cref="MaxEndpoints"/> per business, an <c>https</c> URL without user
/// information to a public host, 1–10 known event types, a short description. Where the host's name resolves to is
/// checked outside the domain (DNS), with <see cref="WebhookAddresses.IsPublic"/>.
/// </summary>
public static class WebhookRules
{
    public const int MaxEndpoints = 10;
    public const int MaxUrlLength = 2000;
    public const int MaxDescriptionLength = 200;

    /// <summary>The URL, the events (distinct, in the catalogue's order) and the description, checked; throws a 422's errors.</summary>
    /// <param name="allowedTestOrigin">The local stack's test receiver (exact origin, e.g. <c>http://127.0.0.1:3000</c>): the one exception.</param>
    public static WebhookEndpointInput Validate(string? url, IReadOnlyList<string?>? events, string? description, string? allowedTestOrigin = null)
    {
        var errors = new ValidationErrors();
        var cleanUrl = url?.Trim() ?? "";
        if (RefuseUrl(cleanUrl, allowedTestOrigin) is { } refusal) errors.Add("url", refusal);
        var chosen = new List<string>();
        if (events is null || events.Count == 0) errors.Add("events", "choose at least one event type");
        else
            for (var i = 0; i < events.Count; i++)
            {
                if (events[i] is { } type && WebhookEventTypes.IsKnown(type)) { if (!chosen.Contains(type)) chosen.Add(type); }
                else errors.Add($"events/{i}", $"is not an event type; one of {string.Join(", ", WebhookEventTypes.All)}");
            }
        var cleanDescription = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        if (cleanDescription is { Length: > MaxDescriptionLength }) errors.Add("description", $"at most {MaxDescriptionLength} characters");
        else if (cleanDescription is not null && cleanDescription.Any(char.IsControl)) errors.Add("description", "one line of text");
        errors.ThrowIfAny("The webhook endpoint is not valid.");
        return new WebhookEndpointInput(cleanUrl, WebhookEventTypes.All.Where(chosen.Contains).ToList(), cleanDescription);
    }

    /// <summary>Why the URL is refused as written (null: its form is acceptable; where its name resolves to is checked apart).</summary>
    public static string? RefuseUrl(string url, string? allowedTestOrigin = null)
    {
        if (url.Length == 0) return "a URL is required";
        if (url.Length > MaxUrlLength) return $"at most {MaxUrlLength} characters";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return "is not an absolute URL";
        if (IsTestReceiver(uri, allowedTestOrigin)) return null;
        if (uri.Scheme != Uri.UriSchemeHttps) return "must start with https://";
        if (uri.UserInfo.Length > 0) return "must not carry a user name or password";
        if (uri.Fragment.Length > 0) return "must not have a #fragment";
        var host = uri.IdnHost.TrimEnd('.');
        if (host.Length == 0) return "needs a host";
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
            return "must not point at localhost";
        if (IPAddress.TryParse(uri.HostNameType == UriHostNameType.IPv6 ? host.Trim('[', ']') : host, out var literal) && !WebhookAddresses.IsPublic(literal))
            return $"must not point at a private, loopback, link-local or reserved address ({literal})";
        if (uri.HostNameType == UriHostNameType.Dns && !host.Contains('.')) return "needs a public host name (with a dot)";
        return null;
    }

    /// <summary>The local stack's test receiver, allowed over http on loopback only when the environment names its exact origin.</summary>
    public static bool IsTestReceiver(Uri uri, string? allowedTestOrigin) =>
        allowedTestOrigin is { Length: > 0 } origin
        && Uri.TryCreate(origin, UriKind.Absolute, out var allowed)
        && uri.Scheme == allowed.Scheme && uri.Host == allowed.Host && uri.Port == allowed.Port
        && uri.AbsolutePath.StartsWith("/_local/webhook-receiver/", StringComparison.Ordinal) && uri.UserInfo.Length == 0;
}

/// <summary>Which IP addresses a webhook may reach: public unicast ones only.</summary>
public static class WebhookAddresses
{
    /// <summary>
    /// False for unspecified, loopback, private (RFC 1918, fc00::/7), link-local (169.254/16 with the cloud metadata
    /// address, fe80::/10), CGNAT (100.64/10), multicast, benchmarking, documentation and the other reserved ranges of
    /// the IANA special-purpose registries; an IPv4-mapped or -translated IPv6 address is judged as its IPv4 address.
    /// </summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) return IsPublic(address.MapToIPv4());
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => IsPublicV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => IsPublicV6(address),
            _ => false,
        };
    }

    private static bool IsPublicV4(byte[] b) => !(
        b[0] == 0                                       // 0.0.0.0/8 "this network"
        || b[0] == 10                                   // private
        || b[0] == 127                                  // loopback
        || (b[0] == 100 && (b[1] & 0xC0) == 64)         // 100.64.0.0/10 CGNAT
        || (b[0] == 169 && b[1] == 254)                 // link-local, 169.254.169.254 (instance metadata)
        || (b[0] == 172 && (b[1] & 0xF0) == 16)         // private
        || (b[0] == 192 && b[1] == 0 && b[2] == 0)      // IETF protocol assignments
        || (b[0] == 192 && b[1] == 0 && b[2] == 2)      // TEST-NET-1
        || (b[0] == 192 && b[1] == 88 && b[2] == 99)    // 6to4 relay anycast
        || (b[0] == 192 && b[1] == 168)                 // private
        || (b[0] == 198 && (b[1] & 0xFE) == 18)         // 198.18.0.0/15 benchmarking
        || (b[0] == 198 && b[1] == 51 && b[2] == 100)   // TEST-NET-2
        || (b[0] == 203 && b[1] == 0 && b[2] == 113)    // TEST-NET-3
        || b[0] >= 224);                                // multicast, reserved, broadcast

    private static bool IsPublicV6(IPAddress address)
    {
        if (address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6Loopback)) return false;
        var b = address.GetAddressBytes();
        // ::ffff:0:a.b.c.d (SIIT), 64:ff9b::/96 (NAT64): the IPv4 address decides.
        if (b.Take(8).All(x => x == 0) && b[8] == 0xFF && b[9] == 0xFF && b[10] == 0 && b[11] == 0) return IsPublicV4(b[12..]);
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b.Skip(4).Take(8).All(x => x == 0)) return IsPublicV4(b[12..]);
        if (b.Take(12).All(x => x == 0)) return false;                 // ::/96, the deprecated IPv4-compatible addresses
        if ((b[0] & 0xFE) == 0xFC) return false;                      // fc00::/7 unique local
        if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return false;      // fe80::/10 link-local
        if (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0) return false;      // fec0::/10 site-local (deprecated)
        if (b[0] == 0xFF) return false;                               // multicast
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8) return false; // 2001:db8::/32 documentation
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] < 0x02) return false;  // 2001::/23 protocol assignments (Teredo …)
        if (b[0] == 0x20 && b[1] == 0x02) return false;               // 2002::/16 6to4: embeds an IPv4 address we would not check
        if (b[0] == 0x01 && b[1] == 0x00 && b.Skip(2).Take(6).All(x => x == 0)) return false; // 100::/64 discard
        return (b[0] & 0xE0) == 0x20;                                 // global unicast is 2000::/3
    }
}
