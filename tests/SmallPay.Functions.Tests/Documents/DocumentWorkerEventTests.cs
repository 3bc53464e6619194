using System.Text.Json;
using System.Text.Json.Nodes;
using SmallPay.Domain.Documents;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Hosting.Sqs;
using SmallPay.Functions.Storage;
using SmallPay.Functions.Tests.Contract;
using SmallPay.Local.Demo;
using SmallPay.Functions.Tests.Infrastructure;

namespace SmallPay.Functions.Tests.Documents;

/// <summary>
/// events/document-worker.json through the catalog's DocumentWorker, as `invoke DocumentWorker -e events/document-worker.json`
/// would run it: the real renderer, composer, S3 store (moto) and SMTP client (a scripted server), on the demo data.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed class DocumentWorkerEventTests(LocalStackFixture stack)
{
    private static string EventPath => Path.Combine(ContractFiles.EventsDirectory, "document-worker.json");

    [Fact]
    public async Task The_sample_event_renders_the_pdf_to_s3_and_mails_the_pending_delivery_once()
    {
        var isolated = await IsolatedDocumentsStack.CreateAsync(stack);
        await SampleEventData.ResetAsync(stack.DynamoDb, isolated.EnvironmentFor("DocumentWorker"), CancellationToken.None);
        await using var smtp = new ScriptedSmtpServer();
        var sample = await File.ReadAllBytesAsync(EventPath);

        var first = await InvokeAsync(isolated, smtp, sample);
        var again = await InvokeAsync(isolated, smtp, sample);

        Assert.Empty(first);
        Assert.Empty(again);
        var key = $"invoices/{SampleEventData.Sub}/{SampleEventData.SentInvoice}/v3.pdf";
        var pdf = await isolated.ObjectAsync(key);
        Assert.NotNull(pdf);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4));

        var mail = Assert.Single(smtp.Messages);
        Assert.Contains("RCPT TO:<billing@mueller-gmbh.example>", smtp.Commands);
        Assert.Contains("Invoice INV-000004 from Atelier Sommer", DecodedSubject(mail), StringComparison.Ordinal);
        Assert.Contains("application/pdf", mail, StringComparison.Ordinal);

        var invoice = (await new DynamoDbWorkerInvoiceStore(stack.DynamoDb, isolated.InvoicesTable).LoadAsync(SampleEventData.SentInvoice, CancellationToken.None))!;
        Assert.Equal(DeliveryStatus.Sent, invoice.DeliveryResults[SampleEventData.PendingDelivery].Status);
        Assert.Equal((key, 3L, (long)pdf.Length), (invoice.Document!.Key, invoice.Document.Version, invoice.Document.SizeBytes));
        Assert.Equal(3, invoice.Version);
    }

    [Fact]
    public async Task A_stale_copy_of_the_sample_record_does_nothing()
    {
        var isolated = await IsolatedDocumentsStack.CreateAsync(stack);
        await SampleEventData.ResetAsync(stack.DynamoDb, isolated.EnvironmentFor("DocumentWorker"), CancellationToken.None);
        await using var smtp = new ScriptedSmtpServer();
        var sample = JsonNode.Parse(await File.ReadAllBytesAsync(EventPath))!;
        var record = JsonNode.Parse(sample["Records"]![0]!["body"]!.GetValue<string>())!;
        record["version"] = "2";
        sample["Records"]![0]!["body"] = record.ToJsonString();

        var failures = await InvokeAsync(isolated, smtp, IsolatedDocumentsStack.Utf8(sample.ToJsonString()));

        Assert.Empty(failures);
        Assert.Empty(smtp.Messages);
        Assert.Null(await isolated.ObjectAsync($"invoices/{SampleEventData.Sub}/{SampleEventData.SentInvoice}/v3.pdf"));
    }

    [Fact]
    public async Task With_the_mail_server_down_the_record_is_handed_back_and_the_delivery_stays_pending()
    {
        var isolated = await IsolatedDocumentsStack.CreateAsync(stack);
        await SampleEventData.ResetAsync(stack.DynamoDb, isolated.EnvironmentFor("DocumentWorker"), CancellationToken.None);
        var closedPort = FreePort();
        var handler = FunctionCatalog.Create("DocumentWorker", WorkerEnvironment(isolated, closedPort));

        var output = await handler.HandleAsync(await File.ReadAllBytesAsync(EventPath), LambdaInvocation.Local(TimeSpan.FromSeconds(30)), CancellationToken.None);

        var failure = Assert.Single(JsonSerializer.Deserialize(output, SqsJsonContext.Default.SqsBatchResponse)!.BatchItemFailures);
        Assert.Equal("059f36b4-87a3-44ab-83d2-661975830a7d", failure.ItemIdentifier);
        var invoice = (await new DynamoDbWorkerInvoiceStore(stack.DynamoDb, isolated.InvoicesTable).LoadAsync(SampleEventData.SentInvoice, CancellationToken.None))!;
        Assert.Equal(DeliveryStatus.Pending, InvoiceDeliveries.Deliveries(invoice, DateTimeOffset.UtcNow).Single().Status);
        Assert.Equal(3, invoice.Document!.Version); // the PDF is stored; only the e-mail waits for the retry
    }

    private static async Task<List<string>> InvokeAsync(IsolatedDocumentsStack isolated, ScriptedSmtpServer smtp, byte[] sample)
    {
        var handler = FunctionCatalog.Create("DocumentWorker", WorkerEnvironment(isolated, smtp.Port));
        var output = await handler.HandleAsync(sample, LambdaInvocation.Local(TimeSpan.FromSeconds(30)), CancellationToken.None);
        return JsonSerializer.Deserialize(output, SqsJsonContext.Default.SqsBatchResponse)!.BatchItemFailures.Select(f => f.ItemIdentifier).ToList();
    }

    private static FunctionEnvironment WorkerEnvironment(IsolatedDocumentsStack isolated, int smtpPort) =>
        isolated.EnvironmentFor("DocumentWorker", new()
        {
            ["SMTP_HOST"] = "127.0.0.1",
            ["SMTP_PORT"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SMTP_STARTTLS"] = "false",
            ["SMTP_SECRET_NAME"] = "",
            ["SMTP_SENDER"] = "invoices@smallpay.example",
        });

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The Subject header, unfolded, with its RFC 2047 encoded words (B or Q) decoded.</summary>
    private static string DecodedSubject(string mail)
    {
        var unfolded = System.Text.RegularExpressions.Regex.Replace(mail.Replace("\r\n", "\n", StringComparison.Ordinal), @"\n[ \t]+", " ");
        var line = unfolded.Split('\n').FirstOrDefault(l => l.StartsWith("Subject:", StringComparison.OrdinalIgnoreCase)) ?? "";
        var decoded = System.Text.RegularExpressions.Regex.Replace(line["Subject:".Length..].Trim(), @"=\?utf-8\?(?<enc>[BQ])\?(?<text>[^?]*)\?=\s*", match =>
            match.Groups["enc"].Value is "B" or "b"
                ? System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(match.Groups["text"].Value))
                : System.Text.Encoding.UTF8.GetString(QuotedPrintable(match.Groups["text"].Value.Replace('_', ' '))),
            System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        return decoded;
    }

    private static byte[] QuotedPrintable(string text)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '=' && i + 2 < text.Length) { bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16)); i += 2; }
            else bytes.Add((byte)text[i]);
        }
        return [.. bytes];
    }
}
