using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Links;
using SmallPay.Domain.Validation;

namespace SmallPay.Domain.Quotes;

/// <summary>What a quote is, as stored. <see cref="QuoteStatus.Expired"/> is never stored: it is derived from <see cref="Quote.ValidUntil"/>.</summary>
public enum QuoteStatus { Draft, Sent, Accepted, Declined, Expired, Converted }

/// <summary>
/// A quote (<c>quo_…</c>): an invoice's content (customer, currency, lines, discounts, taxes, notes) offered until
/// <see cref="ValidUntil"/>. It gets its number (<c>QUO-000001</c>, its own gapless series) when first sent; the customer
/// accepts or declines it on its page; an accepted quote converts once into a draft invoice.
/// </summary>
public sealed record Quote
{
    public required string Id { get; init; }
    public required string Tenant { get; init; }
    public string? Number { get; init; }
    /// <summary>The stored status (never <see cref="QuoteStatus.Expired"/>); <see cref="StatusOn"/> derives the shown one.</summary>
    public QuoteStatus Status { get; init; } = QuoteStatus.Draft;
    /// <summary>The content; <see cref="InvoiceContent.IssueDate"/> is the quote's date, its terms are the invoice's to be.</summary>
    public required InvoiceContent Content { get; init; }
    public required CustomerSnapshot Customer { get; init; }
    /// <summary>The last day the customer can accept it.</summary>
    public required DateOnly ValidUntil { get; init; }
    public long Version { get; init; } = 1;
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public string? UpdatedBy { get; init; }
    public DateTimeOffset? SentAt { get; init; }
    /// <summary>Written by the customer's page (never the API): when and by whom (the name they typed) it was accepted.</summary>
    public DateTimeOffset? AcceptedAt { get; init; }
    public string? AcceptedBy { get; init; }
    public DateTimeOffset? DeclinedAt { get; init; }
    /// <summary>The draft invoice it was converted into (<c>inv_…</c>), once.</summary>
    public string? InvoiceId { get; init; }
    public DateTimeOffset? ConvertedAt { get; init; }
    public DateTimeOffset? ViewedAt { get; init; }
    public DateTimeOffset? LinksRevokedAt { get; init; }
    public IReadOnlyList<DeliveryRequest> DeliveryRequests { get; init; } = [];
    public IReadOnlyDictionary<string, DeliveryResult> DeliveryResults { get; init; } = new Dictionary<string, DeliveryResult>();
    public StoredDocument? Document { get; init; }

    public InvoiceTotals Totals => InvoiceCalculator.Calculate(Money.Currencies.Get(Content.Currency), Content.Lines, Content.Discount, 0m);

    /// <summary>A sent quote past its last day is expired; every other status is as stored.</summary>
    public QuoteStatus StatusOn(DateOnly today) => Status == QuoteStatus.Sent && today > ValidUntil ? QuoteStatus.Expired : Status;

    /// <summary>
    /// The quote as the document pipeline handles it (PDF, e-mail, page): an invoice-shaped document of kind quote whose
    /// number is the quote's and whose due date is the valid-until date. Its deliveries and PDF are the quote's own.
    /// </summary>
    public Invoice AsDocument() => new()
    {
        Id = Id,
        Tenant = Tenant,
        Kind = LinkedDocumentKind.Quote,
        Number = Number,
        Status = Status == QuoteStatus.Draft ? InvoiceStatus.Draft : InvoiceStatus.Open,
        Content = Content with { DueDate = ValidUntil },
        Customer = Customer,
        Version = Version,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
        FinalizedAt = SentAt,
        DeliveryRequests = DeliveryRequests,
        DeliveryResults = DeliveryResults,
        Document = Document,
        ViewedAt = ViewedAt,
        LinksRevokedAt = LinksRevokedAt,
    };

    /// <summary>The document's pipeline state (deliveries, PDF) taken back from its <see cref="AsDocument"/> form.</summary>
    public Quote WithDocumentState(Invoice document) => this with
    {
        DeliveryRequests = document.DeliveryRequests, DeliveryResults = document.DeliveryResults, Document = document.Document,
        ViewedAt = document.ViewedAt, LinksRevokedAt = document.LinksRevokedAt,
    };
}

/// <summary>Every change a quote can go through, each returning the changed quote or refusing with a domain error.</summary>
public static class QuoteRules
{
    /// <summary>A quote is valid for at most a year from its date.</summary>
    public const int MaxValidDays = 366;
    public const int DefaultValidDays = 30;
    public const int MaxNameLength = 120;

