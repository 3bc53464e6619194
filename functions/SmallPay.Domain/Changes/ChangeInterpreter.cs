namespace SmallPay.Domain.Changes;

/// <summary>
/// Turns one stored change (old image, new image) into facts: the history entries of the invoice or customer it is about,
/// and the domain events it raises. Pure: the same change always gives the same facts with the same ids, so a stream
/// record delivered twice writes nothing twice (docs/ARCHITECTURE.md, "Change feed"). Reads the items the way the stores
/// write them (InvoiceStore, Deliveries, WorkerInvoiceStore, CustomerStore, DocumentLinkStore; credit notes).
/// </summary>
public static class ChangeInterpreter
{
    public const string EntityInvoice = "Invoice";
    public const string EntityCustomer = "Customer";
    public const string EntityDelivery = "Delivery";
    public const string EntityCreditNote = "CreditNote";

    /// <summary>An edit lists at most this many fields; a value shows at most <see cref="MaxValueLength"/> characters.</summary>
    public const int MaxFieldChanges = 20;
    public const int MaxValueLength = 200;

    public static ChangeFacts Interpret(ItemChange change)
    {
        if (change.Current is null || change.ItemId is null) return ChangeFacts.None;
        var facts = new Collector(change);
        switch (change.Entity)
        {
            case EntityInvoice: Invoice(change, facts); break;
            case EntityDelivery: Delivery(change, facts); break;
            case EntityCreditNote: CreditNote(change, facts); break;
            case EntityCustomer: Customer(change, facts); break;
        }
        return facts.Result();
    }

    // ---- invoices -----------------------------------------------------------------------------------------------

