using SmallPay.Domain;
using SmallPay.Domain.Invoices;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Invoices;

/// <summary>GET /invoices?status=open,overdue&amp;customerId=&amp;from=&amp;to=&amp;q=&amp;limit=&amp;cursor= — newest first, via the creator index.</summary>
public sealed class ListInvoices(IInvoiceStore invoices) : IApiHandler
{
    public const int MaxSearchLength = 100;

    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var (statuses, overdue) = ParseStatuses(request.Query("status"));
        var from = request.QueryDate("from");
        var to = request.QueryDate("to");
        if (from > to) throw Problems.BadRequest("from must not be after to.", "/query/from");
        var customerId = request.Query("customerId");
        if (customerId is not null && !Ids.IsWellFormed(customerId, "cus"))
            return ApiResponse.Ok(new InvoiceListView([], null), ApiViewJsonContext.Default.InvoiceListView); // no such customer: nothing matches
        var search = request.Query("q")?.Trim();
        if (search is { Length: > MaxSearchLength }) throw Problems.BadRequest($"q must be at most {MaxSearchLength} characters.", "/query/q");

        var query = new InvoiceQuery(statuses, overdue, customerId, from, to, search is { Length: > 0 } ? search : null,
            request.QueryInt("limit", 25, 1, 100), request.Query("cursor"), request.Today);
        var page = await invoices.ListAsync(request.Tenant, query, ct);
        var items = page.Items.Select(i => InvoiceSummaryView.From(i, request.Today)).ToList();
        return ApiResponse.Ok(new InvoiceListView(items, page.NextCursor), ApiViewJsonContext.Default.InvoiceListView);
    }

    private static (IReadOnlyCollection<InvoiceStatus>? Statuses, bool OverdueOnly) ParseStatuses(string? text)
    {
        if (text is null) return (null, false);
        var statuses = new HashSet<InvoiceStatus>();
        var overdue = false;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part.Equals("overdue", StringComparison.OrdinalIgnoreCase)) overdue = true;
            else if (Enum.TryParse<InvoiceStatus>(part, ignoreCase: true, out var status) && Enum.IsDefined(status) && !int.TryParse(part, out _)) statuses.Add(status);
            else throw Problems.BadRequest($"status '{part}' is unknown; use draft, open, partiallypaid, paid, void or overdue.", "/query/status");
        }
        if (overdue && statuses.Count > 0) throw Problems.BadRequest("overdue cannot be combined with other statuses.", "/query/status");
        return (statuses, overdue);
    }
}
