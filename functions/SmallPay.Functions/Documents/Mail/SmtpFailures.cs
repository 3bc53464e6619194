using System.Net.Mail;
using System.Net.Sockets;

namespace SmallPay.Functions.Documents.Mail;

/// <summary>Why a delivery failed, and whether trying again could help.</summary>
public sealed record DeliveryFailure(bool Permanent, string Reason);

/// <summary>
/// Sorts mail failures. Permanent (recorded as a Failed delivery the owner sees, never retried): a recipient the server
/// refuses for good (5xx mailbox statuses) and addresses that are not addresses. Transient (the claim is given back and
/// SQS retries, then the DLQ): no connection, timeouts, 4xx answers, and 5xx answers about the session rather than the
/// message (authentication, STARTTLS, syntax) — those are our configuration, not the recipient's fault, and retrying
/// after the operator fixes it delivers the mail.
/// </summary>
public static class SmtpFailures
{
    public static DeliveryFailure Classify(Exception exception) => exception switch
    {
        SmtpFailedRecipientsException many => Recipients(many.InnerExceptions.Length > 0 ? many.InnerExceptions : [many]),
        SmtpFailedRecipientException one => Recipients([one]),
        SmtpException smtp when IsMailboxStatus(smtp.StatusCode) => new(true, Describe(smtp)),
        SmtpException smtp => new(false, Describe(smtp)),
        FormatException => new(true, $"Not a valid e-mail address: {exception.Message}"),
        TimeoutException or SocketException or IOException => new(false, exception.Message),
        _ => new(false, $"{exception.GetType().Name}: {exception.Message}"),
    };

    /// <summary>
    /// When some recipients are refused, System.Net.Mail still sends to the others; a retry would mail them twice. So a
    /// refused recipient is permanent — unless every refusal is temporary (4xx), in which case nothing was sent.
    /// </summary>
    private static DeliveryFailure Recipients(IReadOnlyCollection<SmtpFailedRecipientException> failures)
    {
        var allTemporary = failures.All(f => (int)f.StatusCode is >= 400 and < 500);
        var reason = "Refused: " + string.Join("; ", failures.Select(f => $"{f.FailedRecipient} ({(int)f.StatusCode} {f.StatusCode})"));
        return new DeliveryFailure(!allTemporary, reason);
    }

    private static bool IsMailboxStatus(SmtpStatusCode status) => status is
        SmtpStatusCode.MailboxUnavailable or            // 550
        SmtpStatusCode.UserNotLocalTryAlternatePath or  // 551
        SmtpStatusCode.ExceededStorageAllocation or     // 552
        SmtpStatusCode.MailboxNameNotAllowed;           // 553
    // Not 554 (TransactionFailed): through a relay such as SES it means "not accepted from this sender" (an unverified
    // identity, the sandbox, a paused account): ours to fix, then the retry delivers. Recipients that bounce later
    // come back asynchronously, not in the SMTP session.

    private static string Describe(SmtpException e) =>
        e.StatusCode == SmtpStatusCode.GeneralFailure ? e.InnerException?.Message ?? e.Message : $"{(int)e.StatusCode} {e.StatusCode}: {e.Message}";
}
