using SmallPay.Domain.Dashboard;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Invoices;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Dashboard;

public sealed record DashboardView(
    DateOnly AsOf,
    IReadOnlyDictionary<string, int> CountsByStatus,
    IReadOnlyList<CurrencySummary> Currencies,
    IReadOnlyList<InvoiceSummaryView> RecentInvoices);

/// <summary>GET /dashboard: the tenant's running total and rankings (the same few reads for any number of invoices), arithmetic in the domain.</summary>
public sealed class GetDashboard(IInvoiceStore invoices) : IApiHandler
{
    public const int RecentCount = 5;

    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var (summary, recentInvoices) = await invoices.DashboardAsync(request.Tenant, request.Today, RecentCount, ct);
        var recent = recentInvoices.Select(i => InvoiceSummaryView.From(i, request.Today)).ToList();
        return ApiResponse.Ok(new DashboardView(summary.AsOf, summary.CountsByStatus, summary.Currencies, recent), ApiViewJsonContext.Default.DashboardView);
    }
}