    private static void Invoice(ItemChange change, Collector facts)
    {
        var item = change.Current!;
        var id = item.Text("id")!;
        var business = item.Text("creator");
        if (business is null) return;
        var actor = item.Text("updatedBy");
        if (change.Kind == ChangeKind.Insert)
        {
            var created = new Dictionary<string, string> { ["status"] = item.Text("status") ?? "", ["currency"] = item.Text("currency") ?? "" };
            Put(created, "customer", item.Map("customer")?.Text("name"));
            Put(created, "total", item.Value("total")?.N);
            facts.Activity(business, EntityInvoice, id, ActivityKinds.Created, item.Time("createdAt") ?? change.At, actor, created);
            // Created finalized (a recurring profile's invoice, a converted quote finalized at once).
            if (item.Text("status") is { } status && status != "Draft") Finalized(item, facts, business, id, actor, change.At);
            return;
        }
        if (change.Kind != ChangeKind.Modify || change.Old is not { } old || change.New is not { } now) return;

        // The customer's page records the first view (changedBy "customer-page", no new version).
        if (!old.Has("viewedAt") && now.Time("viewedAt") is { } viewed)
            facts.Activity(business, EntityInvoice, id, ActivityKinds.Viewed, viewed, null, new Dictionary<string, string>());
        // The worker's bookkeeping and the reminder switch keep the version: only the API's writes are changes of the invoice.
        if (now.Long("version") == old.Long("version")) return;

        var at = now.Time("updatedAt") ?? change.At;
        var (before, after) = (old.Text("status"), now.Text("status"));
        var finalized = before == "Draft" && after is not null && after != "Draft";
        if (finalized) Finalized(now, facts, business, id, actor, at);
        else if (InvoiceEdits(old, now) is { Count: > 0 } edits)
            facts.Activity(business, EntityInvoice, id, ActivityKinds.Edited, at, actor,
                new Dictionary<string, string> { ["currency"] = now.Text("currency") ?? "" }, edits);

        var known = old.List("payments").Select(p => p.M?.GetValueOrDefault("id")?.S).ToHashSet(StringComparer.Ordinal);
        foreach (var payment in now.List("payments").Where(p => p.M is not null).Select(p => new ItemImage(p.M!)))
        {
            if (payment.Text("id") is not { } paymentId || known.Contains(paymentId)) continue;
            var details = new Dictionary<string, string>
            {
                ["paymentId"] = paymentId, ["amount"] = payment.Value("amount")?.N ?? "0", ["currency"] = now.Text("currency") ?? "",
                ["date"] = payment.Text("date") ?? "", ["method"] = payment.Text("method") ?? "",
            };
            Put(details, "note", Bounded(payment.Text("note")));
            var recorded = payment.Time("recordedAt") ?? at;
            facts.Activity(business, EntityInvoice, id, ActivityKinds.PaymentRecorded, recorded, actor, details);
            facts.Event(DomainEventTypes.PaymentRecorded, business, id, recorded, actor,
            [
                new("invoiceId", id), new("number", now.Text("number")), new("paymentId", paymentId),
                new("amount", payment.Number("amount") ?? 0m), new("currency", now.Text("currency")), new("date", payment.Text("date")),
                new("method", payment.Text("method")), new("note", payment.Text("note")), new("balanceDue", now.Number("balanceDue") ?? 0m),
            ]);
        }

        if (after == "Paid" && before != "Paid")
        {
            var details = new Dictionary<string, string> { ["total"] = now.Value("total")?.N ?? "0", ["currency"] = now.Text("currency") ?? "" };
            Put(details, "paidDate", now.Text("paidDate"));
            facts.Activity(business, EntityInvoice, id, ActivityKinds.Paid, at, actor, details);
            facts.Event(DomainEventTypes.InvoicePaid, business, id, at, actor,
            [
                new("invoiceId", id), new("number", now.Text("number")), new("customerId", now.Text("customerId")),
                new("currency", now.Text("currency")), new("total", now.Number("total") ?? 0m), new("paidDate", now.Text("paidDate")),
            ]);
        }
        if (after == "Void" && before != "Void")
        {
            var voided = now.Time("voidedAt") ?? at;
            var details = new Dictionary<string, string>();
            Put(details, "reason", Bounded(now.Text("voidReason")));
            facts.Activity(business, EntityInvoice, id, ActivityKinds.Voided, voided, actor, details);
            facts.Event(DomainEventTypes.InvoiceVoided, business, id, voided, actor,
                [new("invoiceId", id), new("number", now.Text("number")), new("reason", now.Text("voidReason"))]);
        }
    }

    private static void Finalized(ItemImage invoice, Collector facts, string business, string id, string? actor, DateTimeOffset fallback)
    {
        var at = invoice.Time("finalizedAt") ?? fallback;
        var details = new Dictionary<string, string> { ["total"] = invoice.Value("total")?.N ?? "0", ["currency"] = invoice.Text("currency") ?? "" };
        Put(details, "number", invoice.Text("number"));
        Put(details, "dueDate", invoice.Text("dueDate"));
        facts.Activity(business, EntityInvoice, id, ActivityKinds.Finalized, at, actor, details);
        facts.Event(DomainEventTypes.InvoiceFinalized, business, id, at, actor,
        [
            new("invoiceId", id), new("number", invoice.Text("number")), new("customerId", invoice.Text("customerId")),
            new("customerName", invoice.Map("customer")?.Text("name")), new("currency", invoice.Text("currency")),
            new("total", invoice.Number("total") ?? 0m), new("issueDate", invoice.Text("issueDate")), new("dueDate", invoice.Text("dueDate")),
        ]);
    }

