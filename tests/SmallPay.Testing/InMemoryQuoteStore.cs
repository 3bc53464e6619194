using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Links;
using SmallPay.Domain.Quotes;
using SmallPay.Domain.Settings;
using SmallPay.Functions.Storage;

namespace SmallPay.Testing;

/// <summary>
/// <see cref="DynamoDbQuoteStore"/> in memory, with its rules under the stores' one lock: versioned draft edits, sending
/// with the quote counter, a number claim and the sending quota all or nothing, the customer's answer once, conversion
/// once together with the invoice it makes. The page's links and the worker reach quotes through it too.
/// </summary>
public sealed class InMemoryQuoteStore : IQuoteStore
{
    private readonly Lock _gate;
    private readonly InMemoryStores.InvoiceStore _invoices;
    private readonly InMemoryStores.SettingsStore _settings;
    private readonly Dictionary<(string Business, DateOnly Day), int> _sent;
    private readonly Dictionary<string, Quote> _quotes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _numbers = new(StringComparer.Ordinal);

    internal InMemoryQuoteStore(Lock gate, InMemoryStores.InvoiceStore invoices, InMemoryStores.SettingsStore settings,
        Dictionary<(string Business, DateOnly Day), int> sent, InMemoryLinkStore links)
    {
        _gate = gate;
        _invoices = invoices;
        _settings = settings;
        _sent = sent;
        links.OtherDocuments = (kind, business, id, change) =>
        {
            if (kind != LinkedDocumentKind.Quote || !_quotes.TryGetValue(id, out var quote) || quote.Tenant != business) return false;
            var (viewed, revoked) = change(quote.ViewedAt, quote.LinksRevokedAt);
            _quotes[id] = quote with { ViewedAt = viewed, LinksRevokedAt = revoked };
            return true;
        };
    }

    /// <summary>Every stored quote (for assertions).</summary>
    public IReadOnlyList<Quote> All
    {
        get { lock (_gate) return [.. _quotes.Values]; }
    }

    /// <summary>The quote as the worker sees it (its invoice shape), or null.</summary>
    internal Invoice? LoadDocument(string id) => _quotes.TryGetValue(id, out var q) ? q.AsDocument() : null;

    /// <summary>Takes the worker's change of the quote's invoice shape back (deliveries, PDF).</summary>
    internal void ReplaceDocument(Invoice document) => _quotes[document.Id] = _quotes[document.Id].WithDocumentState(document);

    public Task<Quote?> GetAsync(string business, string quoteId, CancellationToken ct)
    {
        lock (_gate) return Task.FromResult(_quotes.TryGetValue(quoteId, out var q) && q.Tenant == business ? q : null);
    }

    public Task CreateAsync(Quote quote, CancellationToken ct)
    {
        lock (_gate)
        {
            if (!_quotes.TryAdd(quote.Id, quote)) throw new AlreadyExistsException();
        }
        return Task.CompletedTask;
    }

    public Task UpdateAsync(Quote current, Quote updated, CancellationToken ct)
    {
        lock (_gate)
        {
            var stored = Stored(current, QuoteStatus.Draft) ?? throw new StaleVersionException($"Quote {updated.Id}");
            _quotes[updated.Id] = Keep(stored, updated);
        }
        return Task.CompletedTask;
    }

