using SmallPay.Domain.CreditNotes;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Settings;
using SmallPay.Functions.Storage;

namespace SmallPay.Testing;

/// <summary>
/// <see cref="DynamoDbCreditNoteStore"/> in memory, under the stores' one lock: issuing is all or nothing (the new credit
/// note, the invoice at the version read, the counter, the number claim, the reminder marker); refunds version-check both.
/// </summary>
public sealed class InMemoryCreditNoteStore : ICreditNoteStore
{
    private readonly Lock _gate;
    private readonly InMemoryStores.InvoiceStore _invoices;
    private readonly InMemoryStores.SettingsStore _settings;
    private readonly Dictionary<string, ReminderMarker> _reminders;
    private readonly Dictionary<(string Business, DateOnly Day), int> _sent;
    private readonly Dictionary<string, CreditNote> _notes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _numbers = new(StringComparer.Ordinal);

    internal InMemoryCreditNoteStore(Lock gate, InMemoryStores.InvoiceStore invoices, InMemoryStores.SettingsStore settings, Dictionary<string, ReminderMarker> reminders,
        Dictionary<(string Business, DateOnly Day), int> sent)
    {
        _gate = gate;
        _invoices = invoices;
        _settings = settings;
        _reminders = reminders;
        _sent = sent;
    }

    /// <summary>The credit note as the worker sees it (its invoice shape), or null.</summary>
    internal Invoice? LoadDocument(string id) => _notes.TryGetValue(id, out var n) ? n.AsDocument() : null;

    /// <summary>Takes the worker's change of the credit note's invoice shape back (deliveries, PDF).</summary>
    internal void ReplaceDocument(Invoice document) => _notes[document.Id] = _notes[document.Id].WithDocumentState(document);

    public Task AddDeliveryAsync(CreditNote note, DeliveryRequest request, SendingQuota quota, CancellationToken ct)
    {
        lock (_gate)
        {
            if (!_notes.TryGetValue(note.Id, out var stored) || stored.Tenant != note.Tenant) throw new NotFoundException($"Credit note {note.Number}");
            if (stored.DeliveryRequests.Any(r => r.RequestId == request.RequestId)) return Task.CompletedTask;
            Reserve(quota);
            _notes[note.Id] = stored with { DeliveryRequests = [.. stored.DeliveryRequests, request] };
        }
        return Task.CompletedTask;
    }

    private void Reserve(SendingQuota quota)
    {
        var used = _sent.GetValueOrDefault((quota.Business, quota.Day));
        if (used + quota.Recipients > quota.Limit) throw new SendingLimitException(quota.Limit, used, quota.Day);
        _sent[(quota.Business, quota.Day)] = used + quota.Recipients;
    }

    /// <summary>Every stored credit note (for assertions).</summary>
    public IReadOnlyList<CreditNote> All
    {
        get { lock (_gate) return [.. _notes.Values]; }
    }

    public Task<CreditNote?> GetAsync(string business, string creditNoteId, CancellationToken ct)
    {
        lock (_gate) return Task.FromResult(_notes.TryGetValue(creditNoteId, out var n) && n.Tenant == business ? n : null);
    }

    public Task<Page<CreditNote>> ListAsync(string business, string? invoiceId, int limit, string? cursor, CancellationToken ct)
    {
        lock (_gate)
        {
            var all = _notes.Values.Where(n => n.Tenant == business && (invoiceId is null || n.InvoiceId == invoiceId))
                .OrderByDescending(n => n.IssuedAt).ThenByDescending(n => n.Id, StringComparer.Ordinal).ToList();
            var start = 0;
            if (cursor is not null)
            {
                start = all.FindIndex(n => n.Id == cursor) + 1;
                if (start == 0) throw new InvalidCursorException();
            }
            var page = all.Skip(start).Take(limit).ToList();
            return Task.FromResult(new Page<CreditNote>(page, start + limit < all.Count ? page[^1].Id : null));
        }
    }

    public Task<IssueResult> IssueAsync(Invoice current, Invoice credited, CreditNote note, long sequence, BusinessSettings settingsRead, CancellationToken ct,
        (DeliveryRequest Request, SendingQuota Quota)? delivery = null)
    {
        lock (_gate)
        {
            if (_notes.ContainsKey(note.Id)) return Task.FromResult(new IssueResult(IssueOutcome.AlreadyIssued));
            var counter = _settings.Get(note.Tenant);
            if (counter.CreditNoteNextNumber != sequence) return Task.FromResult(new IssueResult(IssueOutcome.CounterMoved, counter));
            if (_numbers.Contains($"{note.Tenant}#{note.Number}")) return Task.FromResult(new IssueResult(IssueOutcome.NumberTaken));
            var used = delivery is { } send ? _sent.GetValueOrDefault((send.Quota.Business, send.Quota.Day)) : 0;
            if (delivery is { } over && used + over.Quota.Recipients > over.Quota.Limit) throw new SendingLimitException(over.Quota.Limit, used, over.Quota.Day);
            try { _invoices.UpdateAsync(current, credited, ct).GetAwaiter().GetResult(); }
            catch (StaleVersionException) { return Task.FromResult(new IssueResult(IssueOutcome.InvoiceChanged)); }
            if (delivery is { } requested)
            {
                Reserve(requested.Quota);
                note = note with { DeliveryRequests = [requested.Request] };
            }
            _numbers.Add($"{note.Tenant}#{note.Number}");
            _settings.Put(note.Tenant, counter with { CreditNoteNextNumber = sequence + 1, Version = counter.Version + 1 });
            _notes[note.Id] = note;
            if (credited.Status == InvoiceStatus.Paid && current.Status != InvoiceStatus.Paid) _reminders.Remove(current.Id);
            return Task.FromResult(new IssueResult(IssueOutcome.Issued));
        }
    }

    public Task SkipTakenNumberAsync(string business, long sequence, BusinessSettings settingsRead, CancellationToken ct)
    {
        lock (_gate)
        {
            var counter = _settings.Get(business);
            if (counter.CreditNoteNextNumber == sequence) _settings.Put(business, counter with { CreditNoteNextNumber = sequence + 1, Version = counter.Version + 1 });
        }
        return Task.CompletedTask;
    }

    public Task RefundAsync(CreditNote current, CreditNote refunded, Invoice invoice, Invoice listed, CancellationToken ct)
    {
        lock (_gate)
        {
            if (!_notes.TryGetValue(current.Id, out var stored) || stored.Tenant != current.Tenant || stored.Version != current.Version)
                throw new StaleVersionException($"Credit note {current.Number}");
            _invoices.UpdateAsync(invoice, listed, ct).GetAwaiter().GetResult();
            _notes[current.Id] = refunded with { DeliveryRequests = stored.DeliveryRequests, DeliveryResults = stored.DeliveryResults, Document = stored.Document };
        }
        return Task.CompletedTask;
    }
}
