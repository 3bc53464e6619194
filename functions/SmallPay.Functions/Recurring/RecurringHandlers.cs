using SmallPay.Domain;
using SmallPay.Domain.Recurring;
using SmallPay.Functions.Customers;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Recurring;

/// <summary>Reads and writes shared by the recurring routes: tenant-scoped loading, If-Match, the full view.</summary>
internal static class RecurringAccess
{
    public static async Task<RecurringProfile> LoadAsync(IRecurringStore profiles, ApiRequest request, CancellationToken ct)
    {
        var id = request.PathParameter("profileId");
        if (!Ids.IsWellFormed(id, "prf")) throw Problems.NotFound($"Recurring profile {id}");
        var profile = await profiles.GetAsync(request.Tenant, id, ct) ?? throw Problems.NotFound($"Recurring profile {id}");
        if (request.IfMatchVersion() is { } expected && expected != profile.Version) throw Problems.PreconditionFailed($"Recurring profile {profile.Name ?? id}");
        return profile;
    }

    /// <summary>The profile with its latest invoices' numbers and statuses (at most 12 reads; older runs show their ids).</summary>
    public static async Task<ApiResponse> OkAsync(RecurringProfile profile, IInvoiceStore invoices, ApiRequest request, CancellationToken ct, int status = 200)
    {
        var runs = new List<RecurringRunView>(profile.Runs.Count);
        var looked = 0;
        foreach (var run in profile.Runs.Reverse())
        {
            var invoice = run.InvoiceId is { } id && looked++ < 12 ? await invoices.GetAsync(request.Tenant, id, ct) : null;
            runs.Add(new RecurringRunView(run.Period, run.Skipped, run.InvoiceId, invoice?.Number, invoice?.Status));
        }
        runs.Reverse();
        var view = RecurringProfileView.From(profile, runs);
        return status == 201
            ? ApiResponse.Created(view, ApiViewJsonContext.Default.RecurringProfileView, $"/recurring/{profile.Id}", ETags.Format(profile.Version))
            : ApiResponse.OkWithETag(view, ApiViewJsonContext.Default.RecurringProfileView, profile.Version);
    }

    public static async Task<ApiResponse> ChangeAsync(IRecurringStore profiles, IInvoiceStore invoices, ApiRequest request,
        Func<RecurringProfile, RecurringProfile> change, CancellationToken ct)
    {
        var current = await LoadAsync(profiles, request, ct);
        var changed = change(current);
        if (!ReferenceEquals(changed, current))
        {
            try { await profiles.UpdateAsync(current, changed, ct); }
            catch (StaleVersionException) { throw Problems.PreconditionFailed($"Recurring profile {current.Name ?? current.Id}"); }
        }
        return await OkAsync(changed, invoices, request, ct);
    }
}

/// <summary>POST /recurring: a new profile; its first run is the schedule's first date from today.</summary>
public sealed class CreateRecurringProfile(IRecurringStore profiles, IInvoiceStore invoices, ICustomerStore customers, ISettingsStore settings) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var input = request.ReadJson(ApiJsonContext.Default.RecurringProfileInput);
        var (content, schedule, action) = input.Read(await settings.GetAsync(request.Tenant, ct), request.Today);
        var profile = RecurringRules.Create(request.NewId("prf"), request.Tenant, input.Name, content, schedule, action, request.Today, request.ReceivedAt, request.Actor);
        await customers.SnapshotForInvoiceAsync(request.Tenant, content.CustomerId, ct); // the customer must exist (422 otherwise)
        await profiles.CreateAsync(profile, ct);
        return await RecurringAccess.OkAsync(profile, invoices, request, ct, status: 201);
    }
}

/// <summary>GET /recurring: the business's profiles, newest first.</summary>
public sealed class ListRecurringProfiles(IRecurringStore profiles) : IApiHandler
{
    public const int Max = 500;

    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var items = await profiles.ListAsync(request.Tenant, Max, ct);
        return ApiResponse.Ok(new RecurringProfileListView(items.Select(RecurringProfileSummaryView.From).ToList()), ApiViewJsonContext.Default.RecurringProfileListView);
    }
}

/// <summary>GET /recurring/{profileId}: the profile, its next run dates and the invoices it made.</summary>
public sealed class GetRecurringProfile(IRecurringStore profiles, IInvoiceStore invoices) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct) =>
        await RecurringAccess.OkAsync(await RecurringAccess.LoadAsync(profiles, request, ct), invoices, request, ct);
}

/// <summary>PUT /recurring/{profileId} (If-Match): the edit applies from the next period.</summary>
public sealed class UpdateRecurringProfile(IRecurringStore profiles, IInvoiceStore invoices, ICustomerStore customers, ISettingsStore settings) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        request.RequireIfMatchVersion();
        var input = request.ReadJson(ApiJsonContext.Default.RecurringProfileInput);
        var (content, schedule, action) = input.Read(await settings.GetAsync(request.Tenant, ct), request.Today);
        await customers.SnapshotForInvoiceAsync(request.Tenant, content.CustomerId, ct);
        return await RecurringAccess.ChangeAsync(profiles, invoices, request,
            current => RecurringRules.Edit(current, input.Name, content, schedule, action, request.Today, request.ReceivedAt, request.Actor), ct);
    }
}

/// <summary>POST /recurring/{profileId}/pause: no runs until resumed.</summary>
public sealed class PauseRecurringProfile(IRecurringStore profiles, IInvoiceStore invoices) : IApiHandler
{
    public Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct) =>
        RecurringAccess.ChangeAsync(profiles, invoices, request, p => RecurringRules.Pause(p, request.ReceivedAt, request.Actor), ct);
}

/// <summary>POST /recurring/{profileId}/resume: active again; the next run follows the missed-period rule.</summary>
public sealed class ResumeRecurringProfile(IRecurringStore profiles, IInvoiceStore invoices) : IApiHandler
{
    public Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct) =>
        RecurringAccess.ChangeAsync(profiles, invoices, request, p => RecurringRules.Resume(p, request.ReceivedAt, request.Actor), ct);
}