    // What the owner edited; status, payments, credits and derived copies are changes of their own (or none).
    private static List<FieldChange> InvoiceEdits(ItemImage old, ItemImage now)
    {
        var edits = new List<FieldChange>();
        if (old.Text("customerId") != now.Text("customerId"))
            edits.Add(Change("customer", old.Map("customer")?.Text("name") ?? old.Text("customerId"), now.Map("customer")?.Text("name") ?? now.Text("customerId")));
        foreach (var field in (string[])["currency", "issueDate", "dueDate", "paymentTermsDays", "discountKind", "discountValue", "notes", "total"])
            if (old.Value(field)?.Display() is var a && now.Value(field)?.Display() is var b && !string.Equals(a, b, StringComparison.Ordinal))
                edits.Add(Change(field, a, b));
        var (oldLines, newLines) = (old.List("lines"), now.List("lines"));
        if (oldLines.Count != newLines.Count || !oldLines.SequenceEqual(newLines, ImageValueComparer.Instance))
            edits.Add(Change("lines", $"{oldLines.Count}", $"{newLines.Count}"));
        return edits.Take(MaxFieldChanges).ToList();
    }

    // ---- e-mails (Delivery items, delivery#{invoiceId}#{requestId}) ---------------------------------------------

    private static void Delivery(ItemChange change, Collector facts)
    {
        var item = change.Current!;
        if (item.Text("invoiceId") is not { } invoiceId || item.Text("business") is not { } business) return;
        // Quotes and credit notes keep their e-mails in Delivery items too (`invoiceId` is then the quote's or the credit
        // note's id): those are no invoice's history and no Invoice* event.
        if (!Ids.IsWellFormed(invoiceId, "inv")) return;
        var request = item.Map("request") ?? new ItemImage(new Dictionary<string, ImageValue>());
        var requestId = request.Text("requestId") ?? "";
        var kind = request.Text("kind") ?? "Invoice";
        if (change.Kind == ChangeKind.Insert)
        {
            // The worker moving an e-mail stored inside an older invoice to its own item is no new sending.
            if (item.Text("changedBy") != "api") return;
            var at = request.Time("requestedAt") ?? change.At;
            var (to, cc) = (request.Strings("to"), request.Strings("cc"));
            var details = new Dictionary<string, string> { ["deliveryId"] = requestId, ["to"] = string.Join(", ", to) };
            Put(details, "cc", cc.Count > 0 ? string.Join(", ", cc) : null);
            Put(details, "subject", Bounded(request.Text("subject")));
            Put(details, "reminder", request.Text("reminderLabel"));
            facts.Activity(business, EntityInvoice, invoiceId, kind == "Reminder" ? ActivityKinds.ReminderSent : ActivityKinds.Sent, at, null, details);
            facts.Event(DomainEventTypes.InvoiceSent, business, invoiceId, at, null,
            [
                new("invoiceId", invoiceId), new("deliveryId", requestId), new("kind", kind), new("to", to), new("cc", cc),
                new("subject", request.Text("subject")),
            ]);
            return;
        }
        if (change.Kind != ChangeKind.Modify || change.New?.Map("result") is not { } result) return;
        var before = Outcomes(change.Old?.Map("result"), request);
        foreach (var (address, (status, reason, at)) in Outcomes(result, request))
        {
            if (before.TryGetValue(address, out var was) && was.Status == status) continue;
            var when = at ?? result.Time("sentAt") ?? change.At;
            var details = new Dictionary<string, string> { ["deliveryId"] = requestId, ["recipient"] = address, ["kind"] = kind };
            if (status == "Delivered")
            {
                facts.Activity(business, EntityInvoice, invoiceId, ActivityKinds.Delivered, when, null, details);
                facts.Event(DomainEventTypes.InvoiceDelivered, business, invoiceId, when, null,
                    [new("invoiceId", invoiceId), new("deliveryId", requestId), new("kind", kind), new("recipient", address)]);
            }
            else if (status == "Refused")
            {
                Put(details, "reason", Bounded(reason));
                facts.Activity(business, EntityInvoice, invoiceId, ActivityKinds.DeliveryFailed, change.At, null, details);
                facts.Event(DomainEventTypes.InvoiceDeliveryFailed, business, invoiceId, change.At, null,
                    [new("invoiceId", invoiceId), new("deliveryId", requestId), new("kind", kind), new("recipient", address), new("reason", reason)]);
            }
        }
    }

