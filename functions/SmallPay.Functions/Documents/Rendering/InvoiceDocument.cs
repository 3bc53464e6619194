using PdfSharp.Drawing;
using PdfSharp.Pdf;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Money;
using SmallPay.Domain.Settings;
using SmallPay.Functions.Documents.Localization;

namespace SmallPay.Functions.Documents.Rendering;

/// <summary>
/// The layout of one invoice PDF, top to bottom: the business and the invoice's particulars; the customer beside the
/// status stamp and the balance due; the line items (header row repeated on every page they reach); the totals (kept
/// together); notes and payment terms; a footer with "Page X of Y" on every page.
/// </summary>
internal sealed class InvoiceDocument
{
    // Line-item columns, right to left from the right margin; the description takes what is left.
    private const double AmountWidth = 84, TaxWidth = 40, DiscountWidth = 42, UnitPriceWidth = 76, QuantityWidth = 42;
    private const double CellPadding = 5, RowPadding = 4.5, HeaderRowHeight = 19;
    private const double TotalsWidth = 250, SideColumnWidth = 200;

    private readonly Invoice _invoice;
    private readonly BusinessSettings _business;
    private readonly InvoiceTotals _totals;
    private readonly Currency _currency;
    private readonly InvoiceStamp? _stamp;
    private readonly InvoicePageSize _pageSize;
    private readonly string _number;
    private readonly DocumentLanguage _l;
    private PdfPageFlow _flow = null!;
    private bool _inLineItems;

    public InvoiceDocument(Invoice invoice, BusinessSettings business, DateOnly today, InvoicePageSize pageSize)
    {
        _invoice = invoice;
        _business = business;
        _totals = invoice.Totals;
        _currency = invoice.Currency;
        _l = DocumentLanguage.For(invoice, business);
        _stamp = InvoiceStamp.For(invoice, today, _l);
        _pageSize = pageSize;
        _number = _l.Number(invoice);
    }

    private bool IsPayable => _invoice.Status is InvoiceStatus.Draft or InvoiceStatus.Open or InvoiceStatus.PartiallyPaid;

    public void WriteTo(Stream output)
    {
        using var document = new PdfDocument();
        document.Info.Title = $"{_l["invoice.title"]} {_number}";
        document.Info.Subject = $"{_l["invoice.title"]} {_number}: {_invoice.Customer.Name}";
        document.Info.Author = _business.BusinessName;
        document.Info.Creator = "SmallPay";

        using (_flow = new PdfPageFlow(document, _pageSize, ContinuationHeader, _l.Tag, _l.RightToLeft))
        {
            _flow.NewPage();
            Header();
            Parties();
            LineItems();
            TotalsBlock();
            NotesAndTerms();
            _flow.Finish(Footer);
        }
        // Uncompressed here: PdfStreamCompactor deflates each stream once, after slimming the font subsets (why not
        // PDFsharp's own compression, with figures: see PdfStreamCompactor).
        document.Options.NoCompression = true;
        document.Options.CompressContentStreams = false;
        // One buffer per thread, reused: a fresh one per invoice would be a large-object allocation each time.
        var uncompressed = t_uncompressed ??= new MemoryStream(256 * 1024);
        uncompressed.SetLength(0);
        try
        {
            document.Save(uncompressed, closeStream: false);
            PdfStreamCompactor.Write(uncompressed.GetBuffer().AsSpan(0, (int)uncompressed.Length), output);
        }
        finally
        {
            if (uncompressed.Capacity > 8 * 1024 * 1024)
                t_uncompressed = null; // a huge invoice's buffer is not kept
        }
    }

    [ThreadStatic] private static MemoryStream? t_uncompressed;

    // ---- page 1: who sends it, what it is ----

