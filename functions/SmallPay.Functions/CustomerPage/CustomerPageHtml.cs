using System.Text;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Quotes;
using SmallPay.Domain.Settings;
using SmallPay.Functions.Documents.Localization;
using SmallPay.Functions.Documents.Rendering;
using static SmallPay.Functions.Hosting.Http.PublicPages;

namespace SmallPay.Functions.CustomerPage;

/// <summary>
/// The customer's page of one invoice, in the invoice's language, with what its PDF shows: who it is from and for, its
/// dates, lines, totals, balance and payment terms, and the PDF to download. Nothing else of the business.
/// </summary>
public static class CustomerPageHtml
{
    /// <summary>
    /// The customer's page of a quote: the invoice page's layout in the quote's words (<see cref="Quote.AsDocument"/>), its
    /// status, and while it is open a form (no script) to accept it with a name or decline it, posted to <paramref name="formAction"/>.
    /// </summary>
    public static string Quote(Quote quote, BusinessSettings business, DateOnly today, string pdfHref, string formAction, bool nameMissing = false)
    {
        var document = quote.AsDocument();
        var l = DocumentLanguage.For(document, business);
        var status = quote.StatusOn(today);
        // No payment badge: the answer below says where the quote stands.
        const string badge = "";
        var answer = new StringBuilder();
        switch (status)
        {
            case QuoteStatus.Sent:
                answer.Append("<div class=\"card\" id=\"respond\">\n<h2>").Append(Encode(l["page.acceptTitle"])).Append("</h2>\n<p class=\"small muted\">")
                    .Append(Encode(l["page.acceptIntro"])).Append("</p>\n");
                if (nameMissing) answer.Append("<p class=\"badge bad\" role=\"alert\">").Append(Encode(l["page.nameRequired"])).Append("</p>\n");
                answer.Append("<form method=\"post\" action=\"").Append(Encode(formAction)).Append("\">\n<label for=\"name\">").Append(Encode(l["page.name"]))
                    .Append("</label>\n<input type=\"text\" id=\"name\" name=\"name\" maxlength=\"120\" autocomplete=\"name\" required>\n<div class=\"row\" style=\"justify-content:flex-start\">")
                    .Append("<button class=\"button\" type=\"submit\" name=\"action\" value=\"accept\">").Append(Encode(l["page.accept"])).Append("</button>")
                    .Append("<button class=\"button secondary\" type=\"submit\" name=\"action\" value=\"decline\" formnovalidate>").Append(Encode(l["page.decline"])).Append("</button>")
                    .Append("</div>\n</form>\n</div>\n");
                break;
            case QuoteStatus.Accepted or QuoteStatus.Converted when quote.AcceptedAt is { } at:
                answer.Append("<div class=\"card\" id=\"respond\" role=\"status\"><p><strong>")
                    .Append(Encode(l.Text("page.accepted", ("name", quote.AcceptedBy ?? ""), ("date", l.Date(DateOnly.FromDateTime(at.UtcDateTime)))))).Append("</strong></p></div>\n");
                break;
            case QuoteStatus.Declined when quote.DeclinedAt is { } at:
                answer.Append("<div class=\"card\" id=\"respond\" role=\"status\"><p><strong>")
                    .Append(Encode(l.Text("page.declined", ("date", l.Date(DateOnly.FromDateTime(at.UtcDateTime)))))).Append("</strong></p></div>\n");
                break;
            case QuoteStatus.Expired:
                answer.Append("<div class=\"card\" id=\"respond\" role=\"status\"><p><strong>")
                    .Append(Encode(l.Text("page.expired", ("date", l.Date(quote.ValidUntil))))).Append("</strong></p></div>\n");
                break;
        }
        return Invoice(document, business, today, pdfHref, badge, answer.ToString());
    }

