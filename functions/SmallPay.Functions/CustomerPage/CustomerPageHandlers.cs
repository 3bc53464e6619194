using SmallPay.Domain.Invoices;
using SmallPay.Domain.Links;
using SmallPay.Domain.Quotes;
using SmallPay.Functions.Documents;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Invoices;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.CustomerPage;

/// <summary>
/// From the token in the path to the one document it may show. A token this stack did not sign, or signed for a link it
/// does not know, is "not found"; one past its end or revoked by the business says so. Whose document it is comes from the
/// link item alone, and the document is read as that business's: another business's document reads as missing.
/// </summary>
public sealed class LinkResolver(IDocumentLinkStore links, IInvoiceStore invoices, DocumentLinkSigner signer, IQuoteStore? quotes = null)
{
    public static PublicPageException NotFound() =>
        new(404, "This link does not work", "The link is incomplete or not one we made. Open it again from the e-mail you received, or ask the sender for a new one.");

    public static PublicPageException Expired() =>
        new(410, "This link has expired", "Links to documents work for a limited time. Ask the sender to send the document again: the new e-mail has a new link.");

    public static PublicPageException Revoked() =>
        new(410, "This link was withdrawn", "The sender has withdrawn this link. If you still need the document, ask them to send it again.");

    public async Task<DocumentLink> LinkAsync(PublicRequest request, CancellationToken ct)
    {
        if (!signer.TryVerify(request.PathParameter("token"), out var linkId, out var validUntil)) throw NotFound();
        if (request.ReceivedAt >= validUntil) throw Expired();
        var link = await links.GetAsync(linkId, ct);
        if (link is null || link.ValidUntil != validUntil) throw NotFound();
        return link;
    }

    /// <summary>The link's document in its invoice shape (an invoice, or a quote's <see cref="Quote.AsDocument"/>), and the quote when it is one.</summary>
    public async Task<(DocumentLink Link, Invoice Document, Quote? Quote)> DocumentAsync(PublicRequest request, CancellationToken ct)
    {
        var link = await LinkAsync(request, ct);
        if (link.Kind != LinkedDocumentKind.Quote) { var (l, invoice) = await InvoiceAsync(request, link, ct); return (l, invoice, null); }
        var (quoteLink, quote) = await QuoteAsync(request, link, ct);
        return (quoteLink, quote.AsDocument(), quote);
    }

    /// <summary>The link's quote as its business holds it, if the link may still show it.</summary>
    public async Task<(DocumentLink Link, Quote Quote)> QuoteAsync(PublicRequest request, CancellationToken ct) =>
        await QuoteAsync(request, await LinkAsync(request, ct), ct);

    private async Task<(DocumentLink Link, Quote Quote)> QuoteAsync(PublicRequest request, DocumentLink link, CancellationToken ct)
    {
        if (link.Kind != LinkedDocumentKind.Quote || quotes is null) throw NotFound();
        var quote = await quotes.GetAsync(link.Business, link.DocumentId, ct) ?? throw NotFound();
        switch (DocumentLinkRules.Check(link, quote.LinksRevokedAt, request.ReceivedAt))
        {
            case LinkVerdict.Revoked: throw Revoked();
            case LinkVerdict.Expired: throw Expired();
        }
        return (link, quote);
    }

    /// <summary>The link's invoice as its business holds it, if the link may still show it.</summary>
    public async Task<(DocumentLink Link, Invoice Invoice)> InvoiceAsync(PublicRequest request, CancellationToken ct) =>
        await InvoiceAsync(request, await LinkAsync(request, ct), ct);

    private async Task<(DocumentLink Link, Invoice Invoice)> InvoiceAsync(PublicRequest request, DocumentLink link, CancellationToken ct)
    {
        if (link.Kind != LinkedDocumentKind.Invoice) throw NotFound();
        var invoice = await invoices.GetAsync(link.Business, link.DocumentId, ct) ?? throw NotFound();
        switch (DocumentLinkRules.Check(link, invoice.LinksRevokedAt, request.ReceivedAt))
        {
            case LinkVerdict.Revoked: throw Revoked();
            case LinkVerdict.Expired: throw Expired();
        }
        return (link, invoice);
    }
}

/// <summary>GET /d/{token}: the customer's page of the document the link was sent for; its first view is recorded once.</summary>
public sealed class ViewDocumentPage(LinkResolver resolver, IDocumentLinkStore links, ISettingsStore settings) : IPublicHandler
{
    public async Task<ApiResponse> HandleAsync(PublicRequest request, CancellationToken ct)
    {
        var (link, document, quote) = await resolver.DocumentAsync(request, ct);
        // Only the first view writes; a refused write means another view was first.
        if (link.ViewedAt is null) await links.RecordFirstViewAsync(link, request.ReceivedAt, ct);
        var business = await settings.GetAsync(link.Business, ct);
        var token = Uri.EscapeDataString(request.PathParameter("token")!);
        var today = DateOnly.FromDateTime(request.ReceivedAt.UtcDateTime);
        var html = quote is null
            ? CustomerPageHtml.Invoice(document, business, today, $"{token}/pdf")
            : CustomerPageHtml.Quote(quote, business, today, $"{token}/pdf", token);
        return PublicPages.Page(200, html);
    }
}

