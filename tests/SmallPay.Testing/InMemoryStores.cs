using System.Runtime.CompilerServices;
using SmallPay.Domain.Customers;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Settings;
using SmallPay.Domain.Teams;
using SmallPay.Functions.Hosting.Idempotency;
using SmallPay.Functions.Storage;

namespace SmallPay.Testing;

/// <summary>
/// The stores in memory, with the DynamoDB stores' rules (tenant checks, versions, the finalize counter, e-mail claims,
/// invoice counts, ids that exist already), so a handler does the same work minus the I/O. One lock makes every call
/// atomic, as a conditional write or a transaction is in DynamoDB, so handlers can be raced over them too.
/// </summary>
public sealed class InMemoryStores
{
    private readonly Lock _gate = new();

    public InMemoryStores()
    {
        Settings = new SettingsStore(_gate);
        Customers = new CustomerStore(_gate);
        Invoices = new InvoiceStore(_gate, Customers, Settings, _sent, _reminders);
        Reminders = new ReminderStore(_gate, Invoices, _sent, _reminders);
        Idempotency = new IdempotencyStore(_gate);
        WorkerInvoices = new WorkerInvoiceStore(_gate, Invoices);
        Teams = new TeamStore(_gate, _sent);
        MailPolicy = new MailPolicyStore(_gate, Invoices, _sent);
        EmailCodes = new EmailCodeStore(_gate, Settings, _sent);
        Recurring = new InMemoryRecurringStore(_gate, Invoices);
        Links = new InMemoryLinkStore(_gate, Invoices);
        Quotes = new InMemoryQuoteStore(_gate, Invoices, Settings, _sent, Links);
        WorkerInvoices.Quotes = Quotes;
        CreditNotes = new InMemoryCreditNoteStore(_gate, Invoices, Settings, _reminders, _sent);
        WorkerInvoices.CreditNotes = CreditNotes;
    }

    public InMemoryQuoteStore Quotes { get; }
    public InMemoryCreditNoteStore CreditNotes { get; }

    public InMemoryWebhookStore Webhooks { get; } = new();
    public InMemoryActivityStore Activity { get; } = new();

    public InMemoryLinkStore Links { get; }

    public InMemoryRecurringStore Recurring { get; }

    /// <summary>Reminder markers by invoice id (finalizing writes one, as the DynamoDB store's transaction does).</summary>
    private readonly Dictionary<string, ReminderMarker> _reminders = new(StringComparer.Ordinal);

    public ReminderStore Reminders { get; }

    public EmailCodeStore EmailCodes { get; }

    /// <summary>Recipients e-mailed per business and day (the daily sending limit's counters).</summary>
    private readonly Dictionary<(string Business, DateOnly Day), int> _sent = [];

    public MailPolicyStore MailPolicy { get; }

    public TeamStore Teams { get; }

    public InvoiceStore Invoices { get; }
    public CustomerStore Customers { get; }
    public SettingsStore Settings { get; }
    public IdempotencyStore Idempotency { get; }
    public WorkerInvoiceStore WorkerInvoices { get; }

    public sealed class SettingsStore(Lock gate) : ISettingsStore
    {
        private readonly Dictionary<string, BusinessSettings> _settings = new(StringComparer.Ordinal);

        public Task<BusinessSettings> GetAsync(string tenant, CancellationToken ct)
        {
            lock (gate) return Task.FromResult(Get(tenant));
        }

        public Task SaveAsync(string tenant, BusinessSettings updated, CancellationToken ct)
        {
            lock (gate)
            {
                var stored = _settings.GetValueOrDefault(tenant)?.Version ?? 0;
                if (stored != updated.Version - 1) throw new StaleVersionException("Your settings");
                _settings[tenant] = updated;
            }
            return Task.CompletedTask;
        }

        internal BusinessSettings Get(string tenant) => _settings.GetValueOrDefault(tenant) ?? BusinessSettings.Defaults;

        internal void Put(string tenant, BusinessSettings settings) => _settings[tenant] = settings;
    }

    public sealed class CustomerStore(Lock gate) : ICustomerStore
    {
        private readonly Dictionary<string, Customer> _customers = new(StringComparer.Ordinal);
        private readonly HashSet<string> _emails = new(StringComparer.Ordinal);

        public Task<Customer?> GetAsync(string tenant, string id, CancellationToken ct)
        {
            lock (gate) return Task.FromResult(_customers.TryGetValue(id, out var c) && c.Tenant == tenant ? c : null);
        }

