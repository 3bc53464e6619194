using System.Globalization;
using SmallPay.Domain.Invoices;
using SmallPay.Functions.Documents;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Exports;

/// <summary>
/// GET /exports?kind=invoices|payments|customers|credit-notes&amp;from=&amp;to=&amp;rows=document|line&amp;delivery=auto|link — a CSV
/// of the business's books for a date range. Invoices are read by issue date with one query of the creator index
/// (drafts left out: they are no accounting documents); payments by their date, from the invoices issued up to a year
/// after <c>to</c>; credit notes issued in the range (read newest first from their ranking, until one is older than
/// <c>from</c>); customers created in the range (both dates absent: all of them). Up to <see cref="DirectLimitBytes"/> the
/// file is the answer; above it, or with <c>delivery=link</c>, it is stored under <c>exports/</c> in the documents
/// bucket and the answer is a presigned link to it.
/// </summary>
public sealed class ExportCsv(IInvoiceStore invoices, ICustomerStore customers, IDocumentStorage documents, TimeSpan linkLifetime, ICreditNoteStore? creditNotes = null) : IApiHandler
{
    /// <summary>
    /// 2 MiB of CSV answers directly: base64 in the Lambda response makes it 2.7 MiB, well inside Lambda's 6 MB response
    /// limit whatever the text (JSON escaping would not be: a CSV of quotes and non-Latin names can double in size).
    /// That is about 12,000 invoices per document.
    /// </summary>
    public const int DirectLimitBytes = 2 * 1024 * 1024;

    /// <summary>A range of more than ten years is refused: nobody's books need it, and it bounds the read.</summary>
    public const int MaxRangeDays = 3660;

    /// <summary>How far after the range a payments export looks for invoices paid in advance.</summary>
    public const int PrepaymentDays = 366;

    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var kind = Parse<ExportKind>(request, "kind", null, "invoices, payments, customers or credit-notes");
        var rows = Parse<ExportRows>(request, "rows", ExportRows.Document, "document or line");
        var delivery = request.Query("delivery") ?? "auto";
        if (delivery is not ("auto" or "link")) throw Problems.BadRequest("delivery must be auto or link.", "/query/delivery");
        var (from, to) = Range(request, kind);

        using var output = new MemoryStream();
        int count;
        switch (kind)
        {
            case ExportKind.Invoices:
                var issued = await ReadAsync(invoices.IssuedBetweenAsync(request.Tenant, from, to, ct), ct);
                count = CsvExportWriter.WriteInvoices(output, issued.Where(i => i.Status != InvoiceStatus.Draft)
                    .OrderBy(i => i.Content.IssueDate).ThenBy(i => i.Number, StringComparer.Ordinal).ThenBy(i => i.Id, StringComparer.Ordinal), rows);
                break;
            case ExportKind.Payments:
                // Payments live on their invoices, so the read is of invoices: those issued up to `to`, and up to a year after
                // it for payments recorded before their invoice's issue date (prepayments; the API does not forbid them).
                var upTo = await ReadAsync(invoices.IssuedBetweenAsync(request.Tenant, DateOnly.MinValue, DateOnly.FromDayNumber(Math.Min(to.DayNumber + PrepaymentDays, DateOnly.MaxValue.DayNumber)), ct), ct);
                count = CsvExportWriter.WritePayments(output, upTo.Where(i => i.Status != InvoiceStatus.Draft)
                    .SelectMany(i => i.Payments.Where(p => p.Date >= from && p.Date <= to).Select(p => (Invoice: i, Payment: p)))
                    .OrderBy(x => x.Payment.Date).ThenBy(x => x.Payment.RecordedAt).ThenBy(x => x.Payment.Id, StringComparer.Ordinal));
                break;
            case ExportKind.CreditNotes:
                var notes = await CreditNotesIssuedAsync(request.Tenant, from, to, ct);
                count = CsvExportWriter.WriteCreditNotes(output, notes.OrderBy(n => n.IssuedAt).ThenBy(n => n.Number, StringComparer.Ordinal));
                break;
            default:
                var all = await ReadAsync(customers.AllAsync(request.Tenant, ct), ct);
                count = CsvExportWriter.WriteCustomers(output, all.Where(c => DateOnly.FromDateTime(c.CreatedAt.UtcDateTime) is var d && d >= from && d <= to));
                break;
        }

