using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SmallPay.Domain.Customers;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Recurring;
using SmallPay.Domain.Settings;
using SmallPay.Domain.Teams;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Storage;

namespace SmallPay.Local.Demo;

/// <summary>
/// The business the sample events in events/ act in, and the data they refer to. Each event that changes something
/// has a target of its own, in the state its route needs, so every event succeeds on the same freshly seeded data.
/// `make run` seeds it into the demo business (whose id is <see cref="Sub"/>, the events' caller: its founder), so
/// `make invoke FN=… EVENT=events/….json` works on what the app shows; the tests and the benchmark reset it per use.
/// </summary>
public static class SampleEventData
{
    /// <summary>The Cognito <c>sub</c> of the sample events' caller, and so the id of the business they work in.</summary>
    public const string Sub = "5f1c2f9e-3b8d-4b7e-9a0c-0e7e4e000001";

    /// <summary>An accountant of the business (change-member-role, remove-member).</summary>
    public const string Accountant = "5f1c2f9e-3b8d-4b7e-9a0c-0e7e4e000002";
    public const string AccountantEmail = "sam@bookkeeping.example";

    /// <summary>The user the accept-invitation event acts for: invited, not yet a member.</summary>
    public const string Invitee = "5f1c2f9e-3b8d-4b7e-9a0c-0e7e4e000003";
    public const string InviteeEmail = "newhire@northwind.example";

    /// <summary>The secret of the pending invitation for <see cref="InviteeEmail"/> (accept-invitation).</summary>
    public const string InvitationToken = "sample-invitation-token-for-the-events-folder-00000001";

    /// <summary>The secret of the pending invitation revoke-invitation withdraws.</summary>
    public const string RevocableInvitationToken = "sample-invitation-token-for-the-events-folder-00000002";

    public static string RevocableInvitation => DynamoDbTeamStore.InvitationIdOf(RevocableInvitationToken);

    /// <summary>Müller GmbH: the customer the invoices belong to (get, update, create-invoice, list filter).</summary>
    public const string CustomerWithInvoices = "cus_01JE3Z4Q6M8N9P0R2S4T6V8W0X";

    /// <summary>Café Rosa: a customer without invoices (delete-customer).</summary>
    public const string CustomerWithoutInvoices = "cus_01JE3Z4Q6M8N9P0R2S4T6V8W1Y";

    /// <summary>A draft, version 1 (update-invoice).</summary>
    public const string Draft = "inv_01JE40A2B3C4D5E6F7G8H9J0K1";

    /// <summary>A draft, version 1 (delete-invoice).</summary>
    public const string DraftToDelete = "inv_01JE40A2B3C4D5E6F7G8H9J0K2";

    /// <summary>A draft with lines, version 1 (finalize-invoice).</summary>
    public const string DraftToFinalize = "inv_01JE40A2B3C4D5E6F7G8H9J0K3";

    /// <summary>INV-000006, Open, 1201.61 EUR due, version 2, its PDF of version 2 stored (get-invoice, record-payment, get-invoice-pdf).</summary>
    public const string OpenInvoice = "inv_01JE40A2B3C4D5E6F7G8H9J0K4";

    /// <summary>INV-000007, Open without payments, version 2 (void-invoice).</summary>
    public const string OpenInvoiceToVoid = "inv_01JE40A2B3C4D5E6F7G8H9J0K5";

    /// <summary>INV-000005, Open, version 2, never sent (send-invoice).</summary>
    public const string OpenInvoiceToSend = "inv_01JE40A2B3C4D5E6F7G8H9J0K6";

    /// <summary>INV-000004, Open, version 3 with one pending delivery request (the change events/document-worker.json is about).</summary>
    public const string SentInvoice = "inv_01JE40A2B3C4D5E6F7G8H9J0K7";

    /// <summary>The pending delivery request of <see cref="SentInvoice"/>.</summary>
    public const string PendingDelivery = "dlv_01JE40D7P2M4K8R6T1V3X5Z9B7";

