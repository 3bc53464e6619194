using SmallPay.Domain;
using SmallPay.Domain.Changes;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Functions.Changes;
using SmallPay.Functions.Storage;
using static SmallPay.Functions.Tests.Changes.ChangeRecords;

namespace SmallPay.Functions.Tests.Changes;

/// <summary>
/// What each stored change means: from stream records of items written the way the stores write them to history
/// entries and domain events (the change feed's interpretation, ChangeInterpreter).
/// </summary>
public sealed class ChangeInterpreterTests
{
    private static ChangeFacts Facts(SmallPay.Functions.Hosting.Sqs.DynamoDbStreamRecord record) => ChangeInterpreter.Interpret(StreamChanges.From(record));

    private static string[] Kinds(ChangeFacts facts) => facts.Activity.Select(a => a.Kind).ToArray();

    private static string[] Types(ChangeFacts facts) => facts.Events.Select(e => e.Type).ToArray();

    [Fact]
    public void A_new_draft_is_created_with_no_domain_event()
    {
        var facts = Facts(Insert(Item(Draft())));

        var entry = Assert.Single(facts.Activity);
        Assert.Equal((ActivityKinds.Created, "Invoice", "inv_01JE40A2B3C4D5E6F7G8H9J0K4", Business, User), (entry.Kind, entry.EntityType, entry.EntityId, entry.Business, entry.Actor));
        Assert.Equal("Draft", entry.Details["status"]);
        Assert.Equal("Müller GmbH", entry.Details["customer"]);
        Assert.Empty(facts.Events);
        Assert.True(Ids.IsWellFormed(entry.Id, "act"), entry.Id);
    }

    [Fact]
    public void Finalizing_is_finalized_with_the_number_and_InvoiceFinalized_not_an_edit()
    {
        var draft = Draft();
        var open = Next(draft, d => InvoiceLifecycle.Finalize(d, "INV-000006", d.Customer, Now.AddHours(1)));

        var facts = Facts(Modify(Item(draft), Item(open)));

        Assert.Equal([ActivityKinds.Finalized], Kinds(facts));
        Assert.Equal("INV-000006", facts.Activity[0].Details["number"]);
        Assert.Equal(Now.AddHours(1), facts.Activity[0].At);
        var e = Assert.Single(facts.Events);
        Assert.Equal((DomainEventTypes.InvoiceFinalized, "INV-000006", 1428m, Business, draft.Id), (e.Type, e["number"], e["total"], e.Business, e.EntityId));
        Assert.True(Ids.IsWellFormed(e.Id, "evt"), e.Id);
    }

    [Fact]
    public void Editing_a_draft_lists_the_changed_fields_with_before_and_after_and_the_line_count()
    {
        var draft = Draft();
        var edited = Next(draft, d => InvoiceLifecycle.Edit(d, d.Content with
        {
            Lines = [.. d.Content.Lines, new InvoiceLine("Travel", 1m, 80m, 0m, 19m)],
            Notes = "Thank you!",
        }, d.Customer, Now.AddMinutes(5)));

        var facts = Facts(Modify(Item(draft), Item(edited)));

        var entry = Assert.Single(facts.Activity);
        Assert.Equal(ActivityKinds.Edited, entry.Kind);
        Assert.Contains(new FieldChange("lines", "1", "2"), entry.Changes);
        Assert.Contains(new FieldChange("notes", null, "Thank you!"), entry.Changes);
        Assert.Contains(new FieldChange("total", "1428", "1523.2"), entry.Changes.Select(c => c with { Before = c.Before?.TrimEnd('0').TrimEnd('.'), After = c.After?.TrimEnd('0').TrimEnd('.') }));
        Assert.Equal("EUR", entry.Details["currency"]);
        Assert.DoesNotContain(entry.Changes, c => c.Field is "updatedAt" or "version" or "searchText" or "rank" or "sortKey");
        Assert.Empty(facts.Events);
    }

    [Fact]
    public void An_edit_is_bounded_in_size()
    {
        var draft = Draft();
        var edited = Next(draft, d => InvoiceLifecycle.Edit(d, d.Content with { Notes = new string('x', 5000) }, d.Customer, Now.AddMinutes(5)));

        var change = Assert.Single(Assert.Single(Facts(Modify(Item(draft), Item(edited))).Activity).Changes, c => c.Field == "notes");

        Assert.Equal(ChangeInterpreter.MaxValueLength, change.After!.Length);
    }

