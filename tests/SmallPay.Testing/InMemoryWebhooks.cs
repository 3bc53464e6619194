using System.Collections.Concurrent;
using System.Net;
using SmallPay.Domain.Webhooks;
using SmallPay.Functions.Storage;
using SmallPay.Functions.Webhooks;

namespace SmallPay.Testing;

/// <summary><see cref="DynamoDbWebhookStore"/>'s items and rules in memory: the conditional put per (endpoint, event), claims on the retry markers, versions.</summary>
public sealed class InMemoryWebhookStore : IWebhookStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, WebhookEndpoint> _endpoints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WebhookDelivery> _deliveries = new(StringComparer.Ordinal);
    /// <summary>Retry markers: delivery id → (business, webhook, rank).</summary>
    private readonly Dictionary<string, WebhookRetry> _retries = new(StringComparer.Ordinal);

    public IReadOnlyList<WebhookDelivery> Deliveries { get { lock (_gate) return _deliveries.Values.ToList(); } }
    public IReadOnlyList<WebhookRetry> Retries { get { lock (_gate) return _retries.Values.ToList(); } }
    public IReadOnlyList<WebhookEndpoint> Endpoints { get { lock (_gate) return _endpoints.Values.ToList(); } }

    public Task<IReadOnlyList<WebhookEndpoint>> ListAsync(string business, CancellationToken ct)
    {
        lock (_gate) return Task.FromResult<IReadOnlyList<WebhookEndpoint>>(_endpoints.Values.Where(e => e.Business == business).OrderBy(e => e.CreatedAt).ToList());
    }

    public Task<WebhookEndpoint?> GetAsync(string business, string webhookId, CancellationToken ct)
    {
        lock (_gate) return Task.FromResult(_endpoints.GetValueOrDefault(webhookId) is { } e && e.Business == business ? e : null);
    }

    public Task CreateAsync(WebhookEndpoint endpoint, CancellationToken ct)
    {
        lock (_gate)
        {
            if (_endpoints.ContainsKey(endpoint.Id)) throw new AlreadyExistsException();
            if (_endpoints.Values.Count(e => e.Business == endpoint.Business) >= WebhookRules.MaxEndpoints) throw new WebhookLimitException();
            _endpoints[endpoint.Id] = endpoint;
        }
        return Task.CompletedTask;
    }

    public Task UpdateAsync(WebhookEndpoint changed, long expectedVersion, CancellationToken ct)
    {
        lock (_gate)
        {
            if (_endpoints.GetValueOrDefault(changed.Id) is not { } current || current.Business != changed.Business || current.Version != expectedVersion)
                throw new StaleVersionException("The webhook endpoint");
            _endpoints[changed.Id] = changed with { Version = expectedVersion + 1 };
        }
        return Task.CompletedTask;
    }

    public Task<bool> DeleteAsync(string business, string webhookId, CancellationToken ct)
    {
        lock (_gate)
            return Task.FromResult(_endpoints.GetValueOrDefault(webhookId) is { } e && e.Business == business && _endpoints.Remove(webhookId));
    }

    public Task<bool> CreateDeliveryAsync(WebhookDelivery delivery, DateTimeOffset claimedUntil, CancellationToken ct)
    {
        lock (_gate)
        {
            if (_deliveries.ContainsKey(delivery.Id) || _retries.ContainsKey(delivery.Id)) return Task.FromResult(false);
            _deliveries[delivery.Id] = delivery;
            _retries[delivery.Id] = new WebhookRetry(delivery.Business, delivery.WebhookId, delivery.Id, Seconds(claimedUntil));
            return Task.FromResult(true);
        }
    }

    public Task<WebhookDelivery?> GetDeliveryAsync(string business, string webhookId, string deliveryId, CancellationToken ct)
    {
        lock (_gate)
            return Task.FromResult(_deliveries.GetValueOrDefault(deliveryId) is { } d && d.Business == business && d.WebhookId == webhookId ? d : null);
    }

    public Task<Page<WebhookDelivery>> DeliveriesAsync(string business, string webhookId, int limit, string? cursor, CancellationToken ct)
    {
        lock (_gate)
        {
            var all = _deliveries.Values.Where(d => d.Business == business && d.WebhookId == webhookId)
                .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id, StringComparer.Ordinal).ToList();
            var start = 0;
            if (cursor is not null)
            {
                start = all.FindIndex(d => d.Id == cursor) + 1;
                if (start == 0) throw new InvalidCursorException();
            }
            var items = all.Skip(start).Take(limit).ToList();
            return Task.FromResult(new Page<WebhookDelivery>(items, start + limit < all.Count ? items[^1].Id : null));
        }
    }

    public Task<IReadOnlyList<WebhookRetry>> DueAsync(DateTimeOffset now, int limit, CancellationToken ct)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlyList<WebhookRetry>>(_retries.Values.Where(r => r.DueAt <= now).OrderBy(r => r.DueAt).Take(limit).ToList());
    }

    public Task<bool> ClaimAsync(WebhookRetry due, DateTimeOffset claimedUntil, CancellationToken ct)
    {
        lock (_gate)
        {
            if (_retries.GetValueOrDefault(due.DeliveryId) is not { } marker || marker.DueAt != Seconds(due.DueAt)) return Task.FromResult(false);
            _retries[due.DeliveryId] = marker with { DueAt = Seconds(claimedUntil) };
            return Task.FromResult(true);
        }
    }

    public Task<bool> RecordAsync(WebhookDelivery after, DateTimeOffset claimedUntil, CancellationToken ct)
    {
        lock (_gate)
        {
            if (_deliveries.GetValueOrDefault(after.Id) is not { } current || current.Version != after.Version - 1
                || _retries.GetValueOrDefault(after.Id) is not { } marker || marker.DueAt != Seconds(claimedUntil)) return Task.FromResult(false);
            _deliveries[after.Id] = after;
            if (after.NextAttemptAt is { } next) _retries[after.Id] = marker with { DueAt = Seconds(next) };
            else _retries.Remove(after.Id);
            return Task.FromResult(true);
        }
    }

    public Task<bool> RecordResendAsync(WebhookDelivery after, CancellationToken ct)
    {
        lock (_gate)
        {
            if (_deliveries.GetValueOrDefault(after.Id) is not { } current || current.Version != after.Version - 1) return Task.FromResult(false);
            _deliveries[after.Id] = after;
            if (after.Status != WebhookDeliveryStatus.Pending) _retries.Remove(after.Id);
            return Task.FromResult(true);
        }
    }

    // The index holds epoch seconds, as the DynamoDB store writes them.
    private static DateTimeOffset Seconds(DateTimeOffset at) => DateTimeOffset.FromUnixTimeSeconds(at.ToUnixTimeSeconds());
}

