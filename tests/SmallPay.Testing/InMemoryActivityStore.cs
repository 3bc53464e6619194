using System.Collections.Concurrent;
using SmallPay.Domain.Changes;
using SmallPay.Functions.Changes;
using SmallPay.Functions.Storage;

namespace SmallPay.Testing;

/// <summary>The history in memory: entries by id (writing one again replaces it, as a PutItem does), newest first per entity.</summary>
public sealed class InMemoryActivityStore : IActivityStore
{
    private readonly ConcurrentDictionary<string, ActivityEntry> _entries = new(StringComparer.Ordinal);

    public IReadOnlyCollection<ActivityEntry> All => _entries.Values.ToList();

    public Task RecordAsync(IReadOnlyList<ActivityEntry> entries, CancellationToken ct)
    {
        foreach (var entry in entries) _entries[entry.Id] = entry;
        return Task.CompletedTask;
    }

    public Task<Page<ActivityEntry>> ListAsync(string business, string entityId, int limit, string? cursor, CancellationToken ct)
    {
        var ordered = _entries.Values.Where(e => e.Business == business && e.EntityId == entityId)
            .OrderByDescending(e => e.At.ToUnixTimeMilliseconds()).ThenByDescending(e => e.Id, StringComparer.Ordinal).ToList();
        var start = 0;
        if (cursor is not null)
        {
            var index = ordered.FindIndex(e => e.Id == cursor);
            if (index < 0) throw new InvalidCursorException();
            start = index + 1;
        }
        var page = ordered.Skip(start).Take(limit).ToList();
        var next = start + page.Count < ordered.Count ? page[^1].Id : null;
        return Task.FromResult(new Page<ActivityEntry>(page, next));
    }
}

/// <summary>Domain events "sent": every PublishAsync call's events, in order (a redelivered change appears twice, with the same ids).</summary>
public sealed class InMemoryDomainEventPublisher : IDomainEventPublisher
{
    private readonly ConcurrentQueue<DomainEvent> _sent = new();

    /// <summary>When set, PublishAsync throws it (SQS refused the batch).</summary>
    public Exception? FailWith { get; set; }

    public IReadOnlyList<DomainEvent> Sent => _sent.ToList();

    public Task PublishAsync(IReadOnlyList<DomainEvent> events, CancellationToken ct)
    {
        if (FailWith is { } failure) throw failure;
        foreach (var e in events) _sent.Enqueue(e);
        return Task.CompletedTask;
    }
}
