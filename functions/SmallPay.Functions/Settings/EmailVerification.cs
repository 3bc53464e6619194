using System.Security.Cryptography;
using System.Text;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Validation;
using SmallPay.Functions.Documents;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Settings;

public sealed class EmailVerificationInput
{
    public string? Code { get; init; }
}

/// <summary>Where the code went and until when it works.</summary>
public sealed record EmailVerificationView(string Email, DateTimeOffset ExpiresAt);

/// <summary>
/// POST /settings/email-verification: mails a six-digit code to the business's e-mail address (the worker sends it), in
/// place of any earlier code. Until the owner confirms it, the business's e-mails go without Reply-To, so a new account
/// cannot make its customers' replies go to an address it does not own. The code counts against the daily sending limit.
/// </summary>
public sealed class RequestEmailVerification(ISettingsStore settings, IEmailVerificationStore codes, IMailPolicyStore mailPolicy, SendingPolicy policy,
    bool emailConfigured) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        if (!emailConfigured)
            throw new ProblemException(409, "/problems/email-not-configured", "E-mail is not set up.",
                "This SmallPay has no sender address for e-mails yet (the SmtpSender parameter of its stack), so no code can be sent.");
        var current = await settings.GetAsync(request.Tenant, ct);
        if (current.Email is not { Length: > 0 } email)
            throw new ProblemException(409, "/problems/email-missing", "The business has no e-mail address.",
                "Add the business's e-mail address in settings and save, then ask for a code.");
        if (current.EmailVerified)
            throw new ProblemException(409, "/problems/email-verified", "The e-mail address is verified already.",
                $"{email} is confirmed: it is the Reply-To of this business's e-mails.");
        if ((await mailPolicy.SuppressedAsync(request.Tenant, [email], ct)).Count > 0)
            throw new ProblemException(422, "/problems/suppressed-recipient", "This address refuses e-mail.",
                $"{email} bounced or complained before, so SmallPay sends nothing to it. Use another address.");

        var standing = await mailPolicy.StandingAsync(request.Tenant, request.Today, ct);
        var code = new EmailCode(request.Tenant, email, RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture),
            request.NewId("evc"), request.ReceivedAt + EmailCode.Lifetime, 0, null);
        try
        {
            await codes.IssueAsync(code, new SendingQuota(request.Tenant, request.Today, 1, policy.DailyLimit(standing)), ct);
        }
        catch (SendingLimitException limit)
        {
            throw SendingProblems.LimitReached(limit, request.ReceivedAt);
        }
        return ApiResponse.Accepted(new EmailVerificationView(email, code.ExpiresAt), ApiViewJsonContext.Default.EmailVerificationView, "/settings", current.Version);
    }
}

/// <summary>
/// POST /settings/email-verification/confirm with <c>{"code": "123456"}</c>: a right code, in time, for the address the
/// settings still have, marks it verified (the settings' version advances); a wrong one counts, and after
/// <see cref="EmailCode.MaxAttempts"/> the code is spent.
/// </summary>
public sealed class ConfirmEmailVerification(ISettingsStore settings, IEmailVerificationStore codes) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var input = request.ReadJson(ApiJsonContext.Default.EmailVerificationInput);
        var typed = new string((input.Code ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray());
        if (typed.Length != 6 || !typed.All(char.IsAsciiDigit)) throw Refused("must be the six digits of the code we e-mailed");

        var stored = await codes.GetAsync(request.Tenant, ct);
        var current = await settings.GetAsync(request.Tenant, ct);
        if (current.EmailVerified) return Verified(current);
        if (stored is null) throw Refused("no code is waiting: ask for a new one");
        if (stored.ExpiresAt <= request.ReceivedAt) throw Refused("has expired: ask for a new one");
        if (stored.Attempts >= EmailCode.MaxAttempts) throw Refused("was entered wrongly too often: ask for a new one");
        if (!string.Equals(stored.Email, current.Email, StringComparison.OrdinalIgnoreCase))
            throw Refused($"was sent to {stored.Email}, not to the address in settings now: ask for a new one");
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(typed), Encoding.ASCII.GetBytes(stored.Code)))
        {
            await codes.CountWrongAsync(request.Tenant, stored.RequestId, ct);
            var left = EmailCode.MaxAttempts - stored.Attempts - 1;
            throw Refused(left > 0 ? $"is not the code we e-mailed ({left} {(left == 1 ? "try" : "tries")} left)" : "is not the code we e-mailed, and that was the last try: ask for a new one");
        }

        var verified = current with { VerifiedEmail = current.Email, Version = current.Version + 1, UpdatedBy = request.Actor };
        await codes.ConfirmAsync(request.Tenant, stored.RequestId, verified, ct);
        return Verified(verified);
    }

    private static ApiResponse Verified(SmallPay.Domain.Settings.BusinessSettings settings) =>
        ApiResponse.OkWithETag(SettingsView.From(settings), ApiViewJsonContext.Default.SettingsView, settings.Version);

    private static DomainValidationException Refused(string message) =>
        new("The code does not verify the e-mail address.", [new FieldError("code", message)]);
}