/// <summary>
/// The network in memory: a DNS table the test fills (names not in it do not resolve) and receivers by URL that record
/// what arrives and answer as scripted (by default 200; <see cref="Script"/>: fail the next N with a status).
/// </summary>
public sealed class InMemoryWebhookNetwork : IWebhookNetwork
{
    public ConcurrentDictionary<string, IPAddress[]> Dns { get; } = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<(WebhookRequest Request, DateTimeOffset At)> _received = new();
    private readonly ConcurrentDictionary<string, (int Remaining, int Status)> _scripts = new(StringComparer.Ordinal);

    public IReadOnlyList<(WebhookRequest Request, DateTimeOffset At)> Received => _received.ToList();

    /// <summary>The next <paramref name="fail"/> requests to <paramref name="url"/> get <paramref name="status"/>; then 200 again.</summary>
    public void Script(string url, int fail, int status) => _scripts[url] = (fail, status);

    public Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<IPAddress>>(IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : Dns.GetValueOrDefault(host) ?? []);

    public async Task<WebhookAttempt> PostAsync(WebhookRequest request, DateTimeOffset at, CancellationToken ct)
    {
        // What the real network does before connecting: every address of the host must be public.
        var addresses = await ResolveAsync(request.Url.IdnHost, ct);
        if (addresses.Count == 0 || addresses.Any(a => !WebhookAddresses.IsPublic(a)))
            return new WebhookAttempt(at, null, 0, null, $"refused: {request.Url.IdnHost} does not resolve to a public address");
        _received.Enqueue((request, at));
        var url = request.Url.ToString();
        var status = 200;
        _scripts.AddOrUpdate(url, _ => (0, 200), (_, s) =>
        {
            if (s.Remaining <= 0) return s;
            status = s.Status;
            return (s.Remaining - 1, s.Status);
        });
        return new WebhookAttempt(at, status, 3, status == 200 ? "ok" : "unavailable", null);
    }
}