        public Task CreateAsync(Customer customer, CancellationToken ct)
        {
            lock (gate)
            {
                if (_customers.ContainsKey(customer.Id)) throw new AlreadyExistsException();
                if (EmailKey(customer.Tenant, customer.Details.Email) is { } email && !_emails.Add(email)) throw new DuplicateEmailException();
                _customers[customer.Id] = customer with { InvoiceCount = 0 };
            }
            return Task.CompletedTask;
        }

        public Task UpdateAsync(Customer updated, string? previousEmail, CancellationToken ct)
        {
            lock (gate)
            {
                if (!_customers.TryGetValue(updated.Id, out var stored) || stored.Tenant != updated.Tenant || stored.Version != updated.Version - 1)
                    throw new StaleVersionException($"Customer {updated.Details.Name}");
                var oldEmail = EmailKey(updated.Tenant, previousEmail);
                var newEmail = EmailKey(updated.Tenant, updated.Details.Email);
                if (oldEmail != newEmail)
                {
                    if (newEmail is not null && !_emails.Add(newEmail)) throw new DuplicateEmailException();
                    if (oldEmail is not null) _emails.Remove(oldEmail);
                }
                _customers[updated.Id] = updated with { InvoiceCount = stored.InvoiceCount };
            }
            return Task.CompletedTask;
        }

        public Task DeleteAsync(Customer customer, CancellationToken ct)
        {
            lock (gate)
            {
                if (!_customers.TryGetValue(customer.Id, out var stored) || stored.Tenant != customer.Tenant)
                    throw new StaleVersionException($"Customer {customer.Details.Name}");
                if (stored.InvoiceCount > 0) throw new CustomerInUseException(stored.InvoiceCount);
                if (stored.Version != customer.Version) throw new StaleVersionException($"Customer {customer.Details.Name}");
                _customers.Remove(customer.Id);
                if (EmailKey(customer.Tenant, stored.Details.Email) is { } email) _emails.Remove(email);
            }
            return Task.CompletedTask;
        }

        public Task<Page<Customer>> ListAsync(string tenant, string? search, int limit, string? cursor, CancellationToken ct)
        {
            lock (gate)
            {
                var matching = _customers.Values.Where(c => c.Tenant == tenant)
                    .Where(c => search is null || $"{c.Details.Name} {c.Details.Email} {c.Details.Phone} {c.Details.TaxId}".ToLowerInvariant().Contains(search.ToLowerInvariant(), StringComparison.Ordinal))
                    .OrderBy(c => $"{c.Details.Name.ToLowerInvariant()}#{c.Id}", StringComparer.Ordinal);
                return Task.FromResult(InMemoryPaging.Page(matching, c => c.Id, limit, cursor));
            }
        }

        internal void AddInvoices(string tenant, string customerId, int delta)
        {
            if (!_customers.TryGetValue(customerId, out var customer) || customer.Tenant != tenant) throw new CustomerMissingException();
            _customers[customerId] = customer with { InvoiceCount = customer.InvoiceCount + delta };
        }

        private static string? EmailKey(string tenant, string? email) => Customer.NormalizeEmail(email) is { } e ? $"{tenant}#{e}" : null;
    }