    public static Quote CreateDraft(string id, string tenant, InvoiceContent content, CustomerSnapshot customer, DateOnly validUntil, DateTimeOffset now, string? actor) =>
        new() { Id = id, Tenant = tenant, Content = content, Customer = customer, ValidUntil = validUntil, CreatedAt = now, UpdatedAt = now, UpdatedBy = actor };

    /// <summary>The valid-until date: the one given, else 30 days after the quote's date; never before that date nor more than a year after.</summary>
    public static DateOnly ValidUntil(InvoiceContent content, DateOnly? given)
    {
        var until = given ?? content.IssueDate.AddDays(DefaultValidDays);
        var errors = new ValidationErrors();
        if (until < content.IssueDate) errors.Add("validUntil", "must not be before the quote's date (issueDate)");
        else if (until > content.IssueDate.AddDays(MaxValidDays)) errors.Add("validUntil", $"must be at most {MaxValidDays} days after the quote's date");
        errors.ThrowIfAny("The quote is not valid.");
        return until;
    }

    public static Quote Edit(Quote quote, InvoiceContent content, CustomerSnapshot customer, DateOnly validUntil, DateTimeOffset now, string? actor) =>
        quote.Status == QuoteStatus.Draft
            ? quote with { Content = content, Customer = customer, ValidUntil = validUntil, UpdatedAt = now, UpdatedBy = actor }
            : throw new InvoiceStateException($"Quote {quote.Number} was sent: only drafts can be edited. Make a new quote instead.");

    public static void EnsureDeletable(Quote quote)
    {
        if (quote.Status != QuoteStatus.Draft)
            throw new InvoiceStateException($"Quote {quote.Number} was sent: only drafts can be deleted.");
    }

    /// <summary>Whether a quote in this state can be (re)sent: a draft (it gets its number) or a sent one still open.</summary>
    public static void EnsureSendable(Quote quote, DateOnly today)
    {
        switch (quote.StatusOn(today))
        {
            case QuoteStatus.Draft:
                var errors = new ValidationErrors();
                if (quote.Content.Lines.Count == 0) errors.Add("lines", "a quote needs at least one line before it is sent");
                if (quote.ValidUntil < today) errors.Add("validUntil", "is in the past: set a later date before sending");
                errors.ThrowIfAny("The quote is not ready to be sent.");
                return;
            case QuoteStatus.Sent:
                return;
            case QuoteStatus.Expired:
                throw new InvoiceStateException($"Quote {quote.Number} expired on {quote.ValidUntil:yyyy-MM-dd}: make a new quote instead.");
            default:
                throw new InvoiceStateException($"Quote {quote.Number} is {quote.Status.ToString().ToLowerInvariant()}: it is not sent again.");
        }
    }

    /// <summary>Gives a draft its number and freezes the customer's details as printed.</summary>
    public static Quote MarkSent(Quote draft, string number, CustomerSnapshot customer, DateTimeOffset now, string? actor) =>
        draft.Status != QuoteStatus.Draft
            ? throw new InvoiceStateException($"Quote {draft.Number} was sent already.")
            : draft with { Number = number, Status = QuoteStatus.Sent, Customer = customer, SentAt = now, UpdatedAt = now, UpdatedBy = actor };

    /// <summary>The customer's name as they typed it to accept: required, one line, at most 120 characters.</summary>
    public static string? CleanAcceptorName(string? name)
    {
        var cleaned = PlainText.Clean(name);
        return cleaned is null || cleaned.Length > MaxNameLength || cleaned.Any(char.IsControl) ? null : cleaned;
    }

    /// <summary>The id of the invoice a quote converts into: the same for every try, so a quote can only ever make one.</summary>
    public static string InvoiceIdFor(string quoteId) => Ids.FromSeed("inv", "quote#" + quoteId);

    /// <summary>The draft invoice an accepted quote becomes: its content and customer, dated today, linked back.</summary>
    public static Invoice ToInvoice(Quote quote, CustomerSnapshot customer, DateOnly today, DateTimeOffset now, string? actor)
    {
        switch (quote.Status)
        {
            case QuoteStatus.Accepted: break;
            case QuoteStatus.Converted: throw new InvoiceStateException($"Quote {quote.Number} was converted already (invoice {quote.InvoiceId}).");
            default: throw new InvoiceStateException($"Quote {quote.Number ?? quote.Id} is {quote.StatusOn(today).ToString().ToLowerInvariant()}: only an accepted quote is converted into an invoice.");
        }
        var content = quote.Content with { IssueDate = today, DueDate = null };
        return InvoiceLifecycle.CreateDraft(InvoiceIdFor(quote.Id), quote.Tenant, content, customer, now) with { UpdatedBy = actor, QuoteId = quote.Id };
    }
}
