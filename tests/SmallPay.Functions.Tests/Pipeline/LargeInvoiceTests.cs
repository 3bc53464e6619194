using System.Text;
using SmallPay.Functions.Tests.Api;
using SmallPay.Functions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SmallPay.Functions.Tests.Pipeline;

/// <summary>
/// An invoice as large as the rules allow: its stream record (both images) is far over what an SQS message may hold
/// (256 KiB), so the pipe must send the worker only which invoice changed, and the worker loads the rest.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed class LargeInvoiceTests(LocalStackFixture stack, ITestOutputHelper output) : PipelineTest(stack)
{
    private const int Lines = 300;
    private const int DescriptionLength = 480;

    private readonly PipelineDriver _pipeline = new(stack);

    // "L001 Consulting, analysis …" padded to 480 characters; the prefix tells the lines apart in the PDF's text.
    private static string Description(int line)
    {
        var text = new StringBuilder($"L{line:000}-mark Consulting and analysis of workshop results, phase {line}: ");
        while (text.Length < DescriptionLength) text.Append("requirements, design review, implementation notes and follow-up. ");
        return text.ToString(0, DescriptionLength);
    }

    [Fact]
    public async Task A_300_line_invoice_with_480_character_descriptions_sent_gets_its_PDF_and_its_e_mail()
    {
        var tenant = await _pipeline.NewTenantAsync("Grand Ledger GmbH", prefix: "GL-");
        var (customerId, customerEmail) = await PipelineDriver.NewCustomerAsync(tenant, "Big Buyer AG");
        var lines = Enumerable.Range(1, Lines).Select(i => ApiData.Line(Description(i), 1 + i % 7, 12.5m + i, taxRate: i % 2 == 0 ? 19 : 7)).ToArray();
        var invoiceId = (await PipelineDriver.NewDraftAsync(tenant, customerId, lines))["id"]!.GetValue<string>();

        (await tenant.Api.PostAsync($"/invoices/{invoiceId}/send", new { })).Expect(202);

        var mail = Assert.Single(await Stack.MailSink.WaitForRecipientAsync(customerEmail, timeout: TimeSpan.FromSeconds(60)));
        var invoice = await PipelineDriver.WaitForInvoiceAsync(tenant, invoiceId, i => PipelineDriver.Delivered(i, "Sent") && PipelineDriver.DocumentCurrent(i));

        // What went through the pipe: a stream record well over 256 KiB, a message of a few dozen bytes.
        var (record, body) = await _pipeline.WaitForPassedRecordAsync(invoiceId, PipelineDriver.IsInvoiceRecord);
        var recordBytes = Encoding.UTF8.GetByteCount(record.Record);
        output.WriteLine($"stream record {recordBytes:N0} bytes; message {record.MessageBody}");
        Assert.True(recordBytes > 262_144, $"the stream record is {recordBytes} bytes: the test needs one over SQS's 256 KiB");
        Assert.Equal(
            $$"""{"eventName":"MODIFY","entity":"Invoice","id":"{{invoiceId}}","version":"{{PipelineDriver.NewImageVersion(body)}}"}""",
            record.MessageBody);
        Assert.Empty(_pipeline.PipeDeadLetters.Peek());
        Assert.Empty(_pipeline.DeadLettersOf(invoiceId));

        // The PDF, read by a real PDF reader: every line, over many pages, and the total.
        var attachment = Assert.Single(mail.Attachments);
        var pdf = await Stack.MailSink.AttachmentAsync(mail, attachment);
        var pages = await PdfTools.PageCountAsync(pdf);
        var text = PdfTools.Squeeze(await PdfTools.TextAsync(pdf));
        output.WriteLine($"PDF {pdf.Length:N0} bytes, {pages} pages");
        Assert.True(pages > 10, $"{pages} pages for {Lines} lines of {DescriptionLength} characters");
        for (var i = 1; i <= Lines; i++) Assert.Contains($"L{i:000}-mark", text);
        Assert.Contains(PipelineDriver.Amount(invoice["totals"]!["total"]), text);
        Assert.Equal(invoice["document"]!["sizeBytes"]!.GetValue<long>(), pdf.Length);
        Assert.Equal(Lines, invoice["lines"]!.AsArray().Count);
        Assert.Equal(Description(Lines), invoice["lines"]![Lines - 1]!["description"]!.GetValue<string>());
        Assert.Contains(invoice["number"]!.GetValue<string>(), attachment.FileName, StringComparison.Ordinal);
    }
}