    /// <summary>
    /// Each recipient's settled outcome in a <c>result</c> map: from its <c>recipients</c> list, or, on results written
    /// before per-recipient outcomes, the whole delivery's status for everyone it went to.
    /// </summary>
    private static Dictionary<string, (string Status, string? Reason, DateTimeOffset? At)> Outcomes(ItemImage? result, ItemImage request)
    {
        var outcomes = new Dictionary<string, (string, string?, DateTimeOffset?)>(StringComparer.OrdinalIgnoreCase);
        if (result is null) return outcomes;
        if (result.Has("recipients"))
        {
            foreach (var recipient in result.List("recipients").Where(r => r.M is not null).Select(r => new ItemImage(r.M!)))
                if (recipient.Text("address") is { } address && recipient.Text("status") is "Delivered" or "Refused")
                    outcomes[address] = (recipient.Text("status")!, recipient.Text("reason"), recipient.Time("at"));
            return outcomes;
        }
        var status = result.Text("status") switch { "Sent" => "Delivered", "Failed" => "Refused", _ => null };
        if (status is null) return outcomes;
        var to = result.Has("to") ? result.Strings("to") : [.. request.Strings("to"), .. request.Strings("cc")];
        foreach (var address in to) outcomes[address] = (status, result.Text("failureReason"), result.Time("sentAt"));
        return outcomes;
    }

    // ---- credit notes (crn_…) -----------------------------------------------------------------------------------

    private static void CreditNote(ItemChange change, Collector facts)
    {
        if (change.Kind != ChangeKind.Insert || change.New is not { } note) return;
        if (note.Text("business") is not { } business || note.Text("invoiceId") is not { } invoiceId) return;
        var id = note.Text("id")!;
        var at = note.Time("issuedAt") ?? change.At;
        var actor = note.Text("updatedBy");
        var details = new Dictionary<string, string> { ["creditNoteId"] = id, ["total"] = note.Value("total")?.N ?? "0", ["currency"] = note.Text("currency") ?? "" };
        Put(details, "number", note.Text("number"));
        Put(details, "reason", Bounded(note.Text("reason")));
        facts.Activity(business, EntityInvoice, invoiceId, ActivityKinds.Credited, at, actor, details);
        facts.Event(DomainEventTypes.CreditNoteIssued, business, id, at, actor,
        [
            new("creditNoteId", id), new("number", note.Text("number")), new("invoiceId", invoiceId), new("invoiceNumber", note.Text("invoiceNumber")),
            new("currency", note.Text("currency")), new("total", note.Number("total") ?? 0m), new("reason", note.Text("reason")),
            new("issuedAt", note.Text("issuedAt")),
        ]);
    }

    // ---- customers ----------------------------------------------------------------------------------------------

    private static readonly string[] CustomerFields = ["name", "email", "phone", "taxId", "language", "remindersOff", "address"];

    private static void Customer(ItemChange change, Collector facts)
    {
        var item = change.Current!;
        if (item.Text("creator") is not { } business) return;
        var id = item.Text("id")!;
        switch (change.Kind)
        {
            case ChangeKind.Insert:
            {
                var actor = item.Text("updatedBy");
                var at = item.Time("createdAt") ?? change.At;
                var details = new Dictionary<string, string> { ["name"] = item.Text("name") ?? "" };
                Put(details, "email", item.Text("email"));
                facts.Activity(business, EntityCustomer, id, ActivityKinds.Created, at, actor, details);
                facts.Event(DomainEventTypes.CustomerCreated, business, id, at, actor, CustomerData(item, null));
                break;
            }
            case ChangeKind.Modify when change.Old is { } old && change.New is { } now && now.Long("version") != old.Long("version"):
            {
                var edits = CustomerFields
                    .Select(f => (Field: f, Before: old.Value(f)?.Display(), After: now.Value(f)?.Display()))
                    .Where(f => !string.Equals(f.Before, f.After, StringComparison.Ordinal))
                    .Select(f => Change(f.Field, f.Before, f.After)).Take(MaxFieldChanges).ToList();
                if (edits.Count == 0) return;
                var actor = now.Text("updatedBy");
                var at = now.Time("updatedAt") ?? change.At;
                facts.Activity(business, EntityCustomer, id, ActivityKinds.Edited, at, actor, new Dictionary<string, string>(), edits);
                facts.Event(DomainEventTypes.CustomerUpdated, business, id, at, actor, CustomerData(now, edits));
                break;
            }
            case ChangeKind.Remove:
                facts.Activity(business, EntityCustomer, id, ActivityKinds.Deleted, change.At, null, new Dictionary<string, string> { ["name"] = item.Text("name") ?? "" });
                break;
        }
    }