    public sealed class InvoiceStore(Lock gate, CustomerStore customers, SettingsStore settings, Dictionary<(string Business, DateOnly Day), int> sent,
        Dictionary<string, ReminderMarker> reminders) : IInvoiceStore
    {
        public Task<bool> SetRemindersOffAsync(string tenant, string invoiceId, bool off, CancellationToken ct)
        {
            lock (gate)
            {
                if (!_invoices.TryGetValue(invoiceId, out var stored) || stored.Tenant != tenant) return Task.FromResult(false);
                _invoices[invoiceId] = stored with { RemindersOff = off };
                return Task.FromResult(true);
            }
        }

        /// <summary>Appends a request as its own item would (for the reminder store's transaction); false when it exists.</summary>
        internal bool TryAddRequest(string invoiceId, DeliveryRequest request)
        {
            var stored = _invoices[invoiceId];
            if (stored.DeliveryRequests.Any(r => r.RequestId == request.RequestId)) return false;
            _invoices[invoiceId] = stored with { DeliveryRequests = [.. stored.DeliveryRequests, request] };
            return true;
        }

        internal Invoice? Find(string invoiceId) => _invoices.GetValueOrDefault(invoiceId);

        /// <summary>Counts the quota's recipients, as the DynamoDB store's conditional counter does; throws when over.</summary>
        private void Reserve(SendingQuota? quota)
        {
            if (quota is null) return;
            var used = sent.GetValueOrDefault((quota.Business, quota.Day));
            if (used + quota.Recipients > quota.Limit) throw new SendingLimitException(quota.Limit, used, quota.Day);
            sent[(quota.Business, quota.Day)] = used + quota.Recipients;
        }

        public Task AddDeliveryAsync(Invoice invoice, DeliveryRequest request, SendingQuota quota, CancellationToken ct)
        {
            lock (gate)
            {
                if (!_invoices.TryGetValue(invoice.Id, out var stored) || stored.Tenant != invoice.Tenant || stored.Status == InvoiceStatus.Void)
                    throw new StaleVersionException($"Invoice {invoice.Number ?? invoice.Id}");
                if (stored.DeliveryRequests.Any(r => r.RequestId == request.RequestId)) return Task.CompletedTask;
                Reserve(quota);
                _invoices[invoice.Id] = stored with { DeliveryRequests = [.. stored.DeliveryRequests, request] };
            }
            return Task.CompletedTask;
        }

        private readonly Dictionary<string, Invoice> _invoices = new(StringComparer.Ordinal);
        private readonly HashSet<string> _numbers = new(StringComparer.Ordinal);

        /// <summary>Every stored invoice of every tenant (for assertions).</summary>
        public IReadOnlyList<Invoice> All
        {
            get { lock (gate) return [.. _invoices.Values]; }
        }

        public Task<Invoice?> GetAsync(string tenant, string id, CancellationToken ct)
        {
            lock (gate) return Task.FromResult(_invoices.TryGetValue(id, out var invoice) && invoice.Tenant == tenant ? invoice : null);
        }

        public Task CreateAsync(Invoice invoice, CancellationToken ct)
        {
            lock (gate)
            {
                if (_invoices.ContainsKey(invoice.Id)) throw new AlreadyExistsException();
                customers.AddInvoices(invoice.Tenant, invoice.Content.CustomerId, +1);
                _invoices[invoice.Id] = invoice;
            }
            return Task.CompletedTask;
        }

        public Task UpdateAsync(Invoice current, Invoice updated, CancellationToken ct)
        {
            lock (gate)
            {
                var stored = Stored(updated);
                var previousCustomerId = stored.Content.CustomerId;
                if (previousCustomerId != updated.Content.CustomerId)
                {
                    customers.AddInvoices(updated.Tenant, updated.Content.CustomerId, +1);
                    customers.AddInvoices(updated.Tenant, previousCustomerId, -1);
                }
                // The worker's attributes survive every API write, as with the DynamoDB store's UpdateItem SETs.
                _invoices[updated.Id] = updated with
                {
                    Document = stored.Document, DeliveryResults = stored.DeliveryResults, RemindersOff = stored.RemindersOff,
                    ViewedAt = stored.ViewedAt, LinksRevokedAt = stored.LinksRevokedAt,
                };
            }
            return Task.CompletedTask;
        }

        public Task DeleteAsync(Invoice draft, CancellationToken ct)
        {
            lock (gate)
            {
                if (!_invoices.TryGetValue(draft.Id, out var stored) || stored.Tenant != draft.Tenant || stored.Version != draft.Version || stored.Status != InvoiceStatus.Draft)
                    throw new StaleVersionException($"Invoice {draft.Id}");
                _invoices.Remove(draft.Id);
                customers.AddInvoices(draft.Tenant, draft.Content.CustomerId, -1);
            }
            return Task.CompletedTask;
        }

        public Task<FinalizeResult> FinalizeAsync(Invoice draft, Invoice finalized, long sequence, BusinessSettings settingsRead, CancellationToken ct, SendingQuota? quota = null)
        {
            lock (gate)
            {
                if (!_invoices.TryGetValue(finalized.Id, out var stored) || stored.Version != finalized.Version - 1 || stored.Tenant != finalized.Tenant)
                    return Task.FromResult(new FinalizeResult(FinalizeOutcome.InvoiceChanged));
                var counter = settings.Get(finalized.Tenant);
                if (counter.NextNumber != sequence) return Task.FromResult(new FinalizeResult(FinalizeOutcome.CounterMoved, counter));
                if (_numbers.Contains($"{finalized.Tenant}#{finalized.Number}")) return Task.FromResult(new FinalizeResult(FinalizeOutcome.NumberTaken));
                Reserve(quota);
                _numbers.Add($"{finalized.Tenant}#{finalized.Number}");
                settings.Put(finalized.Tenant, counter with { NextNumber = sequence + 1, Version = counter.Version + 1 });
                _invoices[finalized.Id] = finalized with
                {
                    Document = stored.Document, DeliveryResults = stored.DeliveryResults, RemindersOff = stored.RemindersOff,
                    ViewedAt = stored.ViewedAt, LinksRevokedAt = stored.LinksRevokedAt,
                };
                reminders[finalized.Id] = ReminderMarker.For(finalized);
                return Task.FromResult(new FinalizeResult(FinalizeOutcome.Finalized));
            }
        }

        public Task SkipTakenNumberAsync(string tenant, long sequence, BusinessSettings settingsRead, CancellationToken ct)
        {
            lock (gate)
            {
                var counter = settings.Get(tenant);
                if (counter.NextNumber == sequence) settings.Put(tenant, counter with { NextNumber = sequence + 1, Version = counter.Version + 1 });
            }
            return Task.CompletedTask;
        }

        public Task<Page<Invoice>> ListAsync(string tenant, InvoiceQuery query, CancellationToken ct)
        {
            var from = query.IssuedFrom ?? DateOnly.MinValue;
            var to = query.IssuedTo ?? DateOnly.MaxValue;
            var search = query.Search?.ToLowerInvariant();
            lock (gate)
            {
                var matching = _invoices.Values
                    .Where(i => i.Tenant == tenant && i.Content.IssueDate >= from && i.Content.IssueDate <= to)
                    .Where(i => !query.OverdueOnly || i.IsOverdue(query.Today))
                    .Where(i => query.OverdueOnly || query.Statuses is not { Count: > 0 } || query.Statuses.Contains(i.Status))
                    .Where(i => query.CustomerId is null || i.Content.CustomerId == query.CustomerId)
                    .Where(i => search is null || $"{i.Number} {i.Customer.Name} {i.Customer.Email}".ToLowerInvariant().Contains(search, StringComparison.Ordinal))
                    .OrderByDescending(i => $"{i.Content.IssueDate:yyyy-MM-dd}#{i.Id}", StringComparer.Ordinal);
                return Task.FromResult(InMemoryPaging.Page(matching, i => i.Id, query.Limit, query.Cursor));
            }
        }

        public async IAsyncEnumerable<Invoice> AllAsync(string tenant, [EnumeratorCancellation] CancellationToken ct)
        {
            List<Invoice> invoices;
            lock (gate) invoices = _invoices.Values.Where(i => i.Tenant == tenant).ToList();
            foreach (var invoice in invoices) yield return invoice;
            await Task.CompletedTask;
        }

        /// <summary>Summed over the invoices themselves: what the DynamoDB store's running total must always equal.</summary>
        public Task<TenantDashboard> DashboardAsync(string tenant, DateOnly today, int recentCount, CancellationToken ct)
        {
            lock (gate)
            {
                var invoices = _invoices.Values.Where(i => i.Tenant == tenant).ToList();
                var recent = invoices.OrderByDescending(i => i.UpdatedAt).ThenByDescending(i => i.Id, StringComparer.Ordinal).Take(recentCount).ToList();
                return Task.FromResult(new TenantDashboard(SmallPay.Domain.Dashboard.DashboardCalculator.Compute(invoices, today), recent));
            }
        }

        internal Invoice? Load(string id) => _invoices.GetValueOrDefault(id);

        internal void Replace(Invoice invoice) => _invoices[invoice.Id] = invoice;

        private Invoice Stored(Invoice updated) =>
            _invoices.TryGetValue(updated.Id, out var stored) && stored.Tenant == updated.Tenant && stored.Version == updated.Version - 1
                ? stored
                : throw new StaleVersionException($"Invoice {updated.Number ?? updated.Id}");
    }

