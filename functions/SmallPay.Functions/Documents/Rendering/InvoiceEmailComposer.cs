using System.Text;
using MimeKit;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Settings;
using SmallPay.Domain.Validation;
using SmallPay.Functions.Documents.Localization;

namespace SmallPay.Functions.Documents.Rendering;

/// <summary>A recipient address that can never be delivered to: a permanent failure, not worth a retry.</summary>
public sealed class InvalidRecipientException(string address, Exception? inner = null)
    : FormatException($"'{address}' is not a valid e-mail address.", inner)
{
    public string Address { get; } = address;
}

/// <summary>
/// Composes the e-mail that carries an invoice (MimeKit): From the configured sender under the business's name, Reply-To
/// the business's own address, plain-text and HTML alternatives (amount due, due date, a short summary, the owner's
/// optional message), the PDF attached. UTF-8 throughout; header values are single lines and addresses are parsed, never
/// pasted, so nothing the owner types can add a header. Sending is the transport's business (Documents/Mail).
/// </summary>
public sealed class InvoiceEmailComposer
{
    public const string InvoiceIdHeader = "X-SmallPay-Invoice-Id";

    /// <summary>Bare addresses only: no display names, comments or routes around them.</summary>
    private static readonly ParserOptions Addresses = new()
    {
        AddressParserComplianceMode = RfcComplianceMode.Strict,
        AllowAddressesWithoutDomain = false,
    };

    private readonly MailboxAddress _sender;

    /// <param name="senderAddress">The address mail goes out from (verified with the mail provider), e.g. invoices@smallpay.example.</param>
    public InvoiceEmailComposer(string senderAddress)
    {
        _sender = TryParse(senderAddress?.Trim()) ?? throw new ArgumentException($"The sender address '{senderAddress}' is not a valid e-mail address.", nameof(senderAddress));
    }

    /// <summary>The envelope sender (MAIL FROM), as configured.</summary>
    public MailboxAddress Sender => new(null, _sender.Address);

    /// <summary>
    /// The message; the caller disposes it. <paramref name="subject"/> and <paramref name="message"/> are the owner's
    /// optional overrides from the delivery request. <paramref name="deliveryId"/>, when given, makes the Message-Id
    /// (<c>{deliveryId}@{sender's domain}</c>): a retry that reaches a recipient later is the same message.
    /// </summary>
    /// <exception cref="InvalidRecipientException">A To or Cc address is malformed (permanent: do not retry).</exception>
    /// <exception cref="ArgumentException">No To recipient at all.</exception>
    public MimeMessage Compose(Invoice invoice, BusinessSettings business, byte[] pdf,
        IReadOnlyList<string> to, IReadOnlyList<string> cc, string? subject, string? message, string? deliveryId = null, Uri? pageLink = null, bool reminder = false)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(business);
        ArgumentNullException.ThrowIfNull(pdf);
        if (to is null || !to.Any(address => !string.IsNullOrWhiteSpace(address)))
            throw new ArgumentException("An invoice e-mail needs at least one recipient.", nameof(to));

