using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Settings;

public sealed class GetSettings(ISettingsStore settings, IMailPolicyStore mailPolicy, SmallPay.Domain.Documents.SendingPolicy policy) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var current = await settings.GetAsync(request.Tenant, ct);
        var standing = await mailPolicy.StandingAsync(request.Tenant, request.Today, ct);
        var sending = SmallPay.Domain.Documents.SendingAllowance.Of(policy, standing, request.ReceivedAt);
        return ApiResponse.OkWithETag(SettingsView.From(current, sending), ApiViewJsonContext.Default.SettingsView, current.Version);
    }
}

/// <summary>PUT /settings. Finalizing an invoice advances the number and so the version: a stale form gets 412, not a rewound counter.</summary>
/// <summary>
/// PUT /settings. A saved reminder plan that is on brings back the business's invoices parked while it was off (each
/// save does: a save interrupted before the end is completed by the next one).
/// </summary>
public sealed class UpdateSettings(ISettingsStore settings, IReminderStore? reminders = null) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var expected = request.RequireIfMatchVersion();
        var input = request.ReadJson(ApiJsonContext.Default.SettingsInput);
        var current = await settings.GetAsync(request.Tenant, ct);
        if (current.Version != expected) throw Problems.PreconditionFailed("Your settings");
        var updated = input.ApplyTo(current) with { UpdatedBy = request.Actor };
        await settings.SaveAsync(request.Tenant, updated, ct);
        if (updated.Reminders.Enabled && reminders is not null) await reminders.UnparkAsync(request.Tenant, request.ReceivedAt, ct);
        return ApiResponse.OkWithETag(SettingsView.From(updated), ApiViewJsonContext.Default.SettingsView, updated.Version);
    }
}
