using SmallPay.Domain.Links;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.CustomerPage;

/// <summary>
/// Makes the customer's link of one e-mail (the worker, before it claims the e-mail): stores the link item and signs
/// its token. Everything about it follows from the e-mail request, so every try of one e-mail carries the same link,
/// and each new send carries a new one.
/// </summary>
public sealed class DocumentLinkIssuer(IDocumentLinkStore links, DocumentLinkSigner signer, Uri pageBase, TimeSpan lifetime)
{
    public const string PageUrlVariable = "DOCUMENT_PAGE_URL";
    public const string LifetimeVariable = "DOCUMENT_LINK_DAYS";

    /// <summary>The path every customer page lives under (a CloudFront cache behaviour in AWS, the local host's route locally).</summary>
    public const string PathPrefix = "/d/";

    public TimeSpan Lifetime => lifetime;

    public async Task<Uri> IssueAsync(LinkedDocumentKind kind, string business, string documentId, string deliveryId, DateTimeOffset requestedAt, CancellationToken ct)
    {
        var link = new DocumentLink(DocumentLinkRules.IdFor(deliveryId), business, kind, documentId, requestedAt, requestedAt + lifetime);
        await links.CreateAsync(link, ct);
        return PageOf(signer.Sign(link.Id, link.ValidUntil));
    }

    public Uri PageOf(string token) => new(pageBase, PathPrefix.TrimStart('/') + token);

    /// <summary>The issuer of the worker's environment, or null without a secret or a page address (e-mails then carry no link).</summary>
    public static DocumentLinkIssuer? FromEnvironment(Hosting.FunctionEnvironment environment, IDocumentLinkStore links)
    {
        if (DocumentLinkSigner.FromEnvironment(environment) is not { } signer) return null;
        if (!Uri.TryCreate(environment.Get(PageUrlVariable)?.TrimEnd('/') + "/", UriKind.Absolute, out var pageBase) || pageBase.Scheme is not ("https" or "http")) return null;
        var days = int.TryParse(environment.Get(LifetimeVariable), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var d) && d is > 0 and <= 365
            ? TimeSpan.FromDays(d)
            : DocumentLinkRules.DefaultLifetime;
        return new DocumentLinkIssuer(links, signer, pageBase, days);
    }
}
