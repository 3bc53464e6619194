using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Quotes;
using SmallPay.Functions.Customers;
using SmallPay.Functions.Documents;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Invoices;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Quotes;

/// <summary>
/// POST /quotes/{quoteId}/send: an e-mail request for the quote, answered 202, through the one documents pipeline (its own
/// <c>delivery#…</c> item reaches the worker, which renders the PDF, issues the customer's page link and mails it). A
/// draft first gets its number, as the invoice allocator does it: the sent quote, the advanced quote counter, a claim on
/// the number, the e-mail request and the day's sending quota in one transaction, retried on a lost race, so numbers stay
/// unique and gapless. Recipients count against the same daily limit as invoices.
/// </summary>
public sealed class SendQuote(IQuoteStore quotes, ICustomerStore customers, ISettingsStore settings, IMailPolicyStore mailPolicy,
    SendingPolicy policy, TimeProvider clock, bool emailConfigured = true) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        if (!emailConfigured) throw SendInvoice.EmailNotConfigured();
        var input = (request.Raw.Body is { Length: > 0 } ? request.ReadJson(ApiJsonContext.Default.SendInvoiceInput) : new SendInvoiceInput()).ToDeliveryInput();
        InvoiceDeliveries.Validate(input);
        var current = await QuoteAccess.LoadAsync(quotes, request, ct);
        QuoteRules.EnsureSendable(current, request.Today);
        var business = await settings.GetAsync(request.Tenant, ct);
        var customer = current.Status == QuoteStatus.Draft ? await customers.SnapshotForInvoiceAsync(request.Tenant, current.Content.CustomerId, ct) : current.Customer;
        var (to, cc) = InvoiceDeliveries.Recipients(input, customer.Email);
        await SendInvoice.RefuseSuppressedAsync(mailPolicy, request.Tenant, input, to, cc, ct);
        var standing = await mailPolicy.StandingAsync(request.Tenant, request.Today, ct);
        var quota = new SendingQuota(request.Tenant, request.Today, to.Count + cc.Count, policy.DailyLimit(standing));
        var requestId = request.NewId("dlv");

        DeliveryRequest Deliver(Quote sent)
        {
            var document = sent.AsDocument();
            var requested = InvoiceDeliveries.Request(document, input, requestId, business.BusinessName, request.ReceivedAt,
                Documents.Rendering.InvoiceEmailComposer.DefaultSubject(document, business));
            return requested.DeliveryRequests.First(r => r.RequestId == requestId) with { InvoiceVersion = sent.Version };
        }

        try
        {
            if (current.DeliveryRequests.Any(r => r.RequestId == requestId)) return Accepted(current, request); // this request again
            var sent = current.Status == QuoteStatus.Draft
                ? await NumberAndSendAsync(current, customer, Deliver, quota, request, ct)
                : await AddAsync(current, Deliver(current), quota, ct);
            return Accepted(sent, request);
        }
        catch (SendingLimitException limit)
        {
            throw SendingProblems.LimitReached(limit, request.ReceivedAt);
        }
    }

    private static ApiResponse Accepted(Quote quote, ApiRequest request) =>
        ApiResponse.Accepted(QuoteAccess.View(quote, request), ApiViewJsonContext.Default.QuoteView, $"/quotes/{quote.Id}", quote.Version);

    private async Task<Quote> AddAsync(Quote current, DeliveryRequest delivery, SendingQuota quota, CancellationToken ct)
    {
        try { await quotes.AddDeliveryAsync(current, delivery, quota, ct); }
        catch (StaleVersionException) { throw Problems.Conflict($"Quote {current.Number} was answered or converted meanwhile: it is not sent again."); }
        return current with { DeliveryRequests = [.. current.DeliveryRequests, delivery] };
    }

    /// <summary>The invoice allocator's loop (InvoiceNumberAllocator), over the quote counter.</summary>
    private async Task<Quote> NumberAndSendAsync(Quote draft, CustomerSnapshot customer, Func<Quote, DeliveryRequest> deliver, SendingQuota quota,
        ApiRequest request, CancellationToken ct)
    {
        var giveUpAt = request.Deadline - InvoiceNumberAllocator.DeadlineMargin;
        var counter = await settings.GetAsync(request.Tenant, ct);
        for (var attempt = 1; ; attempt++)
        {
            var number = InvoiceNumberFormat.Format(counter.QuoteNumberPrefix, counter.QuoteNextNumber);
            var sent = QuoteRules.MarkSent(draft, number, customer, request.ReceivedAt, request.Actor) with { Version = draft.Version + 1 };
            var delivery = deliver(sent);
            var result = await quotes.SendAsync(draft, sent, counter.QuoteNextNumber, counter, delivery, quota, ct);
            switch (result.Outcome)
            {
                case FinalizeOutcome.Finalized:
                    return sent with { DeliveryRequests = [delivery] };
                case FinalizeOutcome.InvoiceChanged when request.IfMatchVersion() is not null:
                    throw Problems.PreconditionFailed($"Quote {draft.Id}");
                case FinalizeOutcome.InvoiceChanged:
                    draft = await QuoteAccess.LoadAsync(quotes, request, ct);
                    if (draft.Status != QuoteStatus.Draft) return await AddAsync(draft, deliver(draft), quota, ct); // sent by someone else a moment ago
                    continue;
                case FinalizeOutcome.NumberTaken:
                    await quotes.SkipTakenNumberAsync(request.Tenant, counter.QuoteNextNumber, counter, ct);
                    counter = await settings.GetAsync(request.Tenant, ct);
                    continue;
            }
            if (clock.GetUtcNow() > giveUpAt)
                throw new BusyException("Too many quotes are being sent at once. Nothing was changed. Try again in a moment.");
            await Task.Delay(Random.Shared.Next(0, 1 + Math.Min(1000, 10 << Math.Min(attempt, 7))), ct);
            counter = result.CurrentCounter ?? await settings.GetAsync(request.Tenant, ct);
        }
    }
}
