using System.Net.Mail;

namespace SmallPay.Functions.Documents.Mail;

/// <summary>Hands one message to the mail server.</summary>
public interface IMailSender
{
    Task SendAsync(MailMessage message, CancellationToken ct);
}

/// <summary>
/// System.Net.Mail over SMTP; <see cref="SmtpSettings.StartTls"/> upgrades the connection with STARTTLS before
/// authenticating (SES's SMTP interface on 587 requires it). One connection per message: a worker sends a few at most.
/// </summary>
public sealed class SmtpMailSender(SmtpSettings settings, ISmtpCredentialsSource credentials) : IMailSender
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public async Task SendAsync(MailMessage message, CancellationToken ct)
    {
        var login = await credentials.GetAsync(ct);
        using var client = new SmtpClient(settings.Host, settings.Port)
        {
            EnableSsl = settings.StartTls,
            DeliveryMethod = SmtpDeliveryMethod.Network,
            UseDefaultCredentials = false,
            Timeout = (int)Timeout.TotalMilliseconds,
        };
        if (login is not null) client.Credentials = login;

        // SendMailAsync does not honour Timeout: bound it ourselves, and call a slow server what it is (a timeout).
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            await client.SendMailAsync(message, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"The SMTP server {settings.Host}:{settings.Port} did not answer within {Timeout.TotalSeconds:0} s.");
        }
    }
}