    /// <summary>
    /// A monthly recurring profile of Müller GmbH (drafts), Active, version 1, created on 2 November with its first run that
    /// day and never run: due whenever the events are tried, so events/run-recurring.json invoices its latest period.
    /// </summary>
    public const string RecurringProfile = "prf_01JE41R3C8V2M6K9P4T7X1Z5B0";

    /// <summary>A customer's link to <see cref="OpenInvoice"/>'s page (view-document-page, get-document-page-pdf), valid until 2099.</summary>
    public const string Link = "lnk_01JE40K1N2P3M4Q5R6S7T8V9W0";

    public static readonly DateTimeOffset LinkValidUntil = new(2099, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary><see cref="Link"/> signed with the local stack's generated key (<see cref="LocalResourceNames.GeneratedSecret"/>): what its e-mail carried.</summary>
    public static string LinkToken => new SmallPay.Functions.CustomerPage.DocumentLinkSigner(LocalResourceNames.GeneratedSecret).Sign(Link, LinkValidUntil);

    /// <summary>A draft quote with lines, version 1 (get-quote, update-quote).</summary>
    public const string QuoteDraft = "quo_01JE42Q1A2B3C4D5E6F7G8H9J1";

    /// <summary>A draft quote (delete-quote).</summary>
    public const string QuoteDraftToDelete = "quo_01JE42Q1A2B3C4D5E6F7G8H9J2";

    /// <summary>A draft quote with lines (send-quote: it gets QUO-000003).</summary>
    public const string QuoteDraftToSend = "quo_01JE42Q1A2B3C4D5E6F7G8H9J3";

    /// <summary>QUO-000001, Sent, valid until 2099, with <see cref="QuoteLink"/> (respond-to-quote, revoke-quote-links).</summary>
    public const string SentQuote = "quo_01JE42Q1A2B3C4D5E6F7G8H9J4";

    /// <summary>QUO-000002, accepted on its page by Anna Müller (convert-quote).</summary>
    public const string AcceptedQuote = "quo_01JE42Q1A2B3C4D5E6F7G8H9J5";

    /// <summary>The link <see cref="SentQuote"/>'s e-mail carried (respond-to-quote), valid until 2099.</summary>
    public const string QuoteLink = "lnk_01JE42K1N2P3M4Q5R6S7T8V9W1";

    /// <summary><see cref="QuoteLink"/> signed with the local stack's generated key.</summary>
    public static string QuoteLinkToken => new SmallPay.Functions.CustomerPage.DocumentLinkSigner(LocalResourceNames.GeneratedSecret).Sign(QuoteLink, LinkValidUntil);

    /// <summary>A webhook endpoint, version 1 (get, update, rotate-webhook-secret, list-webhook-deliveries), with one delivery.</summary>
    public const string Webhook = "whk_01JE43W1A2B3C4D5E6F7G8H9J1";

    /// <summary>A webhook endpoint (delete-webhook).</summary>
    public const string WebhookToDelete = "whk_01JE43W1A2B3C4D5E6F7G8H9J2";

    /// <summary>The event <see cref="WebhookDelivery"/> delivers (its first try got a 503).</summary>
    public const string WebhookEvent = "evt_01JE43E1A2B3C4D5E6F7G8H9J1";

    /// <summary>The delivery of <see cref="WebhookEvent"/> to <see cref="Webhook"/>, Pending after one failed try (resend-webhook-delivery).</summary>
    public static string WebhookDelivery => SmallPay.Domain.Webhooks.WebhookDelivery.IdOf(Webhook, WebhookEvent);

    /// <summary>Where the sample endpoints point: a name under .example, which resolves nowhere (a resend records that).</summary>
    public const string WebhookUrl = "https://hooks.atelier-sommer.example/smallpay";

    /// <summary>INV-000003, Open without payments, version 2 (issue-credit-note).</summary>
    public const string OpenInvoiceToCredit = "inv_01JE40A2B3C4D5E6F7G8H9J0M1";

    /// <summary>INV-000002, paid in full, then credited 47.60 EUR by <see cref="CreditNote"/> (owed back to the customer; its PDF of version 1 stored: get-credit-note-pdf, send-credit-note).</summary>
    public const string CreditedInvoice = "inv_01JE40A2B3C4D5E6F7G8H9J0M2";

    /// <summary>CN-000001 against <see cref="CreditedInvoice"/>: 47.60 EUR owed to the customer (get-credit-note, record-credit-note-refund).</summary>
    public const string CreditNote = "crn_01JE43C1N2P3M4Q5R6S7T8V9W0";

    public static readonly IReadOnlySet<string> Ids = new HashSet<string>(StringComparer.Ordinal)
    {
        CustomerWithInvoices, CustomerWithoutInvoices, Draft, DraftToDelete, DraftToFinalize, OpenInvoice, OpenInvoiceToVoid,
        OpenInvoiceToSend, SentInvoice, RecurringProfile, QuoteDraft, QuoteDraftToDelete, QuoteDraftToSend, SentQuote, AcceptedQuote, Webhook, WebhookToDelete,
        OpenInvoiceToCredit, CreditedInvoice, CreditNote,
    };

    private static readonly DateTimeOffset Seeded = new(2026, 11, 2, 8, 40, 11, TimeSpan.Zero);

    private static readonly CustomerDetails Mueller = new("Müller GmbH", "billing@mueller-gmbh.example", "+49 30 1234567",
        new PostalAddress("Hauptstraße 5", null, "Berlin", null, "10115", "DE"), "DE123456789");

    private static readonly CustomerDetails CafeRosa = new("Café Rosa", "hallo@cafe-rosa.example", null,
        new PostalAddress("Kastanienallee 7", null, "Berlin", null, "10435", "DE"), null);

    /// <summary>The settings the events expect: saved once (version 1), next number INV-000008.</summary>
    private static readonly BusinessSettings Settings = BusinessSettings.Defaults with
    {
        BusinessName = "Atelier Sommer",
        Address = new PostalAddress("Oranienstraße 24", null, "Berlin", null, "10999", "DE"),
        Email = "hello@atelier-sommer.example",
        Phone = "+49 30 5550123",
        TaxId = "DE298765432",
        NextNumber = 8,
        QuoteNextNumber = 3,
        CreditNoteNextNumber = 2,
        Version = 1,
        // Reminders on (the plan a new business starts from), so events/run-reminders.json has reminders to request.
        Reminders = SmallPay.Domain.Reminders.ReminderPlan.Default with { Enabled = true },
    };

    /// <summary>Removes everything of the sample business (items it created, its claims, team), then seeds it afresh.</summary>
    public static async Task ResetAsync(IAmazonDynamoDB dynamo, FunctionEnvironment environment, CancellationToken ct)
    {
        var invoicesTable = environment.Require("INVOICES_TABLE");
        var customersTable = environment.Require("CUSTOMERS_TABLE");
        await DeleteTenantItemsAsync(dynamo, invoicesTable, ct);
        await DeleteTenantItemsAsync(dynamo, customersTable, ct);
        foreach (var user in new[] { Accountant, Invitee })
            await dynamo.DeleteItemAsync(new DeleteItemRequest { TableName = invoicesTable, Key = new() { ["id"] = new AttributeValue { S = $"user#{user}" } } }, ct);

        await new DynamoDbSettingsStore(dynamo, invoicesTable).SaveAsync(Sub, Settings, ct);
        await SeedAsync(dynamo, invoicesTable, customersTable, ct);
        // The code events/confirm-email-verification.json confirms, as if mailed a moment ago (written as "sample": the
        // pipe forwards only the API's codes, so nobody is mailed).
        await dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = invoicesTable,
            Item = new()
            {
                ["id"] = new AttributeValue { S = EmailCode.ItemId(Sub) },
                ["entity"] = new AttributeValue { S = DynamoDbEmailVerificationStore.Entity },
                ["tenant"] = new AttributeValue { S = Sub },
                ["email"] = new AttributeValue { S = Settings.Email! },
                ["code"] = new AttributeValue { S = EmailVerificationCode },
                ["requestId"] = new AttributeValue { S = "evc_sample" },
                ["attempts"] = new AttributeValue { N = "0" },
                ["expiresAt"] = new AttributeValue { N = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) },
                ["changedBy"] = new AttributeValue { S = "sample" },
            },
        }, ct);
    }

    /// <summary>The e-mail verification code the sample business has waiting (events/confirm-email-verification.json).</summary>
    public const string EmailVerificationCode = "482913";

    /// <summary>
    /// The sample records into a business that may hold other data already (the demo account of `make run`), unless
    /// they are there: customers, invoices and the team, never the settings.
    /// </summary>
    public static async Task SeedIfMissingAsync(IAmazonDynamoDB dynamo, string invoicesTable, string customersTable, CancellationToken ct)
    {
        var existing = await dynamo.GetItemAsync(new GetItemRequest { TableName = customersTable, Key = new() { ["id"] = new AttributeValue { S = CustomerWithInvoices } }, ConsistentRead = true }, ct);
        if (existing.Item is { Count: > 0 }) return;
        await SeedAsync(dynamo, invoicesTable, customersTable, ct);
    }

    private static async Task SeedAsync(IAmazonDynamoDB dynamo, string invoicesTable, string customersTable, CancellationToken ct)
    {

        var customers = new DynamoDbCustomerStore(dynamo, customersTable);
        await customers.CreateAsync(NewCustomer(CustomerWithInvoices, Mueller), ct);
        await customers.CreateAsync(NewCustomer(CustomerWithoutInvoices, CafeRosa), ct);

        var invoices = new DynamoDbInvoiceStore(dynamo, invoicesTable, customersTable);
        var snapshot = new Customer { Id = CustomerWithInvoices, Tenant = Sub, Details = Mueller, CreatedAt = Seeded, UpdatedAt = Seeded }.Snapshot();
        var designWork = new InvoiceLine("Design work (hours)", 10m, 95.50m, 0m, 19m);
        var proofs = new InvoiceLine("Printed proofs", 1m, 120.00m, 0m, 7m);
        var licence = new InvoiceLine("Logo licence (print)", 1m, 400.00m, 0m, 19m);

        await invoices.CreateAsync(NewDraft(Draft, new DateOnly(2026, 11, 18), [designWork], snapshot), ct);
        await invoices.CreateAsync(NewDraft(DraftToDelete, new DateOnly(2026, 11, 19), [], snapshot), ct);
        await invoices.CreateAsync(NewDraft(DraftToFinalize, new DateOnly(2026, 11, 19), [designWork, proofs], snapshot), ct);
        await CreateOpenAsync(invoices, NewDraft(OpenInvoice, new DateOnly(2026, 11, 2), [designWork, proofs], snapshot,
            new InvoiceDiscount(DiscountKind.Percent, 5m)), "INV-000006", snapshot, ct);
        await CreateOpenAsync(invoices, NewDraft(OpenInvoiceToVoid, new DateOnly(2026, 11, 10), [licence], snapshot), "INV-000007", snapshot, ct);
        await CreateOpenAsync(invoices, NewDraft(OpenInvoiceToSend, new DateOnly(2026, 11, 4), [licence], snapshot), "INV-000005", snapshot, ct);
        var sent = await CreateOpenAsync(invoices, NewDraft(SentInvoice, new DateOnly(2026, 11, 3), [designWork], snapshot), "INV-000004", snapshot, ct);

        // The reminder marker finalizing gives every invoice awaiting payment (these were written directly): due for a
        // look now, nothing handled after the day they were finalized (events/run-reminders.json reminds of them).
        foreach (var open in new[] { OpenInvoice, OpenInvoiceToVoid, OpenInvoiceToSend, SentInvoice })
            await dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = invoicesTable,
                Item = DynamoDbReminderStore.ToItem(new ReminderMarker(Sub, open, Seeded, DateOnly.FromDateTime(Seeded.UtcDateTime))),
            }, ct);

        // What the document worker would have stored for OpenInvoice, and a send of SentInvoice it has yet to do.
        await new DynamoDbWorkerInvoiceStore(dynamo, invoicesTable).RecordDocumentAsync(OpenInvoice,
            new StoredDocument($"invoices/{Sub}/{OpenInvoice}/v2.pdf", 2, Seeded.AddMinutes(5).AddSeconds(3), 41613), ct);
        var withDelivery = InvoiceDeliveries.Request(sent, new DeliveryInput(), PendingDelivery, Settings.BusinessName, new DateTimeOffset(2026, 11, 20, 9, 20, 41, 527, TimeSpan.Zero))
            with { Version = sent.Version + 1 };
        await invoices.UpdateAsync(sent, withDelivery, ct);

        // The link OpenInvoice's e-mail carried (the customer's page), never opened yet.
        await new DynamoDbDocumentLinkStore(dynamo, invoicesTable).CreateAsync(
            new SmallPay.Domain.Links.DocumentLink(Link, Sub, SmallPay.Domain.Links.LinkedDocumentKind.Invoice, OpenInvoice, Seeded.AddMinutes(6), LinkValidUntil), ct);

        // A recurring profile whose first period (2 November) is due and was never run.
        var firstRun = DateOnly.FromDateTime(Seeded.UtcDateTime);
        await new DynamoDbRecurringStore(dynamo, invoicesTable, customersTable).CreateAsync(RecurringRules.Create(RecurringProfile, Sub, "Monthly retainer",
            new InvoiceContent(CustomerWithInvoices, "EUR", firstRun, null, 14, [new InvoiceLine("Design retainer (monthly)", 1m, 800m, 0m, 19m)], InvoiceDiscount.None, null),
            new RecurringSchedule(RecurrenceUnit.Month, 1, firstRun), RecurringAction.Draft, firstRun, Seeded, Sub), ct);

        // Quotes: drafts, one sent with its link, one accepted on its page (written directly: the counter stays at QUO-000003).
        var quotes = new DynamoDbQuoteStore(dynamo, invoicesTable, customersTable);
        var quoted = new DateOnly(2026, 11, 19);
        var workshop = new InvoiceLine("Brand strategy workshop", 1m, 1200m, 0m, 19m);
        var logo = new InvoiceLine("Logo design", 1m, 2400m, 0m, 19m);
        SmallPay.Domain.Quotes.Quote NewQuote(string id, IReadOnlyList<InvoiceLine> lines) => SmallPay.Domain.Quotes.QuoteRules.CreateDraft(id, Sub,
            new InvoiceContent(CustomerWithInvoices, "EUR", quoted, null, 14, lines, InvoiceDiscount.None, "Prices include two rounds of changes."),
            snapshot, new DateOnly(2099, 1, 1), Seeded, Sub);
        await quotes.CreateAsync(NewQuote(QuoteDraft, [workshop, logo]), ct);
        await quotes.CreateAsync(NewQuote(QuoteDraftToDelete, []), ct);
        await quotes.CreateAsync(NewQuote(QuoteDraftToSend, [workshop, logo]), ct);
        // Valid for a long time, so the events work on the seeded data whenever they are tried.
        foreach (var (id, number) in new[] { (SentQuote, "QUO-000001"), (AcceptedQuote, "QUO-000002") })
            await quotes.CreateAsync(SmallPay.Domain.Quotes.QuoteRules.MarkSent(NewQuote(id, [workshop, logo]), number, snapshot, Seeded.AddMinutes(7), Sub)
                , ct);
        await new DynamoDbDocumentLinkStore(dynamo, invoicesTable).CreateAsync(
            new SmallPay.Domain.Links.DocumentLink(QuoteLink, Sub, SmallPay.Domain.Links.LinkedDocumentKind.Quote, SentQuote, Seeded.AddMinutes(8), LinkValidUntil), ct);
        await quotes.AnswerAsync(Sub, AcceptedQuote, new QuoteAnswer(true, "Anna Müller", Seeded.AddDays(1)), DateOnly.FromDateTime(Seeded.UtcDateTime), Seeded.AddMinutes(8), ct);

        // Webhook endpoints, and a delivery whose first try the receiver answered with a 503.
        var webhooks = new DynamoDbWebhookStore(dynamo, invoicesTable);
        SmallPay.Domain.Webhooks.WebhookEndpoint Endpoint(string id, int minutes) => new(Sub, id, WebhookUrl, ["InvoiceFinalized", "InvoicePaid"],
            "Bookkeeping system", true, "whsec_sample-secret-of-the-events-folder-" + id[^4..], null, null, Seeded.AddMinutes(minutes), Seeded.AddMinutes(minutes), 1, Sub);
        var endpoint = Endpoint(Webhook, 30);
        await webhooks.CreateAsync(endpoint, ct);
        await webhooks.CreateAsync(Endpoint(WebhookToDelete, 31), ct);
        var envelope = $$$"""{"id":"{{{WebhookEvent}}}","type":"InvoicePaid","schemaVersion":1,"business":"{{{Sub}}}","entityId":"{{{OpenInvoice}}}","time":"2026-11-02T09:40:00.000Z","actor":"{{{Sub}}}","data":{"number":"INV-000006"}}""";
        var delivery = SmallPay.Domain.Webhooks.WebhookDelivery.New(endpoint, WebhookEvent, "InvoicePaid", envelope, Seeded.AddMinutes(40));
        var claim = Seeded.AddMinutes(41);
        await webhooks.CreateDeliveryAsync(delivery, claim, ct);
        await webhooks.RecordAsync(delivery.AfterScheduledTry(new SmallPay.Domain.Webhooks.WebhookAttempt(Seeded.AddMinutes(40), 503, 182, "Service Unavailable", null)), claim, ct);

        // Credit notes: an open invoice to credit, and a paid one credited by CN-000001 (what it owes back, unrefunded).
        await CreateOpenAsync(invoices, NewDraft(OpenInvoiceToCredit, new DateOnly(2026, 11, 1), [licence], snapshot), "INV-000003", snapshot, ct);
        var credited = await CreateOpenAsync(invoices, NewDraft(CreditedInvoice, new DateOnly(2026, 10, 30), [licence], snapshot), "INV-000002", snapshot, ct);
        var paid = InvoiceLifecycle.RecordPayment(credited, new Payment("pay_01JE43P1N2P3M4Q5R6S7T8V9W0", 476m, new DateOnly(2026, 11, 5), PaymentMethod.BankTransfer, null, Seeded.AddDays(3)),
            new DateOnly(2026, 11, 5)) with { Version = credited.Version + 1 };
        await invoices.UpdateAsync(credited, paid, ct);
        var (note, withCredit) = SmallPay.Domain.CreditNotes.CreditNoteRules.Issue(paid,
            new SmallPay.Domain.CreditNotes.CreditRequest(null, 47.60m, "Printing defect on 10% of the run"), CreditNote, "CN-000001", Seeded.AddDays(4),
            new DateOnly(2026, 11, 6), Sub);
        await new DynamoDbCreditNoteStore(dynamo, invoicesTable, customersTable).WriteNumberedAsync(paid, withCredit with { Version = paid.Version + 1 }, note, ct);
        // Its PDF, as the worker would have stored it (get-credit-note-pdf); send-credit-note mails it.
        await new DynamoDbWorkerInvoiceStore(dynamo, invoicesTable).RecordDocumentAsync(CreditNote,
            new StoredDocument($"credit-notes/{Sub}/{CreditNote}/v1.pdf", 1, Seeded.AddDays(4).AddSeconds(3), 38211), ct);

        // The team: an accountant who joined, and two pending invitations (one to accept, one to withdraw).
        var team = new DynamoDbTeamStore(dynamo, invoicesTable);
        var joined = new Invitation(DynamoDbTeamStore.InvitationIdOf("sample-invitation-accepted-by-the-accountant"), Sub, AccountantEmail, Role.Accountant,
            Seeded.AddDays(1), Seeded.AddDays(8), Sub);
        await team.CreateInvitationAsync(joined, "sample-invitation-accepted-by-the-accountant", ct);
        await team.AcceptInvitationAsync(joined, new Membership(Sub, Accountant, Role.Accountant, AccountantEmail, Seeded.AddDays(2), Sub), Seeded.AddDays(2), ct);
        // Valid for a long time: the events work on the seeded data whenever they are tried.
        await team.CreateInvitationAsync(new Invitation(DynamoDbTeamStore.InvitationIdOf(InvitationToken), Sub, InviteeEmail, Role.Member,
            Seeded.AddDays(3), Seeded.AddYears(10), Sub), InvitationToken, ct);
        await team.CreateInvitationAsync(new Invitation(RevocableInvitation, Sub, "freelancer@northwind.example", Role.Member,
            Seeded.AddDays(4), Seeded.AddYears(10), Sub), RevocableInvitationToken, ct);
    }

    private static Customer NewCustomer(string id, CustomerDetails details) =>
        new() { Id = id, Tenant = Sub, Details = details, CreatedAt = Seeded, UpdatedAt = Seeded };

    private static Invoice NewDraft(string id, DateOnly issued, IReadOnlyList<InvoiceLine> lines, CustomerSnapshot customer, InvoiceDiscount? discount = null) =>
        InvoiceLifecycle.CreateDraft(id, Sub,
            new InvoiceContent(CustomerWithInvoices, "EUR", issued, null, 14, lines, discount ?? InvoiceDiscount.None, null),
            customer, Seeded);

    /// <summary>A finalized invoice written directly (version 2), leaving the settings' counter alone.</summary>
    private static async Task<Invoice> CreateOpenAsync(DynamoDbInvoiceStore invoices, Invoice draft, string number, CustomerSnapshot customer, CancellationToken ct)
    {
        await invoices.CreateAsync(draft, ct);
        var open = InvoiceLifecycle.Finalize(draft, number, customer, Seeded.AddMinutes(5)) with { Version = draft.Version + 1 };
        await invoices.UpdateAsync(draft, open, ct);
        return open;
    }

    /// <summary>Items the account owns (creator) and its claims, settings and idempotency records (the sub is in their id).</summary>
    private static async Task DeleteTenantItemsAsync(IAmazonDynamoDB dynamo, string table, CancellationToken ct)
    {
        Dictionary<string, AttributeValue>? start = null;
        var ids = new List<string>();
        do
        {
            var page = await dynamo.ScanAsync(new ScanRequest
            {
                TableName = table,
                ProjectionExpression = "#id",
                FilterExpression = "creator = :tenant OR business = :tenant OR contains(#id, :tenant)",
                ExpressionAttributeNames = new() { ["#id"] = "id" },
                ExpressionAttributeValues = new() { [":tenant"] = new AttributeValue { S = Sub } },
                ExclusiveStartKey = start,
            }, ct);
            ids.AddRange((page.Items ?? []).Select(item => item["id"].S));
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        } while (start is not null);

        foreach (var id in ids)
            await dynamo.DeleteItemAsync(new DeleteItemRequest { TableName = table, Key = new() { ["id"] = new AttributeValue { S = id } } }, ct);
    }
}