    private void Header()
    {
        var f = _flow;
        var top = f.Y;
        var leftWidth = f.Width - SideColumnWidth - 24;

        var y = top;
        foreach (var line in f.Wrap(_business.BusinessName, PdfStyle.BusinessName, leftWidth))
        {
            f.Text(line, PdfStyle.BusinessName, PdfStyle.Ink, f.Left, y);
            y += PdfStyle.LineHeight(PdfStyle.BusinessName);
        }
        y += 3;
        y = Lines(ContactLines(_business.Address, _business.Email, _business.Phone, _business.TaxId), PdfStyle.Body, PdfStyle.Muted, f.Left, y, leftWidth);

        var right = top;
        f.TextRight(_l["invoice.title"], PdfStyle.Title, PdfStyle.Accent, f.Right, right - 2);
        right += 34;
        var particulars = new List<(string, string)>
        {
            (_l["invoice.number"], _number),
            (_l["invoice.issueDate"], _l.Date(_invoice.Content.IssueDate)),
            // A credit note is due on no date: it names the invoice it credits instead.
            _invoice.CreditNote is { } credit ? (_l["creditNote.invoice"], credit.InvoiceNumber) : (_l["invoice.dueDate"], _l.Date(_invoice.DueDate)),
        };
        if (_invoice.CreditNote is null && _l.PaymentTerms(_invoice.Content) is { } terms)
            particulars.Add((_l["invoice.paymentTerms"], terms));
        particulars.Add((_l["invoice.currency"], _currency.Code));
        foreach (var (label, value) in particulars)
        {
            f.Text(label, PdfStyle.Small, PdfStyle.Muted, f.Right - SideColumnWidth, right + 1.2);
            f.TextRightFitted(value, PdfStyle.BodyBold, PdfStyle.Ink, f.Right, right, SideColumnWidth - 75);
            right += 14;
        }

        f.Y = Math.Max(y, right) + 12;
        f.Line(PdfStyle.Rule, f.Left, f.Y, f.Right, f.Y);
        f.Y += 14;
    }

    // ---- page 1: who pays it, its state, what is due ----

    private void Parties()
    {
        var f = _flow;
        var top = f.Y;
        var leftWidth = f.Width - SideColumnWidth - 24;
        var customer = _invoice.Customer;

        var y = top;
        f.Text(_l["invoice.billTo"], PdfStyle.SmallBold, PdfStyle.Muted, f.Left, y);
        y += 13;
        foreach (var line in f.Wrap(customer.Name, PdfStyle.CustomerName, leftWidth))
        {
            f.Text(line, PdfStyle.CustomerName, PdfStyle.Ink, f.Left, y);
            y += PdfStyle.LineHeight(PdfStyle.CustomerName);
        }
        y += 1;
        y = Lines(ContactLines(customer.Address, customer.Email, null, customer.TaxId), PdfStyle.Body, PdfStyle.Ink, f.Left, y, leftWidth);

        var side = top;
        var sideLeft = f.Right - SideColumnWidth;
        if (_stamp is not null)
        {
            var color = PdfStyle.StampColor(_stamp.Kind);
            var brush = new XSolidBrush(color);
            var height = _stamp.Detail is null ? 32 : 42;
            f.RoundedRectangle(new XPen(color, 1.6), sideLeft, side, SideColumnWidth, height, 6);
            var textWidth = f.Measure(_stamp.Text, PdfStyle.Stamp);
            f.Text(_stamp.Text, PdfStyle.Stamp, brush, sideLeft + (SideColumnWidth - textWidth) / 2, side + 6);
            if (_stamp.Detail is { } detail)
            {
                var detailWidth = f.Measure(detail, PdfStyle.Small);
                f.Text(detail, PdfStyle.Small, brush, sideLeft + (SideColumnWidth - detailWidth) / 2, side + 28);
            }
            side += height + 8;
        }
        if (IsPayable)
        {
            const double panelHeight = 58;
            f.Rectangle(PdfStyle.Panel, sideLeft, side, SideColumnWidth, panelHeight);
            f.Text(_l["invoice.balanceDue"], PdfStyle.Small, PdfStyle.Muted, sideLeft + 10, side + 8);
            f.TextRightFitted(_l.Money(_totals.BalanceDue, _currency), PdfStyle.Balance, PdfStyle.Ink, f.Right - 10, side + 19, SideColumnWidth - 20);
            var under = _invoice.CreditNote is { } credit ? _l.Text("creditNote.forInvoice", ("invoice", credit.InvoiceNumber)) : _l.Text("invoice.dueOn", ("date", _l.Date(_invoice.DueDate)));
            f.Text(f.Truncate(under, PdfStyle.Small, SideColumnWidth - 20), PdfStyle.Small, PdfStyle.Muted, sideLeft + 10, side + 42);
            side += panelHeight;
        }

        f.Y = Math.Max(y, side) + 22;
    }

