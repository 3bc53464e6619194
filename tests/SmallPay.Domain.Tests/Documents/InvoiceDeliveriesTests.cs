using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Tests.Builders;
using SmallPay.Domain.Validation;

namespace SmallPay.Domain.Tests.Documents;

public class InvoiceDeliveriesTests
{
    private static readonly DateTimeOffset Now = InvoiceBuilder.CreatedAt.AddDays(2);
    private const string RequestId = "dlv_01JE40A2B3C4D5E6F7G8H9J0K1";

    private static Invoice Open() => new InvoiceBuilder().WithLine().Open("INV-000042");

    private static Invoice Send(Invoice invoice, DeliveryInput? input = null, string businessName = "Atelier Sommer") =>
        InvoiceDeliveries.Request(invoice, input ?? new DeliveryInput(), RequestId, businessName, Now);

    [Fact]
    public void Request_defaults_to_the_customers_email_and_a_subject_with_the_number_and_business()
    {
        var open = Open();

        var sent = Send(open);

        var request = Assert.Single(sent.DeliveryRequests);
        Assert.Equal(RequestId, request.RequestId);
        Assert.Equal(["billing@acme.example"], request.To);
        Assert.Empty(request.Cc);
        Assert.Equal("Invoice INV-000042 from Atelier Sommer", request.Subject);
        Assert.Null(request.Message);
        Assert.Equal(Now, request.RequestedAt);
        Assert.Equal(open.Version + 1, request.InvoiceVersion);
        Assert.Equal(Now, sent.UpdatedAt);
    }

    [Fact]
    public void Request_keeps_given_recipients_trimmed_without_repeats_and_drops_cc_that_are_also_to()
    {
        var sent = Send(Open(), new DeliveryInput(
            To: [" ap@acme.example ", "AP@acme.example", "boss@acme.example"],
            Cc: ["boss@acme.example", "me@atelier.example"],
            Subject: "  Your invoice  ",
            Message: "  Thanks!  "));

        var request = Assert.Single(sent.DeliveryRequests);
        Assert.Equal(["ap@acme.example", "boss@acme.example"], request.To);
        Assert.Equal(["me@atelier.example"], request.Cc);
        Assert.Equal("Your invoice", request.Subject);
        Assert.Equal("Thanks!", request.Message);
    }

    [Fact]
    public void Request_without_recipients_for_a_customer_without_email_is_refused_on_to()
    {
        var builder = new InvoiceBuilder().WithLine();
        var noEmail = builder.Customer with { Email = null };
        var open = InvoiceLifecycle.Finalize(builder.Draft(), "INV-000001", noEmail, Now);

        var error = Assert.Throws<DomainValidationException>(() => Send(open));

        Assert.Equal(["to"], error.Errors.Select(e => e.Path));
    }

    [Theory]
    [InlineData("not-an-address", "to/0")]
    [InlineData("first.last@localhost", "to/0")]
    [InlineData("", "to/0")]
    public void Invalid_recipients_are_refused_with_their_index(string address, string path)
    {
        var error = Assert.Throws<DomainValidationException>(() => Send(Open(), new DeliveryInput(To: [address])));

        Assert.Equal([path], error.Errors.Select(e => e.Path));
    }

