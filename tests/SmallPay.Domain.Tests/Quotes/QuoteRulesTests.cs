using SmallPay.Domain.Invoices;
using SmallPay.Domain.Links;
using SmallPay.Domain.Quotes;
using SmallPay.Domain.Validation;

namespace SmallPay.Domain.Tests.Quotes;

public sealed class QuoteRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
    private static readonly CustomerSnapshot Customer = new("Müller GmbH", "billing@mueller.example", null, null);

    private static InvoiceContent Content(params InvoiceLine[] lines) =>
        new("cus_1", "EUR", new DateOnly(2026, 11, 20), null, 14, lines, InvoiceDiscount.None, null);

    private static Quote Draft(DateOnly? validUntil = null) =>
        QuoteRules.CreateDraft("quo_1", "biz", Content(new InvoiceLine("Workshop", 1m, 1200m, 0m, 19m)), Customer, validUntil ?? new DateOnly(2026, 12, 20), Now, "biz");

    [Fact]
    public void Expired_is_derived_from_the_valid_until_date_of_a_sent_quote_only()
    {
        var sent = QuoteRules.MarkSent(Draft(), "QUO-000001", Customer, Now, "biz");
        Assert.Equal(QuoteStatus.Sent, sent.StatusOn(new DateOnly(2026, 12, 20)));
        Assert.Equal(QuoteStatus.Expired, sent.StatusOn(new DateOnly(2026, 12, 21)));
        Assert.Equal(QuoteStatus.Draft, Draft().StatusOn(new DateOnly(2027, 6, 1)));
        Assert.Equal(QuoteStatus.Accepted, (sent with { Status = QuoteStatus.Accepted }).StatusOn(new DateOnly(2027, 6, 1)));
    }

    [Theory]
    [InlineData(null, "2026-12-20")]
    [InlineData("2026-11-20", "2026-11-20")]
    [InlineData("2027-11-21", "2027-11-21")]
    public void Valid_until_defaults_to_30_days_and_may_be_from_the_quotes_date_to_366_days_after(string? given, string expected)
    {
        var until = QuoteRules.ValidUntil(Content(), given is null ? null : DateOnly.Parse(given));
        Assert.Equal(DateOnly.Parse(expected), until);
    }

    [Theory]
    [InlineData("2026-11-19")]
    [InlineData("2027-11-22")]
    public void Valid_until_before_the_quote_or_past_a_year_is_refused(string given) =>
        Assert.Equal("validUntil", Assert.Single(Assert.Throws<DomainValidationException>(() => QuoteRules.ValidUntil(Content(), DateOnly.Parse(given))).Errors).Path.TrimStart('/'));

    [Fact]
    public void Only_an_accepted_quote_converts_into_a_draft_invoice_with_a_derived_id_and_a_link_back()
    {
        var sent = QuoteRules.MarkSent(Draft(), "QUO-000001", Customer, Now, "biz");
        Assert.Throws<InvoiceStateException>(() => QuoteRules.ToInvoice(sent, Customer, new DateOnly(2026, 11, 22), Now, "biz"));
        Assert.Throws<InvoiceStateException>(() => QuoteRules.ToInvoice(sent with { Status = QuoteStatus.Converted, InvoiceId = "inv_x" }, Customer, new DateOnly(2026, 11, 22), Now, "biz"));

        var invoice = QuoteRules.ToInvoice(sent with { Status = QuoteStatus.Accepted }, Customer, new DateOnly(2026, 11, 22), Now, "biz");

        Assert.Equal(InvoiceStatus.Draft, invoice.Status);
        Assert.Equal("quo_1", invoice.QuoteId);
        Assert.Equal(QuoteRules.InvoiceIdFor("quo_1"), invoice.Id);
        Assert.Equal(new DateOnly(2026, 11, 22), invoice.Content.IssueDate);
        Assert.Equal(new DateOnly(2026, 12, 6), invoice.DueDate); // the quote's terms: 14 days
        Assert.Equal(1428m, invoice.Totals.Total);
    }

    [Fact]
    public void Only_drafts_are_edited_or_deleted_and_a_draft_needs_a_line_and_a_future_date_to_be_sent()
    {
        var sent = QuoteRules.MarkSent(Draft(), "QUO-000001", Customer, Now, "biz");
        Assert.Throws<InvoiceStateException>(() => QuoteRules.Edit(sent, Content(), Customer, new DateOnly(2026, 12, 20), Now, "biz"));
        Assert.Throws<InvoiceStateException>(() => QuoteRules.EnsureDeletable(sent));
        var empty = QuoteRules.CreateDraft("quo_2", "biz", Content(), Customer, new DateOnly(2026, 12, 20), Now, "biz");
        Assert.Throws<DomainValidationException>(() => QuoteRules.EnsureSendable(empty, new DateOnly(2026, 11, 20)));
        Assert.Throws<DomainValidationException>(() => QuoteRules.EnsureSendable(Draft(new DateOnly(2026, 11, 25)), new DateOnly(2026, 11, 26)));
        Assert.Throws<InvoiceStateException>(() => QuoteRules.EnsureSendable(sent with { Status = QuoteStatus.Declined }, new DateOnly(2026, 11, 26)));
        QuoteRules.EnsureSendable(sent, new DateOnly(2026, 11, 26)); // sent again while valid
    }

    [Theory]
    [InlineData("  Anna Müller ", "Anna Müller")]
    [InlineData("", null)]
    [InlineData("   ", null)]
    public void The_acceptors_name_is_required_and_cleaned(string typed, string? kept) =>
        Assert.Equal(kept, QuoteRules.CleanAcceptorName(typed));

    [Fact]
    public void In_the_pipeline_a_quote_is_an_invoice_shaped_document_of_kind_quote_due_on_its_valid_until_date()
    {
        var document = QuoteRules.MarkSent(Draft(), "QUO-000001", Customer, Now, "biz").AsDocument();
        Assert.Equal(LinkedDocumentKind.Quote, document.Kind);
        Assert.Equal("QUO-000001", document.Number);
        Assert.Equal(new DateOnly(2026, 12, 20), document.DueDate);
        Assert.Equal(InvoiceStatus.Open, document.Status);
    }
}