    [Fact]
    public void A_part_payment_is_payment_recorded_and_the_last_one_also_paid()
    {
        var open = Next(Draft(), d => InvoiceLifecycle.Finalize(d, "INV-000006", d.Customer, Now));
        var part = Next(open, i => InvoiceLifecycle.RecordPayment(i, new Payment("pay_01JE41B2C3D4E5F6G7H8J9K0M1", 428m, new DateOnly(2026, 12, 6), PaymentMethod.BankTransfer, null, Now.AddDays(1)), new DateOnly(2026, 12, 6)));
        var paid = Next(part, i => InvoiceLifecycle.RecordPayment(i, new Payment("pay_01JE41B2C3D4E5F6G7H8J9K0M2", 1000m, new DateOnly(2026, 12, 7), PaymentMethod.Card, "rest", Now.AddDays(2)), new DateOnly(2026, 12, 7)));

        var first = Facts(Modify(Item(open), Item(part)));
        var last = Facts(Modify(Item(part), Item(paid)));

        Assert.Equal([ActivityKinds.PaymentRecorded], Kinds(first));
        Assert.Equal([DomainEventTypes.PaymentRecorded], Types(first));
        Assert.Equal((428m, 1000m, "pay_01JE41B2C3D4E5F6G7H8J9K0M1"), ((decimal)first.Events[0]["amount"]!, (decimal)first.Events[0]["balanceDue"]!, first.Events[0]["paymentId"]));
        Assert.Equal([ActivityKinds.PaymentRecorded, ActivityKinds.Paid], Kinds(last));
        Assert.Equal([DomainEventTypes.PaymentRecorded, DomainEventTypes.InvoicePaid], Types(last));
        Assert.Equal("2026-12-07", last.Events[1]["paidDate"]);
        Assert.Equal("pay_01JE41B2C3D4E5F6G7H8J9K0M2", last.Activity[0].Details["paymentId"]);
    }

    [Fact]
    public void Voiding_is_voided_with_the_reason()
    {
        var open = Next(Draft(), d => InvoiceLifecycle.Finalize(d, "INV-000006", d.Customer, Now));
        var voided = Next(open, i => InvoiceLifecycle.Void(i, "Issued twice", Now.AddHours(2)));

        var facts = Facts(Modify(Item(open), Item(voided)));

        Assert.Equal([ActivityKinds.Voided], Kinds(facts));
        Assert.Equal("Issued twice", facts.Activity[0].Details["reason"]);
        Assert.Equal((DomainEventTypes.InvoiceVoided, "Issued twice"), (facts.Events[0].Type, facts.Events[0]["reason"]));
    }

    [Fact]
    public void The_customer_opening_the_page_is_viewed_and_the_workers_bookkeeping_is_nothing()
    {
        var open = Next(Draft(), d => InvoiceLifecycle.Finalize(d, "INV-000006", d.Customer, Now));
        var viewedItem = Item(open);
        viewedItem["viewedAt"] = new() { S = Now.AddDays(1).UtcDateTime.ToString("O") };
        viewedItem["changedBy"] = new() { S = "customer-page" };
        var documentItem = Item(open);
        documentItem["document"] = new() { M = ItemMapping.ToMap(new StoredDocument("invoices/x/v2.pdf", 2, Now, 1234)) };
        documentItem["changedBy"] = new() { S = "worker" };

        var viewed = Facts(Modify(Item(open), viewedItem));
        var document = Facts(Modify(Item(open), documentItem));

        var entry = Assert.Single(viewed.Activity);
        Assert.Equal((ActivityKinds.Viewed, Now.AddDays(1), (string?)null), (entry.Kind, entry.At, entry.Actor));
        Assert.Empty(viewed.Events);
        Assert.Same(ChangeFacts.None, document);
    }

