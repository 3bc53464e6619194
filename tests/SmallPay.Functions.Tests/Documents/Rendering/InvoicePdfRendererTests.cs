using SmallPay.Domain.Invoices;
using SmallPay.Domain.Settings;
using SmallPay.Functions.Documents.Rendering;

namespace SmallPay.Functions.Tests.Documents.Rendering;

/// <summary>Renders invoices and reads them back with poppler, the way a customer's PDF reader would.</summary>
public sealed class InvoicePdfRendererTests
{
    private static readonly InvoicePdfRenderer Renderer = new();
    private static readonly BusinessSettings Business = TestBusinesses.Nordlicht;

    private static byte[] Render(Invoice invoice, DateOnly? today = null, InvoicePageSize size = InvoicePageSize.A4, BusinessSettings? business = null) =>
        Renderer.Render(invoice, business ?? Business, today ?? InvoiceDocumentBuilder.BeforeDue, size);

    [Fact]
    public void Prints_the_business_the_customer_and_the_invoice_particulars()
    {
        var text = Poppler.Text(Render(new InvoiceDocumentBuilder().Open("INV-000042")));

        Assert.Contains("Nordlicht Design Studio GmbH", text);
        Assert.Contains("Schanzenstraße 41", text);
        Assert.Contains("20357 Hamburg", text);
        Assert.Contains("billing@nordlicht.example", text);
        Assert.Contains("Tax ID: DE298765432", text);
        Assert.Contains("BILL TO", text);
        Assert.Contains("Müller & Söhne Logistik AG", text);
        Assert.Contains("ul. Piotrkowska 104", text);
        Assert.Contains("90-006 Łódź", text);
        Assert.Contains("accounts@mueller-logistik.example", text);
        Assert.Contains("Tax ID: PL 7251234567", text);
        AssertLine(text, "Invoice number", "INV-000042");
        AssertLine(text, "Issue date", "2 Mar 2026");
        AssertLine(text, "Due date", "16 Mar 2026");
        AssertLine(text, "Payment terms", "Net 14 days");
    }

    [Fact]
    public void Prints_every_line_and_every_total_of_a_partly_paid_invoice()
    {
        var text = Poppler.Text(Render(new InvoiceDocumentBuilder().PartlyPaid(2000m)));

        AssertLine(text, "Brand identity workshop", "2", "1,250.00", "19%", "2,500.00");
        AssertLine(text, "Logo design, three concepts", "1", "2,400.00", "10%", "19%", "2,160.00");
        AssertLine(text, "Business card print run", "3", "89.90", "7%", "269.70");
        AssertLine(text, "Subtotal", "4,929.70 EUR");
        AssertLine(text, "Discount (5%)", "-246.49 EUR");
        AssertLine(text, "Tax 7% on 256.21", "17.93 EUR");
        AssertLine(text, "Tax 19% on 4,427.00", "841.13 EUR");
        AssertLine(text, "Total", "5,542.27 EUR");
        AssertLine(text, "Amount paid", "2,000.00 EUR");
        AssertLine(text, "Balance due", "3,542.27 EUR");
    }

    [Fact]
    public void A_credited_invoice_prints_what_credit_notes_credited_between_paid_and_due()
    {
        var partly = new InvoiceDocumentBuilder().PartlyPaid(2000m);
        var credited = partly with { Credits = [new InvoiceCredit("crn_01JE43C1N2P3M4Q5R6S7T8V9W0", "CN-000001", 500m, partly.UpdatedAt, 0m)] };
        var text = Poppler.Text(Render(credited));
        AssertLine(text, "Total", "5,542.27 EUR");
        AssertLine(text, "Amount paid", "2,000.00 EUR");
        AssertLine(text, "Credited", "-500.00 EUR");
        AssertLine(text, "Balance due", "3,042.27 EUR");
        Assert.DoesNotContain("Credited", Poppler.Text(Render(partly)));
    }

