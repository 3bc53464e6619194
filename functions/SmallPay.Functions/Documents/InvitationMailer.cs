using System.Globalization;
using MimeKit;
using SmallPay.Domain.Teams;
using SmallPay.Functions.Documents.Mail;
using SmallPay.Functions.Hosting.Sqs;
using SmallPay.Functions.Storage;
using SmallPay.Functions.Team;

namespace SmallPay.Functions.Documents;

/// <summary>An invitation as the worker mails it: with its link's secret, until the mail is out.</summary>
public sealed record InvitationMail(Invitation Invitation, string? Token, DateTimeOffset? MailedAt);

/// <summary>The worker's side of invitations: read one with its secret, claim its e-mail, settle it.</summary>
public interface IInvitationOutbox
{
    Task<InvitationMail?> LoadAsync(string invitationId, CancellationToken ct);
    /// <summary>Takes the e-mail for this worker until <paramref name="lease"/>, if not mailed and not held by another.</summary>
    Task<bool> ClaimAsync(string invitationId, DateTimeOffset lease, DateTimeOffset now, CancellationToken ct);
    /// <summary>Records the outcome (sent, or refused for good with why) and forgets the secret.</summary>
    Task CompleteAsync(string invitationId, DateTimeOffset at, string? failure, CancellationToken ct);
    /// <summary>Gives the claim back after a transient failure, so the retry can take it at once.</summary>
    Task ReleaseAsync(string invitationId, CancellationToken ct);
}

/// <summary>
/// Mails an invitation's link, once: the Pipe forwards the invitation's INSERT; the worker claims the e-mail (a lease, as
/// for invoice deliveries), sends it through the same SMTP path, then records that it went and removes the secret from
/// the item. A duplicate record finds it mailed (or claimed) and does nothing.
/// </summary>
public sealed class InvitationMailer(IInvitationOutbox outbox, ISettingsStore settings, IMailSender mail, string sender, string appUrl, TimeProvider clock)
{
    public async Task<string> HandleAsync(string itemId, CancellationToken ct)
    {
        var invitationId = itemId.StartsWith("invitation#", StringComparison.Ordinal) ? itemId["invitation#".Length..] : itemId;
        var loaded = await outbox.LoadAsync(invitationId, ct);
        var now = clock.GetUtcNow();
        if (loaded is null) return "skipped: no such invitation";
        if (loaded.MailedAt is not null || loaded.Token is null) return "skipped: mailed already";
        if (loaded.Invitation.StatusAt(now) != InvitationStatus.Pending) return $"skipped: {loaded.Invitation.StatusAt(now).ToString().ToLowerInvariant()}";
        if (!await outbox.ClaimAsync(invitationId, now + DocumentWorker.ClaimLease, now, ct)) return "skipped: claimed elsewhere";

        var business = await settings.GetAsync(loaded.Invitation.Business, ct);
        using var message = Compose(loaded.Invitation, loaded.Token, business.BusinessName);
        IReadOnlyList<RecipientReply> replies;
        try
        {
            replies = await mail.SendAsync(message, new MailboxAddress("SmallPay", sender), [MailboxAddress.Parse(loaded.Invitation.Email)], ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var failure = SmtpFailures.Classify(e);
            if (failure.Permanent)
            {
                await outbox.CompleteAsync(invitationId, clock.GetUtcNow(), failure.Reason, CancellationToken.None);
                return "failed";
            }
            await outbox.ReleaseAsync(invitationId, CancellationToken.None);
            throw new RetryableRecordException($"Mailing invitation {invitationId} failed for now: {failure.Reason}", e);
        }
        var reply = replies.Single();
        if (reply.Status == SmallPay.Domain.Documents.RecipientStatus.Pending)
        {
            await outbox.ReleaseAsync(invitationId, CancellationToken.None);
            throw new RetryableRecordException($"Invitation {invitationId}: the recipient was refused for now: {reply.Reason}");
        }
        await outbox.CompleteAsync(invitationId, clock.GetUtcNow(),
            reply.Status == SmallPay.Domain.Documents.RecipientStatus.Delivered ? null : reply.Reason ?? "refused", CancellationToken.None);
        return reply.Status == SmallPay.Domain.Documents.RecipientStatus.Delivered ? "sent" : "refused";
    }

    private MimeMessage Compose(Invitation invitation, string token, string? businessName)
    {
        var name = string.IsNullOrWhiteSpace(businessName) ? "a business" : businessName.Trim();
        var link = InviteMember.JoinLink(appUrl, token);
        var until = invitation.ExpiresAt.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
        var message = new MimeMessage
        {
            Subject = $"{name} invited you to SmallPay",
            Body = new TextPart("plain")
            {
                Text = $"""
                    Hello,

                    {name} invited you to work with them on SmallPay as {(invitation.Role == Role.Accountant ? "an" : "a")} {invitation.Role.Name()}.

                    Accept the invitation here (it works until {until}):
                    {link}

                    Sign in, or create your account, with this e-mail address ({invitation.Email}): the invitation works only for it.
                    If you did not expect this, you can ignore this e-mail.
                    """,
            },
        };
        message.From.Add(new MailboxAddress($"{name} via SmallPay", sender));
        message.To.Add(MailboxAddress.Parse(invitation.Email));
        message.MessageId = $"{invitation.Id}@smallpay.invalid";
        return message;
    }
}