    [Fact]
    public void More_than_ten_recipients_are_refused()
    {
        var eleven = Enumerable.Range(1, 11).Select(i => (string?)$"p{i}@acme.example").ToList();

        var error = Assert.Throws<DomainValidationException>(() => Send(Open(), new DeliveryInput(To: eleven, Cc: eleven)));

        Assert.Equal(["to", "cc"], error.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Subject_and_message_lengths_are_limited_and_the_subject_is_one_line()
    {
        var tooLong = Assert.Throws<DomainValidationException>(() => Send(Open(),
            new DeliveryInput(Subject: new string('s', 201), Message: new string('m', 5001))));
        var twoLines = Assert.Throws<DomainValidationException>(() => Send(Open(), new DeliveryInput(Subject: "Hi\r\nBcc: everyone@example.com")));

        Assert.Equal(["subject", "message"], tooLong.Errors.Select(e => e.Path));
        Assert.Equal(["subject"], twoLines.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Drafts_and_void_invoices_cannot_be_sent_but_paid_ones_can()
    {
        var builder = new InvoiceBuilder().WithLine();

        Assert.Throws<InvoiceStateException>(() => Send(builder.Draft()));
        Assert.Throws<InvoiceStateException>(() => Send(builder.Void()));
        Assert.Single(Send(builder.Paid(new DateOnly(2026, 3, 5))).DeliveryRequests);
    }

    [Fact]
    public void An_invoice_takes_at_most_fifty_delivery_requests()
    {
        var invoice = Open();
        for (var i = 0; i < InvoiceDeliveries.MaxRequestsPerInvoice; i++)
            invoice = InvoiceDeliveries.Request(invoice, new DeliveryInput(), Ids.New("dlv"), null, Now) with { Version = invoice.Version + 1 };

        Assert.Throws<InvoiceStateException>(() => Send(invoice));
    }

    [Fact]
    public void A_default_subject_given_in_the_invoices_language_is_used_when_the_input_names_none()
    {
        var invoice = Open();
        var withDefault = InvoiceDeliveries.Request(invoice, new DeliveryInput(), RequestId, "Atelier", Now, "Rechnung INV-000042 von Atelier");
        Assert.Equal("Rechnung INV-000042 von Atelier", withDefault.DeliveryRequests[^1].Subject);
        var given = InvoiceDeliveries.Request(invoice, new DeliveryInput(Subject: " Ihre Rechnung "), RequestId, "Atelier", Now, "Rechnung INV-000042 von Atelier");
        Assert.Equal("Ihre Rechnung", given.DeliveryRequests[^1].Subject);
    }

    [Fact]
    public void Default_subject_without_a_business_name_is_just_the_number()
    {
        Assert.Equal("Invoice INV-000042", InvoiceDeliveries.DefaultSubject("INV-000042", " "));
    }

    [Fact]
    public void A_request_is_pending_until_claimed_and_again_once_the_claim_lease_ran_out()
    {
        var sent = Send(Open());
        var request = sent.DeliveryRequests[0];
        Invoice With(DeliveryResult result) => sent with { DeliveryResults = new Dictionary<string, DeliveryResult> { [RequestId] = result } };

        Assert.True(InvoiceDeliveries.IsPending(sent, request, Now));
        Assert.False(InvoiceDeliveries.IsPending(With(new DeliveryResult(DeliveryStatus.Sending, Now.AddSeconds(30))), request, Now));
        Assert.True(InvoiceDeliveries.IsPending(With(new DeliveryResult(DeliveryStatus.Sending, Now.AddSeconds(-1))), request, Now));
        Assert.False(InvoiceDeliveries.IsPending(With(new DeliveryResult(DeliveryStatus.Sent, SentAt: Now)), request, Now));
        Assert.False(InvoiceDeliveries.IsPending(With(new DeliveryResult(DeliveryStatus.Failed, FailureReason: "550")), request, Now));
    }

    [Fact]
    public void Deliveries_show_each_request_with_its_outcome()
    {
        var invoice = Send(Open());
        invoice = InvoiceDeliveries.Request(invoice, new DeliveryInput(To: ["x@acme.example"]), "dlv_second", null, Now) with
        {
            DeliveryResults = new Dictionary<string, DeliveryResult>
            {
                [RequestId] = new(DeliveryStatus.Sent, SentAt: Now.AddSeconds(3), To: ["billing@acme.example"], Attempts: 1),
                ["dlv_second"] = new(DeliveryStatus.Failed, FailureReason: "550 mailbox unavailable", Attempts: 1),
            },
        };

        var deliveries = InvoiceDeliveries.Deliveries(invoice, Now);

        Assert.Equal([DeliveryStatus.Sent, DeliveryStatus.Failed], deliveries.Select(d => d.Status));
        Assert.Equal(Now.AddSeconds(3), deliveries[0].SentAt);
        Assert.Null(deliveries[0].FailureReason);
        Assert.Equal("550 mailbox unavailable", deliveries[1].FailureReason);
        Assert.Equal(["x@acme.example"], deliveries[1].To);
    }

    [Fact]
    public void A_held_claim_shows_as_sending_and_a_released_one_as_pending()
    {
        var sent = Send(Open());
        Invoice With(DeliveryResult result) => sent with { DeliveryResults = new Dictionary<string, DeliveryResult> { [RequestId] = result } };

        Assert.Equal(DeliveryStatus.Pending, InvoiceDeliveries.Deliveries(sent, Now)[0].Status);
        Assert.Equal(DeliveryStatus.Sending, InvoiceDeliveries.Deliveries(With(new DeliveryResult(DeliveryStatus.Sending, Now.AddMinutes(1))), Now)[0].Status);
        Assert.Equal(DeliveryStatus.Pending, InvoiceDeliveries.Deliveries(With(new DeliveryResult(DeliveryStatus.Sending, DateTimeOffset.UnixEpoch)), Now)[0].Status);
    }

    [Fact]
    public void Each_recipient_is_pending_until_a_try_and_a_sent_result_from_before_per_recipient_outcomes_went_to_all()
    {
        var sent = Send(Open(), new DeliveryInput(To: ["a@acme.example", "b@acme.example"], Cc: ["c@acme.example"]));
        var request = sent.DeliveryRequests[0];

        Assert.Equal(["a@acme.example", "b@acme.example", "c@acme.example"], request.Recipients);
        Assert.All(InvoiceDeliveries.RecipientsOf(request, null), r => Assert.Equal(RecipientStatus.Pending, r.Status));
        var legacy = InvoiceDeliveries.RecipientsOf(request, new DeliveryResult(DeliveryStatus.Sent, SentAt: Now, To: request.Recipients, Attempts: 1));
        Assert.All(legacy, r => Assert.Equal((RecipientStatus.Delivered, Now), (r.Status, r.At)));
    }

    [Fact]
    public void A_try_settles_only_pending_recipients_and_a_retry_goes_only_to_those_still_pending()
    {
        IReadOnlyList<RecipientOutcome> before =
        [
            new("a@acme.example", RecipientStatus.Delivered, At: Now),
            new("b@acme.example", RecipientStatus.Refused, "550 5.1.1 no such user"),
            new("c@acme.example", RecipientStatus.Pending, "450 4.2.1 mailbox busy"),
            new("d@acme.example", RecipientStatus.Pending),
        ];

        var merged = InvoiceDeliveries.Merge(before,
        [
            new("C@acme.example", RecipientStatus.Delivered, At: Now.AddMinutes(3)),
            new("a@acme.example", RecipientStatus.Refused, "550 should never be asked again"),
        ]);

        Assert.Equal(["c@acme.example", "d@acme.example"], InvoiceDeliveries.StillToSend(before));
        Assert.Equal([RecipientStatus.Delivered, RecipientStatus.Refused, RecipientStatus.Delivered, RecipientStatus.Pending], merged.Select(r => r.Status));
        Assert.Equal("c@acme.example", merged[2].Address); // as the request spells it
        Assert.Equal(["d@acme.example"], InvoiceDeliveries.StillToSend(merged));
        Assert.Null(InvoiceDeliveries.Conclude(merged, attempts: 2));
    }

    [Fact]
    public void Settled_recipients_conclude_as_sent_failed_or_partly_sent_with_the_refusals_as_the_reason()
    {
        RecipientOutcome Delivered(string address, int minute) => new(address, RecipientStatus.Delivered, At: Now.AddMinutes(minute));
        RecipientOutcome Refused(string address) => new(address, RecipientStatus.Refused, "550 5.1.1 no such user");

        var sent = InvoiceDeliveries.Conclude([Delivered("a@x.example", 1), Delivered("b@x.example", 4)], 2)!;
        var failed = InvoiceDeliveries.Conclude([Refused("a@x.example")], 1)!;
        var partly = InvoiceDeliveries.Conclude([Delivered("a@x.example", 1), Refused("b@x.example")], 1)!;

        Assert.Equal((DeliveryStatus.Sent, Now.AddMinutes(4), null, 2), (sent.Status, sent.SentAt, sent.FailureReason, sent.Attempts));
        Assert.Equal(["a@x.example", "b@x.example"], sent.To);
        Assert.Equal((DeliveryStatus.Failed, (DateTimeOffset?)null), (failed.Status, failed.SentAt));
        Assert.Equal("Refused: a@x.example (550 5.1.1 no such user)", failed.FailureReason);
        Assert.Equal(DeliveryStatus.PartlySent, partly.Status);
        Assert.Equal(["a@x.example"], partly.To);
        Assert.Equal("Refused: b@x.example (550 5.1.1 no such user)", partly.FailureReason);
        Assert.Equal(2, partly.Recipients!.Count);
    }

    [Fact]
    public void A_message_that_can_never_go_refuses_the_remaining_recipients_and_keeps_those_who_got_it()
    {
        IReadOnlyList<RecipientOutcome> before = [new("a@x.example", RecipientStatus.Delivered, At: Now), new("b@x.example", RecipientStatus.Pending, "450 busy")];

        var partly = InvoiceDeliveries.RefuseRemaining(before, "552 message too big", 2);
        var failed = InvoiceDeliveries.RefuseRemaining([new("b@x.example", RecipientStatus.Pending)], "552 message too big", 1);

        Assert.Equal(DeliveryStatus.PartlySent, partly.Status);
        Assert.Equal([RecipientStatus.Delivered, RecipientStatus.Refused], partly.Recipients!.Select(r => r.Status));
        Assert.Equal("552 message too big", partly.Recipients![1].Reason);
        Assert.Equal((DeliveryStatus.Failed, "552 message too big", (IReadOnlyList<RecipientOutcome>?)null), (failed.Status, failed.FailureReason, failed.Recipients));
    }

    [Fact]
    public void Deliveries_show_each_recipient_and_a_failure_from_before_any_try_has_none()
    {
        var invoice = Send(Open(), new DeliveryInput(To: ["a@acme.example"], Cc: ["b@acme.example"]));
        invoice = InvoiceDeliveries.Request(invoice, new DeliveryInput(To: ["x@acme.example"]), "dlv_void", null, Now) with
        {
            DeliveryResults = new Dictionary<string, DeliveryResult>
            {
                [RequestId] = InvoiceDeliveries.Conclude(
                    [new("a@acme.example", RecipientStatus.Delivered, At: Now), new("b@acme.example", RecipientStatus.Refused, "550 no such user")], 1)!,
                ["dlv_void"] = new(DeliveryStatus.Failed, FailureReason: "The invoice was voided before it was sent.", Attempts: 1),
            },
        };

        var deliveries = InvoiceDeliveries.Deliveries(invoice, Now);

        Assert.Equal([DeliveryStatus.PartlySent, DeliveryStatus.Failed], deliveries.Select(d => d.Status));
        Assert.Equal([("a@acme.example", RecipientStatus.Delivered), ("b@acme.example", RecipientStatus.Refused)],
            deliveries[0].Recipients.Select(r => (r.Address, r.Status)));
        Assert.Equal("Refused: b@acme.example (550 no such user)", deliveries[0].FailureReason);
        Assert.Empty(deliveries[1].Recipients);
    }

    [Fact]
    public void A_released_claim_with_recipients_settled_by_a_try_shows_them_while_the_delivery_is_pending()
    {
        var sent = Send(Open(), new DeliveryInput(To: ["a@acme.example", "b@acme.example"]));
        var released = new DeliveryResult(DeliveryStatus.Sending, DateTimeOffset.UnixEpoch, Attempts: 1,
            Recipients: [new("a@acme.example", RecipientStatus.Delivered, At: Now), new("b@acme.example", RecipientStatus.Pending, "450 4.2.1 mailbox busy")]);

        var delivery = InvoiceDeliveries.Deliveries(sent with { DeliveryResults = new Dictionary<string, DeliveryResult> { [RequestId] = released } }, Now).Single();

        Assert.Equal(DeliveryStatus.Pending, delivery.Status);
        Assert.Equal([RecipientStatus.Delivered, RecipientStatus.Pending], delivery.Recipients.Select(r => r.Status));
        Assert.Equal("450 4.2.1 mailbox busy", delivery.Recipients[1].Reason);
    }

    [Fact]
    public void Document_is_current_only_for_the_version_it_was_rendered_from()
    {
        var open = Open();

        Assert.False(open.HasCurrentDocument);
        Assert.True((open with { Document = new StoredDocument("k", open.Version, Now, 100) }).HasCurrentDocument);
        Assert.False((open with { Document = new StoredDocument("k", open.Version - 1, Now, 100) }).HasCurrentDocument);
    }
}