    [Fact]
    public void Figures_are_the_domain_calculation_formatted()
    {
        var invoice = new InvoiceDocumentBuilder().WithNumberedLines(10).WithDiscount(new InvoiceDiscount(DiscountKind.Amount, 12.34m)).PartlyPaid(100m);
        var totals = invoice.Totals;
        var text = Poppler.Text(Render(invoice));

        for (var i = 0; i < invoice.Content.Lines.Count; i++)
            AssertLine(text, invoice.Content.Lines[i].Description + " ", totals.LineAmounts[i].ToString("N2", System.Globalization.CultureInfo.InvariantCulture));
        AssertLine(text, "Subtotal", $"{totals.Subtotal:N2} EUR");
        AssertLine(text, "Discount", "-12.34 EUR");
        foreach (var tax in totals.Taxes)
            AssertLine(text, $"Tax {tax.RatePercent:0.###}% on {tax.Taxable:N2}", $"{tax.Tax:N2} EUR");
        AssertLine(text, "Total", $"{totals.Total:N2} EUR");
        AssertLine(text, "Balance due", $"{totals.BalanceDue:N2} EUR");
    }

    [Fact]
    public void Notes_and_payment_terms_are_printed()
    {
        var text = Poppler.Text(Render(new InvoiceDocumentBuilder().WithNotes("Thank you!\nBank transfer only, please.").PartlyPaid(2000m)));

        Assert.Contains("NOTES", text);
        Assert.Contains("Thank you!", text);
        Assert.Contains("Bank transfer only, please.", text);
        Assert.Contains("PAYMENT TERMS", text);
        Assert.Contains("Net 14 days. Please pay 3,542.27 EUR by 16 Mar 2026, quoting invoice number INV-000042.", text);
    }

    [Fact]
    public void Long_descriptions_wrap_onto_several_lines_without_losing_a_word()
    {
        const string description = "Brand identity workshop over two days on site in Hamburg, including preparation, " +
            "facilitation materials and a written summary of every outcome agreed with the team";
        var pdf = Render(new InvoiceDocumentBuilder().WithLines(new InvoiceLine(description, 2m, 1250m, 0m, 19m)).Open());

        var laidOut = Poppler.Text(pdf);
        Assert.DoesNotContain(description, laidOut);
        AssertLine(laidOut, "Brand identity workshop", "1,250.00", "2,500.00");
        Assert.Contains(description, Poppler.FlowText(pdf));
    }

    [Fact]
    public void A_sixty_line_invoice_flows_onto_more_pages_repeating_the_table_header()
    {
        var invoice = new InvoiceDocumentBuilder().WithNumberedLines(60).Open();
        var pdf = Render(invoice);
        var pages = Poppler.Pages(pdf);

        Assert.True(Poppler.Info(pdf).Pages > 1);
        Assert.Equal(Poppler.Info(pdf).Pages, pages.Count);
        for (var i = 0; i < pages.Count; i++)
            Assert.Contains($"Page {i + 1} of {pages.Count}", pages[i]);
        AssertLine(pages[1], "DESCRIPTION", "QTY", "UNIT PRICE", "DISC.", "TAX", "AMOUNT");
        Assert.Contains("Invoice INV-000042 (continued)", pages[1]);
        var text = string.Join("\n", pages);
        for (var i = 0; i < 60; i++)
            AssertLine(text, $"Line item {i + 1} ", $"{invoice.Totals.LineAmounts[i]:N2}");
        AssertLine(text, "Balance due", $"{invoice.Totals.BalanceDue:N2} EUR");
    }

    [Fact]
    public void The_totals_block_is_never_split_across_pages()
    {
        for (var count = 18; count <= 42; count++)
        {
            var pages = Poppler.Pages(Render(new InvoiceDocumentBuilder().WithNumberedLines(count).PartlyPaid(10m)));
            var subtotal = PageWith(pages, line => line.Contains("Subtotal", StringComparison.Ordinal));
            var balance = PageWith(pages, line => line.Contains("Balance due", StringComparison.Ordinal) && line.Contains("EUR", StringComparison.Ordinal) && !line.Contains("Please pay", StringComparison.Ordinal));
            Assert.True(subtotal >= 0 && subtotal == balance, $"{count} lines: subtotal on page {subtotal + 1}, balance due on page {balance + 1}");
            Assert.Contains($"Line item {count} ", string.Join("\n", pages.Take(subtotal + 1)));
        }
    }

