using SmallPay.Domain.Links;
using SmallPay.Functions.Storage;

namespace SmallPay.Testing;

/// <summary>The customers' links in memory, with <see cref="DynamoDbDocumentLinkStore"/>'s rules (first view once, tenant-checked writes).</summary>
public sealed class InMemoryLinkStore(Lock gate, InMemoryStores.InvoiceStore invoices) : IDocumentLinkStore
{
    private readonly Dictionary<string, DocumentLink> _links = new(StringComparer.Ordinal);

    /// <summary>Called for documents that are not invoices (quotes): whether the business's document exists, and records on it.</summary>
    public Func<LinkedDocumentKind, string, string, Func<DateTimeOffset?, DateTimeOffset?, (DateTimeOffset? ViewedAt, DateTimeOffset? RevokedAt)>, bool>? OtherDocuments { get; set; }

    public IReadOnlyList<DocumentLink> All
    {
        get { lock (gate) return [.. _links.Values]; }
    }

    public Task CreateAsync(DocumentLink link, CancellationToken ct)
    {
        lock (gate) _links.TryAdd(link.Id, link);
        return Task.CompletedTask;
    }

    public Task<DocumentLink?> GetAsync(string linkId, CancellationToken ct)
    {
        lock (gate) return Task.FromResult(_links.GetValueOrDefault(linkId));
    }

    public Task<bool> RecordFirstViewAsync(DocumentLink link, DateTimeOffset at, CancellationToken ct)
    {
        lock (gate)
        {
            if (!_links.TryGetValue(link.Id, out var stored) || stored.ViewedAt is not null) return Task.FromResult(false);
            if (!Change(link.Business, link.Kind, link.DocumentId, (viewed, revoked) => (viewed ?? at, revoked))) return Task.FromResult(false);
            _links[link.Id] = stored with { ViewedAt = at };
            return Task.FromResult(true);
        }
    }

    public Task<bool> RevokeAsync(string business, LinkedDocumentKind kind, string documentId, DateTimeOffset at, CancellationToken ct)
    {
        lock (gate) return Task.FromResult(Change(business, kind, documentId, (viewed, _) => (viewed, at)));
    }

    private bool Change(string business, LinkedDocumentKind kind, string documentId,
        Func<DateTimeOffset?, DateTimeOffset?, (DateTimeOffset? ViewedAt, DateTimeOffset? RevokedAt)> change)
    {
        if (kind != LinkedDocumentKind.Invoice) return OtherDocuments?.Invoke(kind, business, documentId, change) ?? false;
        if (invoices.Load(documentId) is not { } invoice || invoice.Tenant != business) return false;
        var (viewedAt, revokedAt) = change(invoice.ViewedAt, invoice.LinksRevokedAt);
        invoices.Replace(invoice with { ViewedAt = viewedAt, LinksRevokedAt = revokedAt });
        return true;
    }
}