        var fileName = FileName(kind, rows, request, from, to);
        var csv = output.ToArray();
        if (delivery == "auto" && csv.Length <= DirectLimitBytes)
            return new ApiResponse(200, csv, "text/csv; charset=utf-8", new Dictionary<string, string>
            {
                ["content-disposition"] = $"attachment; filename=\"{fileName}\"",
                ["x-smallpay-rows"] = count.ToString(CultureInfo.InvariantCulture),
            }) { Base64 = true };

        var key = $"exports/{request.Tenant}/{request.ReceivedAt:yyyyMMdd'T'HHmmss}-{Guid.NewGuid():N}/{fileName}";
        await documents.PutExportAsync(key, csv, fileName, ct);
        var expiresAt = request.ReceivedAt + linkLifetime;
        var url = await documents.PresignGetAsync(key, expiresAt, ct);
        return ApiResponse.Ok(new ExportLinkView(url.AbsoluteUri, expiresAt, fileName, count, csv.Length), ApiViewJsonContext.Default.ExportLinkView);
    }

    private static (DateOnly From, DateOnly To) Range(ApiRequest request, ExportKind kind)
    {
        var from = request.QueryDate("from");
        var to = request.QueryDate("to");
        if (kind == ExportKind.Customers && from is null && to is null) return (DateOnly.MinValue, DateOnly.MaxValue);
        if (from is null) throw Problems.BadRequest("from is required: the first day of the range, like 2026-01-01.", "/query/from");
        if (to is null) throw Problems.BadRequest("to is required: the last day of the range, like 2026-03-31.", "/query/to");
        if (from > to) throw Problems.BadRequest("from must not be after to.", "/query/from");
        if (to.Value.DayNumber - from.Value.DayNumber >= MaxRangeDays)
            throw Problems.BadRequest($"The range may span at most {MaxRangeDays} days; export it in parts.", "/query/to");
        return (from.Value, to.Value);
    }

    private static T Parse<T>(ApiRequest request, string name, T? fallback, string allowed) where T : struct, Enum
    {
        var text = request.Query(name);
        if (text is null)
            return fallback ?? throw Problems.BadRequest($"{name} is required: {allowed}.", $"/query/{name}");
        // Names only (Enum.TryParse would take "1" too); "credit-notes" names CreditNotes.
        foreach (var value in Enum.GetValues<T>())
            if (string.Equals(value.ToString(), text, StringComparison.OrdinalIgnoreCase) || string.Equals(Kebab(value.ToString()), text, StringComparison.OrdinalIgnoreCase))
                return value;
        throw Problems.BadRequest($"{name} must be {allowed}.", $"/query/{name}");
    }

    private static string Kebab(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsAsciiLetterUpper(c) ? $"-{char.ToLowerInvariant(c)}" : char.ToLowerInvariant(c).ToString()));

    private static string FileName(ExportKind kind, ExportRows rows, ApiRequest request, DateOnly from, DateOnly to)
    {
        var what = kind switch { ExportKind.Invoices when rows == ExportRows.Line => "invoice-lines", ExportKind.Invoices => "invoices", ExportKind.Payments => "payments", ExportKind.CreditNotes => "credit-notes", _ => "customers" };
        return from == DateOnly.MinValue && to == DateOnly.MaxValue
            ? $"{what}-{request.Today:yyyy-MM-dd}.csv"
            : $"{what}-{from:yyyy-MM-dd}-to-{to:yyyy-MM-dd}.csv";
    }

    /// <summary>The credit notes issued from..to: pages of the newest-first list, until a page reaches before <paramref name="from"/>.</summary>
    private async Task<List<SmallPay.Domain.CreditNotes.CreditNote>> CreditNotesIssuedAsync(string business, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var found = new List<SmallPay.Domain.CreditNotes.CreditNote>();
        if (creditNotes is null) return found;
        string? cursor = null;
        do
        {
            var page = await creditNotes.ListAsync(business, null, 100, cursor, ct);
            found.AddRange(page.Items.Where(n => n.IssueDate >= from && n.IssueDate <= to));
            if (page.Items.Count > 0 && page.Items[^1].IssueDate < from) break;
            cursor = page.NextCursor;
        } while (cursor is not null);
        return found;
    }

    private static async Task<List<T>> ReadAsync<T>(IAsyncEnumerable<T> source, CancellationToken ct)
    {
        var list = new List<T>();
        await foreach (var item in source.WithCancellation(ct)) list.Add(item);
        return list;
    }
}

/// <summary>A large export (or one asked for as a link): where to download it, until when.</summary>
public sealed record ExportLinkView(string Url, DateTimeOffset ExpiresAt, string FileName, int Rows, long SizeBytes);