    public Task DeleteAsync(Quote draft, CancellationToken ct)
    {
        lock (_gate)
        {
            if (Stored(draft, QuoteStatus.Draft) is null) throw new StaleVersionException($"Quote {draft.Id}");
            _quotes.Remove(draft.Id);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Quote>> ListAsync(string business, int limit, CancellationToken ct)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlyList<Quote>>(_quotes.Values.Where(q => q.Tenant == business)
                .OrderByDescending(q => q.CreatedAt).ThenByDescending(q => q.Id, StringComparer.Ordinal).Take(limit).ToList());
    }

    public Task<FinalizeResult> SendAsync(Quote draft, Quote sent, long sequence, BusinessSettings settingsRead, DeliveryRequest delivery, SendingQuota quota, CancellationToken ct)
    {
        lock (_gate)
        {
            if (Stored(draft, QuoteStatus.Draft) is not { } stored) return Task.FromResult(new FinalizeResult(FinalizeOutcome.InvoiceChanged));
            var counter = _settings.Get(sent.Tenant);
            if (counter.QuoteNextNumber != sequence) return Task.FromResult(new FinalizeResult(FinalizeOutcome.CounterMoved, counter));
            if (_numbers.Contains($"{sent.Tenant}#{sent.Number}")) return Task.FromResult(new FinalizeResult(FinalizeOutcome.NumberTaken));
            Reserve(quota);
            _numbers.Add($"{sent.Tenant}#{sent.Number}");
            _settings.Put(sent.Tenant, counter with { QuoteNextNumber = sequence + 1, Version = counter.Version + 1 });
            _quotes[sent.Id] = Keep(stored, sent) with { DeliveryRequests = [.. stored.DeliveryRequests, delivery] };
            return Task.FromResult(new FinalizeResult(FinalizeOutcome.Finalized));
        }
    }

    public Task SkipTakenNumberAsync(string business, long sequence, BusinessSettings settingsRead, CancellationToken ct)
    {
        lock (_gate)
        {
            var counter = _settings.Get(business);
            if (counter.QuoteNextNumber == sequence) _settings.Put(business, counter with { QuoteNextNumber = sequence + 1, Version = counter.Version + 1 });
        }
        return Task.CompletedTask;
    }

    public Task AddDeliveryAsync(Quote quote, DeliveryRequest request, SendingQuota quota, CancellationToken ct)
    {
        lock (_gate)
        {
            if (!_quotes.TryGetValue(quote.Id, out var stored) || stored.Tenant != quote.Tenant || stored.Status != QuoteStatus.Sent)
                throw new StaleVersionException($"Quote {quote.Number ?? quote.Id}");
            if (stored.DeliveryRequests.Any(r => r.RequestId == request.RequestId)) return Task.CompletedTask;
            Reserve(quota);
            _quotes[quote.Id] = stored with { DeliveryRequests = [.. stored.DeliveryRequests, request] };
        }
        return Task.CompletedTask;
    }

    public Task<bool> AnswerAsync(string business, string quoteId, QuoteAnswer answer, DateOnly today, DateTimeOffset linkCreatedAt, CancellationToken ct)
    {
        lock (_gate)
        {
            if (!_quotes.TryGetValue(quoteId, out var stored) || stored.Tenant != business || stored.Status != QuoteStatus.Sent || stored.ValidUntil < today
                || stored.LinksRevokedAt is { } revoked && revoked >= linkCreatedAt)
                return Task.FromResult(false);
            _quotes[quoteId] = answer.Accept
                ? stored with { Status = QuoteStatus.Accepted, AcceptedAt = answer.At, AcceptedBy = answer.Name }
                : stored with { Status = QuoteStatus.Declined, DeclinedAt = answer.At };
            return Task.FromResult(true);
        }
    }

    public Task<bool> ConvertAsync(Quote accepted, Quote converted, Invoice invoice, CancellationToken ct)
    {
        lock (_gate)
        {
            if (!_quotes.TryGetValue(accepted.Id, out var stored) || stored.Tenant != accepted.Tenant || stored.Status != QuoteStatus.Accepted || stored.InvoiceId is not null)
                return Task.FromResult(false);
            try { _invoices.CreateAsync(invoice, ct).GetAwaiter().GetResult(); }
            catch (AlreadyExistsException) { return Task.FromResult(false); }
            _quotes[accepted.Id] = Keep(stored, converted) with { Version = stored.Version + 1 };
            return Task.FromResult(true);
        }
    }

    private Quote? Stored(Quote read, QuoteStatus status) =>
        _quotes.TryGetValue(read.Id, out var stored) && stored.Tenant == read.Tenant && stored.Version == read.Version && stored.Status == status ? stored : null;

    /// <summary>What the page and the worker wrote survives an API write, as with the DynamoDB store's SETs.</summary>
    private static Quote Keep(Quote stored, Quote updated) => updated with
    {
        AcceptedAt = stored.AcceptedAt, AcceptedBy = stored.AcceptedBy, DeclinedAt = stored.DeclinedAt, ViewedAt = stored.ViewedAt,
        LinksRevokedAt = stored.LinksRevokedAt, Document = stored.Document, DeliveryResults = stored.DeliveryResults,
        DeliveryRequests = stored.DeliveryRequests,
    };

    private void Reserve(SendingQuota quota)
    {
        var used = _sent.GetValueOrDefault((quota.Business, quota.Day));
        if (used + quota.Recipients > quota.Limit) throw new SendingLimitException(quota.Limit, used, quota.Day);
        _sent[(quota.Business, quota.Day)] = used + quota.Recipients;
    }
}
