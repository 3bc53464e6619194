using SmallPay.Domain;
using SmallPay.Domain.CreditNotes;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Invoices;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.CreditNotes;

/// <summary>Reads shared by the credit note routes: tenant-scoped loading and the view.</summary>
internal static class CreditNoteAccess
{
    public static async Task<CreditNote> LoadAsync(ICreditNoteStore notes, ApiRequest request, CancellationToken ct)
    {
        var id = request.PathParameter("creditNoteId");
        if (!Ids.IsWellFormed(id, "crn")) throw Problems.NotFound($"Credit note {id}");
        return await notes.GetAsync(request.Tenant, id, ct) ?? throw Problems.NotFound($"Credit note {id}");
    }

    public static ApiResponse Created(CreditNote note, ApiRequest request) =>
        ApiResponse.Created(CreditNoteView.From(note, request.ReceivedAt), ApiViewJsonContext.Default.CreditNoteView, $"/credit-notes/{note.Id}", ETags.Format(note.Version));
}

/// <summary>
/// POST /invoices/{invoiceId}/credit-notes: issues a credit note at once, numbered from its own gapless series. The credit
/// note, the credited invoice (version-checked: concurrent credit notes never credit more than is left together), the
/// advanced counter and a claim on the number are one transaction, retried on a lost race like invoice numbers. With
/// <c>send: true</c> the e-mail to the customer (as POST /credit-notes/{id}/send makes it) and the day's sending quota are
/// in that transaction too.
/// </summary>
public sealed class IssueCreditNote(IInvoiceStore invoices, ICreditNoteStore notes, ISettingsStore settings, TimeProvider clock,
    IMailPolicyStore mailPolicy, SendingPolicy policy, bool emailConfigured = true) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var input = request.ReadJson(ApiJsonContext.Default.CreditNoteInput);
        var credit = input.Read();
        if (input.Send == true && !emailConfigured) throw Documents.SendInvoice.EmailNotConfigured();
        var id = request.NewId("crn");
        var deliveryId = request.NewId("dlv");
        var giveUpAt = request.Deadline - InvoiceNumberAllocator.DeadlineMargin;
        var counter = await settings.GetAsync(request.Tenant, ct);
        for (var attempt = 1; ; attempt++)
        {
            var invoice = await InvoiceAccess.LoadAsync(invoices, request, ct);
            if (invoice.Credits.Any(c => c.CreditNoteId == id)) return await ExistingAsync(request, id, ct); // this request again
            var number = InvoiceNumberFormat.Format(counter.CreditNotePrefix, counter.CreditNoteNextNumber);
            var (note, credited) = CreditNoteRules.Issue(invoice, credit, id, number, request.ReceivedAt, request.Today, request.Actor);
            var delivery = input.Send == true
                ? await CreditNoteDeliveries.PrepareAsync(note, new DeliveryInput(), deliveryId, counter, mailPolicy, policy, request, ct)
                : ((DeliveryRequest Request, SendingQuota Quota)?)null;
            IssueResult result;
            try { result = await notes.IssueAsync(invoice, credited with { Version = invoice.Version + 1 }, note, counter.CreditNoteNextNumber, counter, ct, delivery); }
            catch (SendingLimitException limit) { throw Documents.SendingProblems.LimitReached(limit, request.ReceivedAt); }
            switch (result.Outcome)
            {
                case IssueOutcome.Issued: return CreditNoteAccess.Created(delivery is { } sent ? note with { DeliveryRequests = [sent.Request] } : note, request);
                case IssueOutcome.AlreadyIssued: return await ExistingAsync(request, id, ct);
                case IssueOutcome.InvoiceChanged when request.IfMatchVersion() is not null: throw Problems.PreconditionFailed($"Invoice {invoice.Number}");
                case IssueOutcome.NumberTaken:
                    await notes.SkipTakenNumberAsync(request.Tenant, counter.CreditNoteNextNumber, counter, ct);
                    counter = await settings.GetAsync(request.Tenant, ct);
                    continue;
            }
            // The counter moved, or the invoice was credited or paid meanwhile (the rules then run again on the fresh invoice).
            if (clock.GetUtcNow() > giveUpAt)
                throw new BusyException("Too many credit notes are being issued at once. Nothing was changed. Try again in a moment.");
            await Task.Delay(Random.Shared.Next(0, 1 + Math.Min(1000, 10 << Math.Min(attempt, 7))), ct);
            counter = result.CurrentCounter ?? await settings.GetAsync(request.Tenant, ct);
        }
    }

    private async Task<ApiResponse> ExistingAsync(ApiRequest request, string id, CancellationToken ct) =>
        CreditNoteAccess.Created(await notes.GetAsync(request.Tenant, id, ct) ?? throw new NotFoundException($"Credit note {id}"), request);
}

/// <summary>GET /credit-notes?invoiceId=&amp;limit=&amp;cursor= — newest first.</summary>
public sealed class ListCreditNotes(ICreditNoteStore notes) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var invoiceId = request.Query("invoiceId");
        if (invoiceId is not null && !Ids.IsWellFormed(invoiceId, "inv"))
            return ApiResponse.Ok(new CreditNoteListView([], null), ApiViewJsonContext.Default.CreditNoteListView); // no such invoice: nothing matches
        var page = await notes.ListAsync(request.Tenant, invoiceId, request.QueryInt("limit", 25, 1, 100), request.Query("cursor"), ct);
        return ApiResponse.Ok(new CreditNoteListView(page.Items.Select(CreditNoteSummaryView.From).ToList(), page.NextCursor), ApiViewJsonContext.Default.CreditNoteListView);
    }
}

public sealed class GetCreditNote(ICreditNoteStore notes) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var note = await CreditNoteAccess.LoadAsync(notes, request, ct);
        return ApiResponse.OkWithETag(CreditNoteView.From(note, request.ReceivedAt), ApiViewJsonContext.Default.CreditNoteView, note.Version);
    }
}

/// <summary>
/// POST /credit-notes/{creditNoteId}/refunds: money paid back against what the credit note left owed to the customer, never
/// more than is still owed; recorded on the credit note and its invoice in one transaction (re-tried on a lost race).
/// </summary>
public sealed class RecordCreditNoteRefund(ICreditNoteStore notes, IInvoiceStore invoices) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var refund = request.ReadJson(ApiJsonContext.Default.RefundInput).ToRefund(request.NewId("rfd"), request.Today, request.ReceivedAt);
        for (var attempt = 1; ; attempt++)
        {
            var note = await CreditNoteAccess.LoadAsync(notes, request, ct);
            var invoice = await invoices.GetAsync(request.Tenant, note.InvoiceId, ct) ?? throw Problems.NotFound($"Invoice {note.InvoiceId}");
            var (refunded, listed) = CreditNoteRules.Refund(note, invoice, refund, request.Today);
            if (ReferenceEquals(refunded, note)) return CreditNoteAccess.Created(note, request); // recorded already (the same Idempotency-Key)
            try
            {
                await notes.RefundAsync(note, refunded with { UpdatedBy = request.Actor }, invoice, listed with { UpdatedBy = request.Actor }, ct);
                return CreditNoteAccess.Created(refunded, request);
            }
            catch (StaleVersionException) when (attempt < 5)
            {
                await Task.Delay(Random.Shared.Next(5, 20 * attempt), ct);
            }
        }
    }
}