    [Fact]
    public void A_new_email_request_is_sent_to_its_recipients_and_a_reminder_is_reminder_sent()
    {
        var sent = Facts(Insert(Delivery("inv_01JE40A2B3C4D5E6F7G8H9J0K4", Request(DeliveryKind.Invoice, "billing@mueller-gmbh.example", "anna@mueller-gmbh.example"))));
        var reminder = Facts(Insert(Delivery("inv_01JE40A2B3C4D5E6F7G8H9J0K4", Request(DeliveryKind.Reminder))));

        Assert.Equal([ActivityKinds.Sent], Kinds(sent));
        Assert.Equal("billing@mueller-gmbh.example, anna@mueller-gmbh.example", sent.Activity[0].Details["to"]);
        Assert.Equal("inv_01JE40A2B3C4D5E6F7G8H9J0K4", sent.Activity[0].EntityId);
        var e = Assert.Single(sent.Events);
        Assert.Equal((DomainEventTypes.InvoiceSent, "Invoice"), (e.Type, e["kind"]));
        Assert.Equal(["billing@mueller-gmbh.example", "anna@mueller-gmbh.example"], (IReadOnlyList<string>)e["to"]!);
        Assert.Equal([ActivityKinds.ReminderSent], Kinds(reminder));
        Assert.Equal("Reminder", reminder.Events[0]["kind"]);
    }

    [Fact]
    public void A_quotes_or_a_credit_notes_email_is_no_invoice_history_and_no_invoice_event()
    {
        // Their e-mails are Delivery items too, with the quote's or credit note's id where an invoice's would be.
        Assert.Same(ChangeFacts.None, Facts(Insert(Delivery("quo_01JE40A2B3C4D5E6F7G8H9J0K4", Request()))));
        Assert.Same(ChangeFacts.None, Facts(Insert(Delivery("crn_01JE40A2B3C4D5E6F7G8H9J0K4", Request()))));
    }

    [Fact]
    public void The_worker_moving_an_old_email_to_its_own_item_is_no_sending()
    {
        Assert.Same(ChangeFacts.None, Facts(Insert(Delivery("inv_01JE40A2B3C4D5E6F7G8H9J0K4", Request(), changedBy: "worker"))));
    }

    [Fact]
    public void Each_recipients_outcome_is_delivered_or_failed_once_and_the_claim_is_nothing()
    {
        var request = Request(DeliveryKind.Invoice, "billing@mueller-gmbh.example", "old@mueller-gmbh.example");
        var pending = Delivery("inv_01JE40A2B3C4D5E6F7G8H9J0K4", request);
        var claimed = Delivery("inv_01JE40A2B3C4D5E6F7G8H9J0K4", request, new DeliveryResult(DeliveryStatus.Sending, Now.AddSeconds(90), Attempts: 1), "worker");
        var done = Delivery("inv_01JE40A2B3C4D5E6F7G8H9J0K4", request, new DeliveryResult(DeliveryStatus.PartlySent, SentAt: Now.AddSeconds(3), Attempts: 1, Recipients:
        [
            new RecipientOutcome("billing@mueller-gmbh.example", RecipientStatus.Delivered, null, Now.AddSeconds(3)),
            new RecipientOutcome("old@mueller-gmbh.example", RecipientStatus.Refused, "550 5.1.1 user unknown"),
        ]), "worker");

        var claim = Facts(Modify(pending, claimed));
        var outcome = Facts(Modify(claimed, done));
        var again = Facts(Modify(done, done)); // a later write that settles nothing new (a bounce of someone else)

        Assert.Same(ChangeFacts.None, claim);
        Assert.Equal([ActivityKinds.Delivered, ActivityKinds.DeliveryFailed], Kinds(outcome));
        Assert.Equal([DomainEventTypes.InvoiceDelivered, DomainEventTypes.InvoiceDeliveryFailed], Types(outcome));
        Assert.Equal(("billing@mueller-gmbh.example", Now.AddSeconds(3)), (outcome.Activity[0].Details["recipient"], outcome.Activity[0].At));
        Assert.Equal("550 5.1.1 user unknown", outcome.Events[1]["reason"]);
        Assert.Same(ChangeFacts.None, again);
    }

    [Fact]
    public void A_result_written_before_per_recipient_outcomes_counts_for_everyone_it_went_to()
    {
        var request = Request(DeliveryKind.Invoice, "billing@mueller-gmbh.example");
        var claimed = Delivery("inv_01JE40A2B3C4D5E6F7G8H9J0K4", request, new DeliveryResult(DeliveryStatus.Sending, Now, Attempts: 1), "worker");
        var sent = Delivery("inv_01JE40A2B3C4D5E6F7G8H9J0K4", request, new DeliveryResult(DeliveryStatus.Sent, SentAt: Now.AddSeconds(2), To: ["billing@mueller-gmbh.example"], Attempts: 1), "worker");

        var facts = Facts(Modify(claimed, sent));

        Assert.Equal([ActivityKinds.Delivered], Kinds(facts));
        Assert.Equal("billing@mueller-gmbh.example", facts.Events[0]["recipient"]);
    }

