using SmallPay.Domain.Documents;
using SmallPay.Domain.Reminders;
using SmallPay.Domain.Validation;
using SmallPay.Functions.Documents;
using SmallPay.Functions.Documents.Rendering;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Invoices;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Reminders;

/// <summary>
/// POST /invoices/{id}/reminders: a reminder now, whatever the plan says (also when reminders are off for the invoice or
/// its customer: the owner asks for this one). The words are the owner's, else the plan's step for where the invoice
/// stands; recipients default to the customer's address. Like a send: its own e-mail request, answered 202, rendered and
/// mailed by the document pipeline, counted against the daily sending limit; suppressed addresses are refused.
/// </summary>
public sealed class SendReminder(IInvoiceStore invoices, ICustomerStore customers, ISettingsStore settings, IMailPolicyStore mailPolicy,
    SendingPolicy policy, bool emailConfigured = true) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        if (!emailConfigured) throw SendInvoice.EmailNotConfigured();
        var input = (request.Raw.Body is { Length: > 0 } ? request.ReadJson(ApiJsonContext.Default.SendInvoiceInput) : new SendInvoiceInput()).ToDeliveryInput();
        InvoiceDeliveries.Validate(input);
        var invoice = await InvoiceAccess.LoadAsync(invoices, request, ct);
        InvoiceReminders.EnsureAwaits(invoice);
        var business = await settings.GetAsync(request.Tenant, ct);

        // The customer's address as it is now, else as printed on the invoice.
        var customer = await customers.GetAsync(request.Tenant, invoice.Content.CustomerId, ct);
        var customerEmail = customer?.Details.Email ?? invoice.Customer.Email;
        var (to, cc) = InvoiceDeliveries.Recipients(input, customerEmail);
        await SendInvoice.RefuseSuppressedAsync(mailPolicy, request.Tenant, input, to, cc, ct);

        var words = ReminderWords.For(ReminderWords.StepForNow(business.Reminders, invoice.DueDate, request.Today), invoice, business, request.Today, to[0]);
        var withWords = input with { To = [.. to], Cc = [.. cc], Subject = input.Subject ?? words.Subject, Message = input.Message ?? words.Message };
        var requested = InvoiceReminders.Request(invoice, withWords, request.NewId("dlv"), request.ReceivedAt, InvoiceEmailComposer.DefaultSubject(invoice, business));
        var reminder = requested.DeliveryRequests[^1] with { InvoiceVersion = invoice.Version };
        var standing = await mailPolicy.StandingAsync(request.Tenant, request.Today, ct);
        try
        {
            await invoices.AddDeliveryAsync(invoice, reminder, new SendingQuota(request.Tenant, request.Today, to.Count + cc.Count, policy.DailyLimit(standing)), ct);
        }
        catch (SendingLimitException limit)
        {
            throw SendingProblems.LimitReached(limit, request.ReceivedAt);
        }
        var sent = invoice with { DeliveryRequests = [.. invoice.DeliveryRequests.Where(r => r.RequestId != reminder.RequestId), reminder] };
        return ApiResponse.Accepted(InvoiceView.From(sent, request.Today, request.ReceivedAt), ApiViewJsonContext.Default.InvoiceView,
            $"/invoices/{sent.Id}", sent.Version);
    }
}

/// <summary>
/// PUT /invoices/{id}/reminders <c>{"enabled": false}</c>: turns the plan's automatic reminders off (or back on) for one
/// invoice. Not an edit of the invoice: a finalized invoice takes it too, and its version (and PDF) stay as they are.
/// Reminders that fall while off are skipped, not sent late.
/// </summary>
public sealed class SetInvoiceReminders(IInvoiceStore invoices) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        request.RequireIfMatchVersion(); // like every PUT: the change is made to the invoice the owner looked at
        var input = request.ReadJson(ApiJsonContext.Default.InvoiceRemindersInput);
        if (input.Enabled is not { } enabled)
            throw new DomainValidationException("The reminder setting is not valid.", [new FieldError("enabled", "is required: true or false")]);
        var invoice = await InvoiceAccess.LoadAsync(invoices, request, ct);
        if (!await invoices.SetRemindersOffAsync(request.Tenant, invoice.Id, !enabled, ct)) throw Problems.NotFound($"Invoice {invoice.Id}");
        return InvoiceAccess.Ok(invoice with { RemindersOff = !enabled }, request);
    }
}

/// <summary>The body of PUT /invoices/{id}/reminders.</summary>
public sealed class InvoiceRemindersInput
{
    public bool? Enabled { get; set; }
}
