using System.Runtime.CompilerServices;
using SmallPay.Domain.Customers;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Settings;
using SmallPay.Functions.Hosting.Idempotency;
using SmallPay.Functions.Storage;

namespace SmallPay.Bench.Warm;

/// <summary>
/// The stores in memory, with the DynamoDB stores' rules (tenant checks, versions, the finalize counter, e-mail claims,
/// invoice counts), so a handler does the same work minus the I/O. Benchmark fakes: one thread at a time.
/// </summary>
public sealed class InMemoryStores
{
    public InMemoryStores()
    {
        Settings = new SettingsStore();
        Customers = new CustomerStore();
        Invoices = new InvoiceStore(Customers, Settings);
        Idempotency = new IdempotencyStore();
    }

    public InvoiceStore Invoices { get; }
    public CustomerStore Customers { get; }
    public SettingsStore Settings { get; }
    public IdempotencyStore Idempotency { get; }

    public sealed class SettingsStore : ISettingsStore
    {
        private readonly Dictionary<string, BusinessSettings> _settings = new(StringComparer.Ordinal);

        public Task<BusinessSettings> GetAsync(string tenant, CancellationToken ct) =>
            Task.FromResult(_settings.GetValueOrDefault(tenant) ?? BusinessSettings.Defaults);

        public Task SaveAsync(string tenant, BusinessSettings updated, CancellationToken ct)
        {
            var stored = _settings.GetValueOrDefault(tenant)?.Version ?? 0;
            if (stored != updated.Version - 1) throw new StaleVersionException();
            _settings[tenant] = updated;
            return Task.CompletedTask;
        }

        internal void Put(string tenant, BusinessSettings settings) => _settings[tenant] = settings;
    }

    public sealed class CustomerStore : ICustomerStore
    {
        private readonly Dictionary<string, Customer> _customers = new(StringComparer.Ordinal);
        private readonly HashSet<string> _emails = new(StringComparer.Ordinal);

        public Task<Customer?> GetAsync(string tenant, string id, CancellationToken ct) =>
            Task.FromResult(_customers.TryGetValue(id, out var c) && c.Tenant == tenant ? c : null);

        public Task CreateAsync(Customer customer, CancellationToken ct)
        {
            if (_customers.ContainsKey(customer.Id)) throw new StaleVersionException();
            if (EmailKey(customer.Tenant, customer.Details.Email) is { } email && !_emails.Add(email)) throw new DuplicateEmailException();
            _customers[customer.Id] = customer with { InvoiceCount = 0 };
            return Task.CompletedTask;
        }

        public Task UpdateAsync(Customer updated, string? previousEmail, CancellationToken ct)
        {
            if (!_customers.TryGetValue(updated.Id, out var stored) || stored.Tenant != updated.Tenant || stored.Version != updated.Version - 1)
                throw new StaleVersionException();
            var oldEmail = EmailKey(updated.Tenant, previousEmail);
            var newEmail = EmailKey(updated.Tenant, updated.Details.Email);
            if (oldEmail != newEmail)
            {
                if (newEmail is not null && !_emails.Add(newEmail)) throw new DuplicateEmailException();
                if (oldEmail is not null) _emails.Remove(oldEmail);
            }
            _customers[updated.Id] = updated with { InvoiceCount = stored.InvoiceCount };
            return Task.CompletedTask;
        }

        public Task DeleteAsync(Customer customer, CancellationToken ct)
        {
            if (!_customers.TryGetValue(customer.Id, out var stored) || stored.Tenant != customer.Tenant) throw new StaleVersionException();
            if (stored.InvoiceCount > 0) throw new CustomerInUseException(stored.InvoiceCount);
            if (stored.Version != customer.Version) throw new StaleVersionException();
            _customers.Remove(customer.Id);
            if (EmailKey(customer.Tenant, stored.Details.Email) is { } email) _emails.Remove(email);
            return Task.CompletedTask;
        }

