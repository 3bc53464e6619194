using SmallPay.Domain.Dashboard;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Settings;
using SmallPay.Functions.Storage;

namespace SmallPay.Bench.Warm;

/// <summary>
/// The in-memory invoice store, with the dashboard read as DynamoDbInvoiceStore reads it: from a running
/// <see cref="InvoiceTally"/> per tenant that every write adds its change to (as the DynamoDB store's writes do in their
/// transactions), and the recent invoices from a ranking by last change (the "rank" index). The in-memory store of
/// tests/SmallPay.Testing sums every invoice of the tenant on each dashboard read instead, which costs the handler time
/// the deployed function does not spend. Used for the GetDashboard row "over a running summary" only.
/// </summary>
public sealed class SummarizedInvoiceStore(IInvoiceStore inner) : IInvoiceStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TenantState> _tenants = new(StringComparer.Ordinal);

    private sealed class TenantState
    {
        public InvoiceTally Tally = InvoiceTally.Empty;
        public readonly Dictionary<string, string> Names = new(StringComparer.Ordinal);
        public readonly Dictionary<string, Invoice> ById = new(StringComparer.Ordinal);
        public readonly SortedSet<(long Rank, string Id)> Recent = new(Comparer<(long Rank, string Id)>.Create((a, b) =>
            b.Rank != a.Rank ? b.Rank.CompareTo(a.Rank) : string.CompareOrdinal(b.Id, a.Id)));
    }

    public Task<Invoice?> GetAsync(string tenant, string id, CancellationToken ct) => inner.GetAsync(tenant, id, ct);

    public async Task CreateAsync(Invoice invoice, CancellationToken ct)
    {
        await inner.CreateAsync(invoice, ct);
        Apply(null, invoice);
    }

    public async Task UpdateAsync(Invoice current, Invoice updated, CancellationToken ct)
    {
        await inner.UpdateAsync(current, updated, ct);
        Apply(current, updated);
    }

    public async Task DeleteAsync(Invoice draft, CancellationToken ct)
    {
        await inner.DeleteAsync(draft, ct);
        Apply(draft, null);
    }

    public async Task<FinalizeResult> FinalizeAsync(Invoice draft, Invoice finalized, long sequence, BusinessSettings settingsRead, CancellationToken ct)
    {
        var result = await inner.FinalizeAsync(draft, finalized, sequence, settingsRead, ct);
        if (result.Outcome == FinalizeOutcome.Finalized) Apply(draft, finalized);
        return result;
    }

    public Task SkipTakenNumberAsync(string tenant, long sequence, BusinessSettings settingsRead, CancellationToken ct) =>
        inner.SkipTakenNumberAsync(tenant, sequence, settingsRead, ct);

    public Task<Page<Invoice>> ListAsync(string tenant, InvoiceQuery query, CancellationToken ct) => inner.ListAsync(tenant, query, ct);

    public IAsyncEnumerable<Invoice> AllAsync(string tenant, CancellationToken ct) => inner.AllAsync(tenant, ct);

    public Task<TenantDashboard> DashboardAsync(string tenant, DateOnly today, int recentCount, CancellationToken ct)
    {
        lock (_gate)
        {
            if (!_tenants.TryGetValue(tenant, out var state))
                return Task.FromResult(new TenantDashboard(DashboardCalculator.Compute(InvoiceTally.Empty, _ => [], today), []));
            var tally = state.Tally;
            var summary = DashboardCalculator.Compute(tally,
                currency => DashboardCalculator.TopCustomers(tally, currency, id => state.Names.GetValueOrDefault(id, id)), today);
            var recent = state.Recent.Take(recentCount).Select(r => state.ById[r.Id]).ToList();
            return Task.FromResult(new TenantDashboard(summary, recent));
        }
    }

    private void Apply(Invoice? before, Invoice? after)
    {
        var tenant = (after ?? before)!.Tenant;
        lock (_gate)
        {
            if (!_tenants.TryGetValue(tenant, out var state)) _tenants[tenant] = state = new TenantState();
            state.Tally = state.Tally.Plus(InvoiceTally.Change(before, after));
            if (before is not null && state.ById.Remove(before.Id, out var old)) state.Recent.Remove((old.UpdatedAt.ToUnixTimeMilliseconds(), old.Id));
            if (after is null) return;
            state.ById[after.Id] = after;
            state.Recent.Add((after.UpdatedAt.ToUnixTimeMilliseconds(), after.Id));
            state.Names[after.Content.CustomerId] = after.Customer.Name;
        }
    }
}
