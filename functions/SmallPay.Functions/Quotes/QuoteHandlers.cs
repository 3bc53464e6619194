using SmallPay.Domain;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Links;
using SmallPay.Domain.Quotes;
using SmallPay.Functions.Customers;
using SmallPay.Functions.Documents;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Invoices;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Quotes;

/// <summary>Reads shared by the quote routes: tenant-scoped loading, the If-Match check, the view.</summary>
internal static class QuoteAccess
{
    public static async Task<Quote> LoadAsync(IQuoteStore quotes, ApiRequest request, CancellationToken ct)
    {
        var id = request.PathParameter("quoteId");
        if (!Ids.IsWellFormed(id, "quo")) throw Problems.NotFound($"Quote {id}");
        var quote = await quotes.GetAsync(request.Tenant, id, ct) ?? throw Problems.NotFound($"Quote {id}");
        if (request.IfMatchVersion() is { } expected && expected != quote.Version) throw Problems.PreconditionFailed($"Quote {quote.Number ?? id}");
        return quote;
    }

    public static QuoteView View(Quote quote, ApiRequest request) => QuoteView.From(quote, request.Today, request.ReceivedAt);

    public static ApiResponse Ok(Quote quote, ApiRequest request) =>
        ApiResponse.OkWithETag(View(quote, request), ApiViewJsonContext.Default.QuoteView, quote.Version);
}

/// <summary>POST /quotes: a draft quote (no number until it is sent).</summary>
public sealed class CreateQuote(IQuoteStore quotes, ICustomerStore customers, ISettingsStore settings) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var input = request.ReadJson(ApiJsonContext.Default.QuoteInput);
        var (content, validUntil) = input.Read(await settings.GetAsync(request.Tenant, ct), request.Today);
        var customer = await customers.SnapshotForInvoiceAsync(request.Tenant, content.CustomerId, ct);
        var quote = QuoteRules.CreateDraft(request.NewId("quo"), request.Tenant, content, customer, validUntil, request.ReceivedAt, request.Actor);
        try { await quotes.CreateAsync(quote, ct); }
        catch (AlreadyExistsException)
        {
            quote = await quotes.GetAsync(request.Tenant, quote.Id, ct) ?? throw new NotFoundException($"Quote {quote.Id}");
        }
        return ApiResponse.Created(QuoteAccess.View(quote, request), ApiViewJsonContext.Default.QuoteView, $"/quotes/{quote.Id}", ETags.Format(quote.Version));
    }
}

/// <summary>GET /quotes: the business's quotes, newest first.</summary>
public sealed class ListQuotes(IQuoteStore quotes) : IApiHandler
{
    public const int Max = 500;

    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var items = await quotes.ListAsync(request.Tenant, Max, ct);
        return ApiResponse.Ok(new QuoteListView(items.Select(q => QuoteSummaryView.From(q, request.Today)).ToList()), ApiViewJsonContext.Default.QuoteListView);
    }
}

public sealed class GetQuote(IQuoteStore quotes) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct) =>
        QuoteAccess.Ok(await QuoteAccess.LoadAsync(quotes, request, ct), request);
}

/// <summary>PUT /quotes/{quoteId} (If-Match): a draft's content and valid-until date.</summary>
public sealed class UpdateQuote(IQuoteStore quotes, ICustomerStore customers, ISettingsStore settings) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var expected = request.RequireIfMatchVersion();
        var input = request.ReadJson(ApiJsonContext.Default.QuoteInput);
        var current = await QuoteAccess.LoadAsync(quotes, request, ct);
        var (content, validUntil) = input.Read(await settings.GetAsync(request.Tenant, ct), request.Today);
        if (current.Status != QuoteStatus.Draft) QuoteRules.Edit(current, content, current.Customer, validUntil, request.ReceivedAt, request.Actor); // refuses
        var customer = await customers.SnapshotForInvoiceAsync(request.Tenant, content.CustomerId, ct);
        var updated = QuoteRules.Edit(current, content, customer, validUntil, request.ReceivedAt, request.Actor) with { Version = expected + 1 };
        try { await quotes.UpdateAsync(current, updated, ct); }
        catch (StaleVersionException) { throw Problems.PreconditionFailed($"Quote {current.Id}"); }
        return QuoteAccess.Ok(updated, request);
    }
}

/// <summary>DELETE /quotes/{quoteId}: drafts only.</summary>
public sealed class DeleteQuote(IQuoteStore quotes) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var quote = await QuoteAccess.LoadAsync(quotes, request, ct);
        QuoteRules.EnsureDeletable(quote);
        try { await quotes.DeleteAsync(quote, ct); }
        catch (StaleVersionException) { throw Problems.PreconditionFailed($"Quote {quote.Id}"); }
        return ApiResponse.NoContent();
    }
}

/// <summary>
/// POST /quotes/{quoteId}/convert: an accepted quote becomes a draft invoice with its content, linked both ways, in one
/// transaction conditional on the quote not being converted yet: however many convert at once, one invoice is made.
/// </summary>
public sealed class ConvertQuote(IQuoteStore quotes, ICustomerStore customers) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var quote = await QuoteAccess.LoadAsync(quotes, request, ct);
        var customer = quote.Status == QuoteStatus.Accepted ? await customers.SnapshotForInvoiceAsync(request.Tenant, quote.Content.CustomerId, ct) : quote.Customer;
        var invoice = QuoteRules.ToInvoice(quote, customer, request.Today, request.ReceivedAt, request.Actor);
        var converted = quote with
        {
            Status = QuoteStatus.Converted, InvoiceId = invoice.Id, ConvertedAt = request.ReceivedAt, UpdatedAt = request.ReceivedAt,
            UpdatedBy = request.Actor, Version = quote.Version + 1,
        };
        if (!await quotes.ConvertAsync(quote, converted, invoice, ct))
        {
            var now = await quotes.GetAsync(request.Tenant, quote.Id, ct);
            throw now?.InvoiceId is { } made
                ? Problems.Conflict($"Quote {quote.Number} was converted already, into invoice {made}.")
                : Problems.Conflict($"Quote {quote.Number ?? quote.Id} changed meanwhile and is no longer accepted; nothing was converted.");
        }
        return ApiResponse.Created(InvoiceView.From(invoice, request.Today, request.ReceivedAt), ApiViewJsonContext.Default.InvoiceView,
            $"/invoices/{invoice.Id}", ETags.Format(invoice.Version));
    }
}

/// <summary>DELETE /quotes/{quoteId}/links: withdraws every link to the quote sent so far; answers the quote.</summary>
public sealed class RevokeQuoteLinks(IQuoteStore quotes, IDocumentLinkStore links) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var quote = await QuoteAccess.LoadAsync(quotes, request, ct);
        if (!await links.RevokeAsync(request.Tenant, LinkedDocumentKind.Quote, quote.Id, request.ReceivedAt, ct))
            throw Problems.NotFound($"Quote {quote.Id}");
        return QuoteAccess.Ok(quote with { LinksRevokedAt = request.ReceivedAt }, request);
    }
}
