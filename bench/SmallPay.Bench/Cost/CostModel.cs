using System.Globalization;
using SmallPay.Bench.Infrastructure;
using SmallPay.Bench.Report;
using SmallPay.Bench.Scenarios;

namespace SmallPay.Bench.Cost;

/// <summary>One function's measured inputs to the estimate.</summary>
public sealed record CallCost(string Name, double? WarmMs, double? ColdMs, int MemoryMb, (double Read, double Write)? UnitsPerCall);

/// <summary>
/// The AWS cost of 1,000 invoices created, finalized, sent (PDF + e-mail) and paid, from the measured durations (warm
/// in-process with emulator I/O; and, as the upper bound, every call a cold start), the template's MemorySize, and the
/// DynamoDB capacity units the calls consumed on DynamoDB Local.
/// </summary>
public static class CostModel
{
    public const int Invoices = 1000;

    /// <summary>Calls per invoice: four API calls; three stream records reach the worker (finalize, send, payment), one with an e-mail.</summary>
    public static readonly (string Name, int PerInvoice)[] Flow =
    [
        ("CreateInvoice", 1), ("FinalizeInvoice", 1), ("SendInvoice", 1), ("RecordPayment", 1),
        ("DocumentWorker", 1), (ApiScenarios.WorkerWithoutMail, 2),
    ];

    public static void Report(BenchRun run, IReadOnlyDictionary<string, CallCost> calls, double pdfBytes, string architecture)
    {
        var arm = architecture == "arm64";
        var perGbSecond = arm ? AwsPrices.LambdaArmPerGbSecond : AwsPrices.LambdaX86PerGbSecond;
        var section = run.Add("cost", $"AWS cost of {Invoices:N0} invoices created, finalized, sent and paid",
            $"Per invoice: CreateInvoice, FinalizeInvoice, SendInvoice and RecordPayment through the HTTP API, and three DocumentWorker " +
            "invocations (the pipe passes the finalize, send and payment writes; each renders and stores a PDF, the send's also e-mails it). " +
            "Lambda duration: the warm in-process p50 with emulator I/O, rounded up to 1 ms, at each function's MemorySize in template.yaml, " +
            $"{architecture} (template.yaml's default Architecture); the all-cold bound bills every call as a cold start (process start → first response; Lambda bills init since 2025). " +
            "DynamoDB: the capacity units DynamoDB Local reported for those calls (on-demand request units). S3: one PUT per rendered PDF, " +
            "no GET in this flow. SQS: send (by the pipe), receive and delete per message. " +
            $"Prices: {AwsPrices.Region} list prices as of {AwsPrices.AsOf}, no free tier (bench/SmallPay.Bench/Cost/AwsPrices.cs): " +
            $"Lambda {architecture} ${perGbSecond}/GB-s and ${AwsPrices.LambdaPerMillionRequests}/M requests; HTTP API ${AwsPrices.HttpApiPerMillionRequests}/M; " +
            $"DynamoDB ${AwsPrices.DynamoDbPerMillionWriteUnits}/M WRU, ${AwsPrices.DynamoDbPerMillionReadUnits}/M RRU; S3 ${AwsPrices.S3PerThousandPuts}/1,000 PUT, " +
            $"${AwsPrices.S3PerThousandGets}/1,000 GET; SQS ${AwsPrices.SqsPerMillionRequests}/M; Pipes ${AwsPrices.PipesPerMillionRequests}/M; " +
            $"SES ${AwsPrices.SesPerThousandEmails}/1,000 e-mails + ${AwsPrices.SesPerGbAttachments}/GB attachments.");
        section.KeyHeader = "item";

        decimal warmGbSeconds = 0, coldGbSeconds = 0, reads = 0, writes = 0;
        var missing = new List<string>();
        var lambdaRequests = 0;
        foreach (var (name, perInvoice) in Flow)
        {
            var n = perInvoice * Invoices;
            lambdaRequests += n;
            if (!calls.TryGetValue(name, out var call) || call.WarmMs is null)
            {
                missing.Add(name);
                continue;
            }
            var gb = call.MemoryMb / 1024m;
            warmGbSeconds += n * (decimal)Math.Ceiling(call.WarmMs.Value) / 1000m * gb;
            coldGbSeconds += n * (decimal)Math.Ceiling(call.ColdMs ?? call.WarmMs.Value) / 1000m * gb;
            if (call.UnitsPerCall is { } units)
            {
                reads += n * (decimal)units.Read;
                writes += n * (decimal)units.Write;
            }
            else missing.Add(name + " (DynamoDB units)");
        }
        var apiRequests = 4 * Invoices;
        var messages = 3 * Invoices;
        var lambdaWarm = warmGbSeconds * perGbSecond;
        var lambdaCold = coldGbSeconds * perGbSecond;
        var requests = lambdaRequests * AwsPrices.LambdaPerMillionRequests / 1_000_000m;
        var api = apiRequests * AwsPrices.HttpApiPerMillionRequests / 1_000_000m;
        var dynamoWrites = writes * AwsPrices.DynamoDbPerMillionWriteUnits / 1_000_000m;
        var dynamoReads = reads * AwsPrices.DynamoDbPerMillionReadUnits / 1_000_000m;
        var s3Puts = messages * AwsPrices.S3PerThousandPuts / 1000m;
        var sqs = 3 * messages * AwsPrices.SqsPerMillionRequests / 1_000_000m;
        var pipes = messages * AwsPrices.PipesPerMillionRequests / 1_000_000m;
        var ses = Invoices * AwsPrices.SesPerThousandEmails / 1000m + (decimal)(Invoices * pdfBytes / 1e9) * AwsPrices.SesPerGbAttachments;

        section.Add("Lambda compute, warm", $"{Usd(lambdaWarm)} ({warmGbSeconds:0.0} GB-s)", (double)lambdaWarm);
        section.Add("Lambda compute, every call cold (upper bound)", $"{Usd(lambdaCold)} ({coldGbSeconds:0.0} GB-s)", (double)lambdaCold);
        section.Add("Lambda requests", $"{Usd(requests)} ({lambdaRequests:N0})", (double)requests);
        section.Add("API Gateway HTTP API", $"{Usd(api)} ({apiRequests:N0} requests)", (double)api);
        section.Add("DynamoDB writes", $"{Usd(dynamoWrites)} ({writes:N0} WRU)", (double)dynamoWrites);
        section.Add("DynamoDB reads", $"{Usd(dynamoReads)} ({reads:N0} RRU)", (double)dynamoReads);
        section.Add("S3 requests", $"{Usd(s3Puts)} ({messages:N0} PUT, 0 GET)", (double)s3Puts);
        section.Add("SQS", $"{Usd(sqs)} ({3 * messages:N0} requests)", (double)sqs);
        section.Add("EventBridge Pipes", $"{Usd(pipes)} ({messages:N0} events)", (double)pipes);
        section.Add("SES", $"{Usd(ses)} ({Invoices:N0} e-mails, {Invoices * pdfBytes / 1e6:0.0} MB of PDFs)", (double)ses);
        var rest = requests + api + dynamoWrites + dynamoReads + s3Puts + sqs + pipes + ses;
        section.Add("Total, warm", Usd(lambdaWarm + rest), (double)(lambdaWarm + rest));
        section.Add("Total, every call cold", Usd(lambdaCold + rest), (double)(lambdaCold + rest));
        if (missing.Count > 0) section.Note("Not measured, left out: " + string.Join(", ", missing));
        section.Note("Not per invoice, so not above: the pipe's and the queue's polling while idle, S3 storage ($0.023/GB-month), " +
                     "CloudWatch Logs ($0.50/GB ingested), X-Ray traces beyond the free tier, Cognito users beyond its free tier, Secrets Manager ($0.40/secret-month).");
    }

