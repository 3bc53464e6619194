using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace SmallPay.Functions.Documents.Mail;

/// <summary>
/// Why a delivery failed as a whole, and whether trying again could help. <see cref="Configuration"/>: our SMTP set-up
/// is wrong (credentials, TLS, the sender): transient, but worth a log line of its own for the operator.
/// </summary>
public sealed record DeliveryFailure(bool Permanent, string Reason, bool Configuration = false);

/// <summary>
/// Sorts failures of a whole SMTP session (each recipient's RCPT TO answer is sorted where it is read, in
/// <see cref="SmtpMailSender"/>: 2xx accepted, 4xx refused for now, 5xx refused for good). Permanent (a Failed delivery
/// the owner sees, never retried): addresses that are not addresses, and a message the server will never take (552:
/// too large). Transient (the claim is given back and SQS retries, then the DLQ): no connection, timeouts, TLS, and every
/// other answer about the session rather than a recipient — authentication, STARTTLS, MAIL FROM, DATA (through SES, 554
/// there means "not accepted from this sender": an unverified identity, the sandbox, a paused account) — ours to fix,
/// and retrying after the operator fixes it delivers the mail.
/// </summary>
public static class SmtpFailures
{
    public static DeliveryFailure Classify(Exception exception) => exception switch
    {
        SmtpConfigurationException => new(false, exception.Message, Configuration: true),
        AuthenticationException => new(false, $"The mail server refused SmallPay's SMTP credentials: {exception.Message}", Configuration: true),
        ServiceNotAuthenticatedException => new(false, $"The mail server wants SMTP authentication, and none is configured: {exception.Message}", Configuration: true),
        SslHandshakeException => new(false, $"TLS with the mail server failed: {exception.Message}", Configuration: true),
        SmtpCommandException { StatusCode: SmtpStatusCode.ExceededStorageAllocation } smtp => new(true, $"The mail server refused the message as too large: {Describe(smtp)}"),
        SmtpCommandException smtp => new(false, Describe(smtp)),
        FormatException or ParseException => new(true, $"Not a valid e-mail address: {exception.Message}"),
        TimeoutException or SocketException or IOException or SmtpProtocolException => new(false, exception.Message),
        _ => new(false, $"{exception.GetType().Name}: {exception.Message}"),
    };

    private static string Describe(SmtpCommandException e) =>
        $"{(int)e.StatusCode} {e.Message} ({e.ErrorCode switch
        {
            SmtpErrorCode.SenderNotAccepted => "MAIL FROM",
            SmtpErrorCode.MessageNotAccepted => "DATA",
            _ => "SMTP",
        }})";
}
