using SmallPay.Local.Demo;
using Amazon.DynamoDBv2.Model;
using SmallPay.Functions.Tests.Documents.Rendering;
using SmallPay.Functions.Tests.Hosting.Runtime;
using SmallPay.Functions.Tests.Infrastructure;
using SmallPay.Local.RuntimeApi;
using Xunit.Abstractions;

namespace SmallPay.Functions.Tests.Contract;

/// <summary>
/// The published Native AOT executable renders invoices in Japanese, Arabic and Hindi: events/document-worker.json run
/// through it (as Lambda runs it) after the demo's sent invoice was given such a customer, and the PDF it put in S3 read
/// back with pdftotext. Proves HarfBuzz's native library beside the executable, the fonts/ folder, the language files
/// and the bidi tables all work in the native binary.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed class NativeScriptRenderingTests(LocalStackFixture stack, PublishedFunctions published, ITestOutputHelper output) : IClassFixture<PublishedFunctions>
{
    public static TheoryData<string, string, string, string> Customers => new()
    {
        // customer name, language, what the PDF must read (logical order), the localized title
        { "株式会社テスト商事", "ja", "株式会社テスト商事", "請求書" },
        { "شركة الاختبار", "ar", "شركة الاختبار", "فاتورة" },
        { "परीक्षण कंपनी", "en", "परीक्षण कंपनी", "INVOICE" },
    };

    [Theory]
    [MemberData(nameof(Customers))]
    public async Task The_native_worker_renders_the_customers_script_and_language(string name, string language, string expected, string title)
    {
        await SampleEventData.ResetAsync(stack.DynamoDb, stack.FunctionEnvironment, CancellationToken.None);
        var table = stack.FunctionEnvironment.Require("INVOICES_TABLE");
        await stack.DynamoDb.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = new() { ["id"] = new AttributeValue { S = SampleEventData.SentInvoice } },
            UpdateExpression = "SET customer.#name = :name, customer.#language = :language",
            ExpressionAttributeNames = new() { ["#name"] = "name", ["#language"] = "language" },
            ExpressionAttributeValues = new() { [":name"] = new AttributeValue { S = name }, [":language"] = new AttributeValue { S = language } },
        });

        await using var emulator = await RuntimeApiEmulator.StartAsync();
        await using var process = FunctionProcess.Start(new FunctionProcessOptions(published.BootstrapPath, emulator.Address, "DocumentWorker")
        {
            LambdaFunctionName = "DocumentWorkerFunction",
            Environment = stack.Host.FunctionVariables("DocumentWorker"),
            OnOutputLine = line => { try { output.WriteLine(line); } catch (InvalidOperationException) { } },
        });
        var result = await process.InvokeAsync(emulator, await File.ReadAllBytesAsync(Path.Combine(PublishedFunctions.RepositoryRoot, "events", "document-worker.json")), TimeSpan.FromSeconds(30));
        Assert.True(result.Outcome == InvocationOutcome.Succeeded, $"{result.Outcome} {result.Error?.ErrorMessage}\n{string.Join('\n', process.OutputLines)}");

        var invoice = await stack.DynamoDb.GetItemAsync(new GetItemRequest { TableName = table, Key = new() { ["id"] = new AttributeValue { S = SampleEventData.SentInvoice } }, ConsistentRead = true });
        var key = invoice.Item["document"].M["key"].S;
        using var body = (await stack.Host.S3.GetObjectAsync(stack.Host.Resources.Buckets["DocumentsBucket"], key)).ResponseStream;
        using var copy = new MemoryStream();
        await body.CopyToAsync(copy);
        var text = Poppler.ReadingText(copy.ToArray());
        Assert.True(text.Contains(expected, StringComparison.Ordinal), $"'{expected}' not in: {text}");
        Assert.True(text.Contains(title, StringComparison.Ordinal), $"'{title}' not in: {text}");
    }
}