        var mail = new MimeMessage();
        try
        {
            // "… via SmallPay": the name is the business's own claim, the address the operator's; a reader sees both
            // (as invitations say it), so a made-up business cannot pass as the operator or as another sender.
            var name = OneLine(business.BusinessName);
            mail.From.Add(new MailboxAddress(Encoding.UTF8, name.Length == 0 ? "SmallPay" : $"{name} via SmallPay", _sender.Address));
            mail.Subject = string.IsNullOrWhiteSpace(subject) ? DefaultSubject(invoice, business) : OneLine(subject);
            mail.To.AddRange(Recipients(to));
            mail.Cc.AddRange(Recipients(cc ?? []));
            // Replies go to the business only once it has confirmed that it owns the address (a code mailed to it).
            if (TryParse(business.ReplyTo?.Trim()) is { } replyTo) mail.ReplyTo.Add(replyTo);
            mail.Headers.Add(InvoiceIdHeader, OneLine(invoice.Id));
            if (deliveryId is { Length: > 0 } id) mail.MessageId = $"{OneLine(id)}@{_sender.GetAddress(idnEncode: true).Split('@')[^1]}";

            var content = new InvoiceEmailContent(invoice, business, message, pageLink, reminder);
            var alternatives = new MultipartAlternative { Text(content.PlainText(), "plain"), Text(content.Html(), "html") };
            var attachment = new MimePart("application", "pdf")
            {
                Content = new MimeContent(new MemoryStream(pdf, writable: false)),
                ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                ContentTransferEncoding = ContentEncoding.Base64,
                FileName = AttachmentFileName(invoice),
            };
            mail.Body = new Multipart("mixed") { alternatives, attachment };
            return mail;
        }
        catch
        {
            mail.Dispose();
            throw;
        }
    }

    /// <summary><c>Invoice {number} from {business}</c>, in the invoice's language (its customer's, else the business's).</summary>
    public static string DefaultSubject(Invoice invoice, BusinessSettings business)
    {
        var l = DocumentLanguage.For(invoice, business);
        return string.IsNullOrWhiteSpace(business.BusinessName)
            ? l.Text("mail.subjectNoBusiness", ("number", l.Number(invoice)))
            : l.Text("mail.subject", ("number", l.Number(invoice)), ("business", OneLine(business.BusinessName)));
    }

    /// <summary><c>Invoice-INV-000042.pdf</c>: only letters, digits, '.', '-' and '_' (a number prefix may hold '/').</summary>
    public static string AttachmentFileName(Invoice invoice)
    {
        var number = invoice.Number ?? "draft";
        var safe = new StringBuilder(number.Length);
        foreach (var c in number)
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-');
        var kind = invoice.Kind == SmallPay.Domain.Links.LinkedDocumentKind.CreditNote ? "CreditNote" : "Invoice";
        return $"{kind}-{safe.ToString().Trim('.')}.pdf";
    }

    /// <summary>A bare address (<c>local@domain</c>) as MimeKit parses it, or null.</summary>
    internal static MailboxAddress? TryParse(string? address) =>
        !string.IsNullOrEmpty(address) && MailboxAddress.TryParse(Addresses, address, out var parsed)
        && string.IsNullOrEmpty(parsed.Name) && parsed.Route.Count == 0 && parsed.Address.Contains('@', StringComparison.Ordinal)
            ? parsed
            : null;

    private static IEnumerable<MailboxAddress> Recipients(IEnumerable<string> addresses)
    {
        foreach (var raw in addresses)
        {
            if (string.IsNullOrWhiteSpace(raw))
                continue;
            var address = raw.Trim();
            yield return TryParse(address) ?? throw new InvalidRecipientException(address);
        }
    }

    private static TextPart Text(string body, string subtype)
    {
        // CRLF, as MIME wants: quoted-printable then keeps lines as lines instead of encoding bare LFs as =0A.
        var part = new TextPart(subtype) { ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        part.SetText(Encoding.UTF8, body.ReplaceLineEndings("\r\n"));
        return part;
    }

    /// <summary>Header values are one line: line breaks would be header injection.</summary>
    // Header values: one line, and no bidirectional controls (a last guard; the domain keeps them out of what it stores).
    private static string OneLine(string? text) =>
        string.Join(' ', PlainText.WithoutBidiControls(text ?? "").Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()).Where(s => s.Length > 0));
}

/// <summary>
/// The words of the invoice e-mail, once as plain text and once as (escaped) HTML, in the invoice's language (its
/// customer's, else the business's); the HTML of a right-to-left language is laid out right to left.
/// </summary>
internal sealed class InvoiceEmailContent(Invoice invoice, BusinessSettings business, string? personalMessage, Uri? pageLink = null, bool reminder = false)
{
    private readonly InvoiceTotals _totals = invoice.Totals;
    private readonly DocumentLanguage _l = DocumentLanguage.For(invoice, business);
    private string Number => _l.Number(invoice);
    private string Money(decimal amount) => _l.Money(amount, invoice.Currency);
    private string BusinessName => string.IsNullOrWhiteSpace(business.BusinessName) ? _l["mail.us"] : business.BusinessName.Trim();
    private string? Message => string.IsNullOrWhiteSpace(personalMessage) ? null : personalMessage.Trim().ReplaceLineEndings("\n");