        public Task<Page<Customer>> ListAsync(string tenant, string? search, int limit, string? cursor, CancellationToken ct)
        {
            var matching = _customers.Values.Where(c => c.Tenant == tenant)
                .Where(c => search is null || $"{c.Details.Name} {c.Details.Email} {c.Details.Phone} {c.Details.TaxId}".ToLowerInvariant().Contains(search.ToLowerInvariant(), StringComparison.Ordinal))
                .OrderBy(c => $"{c.Details.Name.ToLowerInvariant()}#{c.Id}", StringComparer.Ordinal);
            return Task.FromResult(InMemoryPaging.Page(matching, c => c.Id, limit, cursor));
        }

        internal void AddInvoices(string tenant, string customerId, int delta)
        {
            if (!_customers.TryGetValue(customerId, out var customer) || customer.Tenant != tenant) throw new CustomerMissingException();
            _customers[customerId] = customer with { InvoiceCount = customer.InvoiceCount + delta };
        }

        private static string? EmailKey(string tenant, string? email) => Customer.NormalizeEmail(email) is { } e ? $"{tenant}#{e}" : null;
    }

    public sealed class InvoiceStore(CustomerStore customers, SettingsStore settings) : IInvoiceStore
    {
        private readonly Dictionary<string, Invoice> _invoices = new(StringComparer.Ordinal);
        private readonly HashSet<string> _numbers = new(StringComparer.Ordinal);

        public Task<Invoice?> GetAsync(string tenant, string id, CancellationToken ct) =>
            Task.FromResult(_invoices.TryGetValue(id, out var invoice) && invoice.Tenant == tenant ? invoice : null);

        public Task CreateAsync(Invoice invoice, CancellationToken ct)
        {
            if (_invoices.ContainsKey(invoice.Id)) throw new StaleVersionException();
            customers.AddInvoices(invoice.Tenant, invoice.Content.CustomerId, +1);
            _invoices[invoice.Id] = invoice;
            return Task.CompletedTask;
        }

        public Task UpdateAsync(Invoice updated, string previousCustomerId, CancellationToken ct)
        {
            var stored = Stored(updated);
            if (previousCustomerId != updated.Content.CustomerId)
            {
                customers.AddInvoices(updated.Tenant, updated.Content.CustomerId, +1);
                customers.AddInvoices(updated.Tenant, previousCustomerId, -1);
            }
            // The worker's attributes survive every API write, as with the DynamoDB store's UpdateItem SETs.
            _invoices[updated.Id] = updated with { Document = stored.Document, DeliveryResults = stored.DeliveryResults };
            return Task.CompletedTask;
        }

        public Task DeleteAsync(Invoice draft, CancellationToken ct)
        {
            if (!_invoices.TryGetValue(draft.Id, out var stored) || stored.Version != draft.Version || stored.Status != InvoiceStatus.Draft)
                throw new StaleVersionException();
            _invoices.Remove(draft.Id);
            customers.AddInvoices(draft.Tenant, draft.Content.CustomerId, -1);
            return Task.CompletedTask;
        }

        public async Task<FinalizeResult> FinalizeAsync(Invoice finalized, long sequence, BusinessSettings settingsRead, CancellationToken ct)
        {
            if (!_invoices.TryGetValue(finalized.Id, out var stored) || stored.Version != finalized.Version - 1 || stored.Tenant != finalized.Tenant)
                return new FinalizeResult(FinalizeOutcome.InvoiceChanged);
            var counter = await settings.GetAsync(finalized.Tenant, ct);
            if (counter.NextNumber != sequence) return new FinalizeResult(FinalizeOutcome.CounterMoved, counter);
            if (!_numbers.Add($"{finalized.Tenant}#{finalized.Number}")) return new FinalizeResult(FinalizeOutcome.NumberTaken);
            settings.Put(finalized.Tenant, counter with { NextNumber = sequence + 1, Version = counter.Version + 1 });
            _invoices[finalized.Id] = finalized with { Document = stored.Document, DeliveryResults = stored.DeliveryResults };
            return new FinalizeResult(FinalizeOutcome.Finalized);
        }

        public async Task SkipTakenNumberAsync(string tenant, long sequence, BusinessSettings settingsRead, CancellationToken ct)
        {
            var counter = await settings.GetAsync(tenant, ct);
            if (counter.NextNumber == sequence) settings.Put(tenant, counter with { NextNumber = sequence + 1, Version = counter.Version + 1 });
        }