    // ---- the line items ----

    private double DescriptionWidth => _flow.Width - AmountWidth - TaxWidth - DiscountWidth - UnitPriceWidth - QuantityWidth - 2 * CellPadding;

    private void LineItems()
    {
        var f = _flow;
        var lineHeight = PdfStyle.LineHeight(PdfStyle.Body);
        f.BreakUnlessFits(HeaderRowHeight + lineHeight + 2 * RowPadding);
        _inLineItems = true;
        TableHeader();

        var lines = _invoice.Content.Lines;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var description = f.Wrap(line.Description, PdfStyle.Body, DescriptionWidth);
            if (description.Count == 0) description.Add("");
            var rowHeight = description.Count * lineHeight + 2 * RowPadding;
            // A row that fits on a fresh page moves there whole; only a monster description is split.
            if (!f.Fits(rowHeight) && rowHeight <= FreshPageRoom())
                f.NewPage();

            var first = true;
            var next = 0;
            while (next < description.Count)
            {
                var room = (int)Math.Floor((f.Remaining - 2 * RowPadding) / lineHeight);
                if (room < 1)
                {
                    f.NewPage();
                    continue;
                }
                var take = Math.Min(room, description.Count - next);
                var top = f.Y + RowPadding;
                for (var k = 0; k < take; k++)
                    f.Text(description[next + k], PdfStyle.Body, PdfStyle.Ink, f.Left + CellPadding, top + k * lineHeight);
                if (first)
                    LineFigures(line, _totals.LineAmounts[i], top);
                first = false;
                next += take;
                f.Y += take * lineHeight + 2 * RowPadding;
                f.Line(PdfStyle.Rule, f.Left, f.Y, f.Right, f.Y);
                if (next < description.Count)
                    f.NewPage();
            }
        }
        _inLineItems = false;
    }

    private void LineFigures(InvoiceLine line, decimal amount, double top)
    {
        var f = _flow;
        var right = f.Right - CellPadding;
        f.TextRightFitted(_l.Amount(amount, _currency), PdfStyle.Body, PdfStyle.Ink, right, top, AmountWidth - CellPadding);
        right -= AmountWidth;
        f.TextRightFitted(_l.Percent(line.TaxRatePercent), PdfStyle.Body, PdfStyle.Ink, right, top, TaxWidth - CellPadding);
        right -= TaxWidth;
        f.TextRightFitted(line.DiscountPercent == 0m ? "–" : _l.Percent(line.DiscountPercent), PdfStyle.Body, PdfStyle.Ink, right, top, DiscountWidth - CellPadding);
        right -= DiscountWidth;
        f.TextRightFitted(_l.UnitPrice(line.UnitPrice, _currency), PdfStyle.Body, PdfStyle.Ink, right, top, UnitPriceWidth - CellPadding);
        right -= UnitPriceWidth;
        f.TextRightFitted(_l.Quantity(line.Quantity), PdfStyle.Body, PdfStyle.Ink, right, top, QuantityWidth - CellPadding);
    }

    private void TableHeader()
    {
        var f = _flow;
        f.Rectangle(PdfStyle.Panel, f.Left, f.Y, f.Width, HeaderRowHeight);
        var top = f.Y + (HeaderRowHeight - PdfStyle.SmallBold.Size * 1.16) / 2;
        var font = PdfStyle.SmallBold;
        f.Text(_l["invoice.description"], font, PdfStyle.Muted, f.Left + CellPadding, top);
        var right = f.Right - CellPadding;
        foreach (var (title, width) in new[] { (_l["invoice.amount"], AmountWidth), (_l["invoice.tax"], TaxWidth), (_l["invoice.discountShort"], DiscountWidth), (_l["invoice.unitPrice"], UnitPriceWidth), (_l["invoice.quantity"], QuantityWidth) })
        {
            f.TextRight(title, font, PdfStyle.Muted, right, top);
            right -= width;
        }
        f.Y += HeaderRowHeight;
    }

    /// <summary>Room for content on a page that holds nothing but its continuation header and the table header.</summary>
    private double FreshPageRoom() => _flow.Bottom - PdfPageFlow.MarginTop - ContinuationHeaderHeight - HeaderRowHeight;

    // ---- totals, kept together ----

    private void TotalsBlock()
    {
        var f = _flow;
        var rows = new List<(string Label, string Value, bool Strong)> { (_l["invoice.subtotal"], Money(_totals.Subtotal), false) };
        if (_totals.Discount != 0m)
        {
            var discount = _invoice.Content.Discount;
            var label = discount.Kind == DiscountKind.Percent ? _l.Text("invoice.discountPercent", ("percent", _l.Percent(discount.Value))) : _l["invoice.discount"];
            rows.Add((label, Money(-_totals.Discount), false));
        }
        foreach (var tax in _totals.Taxes)
            rows.Add((_l.Text("invoice.taxOn", ("rate", _l.Percent(tax.RatePercent)), ("amount", _l.Amount(tax.Taxable, _currency))), Money(tax.Tax), false));

        const double rowHeight = 15, totalRowHeight = 22, balanceRowHeight = 24;
        var paidRows = _invoice.Status == InvoiceStatus.Void || _invoice.Kind != SmallPay.Domain.Links.LinkedDocumentKind.Invoice ? 0 : 1;
        // A credit note that exceeded the invoice's balance: what it still owes the customer, under its total.
        var owedRows = _invoice.CreditNote is { OwedToCustomer: > 0m } ? 1 : 0;
        // Credit notes lower the balance: their sum is printed between what was paid and what is due.
        var creditedRows = paidRows == 1 && _invoice.CreditedTotal != 0m ? 1 : 0;
        var height = 10 + rows.Count * rowHeight + totalRowHeight + paidRows * (rowHeight + balanceRowHeight + 4) + (creditedRows + owedRows) * rowHeight;
        f.Y += 10;
        if (!f.Fits(height))
            f.NewPage();

        var left = f.Right - TotalsWidth;
        var valueWidth = TotalsWidth * 0.48;
        foreach (var (label, value, _) in rows)
        {
            TotalsRow(label, value, PdfStyle.Body, PdfStyle.Body, left, valueWidth);
            f.Y += rowHeight;
        }

        f.Line(PdfStyle.StrongRule, left, f.Y + 1, f.Right, f.Y + 1);
        f.Y += 6;
        TotalsRow(_l["invoice.total"], Money(_totals.Total), PdfStyle.Total, PdfStyle.Total, left, valueWidth);
        f.Y += totalRowHeight - 6;

        if (owedRows == 1)
        {
            TotalsRow(_l["creditNote.owedLabel"], Money(_invoice.CreditNote!.OwedToCustomer), PdfStyle.BodyBold, PdfStyle.BodyBold, left, valueWidth);
            f.Y += rowHeight;
        }
        if (paidRows == 0)
            return;
        TotalsRow(_l["invoice.amountPaid"], Money(_totals.AmountPaid), PdfStyle.Body, PdfStyle.Body, left, valueWidth);
        if (creditedRows == 1)
        {
            f.Y += rowHeight;
            TotalsRow(_l["invoice.credited"], Money(-_invoice.CreditedTotal), PdfStyle.Body, PdfStyle.Body, left, valueWidth);
        }
        f.Y += rowHeight + 4;
        f.Rectangle(PdfStyle.Panel, left, f.Y, TotalsWidth, balanceRowHeight);
        f.Y += (balanceRowHeight - PdfStyle.Total.Size * 1.16) / 2;
        TotalsRow(_l["invoice.balanceDue"], Money(_totals.BalanceDue), PdfStyle.Total, PdfStyle.Total, left, valueWidth);
        f.Y = f.Y - (balanceRowHeight - PdfStyle.Total.Size * 1.16) / 2 + balanceRowHeight;
    }

    private void TotalsRow(string label, string value, TextStyle labelFont, TextStyle valueFont, double left, double valueWidth)
    {
        var f = _flow;
        // Values line up with the line items' amount column.
        f.Text(f.Truncate(label, labelFont, TotalsWidth - valueWidth - 2 * CellPadding - 6), labelFont, PdfStyle.Ink, left + CellPadding, f.Y);
        f.TextRightFitted(value, valueFont, PdfStyle.Ink, f.Right - CellPadding, f.Y, valueWidth);
    }

    private string Money(decimal amount) => _l.Money(amount, _currency);

    // ---- notes and payment terms (may flow over pages) ----

    private void NotesAndTerms()
    {
        var f = _flow;
        f.Y += 18;
        if (!string.IsNullOrWhiteSpace(_invoice.Content.Notes))
        {
            Section(_l["invoice.notes"], _invoice.Content.Notes);
            f.Y += 10;
        }
        Section(_l["invoice.paymentTerms"], TermsText());
    }

    private string TermsText() => InvoiceTermsText.For(_l, _invoice);

    private void Section(string title, string text)
    {
        var f = _flow;
        var lineHeight = PdfStyle.LineHeight(PdfStyle.Body);
        var lines = f.Wrap(text, PdfStyle.Body, f.Width);
        // Keep the heading with at least two lines of its text.
        f.BreakUnlessFits(14 + Math.Min(lines.Count, 2) * lineHeight);
        f.Text(title.ToUpperInvariant(), PdfStyle.SmallBold, PdfStyle.Muted, f.Left, f.Y);
        f.Y += 14;
        foreach (var line in lines)
        {
            f.BreakUnlessFits(lineHeight);
            f.Text(line, PdfStyle.Body, PdfStyle.Ink, f.Left, f.Y);
            f.Y += lineHeight;
        }
    }

    // ---- every page ----

    private const double ContinuationHeaderHeight = 26;

    private void ContinuationHeader(PdfPageFlow f)
    {
        f.Text(_l.Text("invoice.continued", ("number", _number)), PdfStyle.SmallBold, PdfStyle.Muted, f.Left, f.Y);
        f.TextRight(f.Truncate(_business.BusinessName, PdfStyle.Small, f.Width / 2), PdfStyle.Small, PdfStyle.Muted, f.Right, f.Y);
        f.Y += ContinuationHeaderHeight;
        if (_inLineItems)
            TableHeader();
    }

    private void Footer(int page, int pageCount)
    {
        var f = _flow;
        var ruleY = f.PageHeight - 42;
        f.Line(PdfStyle.Rule, f.Left, ruleY, f.Right, ruleY);
        var pageText = _l.Text("invoice.page", ("page", _l.Integer(page)), ("count", _l.Integer(pageCount)));
        var pageWidth = f.Measure(pageText, PdfStyle.Small);
        var invoice = _l.Text("mail.subjectNoBusiness", ("number", _number));
        var label = string.IsNullOrWhiteSpace(_business.BusinessName) ? invoice : $"{_business.BusinessName} · {invoice}";
        f.Text(f.Truncate(label, PdfStyle.Small, f.Width - pageWidth - 20), PdfStyle.Small, PdfStyle.Muted, f.Left, ruleY + 7);
        f.TextRight(pageText, PdfStyle.Small, PdfStyle.Muted, f.Right, ruleY + 7);
    }

    // ---- helpers ----

    private double Lines(IEnumerable<string> lines, TextStyle font, XBrush brush, double x, double y, double width)
    {
        var lineHeight = PdfStyle.LineHeight(font);
        foreach (var text in lines)
        {
            foreach (var line in _flow.Wrap(text, font, width))
            {
                _flow.Text(line, font, brush, x, y);
                y += lineHeight;
            }
        }
        return y;
    }

    private IEnumerable<string> ContactLines(PostalAddress? address, string? email, string? phone, string? taxId)
    {
        if (address is not null)
        {
            if (Has(address.Line1)) yield return address.Line1!.Trim();
            if (Has(address.Line2)) yield return address.Line2!.Trim();
            var cityLine = string.Join(' ', new[] { address.PostalCode, address.City }.Where(Has).Select(s => s!.Trim()));
            if (cityLine.Length > 0) yield return cityLine;
            if (Has(address.Region)) yield return address.Region!.Trim();
            if (Has(address.Country)) yield return address.Country!.Trim();
        }
        if (Has(email)) yield return email!.Trim();
        if (Has(phone)) yield return phone!.Trim();
        if (Has(taxId)) yield return _l.Text("invoice.taxId", ("id", taxId!.Trim()));
    }

    private static bool Has(string? value) => !string.IsNullOrWhiteSpace(value);
}