    /// <summary>Where figures line up: the right in left-to-right text, the left in right-to-left.</summary>
    private string End => _l.RightToLeft ? "left" : "right";

    private string Greeting => _l.Text("mail.greeting", ("name", invoice.Customer.Name.Trim()));

    private string Introduction => _l.Text(invoice.Status switch
    {
        InvoiceStatus.Paid => "mail.introPaid",
        InvoiceStatus.Void => "mail.introVoid",
        _ when reminder => "mail.introReminder",
        _ => "mail.intro",
    }, ("number", Number), ("business", BusinessName));

    /// <summary>The figures people look for first.</summary>
    private List<(string Label, string Value)> Headline() => invoice.CreditNote is { } credit
        ? [(_l["mail.amountDue"], Money(_totals.Total)), (_l["creditNote.invoice"], credit.InvoiceNumber), .. Owed(credit)]
        : invoice.Kind == SmallPay.Domain.Links.LinkedDocumentKind.Quote
        ? [(_l["mail.amountDue"], Money(_totals.Total)), (_l["invoice.dueDate"], _l.Date(invoice.DueDate))]
        : invoice.Status == InvoiceStatus.Void
        ? [(_l["mail.amountDue"], Money(0m))]
        : [(_l["mail.amountDue"], Money(_totals.BalanceDue)), (_l["invoice.dueDate"], _l.Date(invoice.DueDate))];

    private List<(string Label, string Value)> Owed(CreditNoteParticulars credit) =>
        credit.OwedToCustomer > 0m ? [(_l["creditNote.owedLabel"], Money(credit.OwedToCustomer))] : [];

    private List<(string Label, string Value)> Summary()
    {
        if (invoice.CreditNote is { } credit)
            return
            [
                (_l["invoice.number"], Number), (_l["invoice.issueDate"], _l.Date(invoice.Content.IssueDate)),
                (_l["creditNote.invoice"], credit.InvoiceNumber), (_l["invoice.total"], Money(_totals.Total)), .. Owed(credit),
            ];
        var rows = new List<(string, string)>
        {
            (_l["invoice.number"], Number),
            (_l["invoice.issueDate"], _l.Date(invoice.Content.IssueDate)),
            (_l["invoice.dueDate"], _l.Date(invoice.DueDate)),
            (_l["invoice.total"], Money(_totals.Total)),
        };
        if (_totals.AmountPaid != 0m) rows.Add((_l["invoice.amountPaid"], Money(_totals.AmountPaid)));
        if (invoice.Status != InvoiceStatus.Void && invoice.Kind != SmallPay.Domain.Links.LinkedDocumentKind.Quote) rows.Add((_l["invoice.balanceDue"], Money(_totals.BalanceDue)));
        return rows;
    }

    private IEnumerable<string> Signature()
    {
        if (!string.IsNullOrWhiteSpace(business.BusinessName)) yield return business.BusinessName.Trim();
        if (!string.IsNullOrWhiteSpace(business.Email)) yield return business.Email.Trim();
        if (!string.IsNullOrWhiteSpace(business.Phone)) yield return business.Phone.Trim();
    }

    public string PlainText()
    {
        var text = new StringBuilder();
        text.Append(Greeting).Append("\n\n");
        if (Message is { } message) text.Append(message).Append("\n\n");
        text.Append(Introduction).Append("\n\n");
        foreach (var (label, value) in Headline()) text.Append(label).Append(": ").Append(value).Append('\n');
        text.Append('\n').Append(_l["mail.summary"]).Append('\n');
        foreach (var (label, value) in Summary()) text.Append("  ").Append(label).Append(": ").Append(value).Append('\n');
        text.Append('\n').Append(_l.Text("mail.attached", ("file", InvoiceEmailComposer.AttachmentFileName(invoice)))).Append('\n');
        if (pageLink is not null) text.Append(_l.Text("mail.pageLink", ("link", pageLink.AbsoluteUri))).Append('\n');
        var signature = Signature().ToList();
        if (signature.Count > 0)
        {
            text.Append('\n').Append(_l["mail.regards"]).Append('\n');
            foreach (var line in signature) text.Append(line).Append('\n');
        }
        return text.ToString();
    }