    /// <summary>Capacity units per call of every scenario, as measured (<paramref name="totals"/> over <paramref name="iterations"/> calls each).</summary>
    public static void ReportUnits(BenchRun run, IReadOnlyDictionary<string, CapacityTally> totals, int iterations)
    {
        var section = run.Add("dynamodb-units", "DynamoDB capacity units per call",
            $"Each function's handler (built by FunctionCatalog from its template environment) called {iterations}× with DynamoDB's endpoint " +
            "pointed at a pass-through that asks DynamoDB Local for ConsumedCapacity on every request; the units the answers report, " +
            "averaged per call (tables and indexes together, transactions at their doubled rate: what on-demand bills); \"in indexes\": " +
            "the part of the write units each global secondary index took (ReturnConsumedCapacity INDEXES).");
        section.KeyHeader = "function";
        foreach (var (name, units) in totals)
        {
            var operations = string.Join(", ", units.Operations.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key} {o.Value / (double)iterations:0.#}"));
            var indexes = string.Join(", ", units.IndexWriteUnits.Where(i => i.Value > 0).OrderBy(i => i.Key, StringComparer.Ordinal)
                .Select(i => $"{i.Key} {i.Value / iterations:0.#}"));
            section.Add(name, $"{units.ReadUnits / iterations:0.##} RRU · {units.WriteUnits / iterations:0.##} WRU" +
                              (indexes.Length > 0 ? $" (in indexes: {indexes})" : "") +
                              $" ({units.Requests / (double)iterations:0.#} requests: {operations})",
                (units.ReadUnits + units.WriteUnits) / iterations);
        }
    }

    private static string Usd(decimal amount) => "$" + amount.ToString(amount < 0.01m ? "0.00000" : "0.0000", CultureInfo.InvariantCulture);
}