    /// <summary>The document worker's conditional writes on the same invoices (never touching their version).</summary>
    public sealed class WorkerInvoiceStore(Lock gate, InvoiceStore invoices) : IWorkerInvoiceStore
    {
        /// <summary>Quotes go through the worker in their invoice shape, as the DynamoDB store loads them.</summary>
        internal InMemoryQuoteStore? Quotes { get; set; }
        /// <summary>Credit notes too (kind CreditNote).</summary>
        internal InMemoryCreditNoteStore? CreditNotes { get; set; }

        public Task<Invoice?> LoadAsync(string invoiceId, CancellationToken ct, string? deliveryItemId = null)
        {
            lock (gate) return Task.FromResult(invoices.Load(invoiceId) ?? Quotes?.LoadDocument(invoiceId) ?? CreditNotes?.LoadDocument(invoiceId));
        }

        public Task<bool> RecordDocumentAsync(string invoiceId, StoredDocument document, CancellationToken ct) =>
            Change(invoiceId, i => i.Document?.Version >= document.Version ? null : i with { Document = document });

        public Task<bool> ClaimDeliveryAsync(string invoiceId, string requestId, DeliveryResult claim, DateTimeOffset now, CancellationToken ct) =>
            Change(invoiceId, i => i.DeliveryResults.TryGetValue(requestId, out var result)
                                   && !(result.Status == DeliveryStatus.Sending && result.LeaseUntil < now && result.Attempts == claim.Attempts - 1)
                ? null
                : WithResult(i, requestId, claim));

