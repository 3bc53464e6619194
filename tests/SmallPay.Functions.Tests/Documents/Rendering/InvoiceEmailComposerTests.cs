using MimeKit;
using SmallPay.Domain.Invoices;
using SmallPay.Functions.Documents.Rendering;

namespace SmallPay.Functions.Tests.Documents.Rendering;

public sealed class InvoiceEmailComposerTests
{
    private const string Sender = "invoices@smallpay.example";
    private static readonly InvoiceEmailComposer Composer = new(Sender);
    private static readonly byte[] Pdf = [0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x2E, 0x37, 0x0A, 0xE2, 0xE3];

    private static MimeMessage Compose(Invoice? invoice = null, string? subject = null, string? message = null,
        string[]? to = null, string[]? cc = null, Domain.Settings.BusinessSettings? business = null) =>
        Composer.Compose(invoice ?? new InvoiceDocumentBuilder().PartlyPaid(2000m), business ?? TestBusinesses.Nordlicht, Pdf,
            to ?? ["accounts@mueller-logistik.example"], cc ?? [], subject, message);

    [Fact]
    public void Comes_from_the_configured_sender_under_the_business_name_with_replies_to_the_business_once_verified()
    {
        using var mail = Compose(business: TestBusinesses.Nordlicht with { VerifiedEmail = "Billing@Nordlicht.example" });

        var from = Assert.Single(mail.From.Mailboxes);
        Assert.Equal(Sender, from.Address);
        Assert.Equal("Nordlicht Design Studio GmbH via SmallPay", from.Name);
        Assert.Equal("billing@nordlicht.example", Assert.Single(mail.ReplyTo.Mailboxes).Address);
    }

    [Theory]
    [InlineData(null)]                            // never verified
    [InlineData("old-address@nordlicht.example")] // verified, then changed in settings
    public void Has_no_reply_to_while_the_business_address_is_not_verified(string? verified)
    {
        using var mail = Compose(business: TestBusinesses.Nordlicht with { VerifiedEmail = verified });

        Assert.Equal("billing@nordlicht.example", TestBusinesses.Nordlicht.Email);
        Assert.Empty(mail.ReplyTo);
    }

    [Fact]
    public void Has_no_reply_to_when_the_business_has_no_email()
    {
        using var mail = Compose(business: TestBusinesses.Nordlicht with { Email = null });

        Assert.Empty(mail.ReplyTo);
    }

    [Fact]
    public void Headers_carry_no_bidirectional_controls_even_from_text_stored_before_the_domain_removed_them()
    {
        using var mail = Compose(subject: "Your invoice\u202E fdp.exe", business: TestBusinesses.Nordlicht with { BusinessName = "Nordlicht\u2066 Studio\u2069" });

        Assert.Equal("Your invoice fdp.exe", mail.Subject);
        Assert.Equal("Nordlicht Studio via SmallPay", Assert.Single(mail.From.Mailboxes).Name);
    }

    [Fact]
    public void Subject_defaults_to_the_invoice_number_and_business()
    {
        using var mail = Compose();

        Assert.Equal("Invoice INV-000042 from Nordlicht Design Studio GmbH", mail.Subject);
    }

    [Fact]
    public void A_custom_subject_is_kept_on_one_line()
    {
        using var mail = Compose(subject: "Your invoice\r\nBcc: victim@example.com");

        Assert.Equal("Your invoice Bcc: victim@example.com", mail.Subject);
        Assert.Empty(mail.Bcc);
    }

    [Fact]
    public void Goes_to_the_requested_recipients_and_copies()
    {
        using var mail = Compose(to: ["a@customer.example", " b@customer.example "], cc: ["boss@customer.example"]);

        Assert.Equal(["a@customer.example", "b@customer.example"], mail.To.Mailboxes.Select(a => a.Address));
        Assert.Equal("boss@customer.example", Assert.Single(mail.Cc.Mailboxes).Address);
    }

