using System.Net;
using System.Net.Security;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using SmallPay.Domain.Documents;

namespace SmallPay.Functions.Documents.Mail;

/// <summary>What the mail server said to one envelope recipient (RCPT TO), and so what became of it.</summary>
/// <param name="Status">Delivered: accepted and the message went through; Refused: refused for good (5xx, or an address
/// the server cannot take); Pending: refused for now (4xx), to try again.</param>
public sealed record RecipientReply(MailboxAddress Mailbox, RecipientStatus Status, string? Reason = null);

/// <summary>Hands one message to the mail server for some recipients.</summary>
public interface IMailSender
{
    /// <summary>
    /// Sends <paramref name="message"/> from <paramref name="sender"/> to the envelope <paramref name="recipients"/> (the
    /// headers may name more: those already delivered). Answers one reply per recipient, in order. Throws when the session
    /// fails as a whole (no connection, authentication, MAIL FROM, DATA): then nobody got the message.
    /// </summary>
    Task<IReadOnlyList<RecipientReply>> SendAsync(MimeMessage message, MailboxAddress sender, IReadOnlyList<MailboxAddress> recipients, CancellationToken ct);
}

/// <summary>
/// Our SMTP set-up is wrong (credentials without TLS, a server without STARTTLS, a sender it cannot take): nothing the
/// recipient did. Transient: the operator fixes the settings and redrives the dead letters.
/// </summary>
public sealed class SmtpConfigurationException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// MailKit over SMTP, one connection per delivery. <see cref="SmtpSettings.StartTls"/> requires STARTTLS; credentials are
/// only ever sent over TLS (with credentials and no TLS the delivery fails as a configuration error before any AUTH). Each
/// RCPT TO has its own outcome (<see cref="TrackingSmtpClient"/>): the message goes to the accepted recipients, and the
/// caller retries only those refused for now. SMTPUTF8 is used when an address needs it and the server offers it; without
/// it, a recipient whose local part is not ASCII is refused for good, and left out of the headers so the message stays
/// valid for the others. (Non-ASCII domains need no SMTPUTF8: MailKit sends them as IDNA A-labels then.)
/// </summary>
public sealed class SmtpMailSender(SmtpSettings settings, ISmtpCredentialsSource credentials,
    RemoteCertificateValidationCallback? certificateValidation = null) : IMailSender
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public const string NoSmtpUtf8 = "the mail server does not accept internationalised addresses (no SMTPUTF8)";

    public async Task<IReadOnlyList<RecipientReply>> SendAsync(MimeMessage message, MailboxAddress sender, IReadOnlyList<MailboxAddress> recipients, CancellationToken ct)
    {
        if (recipients.Count == 0) return [];
        // One bound for the whole conversation (MailKit's Timeout is per read or write).
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            return await SendWithinAsync(message, sender, recipients, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"The SMTP server {settings.Host}:{settings.Port} did not answer within {Timeout.TotalSeconds:0} s.");
        }
    }

    private async Task<IReadOnlyList<RecipientReply>> SendWithinAsync(MimeMessage message, MailboxAddress sender, IReadOnlyList<MailboxAddress> recipients, CancellationToken ct)
    {
        var login = await credentials.GetAsync(ct);
        if (login is not null && !settings.StartTls)
            throw new SmtpConfigurationException(
                $"SMTP credentials are configured but SMTP_STARTTLS is off: SmallPay does not send them to {settings.Host}:{settings.Port} without TLS.");

        using var client = new TrackingSmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        if (certificateValidation is not null) client.ServerCertificateValidationCallback = certificateValidation;
        await ConnectAsync(client, ct);
        if (login is not null) await AuthenticateAsync(client, login, ct);

        var utf8 = client.Capabilities.HasFlag(SmtpCapabilities.UTF8);
        if (!utf8 && NeedsSmtpUtf8(sender))
            throw new SmtpConfigurationException($"The sender address {sender.Address} needs SMTPUTF8, which {settings.Host}:{settings.Port} does not offer.");

        var replies = new RecipientReply?[recipients.Count];
        var envelope = new List<MailboxAddress>(recipients.Count);
        for (var i = 0; i < recipients.Count; i++)
        {
            if (!utf8 && NeedsSmtpUtf8(recipients[i])) replies[i] = new RecipientReply(recipients[i], RecipientStatus.Refused, NoSmtpUtf8);
            else envelope.Add(recipients[i]);
        }
        if (!utf8) WithoutInternationalLocalParts(message);

        if (envelope.Count > 0)
        {
            var sent = true;
            try
            {
                await client.SendAsync(message, sender, envelope, ct);
            }
            catch (SmtpCommandException) when (client.NoneAccepted)
            {
                sent = false; // every RCPT TO was refused: MailKit sent no DATA
            }
            for (var i = 0; i < recipients.Count; i++)
                replies[i] ??= client.Replies.TryGetValue(recipients[i], out var reply)
                    ? reply with { Status = reply.Status == RecipientStatus.Delivered && !sent ? RecipientStatus.Pending : reply.Status }
                    : new RecipientReply(recipients[i], RecipientStatus.Pending, "the mail server did not answer for this recipient");
        }

        try { await client.DisconnectAsync(quit: true, ct); }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested) { } // the message is out; QUIT is a courtesy
        return replies!;
    }

    private async Task ConnectAsync(TrackingSmtpClient client, CancellationToken ct)
    {
        try
        {
            await client.ConnectAsync(settings.Host, settings.Port, settings.StartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, ct);
        }
        catch (NotSupportedException e)
        {
            // MailKit's answer when StartTls is required and the server does not offer it.
            throw new SmtpConfigurationException(
                $"The SMTP server {settings.Host}:{settings.Port} does not offer STARTTLS, which SMTP_STARTTLS requires (and credentials are never sent without it).", e);
        }
    }

    /// <summary>
    /// Logs in over TLS only. A refused login may mean the secret was rotated since this execution environment cached it:
    /// fetch it again and, if it changed, try once more in the same session.
    /// </summary>
    private async Task AuthenticateAsync(TrackingSmtpClient client, NetworkCredential login, CancellationToken ct)
    {
        if (!client.IsSecure)
            throw new SmtpConfigurationException($"The connection to {settings.Host}:{settings.Port} is not encrypted: SmallPay does not send SMTP credentials in clear.");
        try
        {
            await client.AuthenticateAsync(login, ct);
        }
        catch (AuthenticationException)
        {
            credentials.Forget(login);
            var fresh = await credentials.GetAsync(ct);
            if (fresh is null || (fresh.UserName == login.UserName && fresh.Password == login.Password)) throw;
            if (!client.IsConnected) await ConnectAsync(client, ct);
            await client.AuthenticateAsync(fresh, ct);
        }
    }

    /// <summary>A local part beyond ASCII needs SMTPUTF8 (RFC 6531); a non-ASCII domain does not (IDNA).</summary>
    public static bool NeedsSmtpUtf8(MailboxAddress mailbox) => !System.Text.Ascii.IsValid(mailbox.LocalPart);

    /// <summary>Without SMTPUTF8, headers must be ASCII too (RFC 6532 needs it): the addresses that cannot go are left out.</summary>
    private static void WithoutInternationalLocalParts(MimeMessage message)
    {
        foreach (var list in new[] { message.To, message.Cc })
            foreach (var mailbox in list.Mailboxes.Where(NeedsSmtpUtf8).ToList())
                list.Remove(mailbox);
    }

    /// <summary>
    /// Records each RCPT TO answer instead of failing the whole send on the first refusal (MailKit's default), so the
    /// message goes to the recipients that were accepted. When none was, MailKit throws without sending DATA.
    /// </summary>
    internal sealed class TrackingSmtpClient : SmtpClient
    {
        public Dictionary<MailboxAddress, RecipientReply> Replies { get; } = new(ReferenceEqualityComparer.Instance);

        public bool NoneAccepted { get; private set; }

        protected override void OnRecipientAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response) =>
            Replies[mailbox] = new RecipientReply(mailbox, RecipientStatus.Delivered);

        protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response) =>
            Replies[mailbox] = new RecipientReply(mailbox, (int)response.StatusCode >= 500 ? RecipientStatus.Refused : RecipientStatus.Pending,
                $"{(int)response.StatusCode} {response.Response}".Trim());

        protected override void OnNoRecipientsAccepted(MimeMessage message) => NoneAccepted = true;
    }
}
