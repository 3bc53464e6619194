using SmallPay.Domain.Invoices;
using SmallPay.Domain.Recurring;
using SmallPay.Functions.Storage;

namespace SmallPay.Testing;

/// <summary>
/// <see cref="DynamoDbRecurringStore"/> in memory, with its rules: versioned writes, the due index (active profiles by
/// next run), and a run's invoice and advanced profile written together or not at all, under the stores' one lock.
/// </summary>
public sealed class InMemoryRecurringStore(Lock gate, InMemoryStores.InvoiceStore invoices) : IRecurringStore
{
    private readonly Dictionary<string, RecurringProfile> _profiles = new(StringComparer.Ordinal);

    /// <summary>How many due queries ran (the scheduler never scans).</summary>
    public int DueQueries { get; private set; }

    public Task<RecurringProfile?> GetAsync(string business, string profileId, CancellationToken ct)
    {
        lock (gate) return Task.FromResult(_profiles.TryGetValue(profileId, out var p) && p.Tenant == business ? p : null);
    }

    public Task CreateAsync(RecurringProfile profile, CancellationToken ct)
    {
        lock (gate)
        {
            if (!_profiles.TryAdd(profile.Id, profile)) throw new AlreadyExistsException();
        }
        return Task.CompletedTask;
    }

    public Task UpdateAsync(RecurringProfile current, RecurringProfile updated, CancellationToken ct)
    {
        lock (gate)
        {
            if (!Matches(current)) throw new StaleVersionException($"Recurring profile {updated.Id}");
            _profiles[updated.Id] = updated;
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RecurringProfile>> ListAsync(string business, int limit, CancellationToken ct)
    {
        lock (gate)
            return Task.FromResult<IReadOnlyList<RecurringProfile>>(_profiles.Values.Where(p => p.Tenant == business)
                .OrderByDescending(p => p.CreatedAt).Take(limit).ToList());
    }

    public Task<DuePage> DueAsync(DateTimeOffset now, int limit, string? cursor, CancellationToken ct)
    {
        lock (gate)
        {
            DueQueries++;
            var due = _profiles.Values
                .Where(p => p is { Status: RecurringStatus.Active, NextRun: not null } && DynamoDbRecurringStore.DueAt(p.NextRun!.Value) <= now.ToUnixTimeSeconds())
                .OrderBy(p => DynamoDbRecurringStore.DueAt(p.NextRun!.Value)).ThenBy(p => p.Id, StringComparer.Ordinal)
                .Select(p => new DueProfile(p.Tenant, p.Id, p.NextRun!.Value))
                .Where(p => cursor is null || string.CompareOrdinal(Key(p), cursor) > 0)
                .ToList();
            var page = due.Take(limit).ToList();
            return Task.FromResult(new DuePage(page, due.Count > limit ? Key(page[^1]) : null));
        }
    }

    public Task<RunOutcome> RunAsync(RecurringProfile read, RecurringProfile advanced, Invoice? invoice, CancellationToken ct)
    {
        lock (gate)
        {
            if (!Matches(read)) return Task.FromResult(RunOutcome.Lost);
            if (invoice is not null)
            {
                try { invoices.CreateAsync(invoice, ct).GetAwaiter().GetResult(); }
                catch (AlreadyExistsException) { return Task.FromResult(RunOutcome.Lost); }
                catch (CustomerMissingException) { return Task.FromResult(RunOutcome.CustomerMissing); }
            }
            _profiles[advanced.Id] = advanced;
            return Task.FromResult(RunOutcome.Applied);
        }
    }

    private bool Matches(RecurringProfile read) =>
        _profiles.TryGetValue(read.Id, out var stored) && stored.Tenant == read.Tenant && stored.Version == read.Version && stored.NextRun == read.NextRun;

    private static string Key(DueProfile p) => $"{DynamoDbRecurringStore.DueAt(p.NextRun):D12}#{p.ProfileId}";
}