    private static int PageWith(IReadOnlyList<string> pages, Func<string, bool> line)
    {
        // The balance-due panel beside "Bill to" shows the label and the amount on separate lines; the totals row has both.
        for (var i = pages.Count - 1; i >= 0; i--)
            if (pages[i].Split('\n').Any(line)) return i;
        return -1;
    }

    [Fact]
    public void A_description_taller_than_a_page_is_split_rather_than_lost()
    {
        var description = string.Join("\n", Enumerable.Range(1, 120).Select(i => $"step {i}"));
        var pdf = Render(new InvoiceDocumentBuilder().WithoutDiscount().WithLines(new InvoiceLine(description, 1m, 10m, 0m, 0m)).Open());

        var text = Poppler.Text(pdf);
        Assert.True(Poppler.Info(pdf).Pages >= 2);
        Assert.Contains("step 1 ", text);
        Assert.Contains("step 120", text);
        AssertLine(text, "Total", "10.00 EUR");
    }

    [Fact]
    public void Non_latin_text_survives()
    {
        var business = Business with { BusinessName = "Łódź Müller Ελληνικά" };
        var invoice = new InvoiceDocumentBuilder()
            .ForCustomerNamed("Ελληνικά Кириллица Müller")
            .WithLines(new InvoiceLine("Übersetzung Ελληνικά → Кириллица, Łódź", 1m, 100m, 0m, 0m))
            .WithNotes("Дякуємо! Ευχαριστούμε! Dziękujemy!")
            .Open();

        var text = Poppler.Text(Render(invoice, business: business));

        Assert.Contains("Łódź Müller Ελληνικά", text);
        Assert.Contains("Ελληνικά Кириллица Müller", text);
        Assert.Contains("Übersetzung Ελληνικά → Кириллица, Łódź", text);
        Assert.Contains("Дякуємо! Ευχαριστούμε! Dziękujemy!", text);
    }

    [Fact]
    public void Characters_the_font_lacks_do_not_fail_the_render()
    {
        // DejaVu Sans has no CJK or emoji: they print as empty boxes, and the rest of the invoice is intact.
        var invoice = new InvoiceDocumentBuilder().ForCustomerNamed("株式会社テスト 🎉 Tanaka").Open();

        var text = Poppler.Text(Render(invoice));

        Assert.Contains("Tanaka", text);
        AssertLine(text, "Balance due", "5,542.27 EUR");
    }

    [Fact]
    public void Tabs_and_control_characters_print_as_spaces_or_not_at_all()
    {
        var invoice = new InvoiceDocumentBuilder().ForCustomerNamed("Tab\tSeparated\u0007Name").Open();

        Assert.Contains("Tab SeparatedName", Poppler.Text(Render(invoice)));
    }

    [Fact]
    public void Bidirectional_controls_are_not_drawn_even_in_text_stored_before_the_domain_removed_them()
    {
        // The builder makes the invoice directly, as one read from an item written before the domain cleaned names.
        var invoice = new InvoiceDocumentBuilder().ForCustomerNamed("Evil\u202Egnp.exe Ltd")
            .WithLines(new InvoiceLine("Design\u2066 work\u2069", 1m, 100m, 0m, 19m)).WithNotes("Pay to \u202BIBAN\u202C soon").Open();
        var business = Business with { BusinessName = "Nordlicht\u202D Studio" };

        var text = Poppler.Text(Render(invoice, business: business));

        Assert.DoesNotContain(text, SmallPay.Domain.Validation.PlainText.IsBidiControl);
        Assert.Contains("Evilgnp.exe Ltd", text);
        Assert.Contains("Design work", text);
        Assert.Contains("Pay to IBAN soon", text);
        Assert.Contains("Nordlicht Studio", text);
    }