        public Task<bool> CompleteDeliveryAsync(string invoiceId, string requestId, DeliveryResult outcome, CancellationToken ct) =>
            Change(invoiceId, i => i.DeliveryResults.TryGetValue(requestId, out var result) && result.Status == DeliveryStatus.Sending
                ? WithResult(i, requestId, outcome)
                : null);

        public Task<bool> ReleaseClaimAsync(string invoiceId, string requestId, DateTimeOffset lease, string reason,
            IReadOnlyList<RecipientOutcome>? recipients, CancellationToken ct) =>
            Change(invoiceId, i => i.DeliveryResults.TryGetValue(requestId, out var result) && result.Status == DeliveryStatus.Sending && result.LeaseUntil == lease
                ? WithResult(i, requestId, result with { LeaseUntil = DateTimeOffset.UnixEpoch, Recipients = recipients ?? result.Recipients })
                : null);

        public Task<bool> MarkRefusedAsync(string invoiceId, string requestId, IReadOnlyList<string> addresses, string reason, CancellationToken ct) =>
            Change(invoiceId, i =>
            {
                var request = i.DeliveryRequests.FirstOrDefault(r => r.RequestId == requestId);
                if (request is null || !i.DeliveryResults.TryGetValue(requestId, out var result) || result.Status == DeliveryStatus.Sending) return null;
                var recipients = InvoiceDeliveries.RecipientsOf(request, result)
                    .Select(r => addresses.Contains(r.Address, StringComparer.OrdinalIgnoreCase) ? r with { Status = RecipientStatus.Refused, Reason = reason } : r)
                    .ToList();
                return WithResult(i, requestId, InvoiceDeliveries.Conclude(recipients, result.Attempts) ?? result with { Recipients = recipients });
            });

        private Task<bool> Change(string invoiceId, Func<Invoice, Invoice?> change)
        {
            lock (gate)
            {
                if (invoices.Load(invoiceId) is not { } invoice)
                {
                    if (CreditNotes?.LoadDocument(invoiceId) is { } note)
                    {
                        if (change(note) is not { } changedNote) return Task.FromResult(false);
                        CreditNotes.ReplaceDocument(changedNote);
                        return Task.FromResult(true);
                    }
                    if (Quotes?.LoadDocument(invoiceId) is not { } quote || change(quote) is not { } changedQuote) return Task.FromResult(false);
                    Quotes.ReplaceDocument(changedQuote);
                    return Task.FromResult(true);
                }
                if (change(invoice) is not { } changed) return Task.FromResult(false);
                invoices.Replace(changed);
                return Task.FromResult(true);
            }
        }

        private static Invoice WithResult(Invoice invoice, string requestId, DeliveryResult result) =>
            invoice with { DeliveryResults = new Dictionary<string, DeliveryResult>(invoice.DeliveryResults) { [requestId] = result } };
    }

