using SmallPay.Domain;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Reminders;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Customers;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Invoices;

/// <summary>Reads and writes shared by the invoice routes: tenant-scoped loading, the If-Match check, mapping store errors.</summary>
internal static class InvoiceAccess
{
    public static async Task<Invoice> LoadAsync(IInvoiceStore invoices, ApiRequest request, CancellationToken ct)
    {
        var id = request.PathParameter("invoiceId");
        if (!Ids.IsWellFormed(id, "inv")) throw Problems.NotFound($"Invoice {id}");
        var invoice = await invoices.GetAsync(request.Tenant, id, ct) ?? throw Problems.NotFound($"Invoice {id}");
        if (request.IfMatchVersion() is { } expected && expected != invoice.Version) throw Problems.PreconditionFailed($"Invoice {invoice.Number ?? id}");
        return invoice;
    }

    /// <summary>The route's invoice, finalized as the request asks (If-Match, the function's deadline).</summary>
    public static FinalizeCommand FinalizeCommand(ApiRequest request) =>
        new(request.Tenant, request.PathParameter("invoiceId"), request.IfMatchVersion(), request.ReceivedAt, request.Deadline - InvoiceNumberAllocator.DeadlineMargin, request.Actor);

    public static ApiResponse Ok(Invoice invoice, ApiRequest request) =>
        ApiResponse.OkWithETag(InvoiceView.From(invoice, request.Today, request.ReceivedAt), ApiViewJsonContext.Default.InvoiceView, invoice.Version);

    /// <summary>
    /// Applies a change to the latest version. With If-Match a lost race is the client's 412; without it the change is
    /// re-applied to the fresh version (its rules re-checked), which is what a state transition like "record payment" wants.
    /// </summary>
    public static async Task<Invoice> ChangeAsync(IInvoiceStore invoices, ApiRequest request, Func<Invoice, Invoice> change, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await LoadAsync(invoices, request, ct);
            var next = change(current);
            if (ReferenceEquals(next, current)) return current; // nothing to change (the same payment again)
            var changed = next with { Version = current.Version + 1, UpdatedBy = request.Actor };
            try
            {
                await invoices.UpdateAsync(current, changed, ct);
                return changed;
            }
            catch (StaleVersionException) when (request.IfMatchVersion() is null && attempt < 5)
            {
                await Task.Delay(Random.Shared.Next(5, 20 * attempt), ct);
            }
            catch (StaleVersionException)
            {
                throw Problems.PreconditionFailed($"Invoice {current.Number ?? current.Id}");
            }
        }
    }
}

public sealed class CreateInvoice(IInvoiceStore invoices, ICustomerStore customers, ISettingsStore settings) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var input = request.ReadJson(ApiJsonContext.Default.InvoiceInput);
        var content = input.ToContent(await settings.GetAsync(request.Tenant, ct), request.Today);
        var customer = await customers.SnapshotForInvoiceAsync(request.Tenant, content.CustomerId, ct);
        var invoice = InvoiceLifecycle.CreateDraft(request.NewId("inv"), request.Tenant, content, customer, request.ReceivedAt) with { UpdatedBy = request.Actor };
        try { await invoices.CreateAsync(invoice, ct); }
        catch (AlreadyExistsException)
        {
            // This request, repeated after its first attempt created the draft without an answer.
            invoice = await invoices.GetAsync(request.Tenant, invoice.Id, ct) ?? throw new NotFoundException($"Invoice {invoice.Id}");
        }
        return ApiResponse.Created(InvoiceView.From(invoice, request.Today, request.ReceivedAt), ApiViewJsonContext.Default.InvoiceView,
            $"/invoices/{invoice.Id}", ETags.Format(invoice.Version));
    }
}

/// <summary>GET /invoices/{id}: the invoice, with the reminder its business's plan sends next (when one is planned).</summary>
public sealed class GetInvoice(IInvoiceStore invoices, ISettingsStore? settings = null, ICustomerStore? customers = null, IReminderStore? reminders = null) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var invoice = await InvoiceAccess.LoadAsync(invoices, request, ct);
        var view = InvoiceView.From(invoice, request.Today, request.ReceivedAt) with { NextReminder = await NextReminderAsync(invoice, request, ct) };
        return ApiResponse.OkWithETag(view, ApiViewJsonContext.Default.InvoiceView, invoice.Version);
    }

    private async Task<NextReminderView?> NextReminderAsync(Invoice invoice, ApiRequest request, CancellationToken ct)
    {
        if (settings is null || customers is null || reminders is null || invoice.RemindersOff || !InvoiceReminders.Awaits(invoice)) return null;
        var plan = (await settings.GetAsync(request.Tenant, ct)).Reminders;
        if (!plan.Enabled || await reminders.GetAsync(request.Tenant, invoice.Id, ct) is not { } marker) return null;
        if ((await customers.GetAsync(request.Tenant, invoice.Content.CustomerId, ct))?.Details.RemindersOff == true) return null;
        return ReminderSchedule.Upcoming(plan, invoice.DueDate, marker.HandledThrough) is { } next ? new NextReminderView(next.Date, next.Describe()) : null;
    }
}

public sealed class UpdateInvoice(IInvoiceStore invoices, ICustomerStore customers, ISettingsStore settings) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var expected = request.RequireIfMatchVersion();
        var input = request.ReadJson(ApiJsonContext.Default.InvoiceInput);
        var current = await InvoiceAccess.LoadAsync(invoices, request, ct);
        var content = input.ToContent(await settings.GetAsync(request.Tenant, ct), request.Today);
        // A draft shows its customer as they are now; a finalized invoice keeps the details it was issued with.
        var customer = current.IsFinalized ? current.Customer : await customers.SnapshotForInvoiceAsync(request.Tenant, content.CustomerId, ct);

        var updated = InvoiceLifecycle.Edit(current, content, customer, request.ReceivedAt) with { Version = expected + 1, UpdatedBy = request.Actor };
        await invoices.UpdateAsync(current, updated, ct);
        return InvoiceAccess.Ok(updated, request);
    }
}

public sealed class DeleteInvoice(IInvoiceStore invoices) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var invoice = await InvoiceAccess.LoadAsync(invoices, request, ct);
        InvoiceLifecycle.EnsureDeletable(invoice);
        await invoices.DeleteAsync(invoice, ct);
        return ApiResponse.NoContent();
    }
}

public sealed class VoidInvoice(IInvoiceStore invoices) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var input = request.Raw.Body is { Length: > 0 } ? request.ReadJson(ApiJsonContext.Default.VoidInput) : new VoidInput();
        if (input.Reason is { Length: > 500 }) throw Problems.Validation("/reason", "must be at most 500 characters");
        var reason = string.IsNullOrWhiteSpace(input.Reason) ? null : input.Reason.Trim();
        var voided = await InvoiceAccess.ChangeAsync(invoices, request, i => InvoiceLifecycle.Void(i, reason, request.ReceivedAt), ct);
        return InvoiceAccess.Ok(voided, request);
    }
}
