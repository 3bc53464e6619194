using SmallPay.Domain.Dashboard;
using SmallPay.Domain.Invoices;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Invoices;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Dashboard;

public sealed record DashboardView(
    DateOnly AsOf,
    IReadOnlyDictionary<string, int> CountsByStatus,
    IReadOnlyList<CurrencySummary> Currencies,
    IReadOnlyList<InvoiceSummaryView> RecentInvoices);

/// <summary>GET /dashboard: one pass over the tenant's invoices (one index query), arithmetic in the domain.</summary>
public sealed class GetDashboard(IInvoiceStore invoices) : IApiHandler
{
    public const int RecentCount = 5;

    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var all = new List<Invoice>();
        await foreach (var invoice in invoices.AllAsync(request.Tenant, ct)) all.Add(invoice);
        var summary = DashboardCalculator.Compute(all, request.Today);
        var recent = all.OrderByDescending(i => i.UpdatedAt).Take(RecentCount).Select(i => InvoiceSummaryView.From(i, request.Today)).ToList();
        return ApiResponse.Ok(new DashboardView(summary.AsOf, summary.CountsByStatus, summary.Currencies, recent), ApiViewJsonContext.Default.DashboardView);
    }
}