    [Fact]
    public void Yen_amounts_have_no_minor_digits()
    {
        var invoice = new InvoiceDocumentBuilder().InCurrency("JPY").WithoutDiscount()
            .WithLines(new InvoiceLine("Tatami repair", 3m, 1500m, 0m, 10m), new InvoiceLine("Delivery", 1m, 333m, 0m, 10m)).Open();

        var text = Poppler.Text(Render(invoice));

        AssertLine(text, "Tatami repair", "1,500", "4,500");
        AssertLine(text, "Subtotal", "4,833 JPY");
        AssertLine(text, "Tax 10% on 4,833", "483 JPY");
        AssertLine(text, "Total", "5,316 JPY");
        AssertLine(text, "Currency", "JPY");
        Assert.DoesNotContain(".00", text);
    }

    [Fact]
    public void Kuwaiti_dinar_amounts_have_three_minor_digits()
    {
        var invoice = new InvoiceDocumentBuilder().InCurrency("KWD").WithoutDiscount()
            .WithLines(new InvoiceLine("Consulting", 1m, 1234.5m, 0m, 5m)).Open();

        var text = Poppler.Text(Render(invoice));

        AssertLine(text, "Consulting", "1,234.500", "1,234.500");
        AssertLine(text, "Tax 5% on 1,234.500", "61.725 KWD");
        AssertLine(text, "Total", "1,296.225 KWD");
        AssertLine(text, "Balance due", "1,296.225 KWD");
    }

    [Fact]
    public void Unit_prices_keep_their_extra_decimals()
    {
        var text = Poppler.Text(Render(new InvoiceDocumentBuilder().WithLines(new InvoiceLine("API calls", 10000m, 0.0125m, 0m, 0m)).Open()));

        AssertLine(text, "API calls", "10,000", "0.0125", "125.00");
    }

    [Fact]
    public void Huge_amounts_still_fit_their_columns()
    {
        var invoice = new InvoiceDocumentBuilder().WithoutDiscount()
            .WithLines(new InvoiceLine("Everything", InvoiceRules.MaxQuantity, InvoiceRules.MaxUnitPrice, 0m, 0m)).Open();

        var text = Poppler.Text(Render(invoice));

        Assert.Contains("1,000,000,000,000,000.00", text);
        AssertLine(text, "Total", "1,000,000,000,000,000.00 EUR");
    }

    public static TheoryData<string, string> StampedInvoices => new()
    {
        { "paid", "PAID" },
        { "void", "VOID" },
        { "overdue", "OVERDUE" },
        { "draft", "DRAFT" },
    };

    [Theory]
    [MemberData(nameof(StampedInvoices))]
    public void Carries_the_stamp_its_status_calls_for_and_no_other(string state, string stamp)
    {
        var builder = new InvoiceDocumentBuilder();
        var (invoice, today) = state switch
        {
            "paid" => (builder.Paid(new DateOnly(2026, 3, 20)), InvoiceDocumentBuilder.AfterDue),
            "void" => (builder.Void(), InvoiceDocumentBuilder.AfterDue),
            "overdue" => (builder.PartlyPaid(100m), InvoiceDocumentBuilder.AfterDue),
            _ => (builder.Draft(), InvoiceDocumentBuilder.AfterDue),
        };

        var text = Poppler.Text(Render(invoice, today));

        Assert.Contains(stamp, text);
        foreach (var other in new[] { "PAID", "VOID", "OVERDUE", "DRAFT" }.Where(s => s != stamp))
            Assert.DoesNotContain(other, text);
    }

    [Fact]
    public void A_paid_stamp_carries_the_paid_date_and_an_overdue_stamp_the_days_past_due()
    {
        var builder = new InvoiceDocumentBuilder();
        Assert.Contains("on 20 Mar 2026", Poppler.Text(Render(builder.Paid(new DateOnly(2026, 3, 20)), InvoiceDocumentBuilder.AfterDue)));
        Assert.Contains("14 days past due", Poppler.Text(Render(builder.Open(), InvoiceDocumentBuilder.AfterDue)));
    }

