using System.Net.Mail;
using System.Net.Mime;
using System.Net.Sockets;
using System.Text;
using SmallPay.Functions.Tests.Infrastructure;
using SmallPay.Local.Mail;

namespace SmallPay.Functions.Tests.Local.Mail;

/// <summary>The local SMTP sink as the functions reach it: maildev behind the gate (refusals, stop and start).</summary>
[Collection(LocalStackCollection.Name)]
public sealed class SmtpGateTests(LocalStackFixture stack)
{
    private SmtpClient Client() => new(stack.Mail.Smtp.Host, stack.Mail.Smtp.Port) { EnableSsl = false, Timeout = 10_000 };

    private static MailMessage Message(string to, byte[]? pdf = null, string? cc = null)
    {
        var message = new MailMessage(new MailAddress("billing@smallpay.test", "Müller & Söhne"), new MailAddress(to))
        {
            Subject = "Invoice INV-000042 — Łódź",
            Body = "Ελληνικά, Кириллица",
            BodyEncoding = Encoding.UTF8,
            SubjectEncoding = Encoding.UTF8,
        };
        if (cc is not null) message.CC.Add(cc);
        if (pdf is not null) message.Attachments.Add(new Attachment(new MemoryStream(pdf), "INV-000042.pdf", MediaTypeNames.Application.Pdf));
        return message;
    }

    [Fact]
    public async Task A_message_through_the_gate_arrives_with_its_attachment_byte_for_byte()
    {
        var to = $"gate-{Guid.NewGuid():N}@example.com";
        var pdf = new byte[150_000];
        Random.Shared.NextBytes(pdf);
        "%PDF-1.7\n"u8.CopyTo(pdf);
        using var client = Client();
        using var message = Message(to, pdf);

        await client.SendMailAsync(message);

        var mail = Assert.Single(await stack.MailSink.WaitForRecipientAsync(to));
        Assert.Equal("Invoice INV-000042 — Łódź", mail.Subject);
        Assert.Contains("Кириллица", mail.Text);
        var attachment = Assert.Single(mail.Attachments);
        Assert.Equal("INV-000042.pdf", attachment.FileName);
        Assert.Equal(pdf, await stack.MailSink.AttachmentAsync(mail, attachment));
    }

    [Fact]
    public async Task A_recipient_on_the_invalid_domain_is_refused_with_550_and_nothing_is_kept()
    {
        var to = $"nobody-{Guid.NewGuid():N}@customer.invalid";
        using var client = Client();
        using var message = Message(to);
        var refusedBefore = stack.Mail.RefusedRecipients;

        var error = await Assert.ThrowsAnyAsync<SmtpFailedRecipientException>(() => client.SendMailAsync(message));

        Assert.Equal(SmtpStatusCode.MailboxUnavailable, error.StatusCode);
        Assert.Equal(refusedBefore + 1, stack.Mail.RefusedRecipients);
        await Task.Delay(200);
        Assert.Empty(await stack.MailSink.ToAsync(to));
    }

    [Fact]
    public async Task A_refused_cc_does_not_keep_the_message_from_the_other_recipient()
    {
        var to = $"ok-{Guid.NewGuid():N}@example.com";
        using var client = Client();
        using var message = Message(to, cc: "gone@nowhere.invalid");

        // System.Net.Mail sends to the accepted recipients, then reports the refused one.
        await Assert.ThrowsAnyAsync<SmtpFailedRecipientException>(() => client.SendMailAsync(message));

        var mail = Assert.Single(await stack.MailSink.WaitForRecipientAsync(to));
        var envelope = mail.Raw["envelope"]!["to"]!.AsArray().Select(r => r!["address"]!.GetValue<string>());
        Assert.Equal([to], envelope);
    }

    [Fact]
    public async Task A_stopped_SMTP_port_refuses_connections_and_opens_again_on_the_same_port()
    {
        var port = stack.Mail.Smtp.Port;
        var to = $"restart-{Guid.NewGuid():N}@example.com";
        try
        {
            await stack.Mail.StopSmtpAsync();
            Assert.False(stack.Mail.SmtpAccepting);

            using (var client = Client())
            using (var message = Message(to))
            {
                var error = await Assert.ThrowsAsync<SmtpException>(() => client.SendMailAsync(message));
                Assert.IsType<SocketException>(error.InnerException, exactMatch: false);
            }
        }
        finally
        {
            stack.Mail.StartSmtp();
        }

        Assert.Equal(port, stack.Mail.Smtp.Port);
        using (var client = Client())
        using (var message = Message(to))
            await client.SendMailAsync(message);
        Assert.Single(await stack.MailSink.WaitForRecipientAsync(to));
    }

    [Theory]
    [InlineData("a@b.invalid", true)]
    [InlineData("a@invalid", true)]
    [InlineData("a@X.INVALID", true)]
    [InlineData("a@b.invalid.", true)]
    [InlineData("a@invalid.example.com", false)]
    [InlineData("a@example.com", false)]
    [InlineData("a@notinvalid", false)]
    public void Only_the_reserved_invalid_domain_is_refused(string address, bool refused) =>
        Assert.Equal(refused, SmtpGate.IsRefused(address));

    [Theory]
    [InlineData(".\r\n", 3)]
    [InlineData("line\r\n.\r\nQUIT\r\n", 9)]
    [InlineData("line\r\n..stuffed\r\n.\r\n", 20)]
    [InlineData("no end\r\n", -1)]
    [InlineData("a.\r\n", -1)]
    public void The_end_of_a_message_is_found_after_the_DATA_line(string data, int end) =>
        Assert.Equal(end, new SmtpGate.EndOfDataDetector().Scan(Encoding.ASCII.GetBytes(data)));

    [Fact]
    public void The_end_of_a_message_is_found_across_reads()
    {
        var detector = new SmtpGate.EndOfDataDetector();

        Assert.Equal(-1, detector.Scan("body\r"u8));
        Assert.Equal(-1, detector.Scan("\n."u8));
        Assert.Equal(2, detector.Scan("\r\nQUIT"u8));
    }
}