    [Fact]
    public void A_credit_note_is_credited_on_its_invoice_and_CreditNoteIssued()
    {
        var facts = Facts(Insert(CreditNote("inv_01JE40A2B3C4D5E6F7G8H9J0K4")));

        var entry = Assert.Single(facts.Activity);
        Assert.Equal((ActivityKinds.Credited, "Invoice", "inv_01JE40A2B3C4D5E6F7G8H9J0K4", User), (entry.Kind, entry.EntityType, entry.EntityId, entry.Actor));
        Assert.Equal(("CRN-000001", "238.00"), (entry.Details["number"], entry.Details["total"]));
        var e = Assert.Single(facts.Events);
        Assert.Equal((DomainEventTypes.CreditNoteIssued, "crn_01JE50A2B3C4D5E6F7G8H9J0K1", 238.00m, "INV-000006"), (e.Type, e.EntityId, e["total"], e["invoiceNumber"]));
    }

    [Fact]
    public void A_customer_is_created_edited_with_what_changed_and_deleted()
    {
        var customer = NewCustomer();
        var edited = customer with { Details = customer.Details with { Phone = "+49 30 1234567", Email = "rechnung@mueller-gmbh.example" }, Version = 2, UpdatedAt = Now.AddDays(1) };
        var counted = edited with { InvoiceCount = 3 }; // an invoice write's ADD invoiceCount: no new version

        var created = Facts(Insert(Customer(customer), stream: CustomersStream));
        var edit = Facts(Modify(Customer(customer), Customer(edited), stream: CustomersStream));
        var count = Facts(Modify(Customer(edited), Customer(counted), stream: CustomersStream));
        var deleted = Facts(Remove(Customer(edited), stream: CustomersStream));

        Assert.Equal([ActivityKinds.Created], Kinds(created));
        Assert.Equal([DomainEventTypes.CustomerCreated], Types(created));
        Assert.Equal([ActivityKinds.Edited], Kinds(edit));
        Assert.Equal([DomainEventTypes.CustomerUpdated], Types(edit));
        Assert.Equal(
            [new FieldChange("email", "billing@mueller-gmbh.example", "rechnung@mueller-gmbh.example"), new FieldChange("phone", null, "+49 30 1234567")],
            edit.Activity[0].Changes);
        Assert.Equal(2, ((IReadOnlyList<FieldChange>)edit.Events[0]["changes"]!).Count);
        Assert.Same(ChangeFacts.None, count);
        Assert.Equal([ActivityKinds.Deleted], Kinds(deleted));
        Assert.Empty(deleted.Events);
        Assert.All([.. created.Activity, .. edit.Activity, .. deleted.Activity], a => Assert.Equal(("Customer", customer.Id), (a.EntityType, a.EntityId)));
    }

    [Fact]
    public void The_same_record_delivered_twice_has_the_same_ids_and_another_change_other_ids()
    {
        var open = Next(Draft(), d => InvoiceLifecycle.Finalize(d, "INV-000006", d.Customer, Now));
        var paid = Next(open, i => InvoiceLifecycle.RecordPayment(i, new Payment("pay_01JE41B2C3D4E5F6G7H8J9K0M1", 1428m, new DateOnly(2026, 12, 6), PaymentMethod.BankTransfer, null, Now), new DateOnly(2026, 12, 6)));
        var record = Modify(Item(open), Item(paid));
        var delivery = Insert(Delivery(open.Id, Request()));

        var first = Facts(record);
        var again = Facts(record);
        var other = Facts(delivery);
        var otherAgain = Facts(delivery);

        Assert.Equal(first.Activity.Select(a => a.Id), again.Activity.Select(a => a.Id));
        Assert.Equal(first.Events.Select(e => e.Id), again.Events.Select(e => e.Id));
        Assert.Equal(other.Events.Select(e => e.Id), otherAgain.Events.Select(e => e.Id));
        var all = first.Activity.Select(a => a.Id).Concat(first.Events.Select(e => e.Id)).Concat(other.Activity.Select(a => a.Id)).Concat(other.Events.Select(e => e.Id)).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
    }
}