    [Fact]
    public void Open_and_partly_paid_invoices_within_their_terms_carry_no_stamp()
    {
        var builder = new InvoiceDocumentBuilder();
        foreach (var invoice in new[] { builder.Open(), builder.PartlyPaid(100m) })
        {
            // The due date itself is not overdue yet.
            var text = Poppler.Text(Render(invoice, InvoiceDocumentBuilder.DueDate));
            foreach (var stamp in new[] { "PAID", "VOID", "OVERDUE", "DRAFT" })
                Assert.DoesNotContain(stamp, text);
        }
    }

    [Fact]
    public void A_void_invoice_shows_no_balance_due()
    {
        var text = Poppler.Text(Render(new InvoiceDocumentBuilder().Void()));

        AssertLine(text, "Total", "5,542.27 EUR");
        Assert.DoesNotContain("Balance due", text);
        Assert.Contains("This invoice has been voided and is not payable.", text);
    }

    [Fact]
    public void Renders_on_a4_by_default_and_on_letter_when_asked()
    {
        var invoice = new InvoiceDocumentBuilder().Open();

        Assert.Contains("(A4)", Poppler.Info(Render(invoice)).PageSize);
        var letter = Render(invoice, size: InvoicePageSize.Letter);
        Assert.Contains("612 x 792", Poppler.Info(letter).PageSize);
        AssertLine(Poppler.Text(letter), "Balance due", "5,542.27 EUR");
    }

    [Fact]
    public void A_ten_line_invoice_embeds_font_subsets_only_and_stays_small()
    {
        var pdf = Render(new InvoiceDocumentBuilder().WithNumberedLines(10).Open());

        // About 16.5 KB: two unhinted DejaVu subsets whose unused glyph metrics are zeroed, every stream deflated.
        // Hinting back in the subsets adds some 11 KB, the full metrics some 19 KB: either breaks this bound.
        Assert.InRange(pdf.Length, 8_000, 20_000);
    }