    /// <summary>Reminder markers with the DynamoDB store's conditions: a move applies only to the marker as read.</summary>
    public sealed class ReminderStore(Lock gate, InvoiceStore invoices, Dictionary<(string Business, DateOnly Day), int> sent,
        Dictionary<string, ReminderMarker> markers) : IReminderStore
    {
        /// <summary>Every marker (for assertions).</summary>
        public IReadOnlyList<ReminderMarker> All
        {
            get { lock (gate) return [.. markers.Values]; }
        }

        public void Put(ReminderMarker marker)
        {
            lock (gate) markers[marker.InvoiceId] = marker;
        }

        public Task<Page<ReminderMarker>> DueAsync(DateTimeOffset now, int limit, string? cursor, CancellationToken ct)
        {
            lock (gate)
            {
                var skip = cursor is null ? 0 : int.Parse(cursor, System.Globalization.CultureInfo.InvariantCulture);
                var all = markers.Values.Where(m => !m.Parked && m.CheckAt <= now).OrderBy(m => m.CheckAt).ThenBy(m => m.InvoiceId, StringComparer.Ordinal).ToList();
                var page = all.Skip(skip).Take(limit).ToList();
                var next = skip + page.Count < all.Count ? (skip + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
                return Task.FromResult(new Page<ReminderMarker>(page, next));
            }
        }

        public Task<ReminderMarker?> GetAsync(string business, string invoiceId, CancellationToken ct)
        {
            lock (gate) return Task.FromResult(markers.TryGetValue(invoiceId, out var m) && m.Business == business ? m : null);
        }

        public Task<RemindOutcome> RemindAsync(ReminderMarker read, Invoice invoice, DeliveryRequest request, SendingQuota quota, ReminderMarker? next, CancellationToken ct)
        {
            lock (gate)
            {
                var stored = invoices.Find(invoice.Id);
                if (!markers.TryGetValue(read.InvoiceId, out var current) || current != read
                    || stored is null || stored.Tenant != invoice.Tenant || stored.Status is not (InvoiceStatus.Open or InvoiceStatus.PartiallyPaid)
                    || stored.DeliveryRequests.Any(r => r.RequestId == request.RequestId))
                    return Task.FromResult(RemindOutcome.Lost);
                var used = sent.GetValueOrDefault((quota.Business, quota.Day));
                if (used + quota.Recipients > quota.Limit) throw new SendingLimitException(quota.Limit, used, quota.Day);
                sent[(quota.Business, quota.Day)] = used + quota.Recipients;
                invoices.TryAddRequest(invoice.Id, request);
                if (next is null) markers.Remove(read.InvoiceId); else markers[read.InvoiceId] = next;
                return Task.FromResult(RemindOutcome.Requested);
            }
        }

        public Task<int> UnparkAsync(string business, DateTimeOffset now, CancellationToken ct)
        {
            lock (gate)
            {
                var parked = markers.Values.Where(m => m.Business == business && m.Parked).ToList();
                foreach (var m in parked) markers[m.InvoiceId] = m with { Parked = false, CheckAt = now };
                return Task.FromResult(parked.Count);
            }
        }

        public Task<bool> MoveAsync(ReminderMarker read, ReminderMarker? next, CancellationToken ct)
        {
            lock (gate)
            {
                if (!markers.TryGetValue(read.InvoiceId, out var current)) return Task.FromResult(next is null);
                if (current != read) return Task.FromResult(false);
                if (next is null) markers.Remove(read.InvoiceId); else markers[read.InvoiceId] = next;
                return Task.FromResult(true);
            }
        }
    }

    public sealed class IdempotencyStore(Lock gate) : IIdempotencyStore
    {
        private readonly Dictionary<string, (string Hash, StoredResponse? Response)> _records = new(StringComparer.Ordinal);

        public Task<IdempotencyClaim> ClaimAsync(string recordId, string requestHash, DateTimeOffset now, CancellationToken ct)
        {
            lock (gate)
            {
                if (!_records.TryGetValue(recordId, out var record))
                {
                    _records[recordId] = (requestHash, null);
                    return Task.FromResult<IdempotencyClaim>(new IdempotencyClaim.Acquired());
                }
                if (record.Hash != requestHash) return Task.FromResult<IdempotencyClaim>(new IdempotencyClaim.DifferentRequest());
                return Task.FromResult<IdempotencyClaim>(record.Response is { } response ? new IdempotencyClaim.Replay(response) : new IdempotencyClaim.InProgress());
            }
        }

        public Task CompleteAsync(string recordId, StoredResponse response, CancellationToken ct)
        {
            lock (gate) _records[recordId] = (_records[recordId].Hash, response);
            return Task.CompletedTask;
        }

        public Task ReleaseAsync(string recordId, CancellationToken ct)
        {
            lock (gate) _records.Remove(recordId);
            return Task.CompletedTask;
        }
    }
}

public sealed class MailPolicyStore(Lock gate, InMemoryStores.InvoiceStore invoices, Dictionary<(string Business, DateOnly Day), int> sent) : IMailPolicyStore
{
    private readonly Dictionary<string, int> _limits = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Business, string Address), string> _suppressed = [];

