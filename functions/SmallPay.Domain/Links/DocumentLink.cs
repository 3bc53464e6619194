namespace SmallPay.Domain.Links;

/// <summary>
/// Which kind of document a customer's link shows, and which kind the documents pipeline renders and mails (a credit
/// note has no customer page: no link is ever made for one).
/// </summary>
public enum LinkedDocumentKind { Invoice, Quote, CreditNote }

/// <summary>
/// One customer's link to one sent document (<c>lnk_…</c>): made for one e-mail, so each send re-issues it. The link's
/// token (the signed id and <see cref="ValidUntil"/>) is in the e-mail only; the item keeps what the business may see
/// (when it was first opened) and what the page checks (whose document, until when).
/// </summary>
public sealed record DocumentLink(
    string Id,
    string Business,
    LinkedDocumentKind Kind,
    string DocumentId,
    DateTimeOffset CreatedAt,
    DateTimeOffset ValidUntil,
    DateTimeOffset? ViewedAt = null);

/// <summary>What the customer's page makes of a link.</summary>
public enum LinkVerdict { Valid, Tampered, Unknown, Expired, Revoked }

public static class DocumentLinkRules
{
    /// <summary>How long a link works unless the stack says otherwise (the DocumentLinkDays parameter).</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(60);

    /// <summary>
    /// The link id of the e-mail <paramref name="deliveryId"/>: the same for every try of that e-mail (a retried send
    /// carries the same link), different for every send. Knowing it opens nothing: the page needs the signed token.
    /// </summary>
    public static string IdFor(string deliveryId) => Ids.FromSeed("lnk", "link#" + deliveryId);

    /// <summary>
    /// A link is refused when its document's links were revoked after it was made (a later send issues a new, valid
    /// one), or once it is past its end.
    /// </summary>
    public static LinkVerdict Check(DocumentLink link, DateTimeOffset? revokedAt, DateTimeOffset now) =>
        revokedAt is { } revoked && link.CreatedAt <= revoked ? LinkVerdict.Revoked
        : now >= link.ValidUntil ? LinkVerdict.Expired
        : LinkVerdict.Valid;
}