/// <summary>GET /d/{token}/pdf: a redirect to a short-lived presigned link of the document's current PDF.</summary>
public sealed class GetDocumentPagePdf(LinkResolver resolver, IDocumentStorage documents) : IPublicHandler
{
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromMinutes(5);

    public async Task<ApiResponse> HandleAsync(PublicRequest request, CancellationToken ct)
    {
        var (_, invoice, _) = await resolver.DocumentAsync(request, ct);
        if (!invoice.HasCurrentDocument || invoice.Document is not { } document)
            throw new PublicPageException(409, "The PDF is being prepared", "The latest version of this document is being rendered. Please try again in a minute.")
            {
                RetryAfterSeconds = 30,
            };
        var url = await documents.PresignGetAsync(document.Key, request.ReceivedAt + LinkLifetime, ct);
        return new ApiResponse(302, Headers: new Dictionary<string, string> { ["location"] = url.AbsoluteUri });
    }
}

/// <summary>
/// DELETE /invoices/{invoiceId}/links: withdraws every link to the invoice sent so far (their pages then say so); the next
/// send carries a new one. Answers the invoice, with <c>linksRevokedAt</c>.
/// </summary>
public sealed class RevokeInvoiceLinks(IInvoiceStore invoices, IDocumentLinkStore links) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var invoice = await InvoiceAccess.LoadAsync(invoices, request, ct);
        if (!await links.RevokeAsync(request.Tenant, LinkedDocumentKind.Invoice, invoice.Id, request.ReceivedAt, ct))
            throw Problems.NotFound($"Invoice {invoice.Id}");
        return InvoiceAccess.Ok(invoice with { LinksRevokedAt = request.ReceivedAt }, request);
    }
}

/// <summary>
/// POST /d/{token}: the customer's answer to a quote (a plain HTML form: <c>action</c> = accept or decline, <c>name</c>,
/// required to accept). Recorded once by a conditional write; then back to the page (303), which shows the answer. A
/// second answer, or one after the quote expired or its link was withdrawn, gets a page that says so, never a 5xx.
/// </summary>
public sealed class RespondToQuote(LinkResolver resolver, IQuoteStore quotes, ISettingsStore settings) : IPublicHandler
{
    public async Task<ApiResponse> HandleAsync(PublicRequest request, CancellationToken ct)
    {
        var (link, quote) = await resolver.QuoteAsync(request, ct);
        if (!(request.Header("content-type") ?? "").StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
            throw new PublicPageException(415, "That did not work", "The answer must be sent from the page's form. Go back to the page and try again.");
        if ((request.Raw.Body?.Length ?? 0) > 2 * PublicRequest.MaxFormBytes)
            throw new PublicPageException(413, "That did not work", "The form was too large to read. Go back to the page and try again.");
        var form = request.Form();
        var accept = form.GetValueOrDefault("action") switch
        {
            "accept" => true,
            "decline" => false,
            _ => throw PublicPageException.BadForm(),
        };
        var today = DateOnly.FromDateTime(request.ReceivedAt.UtcDateTime);
        var token = Uri.EscapeDataString(request.PathParameter("token")!);
        var name = QuoteRules.CleanAcceptorName(form.GetValueOrDefault("name"));
        if (accept && name is null && quote.StatusOn(today) == QuoteStatus.Sent)
        {
            var business = await settings.GetAsync(link.Business, ct);
            return PublicPages.Page(422, CustomerPageHtml.Quote(quote, business, today, $"{token}/pdf", token, nameMissing: true));
        }
        if (!await quotes.AnswerAsync(link.Business, quote.Id, new QuoteAnswer(accept, name, request.ReceivedAt), today, link.CreatedAt, ct))
        {
            // Refused: say why, from the quote as it is now.
            var now = await quotes.GetAsync(link.Business, quote.Id, ct) ?? throw LinkResolver.NotFound();
            if (now.LinksRevokedAt is { } revoked && link.CreatedAt <= revoked) throw LinkResolver.Revoked();
            throw now.StatusOn(today) switch
            {
                QuoteStatus.Expired => new PublicPageException(410, "This quote has expired", $"It was valid until {now.ValidUntil:yyyy-MM-dd}. Ask the sender for a new quote."),
                QuoteStatus.Declined => new PublicPageException(409, "This quote was declined already", "It was declined before: nothing was changed. Ask the sender for a new quote if you changed your mind."),
                _ => new PublicPageException(409, "This quote was accepted already", "It was accepted before: nothing was changed."),
            };
        }
        return new ApiResponse(303, Headers: new Dictionary<string, string> { ["location"] = $"{DocumentLinkIssuer.PathPrefix}{token}" });
    }
}