    public static string Invoice(Invoice invoice, BusinessSettings business, DateOnly today, string pdfHref, string? badge = null, string? afterBalance = null)
    {
        var l = DocumentLanguage.For(invoice, business);
        var totals = invoice.Totals;
        string Money(decimal amount) => l.Money(amount, invoice.Currency);
        var number = l.Number(invoice);
        var html = new StringBuilder();

        html.Append("<div class=\"card\">\n<div class=\"row\"><div>\n<h1>").Append(Encode($"{Title(l["invoice.title"])} {number}")).Append("</h1>\n");
        html.Append(badge ?? Badge(invoice, l, today));
        html.Append("<p class=\"muted small\">").Append(Encode(l["invoice.issueDate"])).Append(": ").Append(Encode(l.Date(invoice.Content.IssueDate)))
            .Append("<br>").Append(Encode(l["invoice.dueDate"])).Append(": ").Append(Encode(l.Date(invoice.DueDate))).Append("</p>\n</div>\n");
        html.Append("<div class=\"small\"><strong>").Append(Encode(business.BusinessName)).Append("</strong><br>")
            .Append(string.Join("<br>", Contact(business.Address, business.Email, business.Phone, business.TaxId, l).Select(Encode))).Append("</div>\n</div>\n</div>\n");

        if (invoice.Status != InvoiceStatus.Void)
            html.Append("<div class=\"card balance\"><span>").Append(Encode(l["invoice.balanceDue"])).Append("</span><strong id=\"balance\">")
                .Append(Encode(Money(totals.BalanceDue))).Append("</strong><a class=\"button\" href=\"").Append(Encode(pdfHref)).Append("\">")
                .Append(Encode(l["page.download"])).Append("</a></div>\n");
        else
            html.Append("<div class=\"card balance\"><span>").Append(Encode(l["terms.void"])).Append("</span><a class=\"button\" href=\"")
                .Append(Encode(pdfHref)).Append("\">").Append(Encode(l["page.download"])).Append("</a></div>\n");

        html.Append(afterBalance ?? "");
        html.Append("<div class=\"card\">\n<h2>").Append(Encode(Title(l["invoice.billTo"]))).Append("</h2>\n<p><strong>").Append(Encode(invoice.Customer.Name)).Append("</strong><br>")
            .Append(string.Join("<br>", Contact(invoice.Customer.Address, invoice.Customer.Email, null, invoice.Customer.TaxId, l).Select(Encode))).Append("</p>\n</div>\n");

        html.Append("<div class=\"card\">\n<table class=\"lines\">\n<thead><tr><th>").Append(Encode(Title(l["invoice.description"])))
            .Append("</th><th class=\"num\">").Append(Encode(Title(l["invoice.quantity"]))).Append("</th><th class=\"num\">").Append(Encode(Title(l["invoice.unitPrice"])))
            .Append("</th><th class=\"num\">").Append(Encode(Title(l["invoice.discountShort"]))).Append("</th><th class=\"num\">").Append(Encode(Title(l["invoice.tax"])))
            .Append("</th><th class=\"num\">").Append(Encode(Title(l["invoice.amount"]))).Append("</th></tr></thead>\n<tbody>\n");
        for (var i = 0; i < invoice.Content.Lines.Count; i++)
        {
            var line = invoice.Content.Lines[i];
            html.Append("<tr><td>").Append(Encode(line.Description)).Append("</td>")
                .Append(Cell(Title(l["invoice.quantity"]), l.Quantity(line.Quantity)))
                .Append(Cell(Title(l["invoice.unitPrice"]), l.UnitPrice(line.UnitPrice, invoice.Currency)))
                .Append(Cell(Title(l["invoice.discountShort"]), line.DiscountPercent == 0m ? "–" : l.Percent(line.DiscountPercent)))
                .Append(Cell(Title(l["invoice.tax"]), l.Percent(line.TaxRatePercent)))
                .Append("<td class=\"num amount\">").Append(Encode(l.Amount(totals.LineAmounts[i], invoice.Currency))).Append("</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n<table class=\"totals\">\n");
        void Row(string label, string value, string css = "") =>
            html.Append("<tr").Append(css.Length > 0 ? $" class=\"{css}\"" : "").Append("><td>").Append(Encode(label)).Append("</td><td class=\"num\">").Append(Encode(value)).Append("</td></tr>\n");
        Row(l["invoice.subtotal"], Money(totals.Subtotal));
        if (totals.Discount != 0m)
            Row(invoice.Content.Discount.Kind == DiscountKind.Percent ? l.Text("invoice.discountPercent", ("percent", l.Percent(invoice.Content.Discount.Value))) : l["invoice.discount"], Money(-totals.Discount));
        foreach (var tax in totals.Taxes)
            Row(l.Text("invoice.taxOn", ("rate", l.Percent(tax.RatePercent)), ("amount", l.Amount(tax.Taxable, invoice.Currency))), Money(tax.Tax));
        Row(l["invoice.total"], Money(totals.Total), "total");
        if (invoice.Status != InvoiceStatus.Void && invoice.Kind != SmallPay.Domain.Links.LinkedDocumentKind.Quote)
        {
            Row(l["invoice.amountPaid"], Money(totals.AmountPaid));
            Row(l["invoice.balanceDue"], Money(totals.BalanceDue), "total");
        }
        html.Append("</table>\n</div>\n");

        if (!string.IsNullOrWhiteSpace(invoice.Content.Notes))
            html.Append("<div class=\"card\">\n<h2>").Append(Encode(l["invoice.notes"])).Append("</h2>\n<pre>").Append(Encode(invoice.Content.Notes.Trim())).Append("</pre>\n</div>\n");
        html.Append("<div class=\"card\" id=\"payment\">\n<h2>").Append(Encode(l["invoice.paymentTerms"])).Append("</h2>\n<p>").Append(Encode(InvoiceTermsText.For(l, invoice))).Append("</p>\n</div>\n");
        html.Append("<p class=\"muted small\">").Append(Encode(l["page.private"])).Append("</p>\n");

        return Document(l.Tag, l.RightToLeft, $"{Title(l["invoice.title"])} {number} – {business.BusinessName}", html.ToString());
    }

    private static string Cell(string label, string value) => $"<td class=\"num\" data-label=\"{Encode(label)}\">{Encode(value)}</td>";

    private static string Badge(Invoice invoice, DocumentLanguage l, DateOnly today) =>
        invoice.Status switch
        {
            InvoiceStatus.Paid => $"<span class=\"badge good\">{Encode(l["stamp.paid"])}</span>\n",
            InvoiceStatus.Void => $"<span class=\"badge bad\">{Encode(l["stamp.void"])}</span>\n",
            _ when invoice.IsOverdue(today) => $"<span class=\"badge bad\">{Encode(l["stamp.overdue"])}</span>\n",
            _ => "",
        };

    /// <summary>The PDF's headings are capitals ("BILL TO"); the page writes them as a sentence would, where the script has cases.</summary>
    private static string Title(string heading) =>
        heading.Length > 1 && heading.Any(char.IsLetter) && heading.Where(char.IsLetter).All(char.IsUpper)
            ? string.Concat(heading[..1], heading[1..].ToLowerInvariant())
            : heading;

    private static IEnumerable<string> Contact(PostalAddress? address, string? email, string? phone, string? taxId, DocumentLanguage l)
    {
        if (address is not null)
        {
            foreach (var part in new[] { address.Line1, address.Line2 }) if (!string.IsNullOrWhiteSpace(part)) yield return part.Trim();
            var city = string.Join(" ", new[] { address.PostalCode, address.City }.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p!.Trim()));
            if (city.Length > 0) yield return city;
            if (!string.IsNullOrWhiteSpace(address.Region)) yield return address.Region.Trim();
            if (!string.IsNullOrWhiteSpace(address.Country)) yield return address.Country.Trim();
        }
        if (!string.IsNullOrWhiteSpace(email)) yield return email.Trim();
        if (!string.IsNullOrWhiteSpace(phone)) yield return phone.Trim();
        if (!string.IsNullOrWhiteSpace(taxId)) yield return l.Text("invoice.taxId", ("id", taxId.Trim()));
    }
}
