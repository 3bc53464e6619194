using SmallPay.Domain;
using SmallPay.Domain.Changes;
using SmallPay.Functions.Customers;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Changes;

/// <summary>GET /invoices/{invoiceId}/activity?limit=&amp;cursor= — the invoice's history, newest first (written by the change feed).</summary>
public sealed class ListInvoiceActivity(IInvoiceStore invoices, IActivityStore activity) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var id = request.PathParameter("invoiceId");
        if (!Ids.IsWellFormed(id, "inv") || await invoices.GetAsync(request.Tenant, id, ct) is null) throw Problems.NotFound($"Invoice {id}");
        return await ActivityPage.ListAsync(activity, request, id, ct);
    }
}

/// <summary>GET /customers/{customerId}/activity?limit=&amp;cursor= — the customer's history, newest first.</summary>
public sealed class ListCustomerActivity(ICustomerStore customers, IActivityStore activity) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        await CustomerAccess.LoadAsync(customers, request, ct);
        return await ActivityPage.ListAsync(activity, request, request.PathParameter("customerId"), ct);
    }
}

internal static class ActivityPage
{
    public static async Task<ApiResponse> ListAsync(IActivityStore activity, ApiRequest request, string entityId, CancellationToken ct)
    {
        var page = await activity.ListAsync(request.Tenant, entityId, request.QueryInt("limit", 25, 1, 100), request.Query("cursor"), ct);
        return ApiResponse.Ok(new ActivityListView(page.Items.Select(ActivityView.From).ToList(), page.NextCursor), ApiViewJsonContext.Default.ActivityListView);
    }
}

/// <summary>One history entry. <c>details</c> depends on <c>kind</c> (README, "Activity"); <c>changes</c> lists an edit's fields.</summary>
public sealed record ActivityView(
    string Id, string EntityType, string EntityId, string Kind, DateTimeOffset At, string? Actor,
    IReadOnlyDictionary<string, string> Details, IReadOnlyList<FieldChangeView>? Changes)
{
    public static ActivityView From(ActivityEntry entry) => new(
        entry.Id, entry.EntityType, entry.EntityId, entry.Kind, entry.At, entry.Actor, entry.Details,
        entry.Changes.Count > 0 ? entry.Changes.Select(c => new FieldChangeView(c.Field, c.Before, c.After)).ToList() : null);
}

public sealed record FieldChangeView(string Field, string? Before, string? After);

public sealed record ActivityListView(IReadOnlyList<ActivityView> Items, string? NextCursor);
