using MimeKit;
using SmallPay.Domain.Documents;
using SmallPay.Functions.Documents.Mail;
using SmallPay.Functions.Hosting.Sqs;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Documents;

/// <summary>
/// Mails the code that verifies a business's e-mail address, once per request: the Pipe forwards the code item the API
/// wrote; the worker claims its e-mail (a lease, as for deliveries), sends it through the same SMTP path and records that
/// it went. A duplicate or stale record finds it mailed, replaced or expired and does nothing.
/// </summary>
public sealed class EmailCodeMailer(IEmailCodeOutbox outbox, ISettingsStore settings, IMailSender mail, string sender, TimeProvider clock)
{
    public async Task<string> HandleAsync(string itemId, CancellationToken ct)
    {
        const string prefix = "emailcode#";
        if (!itemId.StartsWith(prefix, StringComparison.Ordinal)) return "skipped: not a code";
        var business = itemId[prefix.Length..];
        var code = await outbox.GetAsync(business, ct);
        var now = clock.GetUtcNow();
        if (code is null) return "skipped: no code (confirmed or expired)";
        if (code.MailedRequestId == code.RequestId) return "skipped: mailed already";
        if (code.ExpiresAt <= now) return "skipped: expired";
        if (!await outbox.ClaimAsync(business, code.RequestId, now + DocumentWorker.ClaimLease, now, ct)) return "skipped: claimed elsewhere";

        var settingsNow = await settings.GetAsync(business, ct);
        using var message = Compose(code, settingsNow.BusinessName);
        message.Date = now;
        IReadOnlyList<RecipientReply> replies;
        try
        {
            replies = await mail.SendAsync(message, new MailboxAddress("SmallPay", sender), [MailboxAddress.Parse(code.Email)], ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var failure = SmtpFailures.Classify(e);
            if (failure.Permanent)
            {
                await outbox.CompleteAsync(business, code.RequestId, CancellationToken.None);
                return "failed: " + failure.Reason;
            }
            await outbox.ReleaseAsync(business, code.RequestId, CancellationToken.None);
            throw new RetryableRecordException($"Mailing the verification code of {business} failed for now: {failure.Reason}", e);
        }
        if (replies.Single().Status == RecipientStatus.Pending)
        {
            await outbox.ReleaseAsync(business, code.RequestId, CancellationToken.None);
            throw new RetryableRecordException($"The verification code of {business}: the recipient was refused for now: {replies.Single().Reason}");
        }
        await outbox.CompleteAsync(business, code.RequestId, CancellationToken.None);
        return replies.Single().Status == RecipientStatus.Delivered ? "sent" : "refused";
    }

    private MimeMessage Compose(EmailCode code, string? businessName)
    {
        var name = string.IsNullOrWhiteSpace(businessName) ? "your business" : businessName.Trim();
        var message = new MimeMessage
        {
            Subject = $"Your SmallPay code: {code.Code}",
            Body = new TextPart("plain")
            {
                Text = $"""
                    Hello,

                    Someone (probably you) gave {code.Email} as the e-mail address of {name} on SmallPay.
                    To confirm it, enter this code in SmallPay's settings:

                        {code.Code}

                    It works for {(int)EmailCode.Lifetime.TotalMinutes} minutes. Once it is confirmed, your customers' replies to your invoices come to this address.
                    If you did not ask for it, ignore this e-mail: nothing changes.
                    """,
            },
        };
        message.From.Add(new MailboxAddress("SmallPay", sender));
        message.To.Add(MailboxAddress.Parse(code.Email));
        message.MessageId = $"{code.RequestId}@smallpay.invalid";
        return message;
    }
}