    public string Html()
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"").Append(_l.Tag).Append("\" dir=\"").Append(_l.RightToLeft ? "rtl" : "ltr").Append("\"><head><meta charset=\"utf-8\"><title>")
            .Append(Encode(_l.Text("mail.subjectNoBusiness", ("number", Number)))).Append("</title></head>\n")
            .Append("<body style=\"margin:0;padding:24px;background:#f4f6f9;font-family:Helvetica,Arial,sans-serif;color:#1f2933;font-size:15px;line-height:1.5\">\n")
            .Append("<div dir=\"").Append(_l.RightToLeft ? "rtl" : "ltr").Append("\" style=\"max-width:560px;margin:0 auto;background:#ffffff;border:1px solid #dde3ea;border-radius:6px;padding:28px\">\n");
        html.Append("<p style=\"margin:0 0 16px\">").Append(Encode(Greeting)).Append("</p>\n");
        if (Message is { } message)
            html.Append("<p style=\"margin:0 0 16px\">").Append(Encode(message).Replace("\n", "<br>\n", StringComparison.Ordinal)).Append("</p>\n");
        html.Append("<p style=\"margin:0 0 20px\">").Append(Encode(Introduction)).Append("</p>\n");

        html.Append("<table role=\"presentation\" style=\"width:100%;border-collapse:collapse;background:#f1f4f8;margin:0 0 20px\">\n");
        foreach (var (label, value) in Headline())
            html.Append("<tr><td style=\"padding:10px 14px;color:#5f6b7a\">").Append(Encode(label))
                .Append("</td><td style=\"padding:10px 14px;text-align:").Append(End).Append(";font-weight:bold;font-size:17px\">").Append(Encode(value)).Append("</td></tr>\n");
        html.Append("</table>\n");

        html.Append("<table role=\"presentation\" style=\"width:100%;border-collapse:collapse;font-size:14px;margin:0 0 20px\">\n");
        foreach (var (label, value) in Summary())
            html.Append("<tr><td style=\"padding:4px 0;color:#5f6b7a;border-bottom:1px solid #eef1f5\">").Append(Encode(label))
                .Append("</td><td style=\"padding:4px 0;text-align:").Append(End).Append(";border-bottom:1px solid #eef1f5\">").Append(Encode(value)).Append("</td></tr>\n");
        html.Append("</table>\n");

        if (pageLink is not null)
            html.Append("<p style=\"margin:0 0 20px\"><a href=\"").Append(Encode(pageLink.AbsoluteUri))
                .Append("\" style=\"display:inline-block;background:#1f4e8c;color:#ffffff;text-decoration:none;padding:10px 18px;border-radius:4px;font-weight:bold\">")
                .Append(Encode(_l["mail.pageButton"])).Append("</a></p>\n");
        html.Append("<p style=\"margin:0 0 20px;color:#5f6b7a;font-size:13px\">")
            .Append(Encode(_l.Text("mail.attached", ("file", InvoiceEmailComposer.AttachmentFileName(invoice))))).Append("</p>\n");
        var signature = Signature().ToList();
        if (signature.Count > 0)
            html.Append("<p style=\"margin:0\">").Append(Encode(_l["mail.regards"])).Append("<br>\n").Append(string.Join("<br>\n", signature.Select(Encode))).Append("</p>\n");
        html.Append("</div>\n</body></html>\n");
        return html.ToString();
    }

    /// <summary>
    /// Escapes the five characters that mean something in HTML text and attributes. (WebUtility.HtmlEncode also turns
    /// every Latin-1 letter into a numeric entity: correct, but needless in a UTF-8 body and unreadable in its source.)
    /// </summary>
    internal static string Encode(string text)
    {
        if (text.AsSpan().IndexOfAny("&<>\"'") < 0)
            return text;
        var encoded = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => encoded.Append("&amp;"),
                '<' => encoded.Append("&lt;"),
                '>' => encoded.Append("&gt;"),
                '"' => encoded.Append("&quot;"),
                '\'' => encoded.Append("&#39;"),
                _ => encoded.Append(c),
            };
        }
        return encoded.ToString();
    }
}