    /// <summary>What the operator sets for a business (limits#{business} in DynamoDB).</summary>
    public void SetOperatorLimit(string business, int dailyRecipients)
    {
        lock (gate) _limits[business] = dailyRecipients;
    }

    public Task<SendingStanding> StandingAsync(string business, DateOnly day, CancellationToken ct)
    {
        lock (gate)
        {
            var paid = invoices.All.Any(i => i.Tenant == business && i.Status == InvoiceStatus.Paid);
            return Task.FromResult(new SendingStanding(_limits.TryGetValue(business, out var limit) ? limit : null, paid, sent.GetValueOrDefault((business, day))));
        }
    }

    public Task<IReadOnlySet<string>> SuppressedAsync(string business, IEnumerable<string> addresses, CancellationToken ct)
    {
        lock (gate)
            return Task.FromResult<IReadOnlySet<string>>(addresses.Select(a => a.Trim().ToLowerInvariant())
                .Where(a => _suppressed.ContainsKey((business, a))).ToHashSet(StringComparer.OrdinalIgnoreCase));
    }

    public Task SuppressAsync(string business, string address, string reason, DateTimeOffset at, CancellationToken ct)
    {
        lock (gate) _suppressed[(business, address.Trim().ToLowerInvariant())] = reason;
        return Task.CompletedTask;
    }
}

public sealed class TeamStore(Lock gate, Dictionary<(string Business, DateOnly Day), int> sent) : ITeamStore
{
    private readonly Dictionary<(string Business, string User), Membership> _members = [];
    private readonly Dictionary<string, (Invitation Invitation, string Token)> _invitations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _defaults = new(StringComparer.Ordinal);

    public Task<Role?> RoleOfAsync(string business, string user, CancellationToken ct)
    {
        lock (gate) return Task.FromResult<Role?>(business == user ? Role.Owner : _members.TryGetValue((business, user), out var m) ? m.Role : null);
    }

    public Task<IReadOnlyList<Membership>> MembersAsync(string business, CancellationToken ct)
    {
        lock (gate) return Task.FromResult<IReadOnlyList<Membership>>(_members.Values.Where(m => m.Business == business).ToList());
    }

    public Task<IReadOnlyList<Membership>> MembershipsAsync(string user, CancellationToken ct)
    {
        lock (gate) return Task.FromResult<IReadOnlyList<Membership>>(_members.Values.Where(m => m.User == user).ToList());
    }

    public Task<string?> DefaultBusinessAsync(string user, CancellationToken ct)
    {
        lock (gate) return Task.FromResult(_defaults.GetValueOrDefault(user));
    }

    public Task SetDefaultBusinessAsync(string user, string business, CancellationToken ct)
    {
        lock (gate) _defaults[user] = business;
        return Task.CompletedTask;
    }

    public Task ChangeRoleAsync(string business, string user, Role role, long expectedVersion, CancellationToken ct)
    {
        lock (gate)
        {
            if (!_members.TryGetValue((business, user), out var member)) throw new NotFoundException("This member");
            if (member.Version != expectedVersion) throw new StaleVersionException($"Member {member.Email ?? user}");
            _members[(business, user)] = member with { Role = role, Version = member.Version + 1 };
        }
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string business, string user, CancellationToken ct)
    {
        lock (gate)
            if (!_members.Remove((business, user))) throw new NotFoundException("This member");
        return Task.CompletedTask;
    }