    [Fact]
    public void Names_no_AGPL_license_and_reads_back_from_embedded_unicode_font_subsets()
    {
        var pdf = Render(new InvoiceDocumentBuilder().WithNumberedLines(10).Open());

        // PDFsharp 6.2 is MIT-licensed and writes no license note: not in the producer of the Info dictionary, not in
        // the XMP metadata, nowhere in the file's unfiltered bytes.
        var producer = Poppler.Info(pdf).Producer;
        Assert.StartsWith("PDFsharp", producer);
        Assert.DoesNotContain("AGPL", producer, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("license", producer, StringComparison.OrdinalIgnoreCase);
        var metadata = Poppler.Metadata(pdf);
        Assert.Contains("<pdf:Producer>PDFsharp", metadata);
        Assert.DoesNotContain("AGPL", metadata, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AGPL", System.Text.Encoding.Latin1.GetString(pdf), StringComparison.OrdinalIgnoreCase);

        // The text comes back out (ToUnicode maps), from the two DejaVu faces embedded as subsets (CIDFontType2, glyph runs).
        var text = Poppler.Text(pdf);
        Assert.Contains("Nordlicht Design Studio GmbH", text);
        Assert.Contains("90-006 Łódź", text);
        AssertLine(text, "Line item 10 ", "100.50");
        var fonts = Poppler.Fonts(pdf);
        Assert.Equal(2, fonts.Count);
        Assert.All(fonts, font =>
        {
            Assert.Matches(@"^[A-Z]{6}\+DejaVuSans(-Bold)?$", font.Name);
            Assert.True(font.Embedded && font.Subset && font.Unicode, $"{font}: not an embedded subset with a ToUnicode map");
        });
        Assert.Contains(fonts, font => font.Name.EndsWith("-Bold", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_stream_is_a_complete_zlib_stream_and_the_cross_reference_table_points_at_every_object()
    {
        var pdf = Render(new InvoiceDocumentBuilder().WithNumberedLines(60).Open());
        var text = System.Text.Encoding.Latin1.GetString(pdf);

        var streams = System.Text.RegularExpressions.Regex.Matches(text, @"<<([^<>]*)>>\nstream\n");
        Assert.True(streams.Count >= 6, $"{streams.Count} streams");
        foreach (System.Text.RegularExpressions.Match stream in streams)
        {
            Assert.Contains("/Filter/FlateDecode", stream.Groups[1].Value);
            var length = int.Parse(System.Text.RegularExpressions.Regex.Match(stream.Groups[1].Value, @"/Length (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal("\nendstream", text.Substring(stream.Index + stream.Length + length, 10));
            AssertCompleteZlib(pdf.AsSpan(stream.Index + stream.Length, length));
        }

        var xref = int.Parse(text[(text.LastIndexOf("startxref", StringComparison.Ordinal) + 10)..].Split('\n')[0], System.Globalization.CultureInfo.InvariantCulture);
        var lines = text[xref..].Split('\n');
        Assert.Equal("xref", lines[0]);
        var count = int.Parse(lines[1].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 1; i < count; i++)
            Assert.StartsWith($"{i} 0 obj", text[int.Parse(lines[2 + i][..10], System.Globalization.CultureInfo.InvariantCulture)..]);
        Assert.Equal(Poppler.Info(pdf).Pages, Poppler.Pages(pdf).Count);
    }

    /// <summary>
    /// A whole zlib stream (RFC 1950), its Adler-32 trailer included: PDFsharp's own Flate encoder leaves the trailer out,
    /// which strict decoders reject (see PdfStreamCompactor).
    /// </summary>
    private static void AssertCompleteZlib(ReadOnlySpan<byte> data)
    {
        using var inflated = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(new MemoryStream(data.ToArray()), System.IO.Compression.CompressionMode.Decompress))
            zlib.CopyTo(inflated);
        uint a = 1, b = 0;
        foreach (var x in inflated.GetBuffer().AsSpan(0, (int)inflated.Length))
        {
            a = (a + x) % 65521;
            b = (b + a) % 65521;
        }
        Assert.True(data.Length >= 6, "too short for a zlib stream");
        Assert.Equal((b << 16) | a, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(data[^4..]));
    }

    [Fact]
    public void Writes_to_a_stream_and_leaves_it_open()
    {
        using var stream = new MemoryStream();
        Renderer.Render(new InvoiceDocumentBuilder().Open(), Business, InvoiceDocumentBuilder.BeforeDue, stream);

        Assert.True(stream.CanWrite);
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(stream.ToArray(), 0, 5));
    }

    [Fact]
    public void Writes_to_a_stream_that_cannot_seek()
    {
        using var buffer = new MemoryStream();
        using var forwardOnly = new ForwardOnlyStream(buffer);
        Renderer.Render(new InvoiceDocumentBuilder().WithNumberedLines(30).Open(), Business, InvoiceDocumentBuilder.BeforeDue, forwardOnly);

        var pdf = buffer.ToArray();
        Assert.Equal(Poppler.Info(pdf).Pages, Poppler.Pages(pdf).Count);
        Assert.Contains("Line item 30 ", Poppler.Text(pdf));
    }

    /// <summary>Write-only and forward-only, like a network upload.</summary>
    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }

    [Fact]
    public void A_business_without_address_or_tax_id_still_renders()
    {
        var business = new BusinessSettings { BusinessName = "" };
        var text = Poppler.Text(Render(new InvoiceDocumentBuilder().ForCustomer(new CustomerSnapshot("Solo Customer", null, null, null)).Open(), business: business));

        Assert.Contains("Solo Customer", text);
        Assert.Contains("INVOICE", text);
        Assert.Contains("Page 1 of 1", text);
    }

    /// <summary>Some line of <paramref name="text"/> holds all <paramref name="parts"/>, in this order.</summary>
    private static void AssertLine(string text, params string[] parts)
    {
        foreach (var line in text.Split('\n'))
        {
            var at = 0;
            var found = true;
            foreach (var part in parts)
            {
                var index = line.IndexOf(part, at, StringComparison.Ordinal);
                if (index < 0) { found = false; break; }
                at = index + part.Length;
            }
            if (found) return;
        }
        Assert.Fail($"No line holds [{string.Join(" | ", parts)}] in:\n{text}");
    }
}
