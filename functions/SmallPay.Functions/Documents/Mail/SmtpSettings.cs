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

    /// <summary>
    /// The From of a stack whose SmtpSender is still empty (the template's default): the worker must start anyway, to
    /// render PDFs; the API refuses every send meanwhile (email-not-configured), so nothing is mailed from it.
    /// </summary>
    public const string UnsetSender = "not-configured@smallpay.invalid";

    public static SmtpSettings From(FunctionEnvironment environment)
    {
        var portText = environment.Get("SMTP_PORT");
        var port = string.IsNullOrWhiteSpace(portText) ? DefaultPort
            : int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed is > 0 and < 65536 ? parsed
            : throw new InvalidOperationException($"SMTP_PORT must be a port number, not '{portText}'.");
        var startTls = environment.Get("SMTP_STARTTLS")?.Trim().ToLowerInvariant() is not ("false" or "0" or "no");
        return new SmtpSettings(environment.Require("SMTP_HOST"), port, environment.Get("SMTP_SENDER") is { Length: > 0 } sender ? sender.Trim() : UnsetSender, startTls,
            environment.Get("SMTP_SECRET_NAME") is { Length: > 0 } secret ? secret : null);
    }
}