    [Fact]
    public void Both_bodies_hold_the_greeting_message_amount_due_and_due_date()
    {
        using var mail = Compose(message: "Thanks for the great project!");

        var (text, html) = Bodies(mail);
        foreach (var body in new[] { text, html })
        {
            Assert.Contains("Hello Müller &", body.Replace("&amp;", "&", StringComparison.Ordinal));
            Assert.Contains("Thanks for the great project!", body);
            Assert.Contains("3,542.27 EUR", body);
            Assert.Contains("16 Mar 2026", body);
            Assert.Contains("INV-000042", body);
            Assert.Contains("5,542.27 EUR", body);
        }
        Assert.Contains("Amount due: 3,542.27 EUR", text);
        Assert.Contains("Due date: 16 Mar 2026", text);
    }

    [Fact]
    public void The_html_body_escapes_the_owners_message_and_names()
    {
        using var mail = Compose(
            invoice: new InvoiceDocumentBuilder().ForCustomerNamed("<b>Evil</b> & Co").Open(),
            message: "<script>alert('x')</script>\nSecond line");

        var (text, html) = Bodies(mail);
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<b>Evil</b>", html);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;<br>", html);
        Assert.Contains("&lt;b&gt;Evil&lt;/b&gt; &amp; Co", html);
        Assert.Contains("<script>alert('x')</script>\nSecond line", text);
    }

    [Fact]
    public void Bodies_are_plain_text_and_html_alternatives_in_utf8_quoted_printable()
    {
        using var mail = Compose();

        var mixed = Assert.IsType<Multipart>(mail.Body);
        Assert.Equal("multipart/mixed", mixed.ContentType.MimeType);
        var alternatives = Assert.IsType<MultipartAlternative>(mixed[0]);
        var parts = alternatives.OfType<TextPart>().ToList();
        Assert.Equal(["text/plain", "text/html"], parts.Select(p => p.ContentType.MimeType));
        Assert.All(parts, part => Assert.Equal(("utf-8", ContentEncoding.QuotedPrintable), (part.ContentType.Charset, part.ContentTransferEncoding)));
        // CRLF line ends: quoted-printable keeps lines as lines instead of encoding line breaks as =0D=0A.
        using var encoded = new MemoryStream();
        parts[0].WriteTo(FormatOptions.Default, encoded);
        var text = System.Text.Encoding.ASCII.GetString(encoded.ToArray());
        Assert.Contains("Hello M=C3=BCller", text);
        Assert.DoesNotContain("=0A", text);
        Assert.DoesNotContain("=0D", text);
    }

    [Fact]
    public void Attaches_the_pdf_as_is_with_a_sensible_name()
    {
        using var mail = Compose();

        var attachment = Assert.IsType<MimePart>(Assert.Single(mail.Attachments));
        Assert.Equal("application/pdf", attachment.ContentType.MimeType);
        Assert.Equal("Invoice-INV-000042.pdf", attachment.ContentType.Name);
        Assert.Equal("Invoice-INV-000042.pdf", attachment.ContentDisposition!.FileName);
        Assert.True(attachment.IsAttachment);
        using var copy = new MemoryStream();
        attachment.Content!.DecodeTo(copy);
        Assert.Equal(Pdf, copy.ToArray());
    }

    [Fact]
    public void The_message_id_is_the_delivery_request_so_every_try_sends_the_same_message()
    {
        using var first = Composer.Compose(new InvoiceDocumentBuilder().Open(), TestBusinesses.Nordlicht, Pdf, ["a@customer.example"], [], null, null, "dlv_01JE40A2B3C4D5E6F7G8H9J0K1");
        using var again = Composer.Compose(new InvoiceDocumentBuilder().Open(), TestBusinesses.Nordlicht, Pdf, ["a@customer.example"], [], null, null, "dlv_01JE40A2B3C4D5E6F7G8H9J0K1");

        Assert.Equal("dlv_01JE40A2B3C4D5E6F7G8H9J0K1@smallpay.example", first.MessageId);
        Assert.Equal(first.MessageId, again.MessageId);
    }

    [Fact]
    public void Addresses_with_names_or_line_breaks_cannot_add_recipients_or_headers()
    {
        Assert.Throws<InvalidRecipientException>(() => Compose(to: ["Evil <evil@example.com>"]));
        Assert.Throws<InvalidRecipientException>(() => Compose(to: ["a@customer.example\r\nBcc: victim@example.com"]));
        Assert.Throws<InvalidRecipientException>(() => Compose(cc: ["a@customer.example, victim@example.com"]));
        using var mail = Compose(business: TestBusinesses.Nordlicht with { BusinessName = "Nordlicht\r\nBcc: victim@example.com" });
        Assert.Equal("Nordlicht Bcc: victim@example.com via SmallPay", Assert.Single(mail.From.Mailboxes).Name);
        Assert.Empty(mail.Bcc);
        Assert.DoesNotContain(mail.Headers, h => h.Field.Equals("Bcc", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("INV-000042", "Invoice-INV-000042.pdf")]
    [InlineData("2026/INV.7", "Invoice-2026-INV.7.pdf")]
    [InlineData("A_B-0001", "Invoice-A_B-0001.pdf")]
    public void Attachment_names_hold_only_safe_characters(string number, string expected)
    {
        Assert.Equal(expected, InvoiceEmailComposer.AttachmentFileName(new InvoiceDocumentBuilder().Open(number)));
    }

    [Fact]
    public void A_malformed_recipient_is_a_permanent_failure()
    {
        var error = Assert.Throws<InvalidRecipientException>(() => Compose(to: ["not an address"]));
        Assert.Equal("not an address", error.Address);
        Assert.Throws<InvalidRecipientException>(() => Compose(cc: ["a@b@c"]));
    }

    [Fact]
    public void Needs_a_recipient()
    {
        Assert.Throws<ArgumentException>(() => Compose(to: []));
        Assert.Throws<ArgumentException>(() => Compose(to: [" "]));
    }

    [Fact]
    public void Refuses_a_malformed_sender_address()
    {
        Assert.Throws<ArgumentException>(() => new InvoiceEmailComposer("smallpay"));
    }

    [Fact]
    public void A_paid_invoice_says_so_and_a_void_one_asks_for_nothing()
    {
        var builder = new InvoiceDocumentBuilder();
        using (var paid = Compose(builder.Paid(new DateOnly(2026, 3, 20))))
        {
            var (text, _) = Bodies(paid);
            Assert.Contains("paid in full", text);
            Assert.Contains("Amount due: 0.00 EUR", text);
        }
        using (var voided = Compose(builder.Void()))
        {
            var (text, _) = Bodies(voided);
            Assert.Contains("has been voided", text);
            Assert.Contains("Amount due: 0.00 EUR", text);
            Assert.DoesNotContain("Balance due", text);
        }
    }

    [Fact]
    public void Serializes_to_mime_with_encoded_utf8_headers_alternatives_and_the_attachment()
    {
        var business = TestBusinesses.Nordlicht with { BusinessName = "Łódź Müller Studio", VerifiedEmail = "billing@nordlicht.example" };
        using var mail = Compose(business: business, message: "Grüße aus Łódź");
        using var written = new MemoryStream();
        mail.WriteTo(FormatOptions.Default, written);

        var mime = System.Text.Encoding.ASCII.GetString(written.ToArray());
        Assert.Matches("(?m)^From: =\\?utf-8\\?", mime);
        Assert.Contains("<invoices@smallpay.example>", mime);
        Assert.Matches("(?m)^Subject: Invoice INV-000042 from =\\?utf-8\\?", mime);
        Assert.Contains("Reply-To: billing@nordlicht.example", mime);
        Assert.Contains("multipart/mixed", mime);
        Assert.Contains("multipart/alternative", mime);
        Assert.Contains("Content-Type: application/pdf; name=Invoice-INV-000042.pdf", mime);
        Assert.Contains("Content-Disposition: attachment; filename=Invoice-INV-000042.pdf", mime);
        Assert.Contains(Convert.ToBase64String(Pdf), mime);
        Assert.Contains($"{InvoiceEmailComposer.InvoiceIdHeader}: inv_", mime);
        Assert.True(System.Text.Ascii.IsValid(written.ToArray()), "the message is 7-bit ASCII");
    }

    private static (string Text, string Html) Bodies(MimeMessage mail) =>
        (mail.TextBody!.ReplaceLineEndings("\n"), mail.HtmlBody!.ReplaceLineEndings("\n"));
}