    private static List<EventField> CustomerData(ItemImage customer, IReadOnlyList<FieldChange>? changes)
    {
        List<EventField> data =
        [
            new("customerId", customer.Text("id")), new("name", customer.Text("name")), new("email", customer.Text("email")),
            new("phone", customer.Text("phone")), new("taxId", customer.Text("taxId")), new("language", customer.Text("language")),
        ];
        if (changes is not null) data.Add(new("changes", changes));
        return data;
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static FieldChange Change(string field, string? before, string? after) => new(field, Bounded(before), Bounded(after));

    private static string? Bounded(string? value) => value is { Length: > MaxValueLength } ? value[..(MaxValueLength - 1)] + "…" : value;

    private static void Put(Dictionary<string, string> details, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value)) details[name] = value;
    }

    /// <summary>
    /// Collects one change's facts and gives each its id: derived from what the change is (its table, item, version or
    /// stream sequence number) and the fact's place among the change's facts, never from the time or chance.
    /// </summary>
    private sealed class Collector(ItemChange change)
    {
        private readonly List<ActivityEntry> _activity = [];
        private readonly List<DomainEvent> _events = [];

        // An API write's new version says which change it is wherever it is read from; other changes (the worker's, the
        // customer page's, a removal) have their stream record's sequence number.
        private readonly string _identity =
            change.Kind != ChangeKind.Remove && change.New?.Long("version") is { } version && version != change.Old?.Long("version")
                ? $"v{version}" : $"s{change.Sequence}";

        public void Activity(string business, string entityType, string entityId, string kind, DateTimeOffset at, string? actor,
            IReadOnlyDictionary<string, string> details, IReadOnlyList<FieldChange>? changes = null) =>
            _activity.Add(new ActivityEntry(
                Ids.FromSeed("act", $"{change.Table}|{change.ItemId}|{_identity}|{kind}|{_activity.Count}"),
                business, entityType, entityId, kind, at, actor, details, changes ?? []));

        public void Event(string type, string business, string entityId, DateTimeOffset at, string? actor, IReadOnlyList<EventField> data) =>
            _events.Add(new DomainEvent(
                Ids.FromSeed("evt", $"{change.Table}|{change.ItemId}|{_identity}|{type}|{_events.Count}"),
                type, 1, business, entityId, at, actor, data));

        public ChangeFacts Result() => _activity.Count == 0 && _events.Count == 0 ? ChangeFacts.None : new(_activity, _events);
    }

    private sealed class ImageValueComparer : IEqualityComparer<ImageValue>
    {
        public static readonly ImageValueComparer Instance = new();

        public bool Equals(ImageValue? x, ImageValue? y) =>
            x is null || y is null ? x is null && y is null
            : x.S == y.S && x.N == y.N && x.Bool == y.Bool && x.IsNull == y.IsNull
              && (x.L is null ? y.L is null : y.L is not null && x.L.SequenceEqual(y.L, this))
              && (x.M is null ? y.M is null : y.M is not null && x.M.Count == y.M.Count
                  && x.M.All(p => y.M.TryGetValue(p.Key, out var other) && Equals(p.Value, other)));

        public int GetHashCode(ImageValue obj) => 0;
    }
}
