using System.Net.Sockets;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using SmallPay.Domain.Documents;
using SmallPay.Functions.Documents.Mail;
using SmallPay.Functions.Tests.Infrastructure;
using SmallPay.Local.Mail;

namespace SmallPay.Functions.Tests.Local.Mail;

/// <summary>The local SMTP sink as the functions reach it (MailKit): maildev behind the gate (refusals, SMTPUTF8, stop and start).</summary>
[Collection(LocalStackCollection.Name)]
public sealed class SmtpGateTests(LocalStackFixture stack)
{
    private static readonly MailboxAddress From = MailboxAddress.Parse("billing@smallpay.test");

    private async Task<SmtpClient> ConnectAsync()
    {
        var client = new SmtpClient { Timeout = 10_000 };
        await client.ConnectAsync(stack.Mail.Smtp.Host, stack.Mail.Smtp.Port, SecureSocketOptions.None);
        return client;
    }

    /// <summary>The functions' own sender, pointed at the gate as the local stack configures it.</summary>
    private SmtpMailSender Sender() =>
        new(new SmtpSettings(stack.Mail.Smtp.Host, stack.Mail.Smtp.Port, From.Address, false, null), new NoSmtpCredentials());

    private static MimeMessage Message(string to, byte[]? pdf = null, string? cc = null)
    {
        var message = new MimeMessage { Subject = "Invoice INV-000042 — Łódź" };
        message.From.Add(new MailboxAddress("Müller & Söhne", From.Address));
        message.To.Add(MailboxAddress.Parse(to));
        if (cc is not null) message.Cc.Add(MailboxAddress.Parse(cc));
        var text = new TextPart("plain");
        text.SetText(Encoding.UTF8, "Ελληνικά, Кириллица");
        if (pdf is null)
        {
            message.Body = text;
        }
        else
        {
            message.Body = new Multipart("mixed")
            {
                text,
                new MimePart("application", "pdf")
                {
                    Content = new MimeContent(new MemoryStream(pdf)), FileName = "INV-000042.pdf",
                    ContentDisposition = new ContentDisposition(ContentDisposition.Attachment), ContentTransferEncoding = ContentEncoding.Base64,
                },
            };
        }
        return message;
    }

    [Fact]
    public async Task A_message_through_the_gate_arrives_with_its_attachment_byte_for_byte()
    {
        var to = $"gate-{Guid.NewGuid():N}@example.com";
        var pdf = new byte[150_000];
        Random.Shared.NextBytes(pdf);
        "%PDF-1.7\n"u8.CopyTo(pdf);
        using var client = await ConnectAsync();
        using var message = Message(to, pdf);

        await client.SendAsync(message);

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
        using var client = await ConnectAsync();
        using var message = Message(to);
        var refusedBefore = stack.Mail.RefusedRecipients;

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(message));

        Assert.Equal((SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable), (error.ErrorCode, error.StatusCode));
        Assert.Equal(refusedBefore + 1, stack.Mail.RefusedRecipients);
        await Task.Delay(200);
        Assert.Empty(await stack.MailSink.ToAsync(to));
    }

    [Fact]
    public async Task A_refused_cc_is_refused_alone_and_the_message_reaches_the_other_recipient()
    {
        var to = $"ok-{Guid.NewGuid():N}@example.com";
        using var message = Message(to, cc: "gone@nowhere.invalid");

        var replies = await Sender().SendAsync(message, From, message.To.Mailboxes.Concat(message.Cc.Mailboxes).ToList(), CancellationToken.None);

        Assert.Equal([RecipientStatus.Delivered, RecipientStatus.Refused], replies.Select(r => r.Status));
        Assert.StartsWith("550 5.1.1", replies[1].Reason, StringComparison.Ordinal);
        var mail = Assert.Single(await stack.MailSink.WaitForRecipientAsync(to));
        var envelope = mail.Raw["envelope"]!["to"]!.AsArray().Select(r => r!["address"]!.GetValue<string>());
        Assert.Equal([to], envelope);
    }

    [Fact]
    public async Task Maildev_offers_SMTPUTF8_through_the_gate_and_an_internationalised_address_arrives()
    {
        var to = $"jörg-{Guid.NewGuid():N}@example.de";
        using (var client = await ConnectAsync())
            Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.UTF8));
        using var message = Message(to);

        var reply = Assert.Single(await Sender().SendAsync(message, From, message.To.Mailboxes.ToList(), CancellationToken.None));

        Assert.Equal(RecipientStatus.Delivered, reply.Status);
        var mail = Assert.Single(await stack.MailSink.WaitForRecipientAsync(to));
        Assert.Equal([to], mail.Raw["envelope"]!["to"]!.AsArray().Select(r => r!["address"]!.GetValue<string>()));
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

            using var message = Message(to);
            var error = await Assert.ThrowsAnyAsync<Exception>(() => Sender().SendAsync(message, From, message.To.Mailboxes.ToList(), CancellationToken.None));
            Assert.IsType<SocketException>(error, exactMatch: false);
            Assert.False(SmtpFailures.Classify(error).Permanent);
        }
        finally
        {
            stack.Mail.StartSmtp();
        }

        Assert.Equal(port, stack.Mail.Smtp.Port);
        using (var client = await ConnectAsync())
        using (var message = Message(to))
            await client.SendAsync(message);
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