        public Task<Page<Invoice>> ListAsync(string tenant, InvoiceQuery query, CancellationToken ct)
        {
            var from = query.IssuedFrom ?? DateOnly.MinValue;
            var to = query.IssuedTo ?? DateOnly.MaxValue;
            var search = query.Search?.ToLowerInvariant();
            var matching = _invoices.Values
                .Where(i => i.Tenant == tenant && i.Content.IssueDate >= from && i.Content.IssueDate <= to)
                .Where(i => !query.OverdueOnly || i.IsOverdue(query.Today))
                .Where(i => query.OverdueOnly || query.Statuses is not { Count: > 0 } || query.Statuses.Contains(i.Status))
                .Where(i => query.CustomerId is null || i.Content.CustomerId == query.CustomerId)
                .Where(i => search is null || $"{i.Number} {i.Customer.Name} {i.Customer.Email}".ToLowerInvariant().Contains(search, StringComparison.Ordinal))
                .OrderByDescending(i => $"{i.Content.IssueDate:yyyy-MM-dd}#{i.Id}", StringComparer.Ordinal);
            return Task.FromResult(InMemoryPaging.Page(matching, i => i.Id, query.Limit, query.Cursor));
        }

        public async IAsyncEnumerable<Invoice> AllAsync(string tenant, [EnumeratorCancellation] CancellationToken ct)
        {
            foreach (var invoice in _invoices.Values.Where(i => i.Tenant == tenant).ToList())
                yield return invoice;
            await Task.CompletedTask;
        }

        public Task RecordDocumentAsync(string invoiceId, StoredDocument document, CancellationToken ct)
        {
            if (_invoices.TryGetValue(invoiceId, out var invoice) && !(invoice.Document?.Version >= document.Version))
                _invoices[invoiceId] = invoice with { Document = document };
            return Task.CompletedTask;
        }

        private Invoice Stored(Invoice updated) =>
            _invoices.TryGetValue(updated.Id, out var stored) && stored.Tenant == updated.Tenant && stored.Version == updated.Version - 1
                ? stored
                : throw new StaleVersionException();
    }

    public sealed class IdempotencyStore : IIdempotencyStore
    {
        private readonly Dictionary<string, (string Hash, StoredResponse? Response)> _records = new(StringComparer.Ordinal);

        public Task<IdempotencyClaim> ClaimAsync(string recordId, string requestHash, DateTimeOffset now, CancellationToken ct)
        {
            if (!_records.TryGetValue(recordId, out var record))
            {
                _records[recordId] = (requestHash, null);
                return Task.FromResult<IdempotencyClaim>(new IdempotencyClaim.Acquired());
            }
            if (record.Hash != requestHash) return Task.FromResult<IdempotencyClaim>(new IdempotencyClaim.DifferentRequest());
            return Task.FromResult<IdempotencyClaim>(record.Response is { } response ? new IdempotencyClaim.Replay(response) : new IdempotencyClaim.InProgress());
        }

        public Task CompleteAsync(string recordId, StoredResponse response, CancellationToken ct)
        {
            _records[recordId] = (_records[recordId].Hash, response);
            return Task.CompletedTask;
        }

        public Task ReleaseAsync(string recordId, CancellationToken ct)
        {
            _records.Remove(recordId);
            return Task.CompletedTask;
        }
    }
}

internal static class InMemoryPaging
{
    /// <summary>A page after the item whose id is the cursor (the fakes' own cursor format).</summary>
    public static Page<T> Page<T>(IEnumerable<T> ordered, Func<T, string> id, int limit, string? cursor)
    {
        var items = ordered.ToList();
        var start = 0;
        if (cursor is not null)
        {
            var index = items.FindIndex(item => id(item) == cursor);
            if (index < 0) throw new InvalidCursorException();
            start = index + 1;
        }
        var page = items.Skip(start).Take(limit).ToList();
        return new Page<T>(page, start + page.Count < items.Count ? id(page[^1]) : null);
    }
}
