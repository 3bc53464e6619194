using System.Globalization;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Validation;
using SmallPay.Functions.Customers;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Invoices;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Documents;

/// <summary>
/// POST /invoices/{id}/send: records a delivery request (a draft is finalized first, in the same write) and answers 202.
/// Nothing is rendered or mailed here: the request (an item of its own) reaches the document worker through the table's
/// stream. Its recipients count against the business's daily sending limit in the same write, and an address on the
/// business's suppression list (a hard bounce, a complaint) is refused.
/// </summary>
public sealed class SendInvoice(IInvoiceStore invoices, ICustomerStore customers, ISettingsStore settings, InvoiceNumberAllocator allocator,
    IMailPolicyStore mailPolicy, SendingPolicy policy, bool emailConfigured = true) : IApiHandler
{
    /// <summary>The 409 of a stack without a sender address (shared with SendReminder).</summary>
    internal static ProblemException EmailNotConfigured() =>
        new(409, "/problems/email-not-configured", "E-mail is not set up.",
            "This SmallPay has no sender address for e-mails yet (the SmtpSender parameter of its stack). Nothing was changed; download the PDF instead, or ask the operator to set it.");

    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        if (!emailConfigured) throw EmailNotConfigured();
        var input = (request.Raw.Body is { Length: > 0 } ? request.ReadJson(ApiJsonContext.Default.SendInvoiceInput) : new SendInvoiceInput()).ToDeliveryInput();
        InvoiceDeliveries.Validate(input); // bad input is refused before a draft gets its number
        var current = await InvoiceAccess.LoadAsync(invoices, request, ct);
        var business = await settings.GetAsync(request.Tenant, ct);

        // Who it goes to, as the request will say (a draft takes its customer's details when it is finalized).
        var customerEmail = current.IsFinalized ? current.Customer.Email : (await customers.SnapshotForInvoiceAsync(request.Tenant, current.Content.CustomerId, ct)).Email;
        var (to, cc) = InvoiceDeliveries.Recipients(input, customerEmail);
        await RefuseSuppressedAsync(mailPolicy, request.Tenant, input, to, cc, ct);
        var standing = await mailPolicy.StandingAsync(request.Tenant, request.Today, ct);
        var quota = new SendingQuota(request.Tenant, request.Today, to.Count + cc.Count, policy.DailyLimit(standing));

        var requestId = request.NewId("dlv");
        // The default subject in the invoice's language (its customer's, else the business's), like the e-mail itself.
        Invoice Deliver(Invoice invoice) => InvoiceDeliveries.Request(invoice, input, requestId, business.BusinessName, request.ReceivedAt,
            Rendering.InvoiceEmailComposer.DefaultSubject(invoice, business));
        try
        {
            var sent = current.IsFinalized
                ? await AddAsync(current, Deliver, quota, ct)
                : await FinalizeAndDeliverAsync(request, Deliver, quota, ct);
            return ApiResponse.Accepted(InvoiceView.From(sent, request.Today, request.ReceivedAt), ApiViewJsonContext.Default.InvoiceView,
                $"/invoices/{sent.Id}", sent.Version);
        }
        catch (SendingLimitException limit)
        {
            throw SendingProblems.LimitReached(limit, request.ReceivedAt);
        }
    }

    /// <summary>A finalized invoice: the request is stored on its own; the invoice itself (and its version) stays as it is.</summary>
    private async Task<Invoice> AddAsync(Invoice current, Func<Invoice, Invoice> deliver, SendingQuota quota, CancellationToken ct)
    {
        var requested = deliver(current);
        if (ReferenceEquals(requested, current)) return current; // this request, repeated: stored already
        var delivery = requested.DeliveryRequests[^1] with { InvoiceVersion = current.Version };
        await invoices.AddDeliveryAsync(current, delivery, quota, ct);
        return current with { DeliveryRequests = [.. current.DeliveryRequests, delivery] };
    }

    private async Task<Invoice> FinalizeAndDeliverAsync(ApiRequest request, Func<Invoice, Invoice> deliver, SendingQuota quota, CancellationToken ct)
    {
        try
        {
            return await allocator.FinalizeAsync(InvoiceAccess.FinalizeCommand(request) with { Quota = quota }, ct, deliver);
        }
        catch (InvoiceStateException) when (request.IfMatchVersion() is null)
        {
            // Finalized by someone else a moment ago: it can still be sent, now without finalizing.
            return await AddAsync(await InvoiceAccess.LoadAsync(invoices, request, ct), deliver, quota, ct);
        }
    }

    /// <summary>The 422 of addresses on the business's suppression list (shared with SendReminder).</summary>
    internal static async Task RefuseSuppressedAsync(IMailPolicyStore mailPolicy, string business, DeliveryInput input, IReadOnlyList<string> to,
        IReadOnlyList<string> cc, CancellationToken ct)
    {
        var suppressed = await mailPolicy.SuppressedAsync(business, to.Concat(cc), ct);
        if (suppressed.Count == 0) return;
        string Pointer(string address)
        {
            var inTo = (input.To ?? []).ToList().FindIndex(a => string.Equals(a?.Trim(), address, StringComparison.OrdinalIgnoreCase));
            if (inTo >= 0) return $"/to/{inTo}";
            var inCc = (input.Cc ?? []).ToList().FindIndex(a => string.Equals(a?.Trim(), address, StringComparison.OrdinalIgnoreCase));
            return inCc >= 0 ? $"/cc/{inCc}" : "/to";
        }
        throw new ProblemException(422, "/problems/suppressed-recipient", "Some addresses cannot be e-mailed.",
            "Mail to these addresses bounced for good or was reported as unwanted, so this business no longer sends to them. Check the address with the customer.",
            suppressed.Order(StringComparer.Ordinal).Select(a => new ProblemFieldError(Pointer(a), $"{a} bounced or complained: not sent to any more")).ToList());
    }
}

/// <summary>The 429 of the daily sending limit, with when it resets.</summary>
public static class SendingProblems
{
    public static ProblemException LimitReached(SendingLimitException limit, DateTimeOffset now)
    {
        var resets = new DateTimeOffset(limit.Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(1);
        var seconds = (int)Math.Max(1, Math.Ceiling((resets - now).TotalSeconds));
        return new ProblemException(429, "/problems/sending-limit", "The daily sending limit is reached.",
            string.Create(CultureInfo.InvariantCulture,
                $"This business may e-mail {limit.Limit} recipients a day and has e-mailed {limit.Used} today; nothing was sent. The limit resets at {resets:yyyy-MM-dd HH:mm} UTC. New businesses have a lower limit until an invoice has been paid; the operator can raise it."))
        {
            RetryAfterSeconds = seconds,
        };
    }
}
