using System.Globalization;
using SmallPay.Functions.Hosting;

namespace SmallPay.Functions.Documents.Mail;

/// <summary>
/// Where mail goes: <c>SMTP_HOST</c>, <c>SMTP_PORT</c> (587), <c>SMTP_SENDER</c> (the From address), <c>SMTP_STARTTLS</c>
/// (true unless "false"/"0") and <c>SMTP_SECRET_NAME</c>, the Secrets Manager secret holding <c>{"username","password"}</c>
/// (empty: no authentication, e.g. a local SMTP sink).
/// </summary>
public sealed record SmtpSettings(string Host, int Port, string Sender, bool StartTls, string? SecretName)
{
    public const int DefaultPort = 587;

    public static SmtpSettings From(FunctionEnvironment environment)
    {
        var portText = environment.Get("SMTP_PORT");
        var port = string.IsNullOrWhiteSpace(portText) ? DefaultPort
            : int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed is > 0 and < 65536 ? parsed
            : throw new InvalidOperationException($"SMTP_PORT must be a port number, not '{portText}'.");
        var startTls = environment.Get("SMTP_STARTTLS")?.Trim().ToLowerInvariant() is not ("false" or "0" or "no");
        return new SmtpSettings(environment.Require("SMTP_HOST"), port, environment.Require("SMTP_SENDER"), startTls,
            environment.Get("SMTP_SECRET_NAME") is { Length: > 0 } secret ? secret : null);
    }
}