    public Task CreateInvitationAsync(Invitation invitation, string token, CancellationToken ct, SendingQuota? quota = null)
    {
        lock (gate)
        {
            if (_invitations.ContainsKey(invitation.Id)) throw new AlreadyExistsException();
            if (quota is not null)
            {
                var used = sent.GetValueOrDefault((quota.Business, quota.Day));
                if (used + quota.Recipients > quota.Limit) throw new SendingLimitException(quota.Limit, used, quota.Day);
                sent[(quota.Business, quota.Day)] = used + quota.Recipients;
            }
            _invitations[invitation.Id] = (invitation, token);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Invitation>> InvitationsAsync(string business, CancellationToken ct)
    {
        lock (gate) return Task.FromResult<IReadOnlyList<Invitation>>(_invitations.Values.Select(i => i.Invitation).Where(i => i.Business == business).ToList());
    }

    public Task<Invitation?> InvitationAsync(string id, CancellationToken ct)
    {
        lock (gate) return Task.FromResult(_invitations.TryGetValue(id, out var i) ? i.Invitation : null);
    }

    /// <summary>The link's secret of an invitation, as the e-mail carries it (tests accept with it).</summary>
    public string? TokenOf(string invitationId)
    {
        lock (gate) return _invitations.TryGetValue(invitationId, out var i) ? i.Token : null;
    }

    public Task<bool> RevokeInvitationAsync(string business, string id, CancellationToken ct)
    {
        lock (gate)
        {
            if (!_invitations.TryGetValue(id, out var entry) || entry.Invitation.Business != business || entry.Invitation.Status != InvitationStatus.Pending)
                return Task.FromResult(false);
            _invitations[id] = (entry.Invitation with { Status = InvitationStatus.Revoked }, entry.Token);
            return Task.FromResult(true);
        }
    }

    public Task<bool> AcceptInvitationAsync(Invitation invitation, Membership membership, DateTimeOffset now, CancellationToken ct)
    {
        lock (gate)
        {
            if (!_invitations.TryGetValue(invitation.Id, out var entry) || entry.Invitation.Status != InvitationStatus.Pending || entry.Invitation.IsExpiredAt(now))
                return Task.FromResult(false);
            if (_members.ContainsKey((membership.Business, membership.User))) throw new AlreadyExistsException();
            _invitations[invitation.Id] = (entry.Invitation with { Status = InvitationStatus.Accepted, AcceptedAt = now, AcceptedBy = membership.User }, entry.Token);
            _members[(membership.Business, membership.User)] = membership;
            _defaults[membership.User] = membership.Business;
            return Task.FromResult(true);
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

/// <summary>The e-mail verification codes with <see cref="DynamoDbEmailVerificationStore"/>'s rules (one per business, counted against the sending limit).</summary>
public sealed class EmailCodeStore(Lock gate, InMemoryStores.SettingsStore settings, Dictionary<(string Business, DateOnly Day), int> sent) : IEmailVerificationStore, IEmailCodeOutbox
{
    private readonly Dictionary<string, EmailCode> _codes = new(StringComparer.Ordinal);

    /// <summary>What the worker would mail: the current code of a business (tests read it as the owner reads their mail).</summary>
    public EmailCode? Current(string business)
    {
        lock (gate) return _codes.GetValueOrDefault(business);
    }

    public Task IssueAsync(EmailCode code, SendingQuota quota, CancellationToken ct)
    {
        lock (gate)
        {
            var used = sent.GetValueOrDefault((quota.Business, quota.Day));
            if (used + quota.Recipients > quota.Limit) throw new SendingLimitException(quota.Limit, used, quota.Day);
            sent[(quota.Business, quota.Day)] = used + quota.Recipients;
            _codes[code.Business] = code;
        }
        return Task.CompletedTask;
    }

    public Task<EmailCode?> GetAsync(string business, CancellationToken ct) => Task.FromResult(Current(business));

    public Task<bool> CountWrongAsync(string business, string requestId, CancellationToken ct)
    {
        lock (gate)
        {
            if (_codes.GetValueOrDefault(business) is not { } code || code.RequestId != requestId) return Task.FromResult(false);
            _codes[business] = code with { Attempts = code.Attempts + 1 };
            return Task.FromResult(true);
        }
    }

    public Task ConfirmAsync(string business, string requestId, BusinessSettings verified, CancellationToken ct)
    {
        lock (gate)
        {
            if (_codes.GetValueOrDefault(business)?.RequestId != requestId || settings.Get(business).Version != verified.Version - 1)
                throw new StaleVersionException("Your settings");
            settings.Put(business, verified);
            _codes.Remove(business);
        }
        return Task.CompletedTask;
    }

    public Task<bool> ClaimAsync(string business, string requestId, DateTimeOffset lease, DateTimeOffset now, CancellationToken ct) =>
        Task.FromResult(Current(business) is { } code && code.RequestId == requestId && code.MailedRequestId != requestId);

    public Task CompleteAsync(string business, string requestId, CancellationToken ct)
    {
        lock (gate)
            if (_codes.GetValueOrDefault(business) is { } code && code.RequestId == requestId) _codes[business] = code with { MailedRequestId = requestId };
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(string business, string requestId, CancellationToken ct) => Task.CompletedTask;
}
