using SmallPay.Domain.Dashboard;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Invoices;
using SmallPay.Functions.Recurring;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Dashboard;

public sealed record DashboardView(
    DateOnly AsOf,
    IReadOnlyDictionary<string, int> CountsByStatus,
    IReadOnlyList<CurrencySummary> Currencies,
    IReadOnlyList<InvoiceSummaryView> RecentInvoices,
    RecurringForecast Recurring);

/// <summary>
/// GET /dashboard: the tenant's running total and rankings (the same few reads for any number of invoices), and what its
/// recurring profiles will bill in the next 30 days (one query of the business's profiles); arithmetic in the domain.
/// </summary>
public sealed class GetDashboard(IInvoiceStore invoices, IRecurringStore recurring) : IApiHandler
{
    public const int RecentCount = 5;

    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var summaryRead = invoices.DashboardAsync(request.Tenant, request.Today, RecentCount, ct);
        var profilesRead = recurring.ListAsync(request.Tenant, ListRecurringProfiles.Max, ct);
        var (summary, recentInvoices) = await summaryRead;
        var forecast = RecurringForecaster.Compute(await profilesRead, request.Today);
        var recent = recentInvoices.Select(i => InvoiceSummaryView.From(i, request.Today)).ToList();
        return ApiResponse.Ok(new DashboardView(summary.AsOf, summary.CountsByStatus, summary.Currencies, recent, forecast), ApiViewJsonContext.Default.DashboardView);
    }
}
