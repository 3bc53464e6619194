using System.Diagnostics;
using System.Text.Json.Nodes;

namespace SmallPay.Functions.Tests.Infrastructure;

/// <summary>maildev's REST API (<c>/api/email</c>): the messages the functions sent, their attachments.</summary>
public sealed class MailSinkClient(HttpClient http, Uri apiUrl)
{
    public async Task<IReadOnlyList<SentMail>> ListAsync(CancellationToken cancellationToken = default)
    {
        var list = JsonNode.Parse(await http.GetStringAsync(new Uri(apiUrl, "email"), cancellationToken))?.AsArray() ?? [];
        return list.OfType<JsonObject>().Select(SentMail.Parse).ToList();
    }

    /// <summary>The messages to one recipient (To or Cc), oldest first.</summary>
    public async Task<IReadOnlyList<SentMail>> ToAsync(string recipient, CancellationToken cancellationToken = default) =>
        (await ListAsync(cancellationToken)).Where(mail => mail.IsFor(recipient)).OrderBy(mail => mail.Time).ToList();

    /// <summary>
    /// Waits until at least <paramref name="count"/> messages match, polling every 50 ms; returns what matched then
    /// (fails after <paramref name="timeout"/> with what did arrive).
    /// </summary>
    public async Task<IReadOnlyList<SentMail>> WaitForAsync(Func<SentMail, bool> match, int count = 1, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)((timeout ?? TimeSpan.FromSeconds(30)).TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var matching = (await ListAsync()).Where(match).OrderBy(mail => mail.Time).ToList();
            if (matching.Count >= count) return matching;
            if (Stopwatch.GetTimestamp() > deadline)
                throw new TimeoutException($"{matching.Count} of {count} e-mail(s) arrived; the sink holds: "
                    + string.Join("; ", (await ListAsync()).Select(mail => $"{string.Join(",", mail.To)}: {mail.Subject}")));
            await Task.Delay(50);
        }
    }

    public Task<IReadOnlyList<SentMail>> WaitForRecipientAsync(string recipient, int count = 1, TimeSpan? timeout = null) =>
        WaitForAsync(mail => mail.IsFor(recipient), count, timeout);

    public async Task<byte[]> AttachmentAsync(SentMail mail, MailAttachment attachment, CancellationToken cancellationToken = default) =>
        await http.GetByteArrayAsync(new Uri(apiUrl, $"email/{mail.Id}/attachment/{Uri.EscapeDataString(attachment.GeneratedFileName)}"), cancellationToken);

    /// <summary>The raw message as received (every header, the MIME parts): for what maildev's JSON leaves out, like Reply-To.</summary>
    public async Task<string> SourceAsync(SentMail mail, CancellationToken cancellationToken = default) =>
        await http.GetStringAsync(new Uri(apiUrl, $"email/{mail.Id}/source"), cancellationToken);
}

/// <param name="Time">What maildev reports as the message's time: its Date header (whole seconds).</param>
public sealed record SentMail(
    string Id,
    DateTimeOffset Time,
    string Subject,
    IReadOnlyList<string> From,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    string? Text,
    string? Html,
    IReadOnlyList<MailAttachment> Attachments,
    JsonObject Raw)
{
    /// <summary>A header as maildev parsed it (lower-case name), e.g. <c>x-smallpay-invoice-id</c>; maildev keeps only some.</summary>
    public string? Header(string name) => Raw["headers"]?[name.ToLowerInvariant()]?.GetValue<string>();

    public bool IsFor(string recipient) =>
        To.Concat(Cc).Any(address => string.Equals(address, recipient, StringComparison.OrdinalIgnoreCase));

    public static SentMail Parse(JsonObject json) => new(
        json["id"]!.GetValue<string>(),
        DateTimeOffset.Parse(json["time"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
        json["subject"]?.GetValue<string>() ?? "",
        Addresses(json["from"]),
        Addresses(json["to"]),
        Addresses(json["cc"]),
        json["text"]?.GetValue<string>(),
        json["html"]?.GetValue<string>(),
        (json["attachments"]?.AsArray() ?? []).OfType<JsonObject>().Select(attachment => new MailAttachment(
            attachment["filename"]?.GetValue<string>() ?? "",
            attachment["generatedFileName"]?.GetValue<string>() ?? "",
            attachment["contentType"]?.GetValue<string>() ?? "",
            attachment["size"]?.GetValue<long>() ?? 0)).ToList(),
        json);

    private static List<string> Addresses(JsonNode? node) => node switch
    {
        JsonArray list => list.Select(item => item?["address"]?.GetValue<string>()).OfType<string>().ToList(),
        JsonObject single => single["address"]?.GetValue<string>() is { } address ? [address] : [],
        _ => [],
    };
}

public sealed record MailAttachment(string FileName, string GeneratedFileName, string ContentType, long Size);
