using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace SmallPay.Local.Commands;

/// <summary>
/// <c>SmallPay.Local dlq list|redrive [QueueName]</c>: the running stack's dead-letter queues, through its
/// <c>/_local/queues</c> endpoints. Without a name, <c>list</c> shows every dead-letter queue (the queues' and the pipes')
/// and <c>redrive</c> sends back the messages of the only one that has a queue to go back to.
/// </summary>
internal static class DeadLetterCommand
{
    public const string Usage = "usage: SmallPay.Local dlq list|redrive [QueueName] [--port N | --api-url URL] [--json]";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("list" or "redrive"))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        var action = args[0];
        var rest = args[1..];
        var queueName = rest.Length > 0 && !rest[0].StartsWith('-') ? rest[0] : null;
        CommandLine line;
        try
        {
            line = CommandLine.Parse(queueName is null ? rest : rest[1..],
                valued: new HashSet<string> { "--port", "--api-url" },
                flags: new HashSet<string> { "--json" });
        }
        catch (UsageException error)
        {
            Console.Error.WriteLine($"SmallPay.Local dlq: {error.Message}{Environment.NewLine}{Usage}");
            return 2;
        }

        var api = line.Get("--api-url") is { } url ? new Uri(url.TrimEnd('/') + "/") : new Uri($"http://localhost:{line.GetInt("--port", 3000)}/");
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            if (action == "redrive")
            {
                queueName ??= await OnlyRedrivableQueueAsync(http);
                if (queueName is null) return 1;
                using var response = await http.PostAsync($"_local/queues/{Uri.EscapeDataString(queueName)}/redrive", content: null);
                var result = JsonNode.Parse(await response.Content.ReadAsStringAsync());
                if (!response.IsSuccessStatusCode)
                {
                    Console.Error.WriteLine($"SmallPay.Local dlq: {result?["message"]}");
                    return 1;
                }
                Console.WriteLine($"{result?["moved"]} message(s) moved from {queueName} back to {result?["movedTo"]}.");
                return 0;
            }

            List<string> names = queueName is not null ? [queueName] : await DeadLetterQueuesAsync(http);
            if (names.Count == 0)
            {
                Console.Error.WriteLine("SmallPay.Local dlq: the template declares no dead-letter queue");
                return 1;
            }
            var listings = new List<JsonObject>();
            foreach (var name in names)
            {
                using var listing = await http.GetAsync($"_local/queues/{Uri.EscapeDataString(name)}");
                var text = await listing.Content.ReadAsStringAsync();
                if (!listing.IsSuccessStatusCode)
                {
                    Console.Error.WriteLine($"SmallPay.Local dlq: {JsonNode.Parse(text)?["message"]}");
                    return 1;
                }
                listings.Add(JsonNode.Parse(text)!.AsObject());
            }
            Console.WriteLine(line.Has("--json")
                ? (listings.Count == 1 ? (JsonNode)listings[0] : new JsonArray(listings.Select(l => (JsonNode)l.DeepClone()).ToArray())).ToJsonString(Indented)
                : string.Join(Environment.NewLine, listings.Select(Describe)));
            return 0;
        }
        catch (HttpRequestException error)
        {
            Console.Error.WriteLine($"SmallPay.Local dlq: no local stack answers at {api} ({error.Message}). Start it with `make run`.");
            return 1;
        }
    }

    private static readonly System.Text.Json.JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static async Task<IReadOnlyList<JsonObject>> QueuesAsync(HttpClient http) =>
        (JsonNode.Parse(await http.GetStringAsync("_local/queues"))?["queues"]?.AsArray() ?? []).OfType<JsonObject>().ToList();

    private static async Task<List<string>> DeadLetterQueuesAsync(HttpClient http) =>
        (await QueuesAsync(http))
            .Where(queue => queue["deadLetterQueueOf"]?.AsArray().Count > 0 || queue["deadLetterQueueOfPipes"]?.AsArray().Count > 0
                            || queue["onFailureOf"]?.AsArray().Count > 0)
            .Select(queue => queue["name"]!.GetValue<string>())
            .ToList();

    private static async Task<string?> OnlyRedrivableQueueAsync(HttpClient http)
    {
        var redrivable = (await QueuesAsync(http))
            .Where(queue => queue["deadLetterQueueOf"]?.AsArray().Count > 0)
            .Select(queue => queue["name"]!.GetValue<string>())
            .ToList();
        if (redrivable.Count == 1) return redrivable[0];
        Console.Error.WriteLine(redrivable.Count == 0
            ? "SmallPay.Local dlq: no queue of the template has a dead-letter queue to redrive"
            : $"SmallPay.Local dlq: say which queue: {string.Join(", ", redrivable)}");
        return null;
    }

    /// <summary>One line per message: id, receives, when sent, and what the record was about.</summary>
    internal static string Describe(JsonObject queue)
    {
        var messages = queue["messages"]?.AsArray() ?? [];
        var of = (queue["deadLetterQueueOf"]?.AsArray() ?? []).Select(n => n?.ToString())
            .Concat((queue["deadLetterQueueOfPipes"]?.AsArray() ?? []).Select(n => $"pipe {n}"));
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{queue["name"]}: {messages.Count} message(s) (dead-letter queue of {string.Join(", ", of)})");
        foreach (var message in messages)
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture,
                $"  {message?["messageId"]}  {message?["approximateReceiveCount"]} receives  sent {message?["sentTimestamp"]}  {About(message?["body"])}");
        }
        if (messages.Count > 0)
            text.AppendLine().Append(queue["deadLetterQueueOf"]?.AsArray().Count > 0
                ? "Fix the cause, then: SmallPay.Local dlq redrive (the full records: dlq list --json)"
                : "The stream records these describe cannot be redriven: fix the cause, then make the change again through the API.");
        return text.ToString();
    }

    // What a message is about: a stream record, the documents pipe's small message, or a pipe's dead-letter entry.
    private static string About(JsonNode? body)
    {
        if (body?["dynamodb"]?["Keys"] is JsonObject keys)
            return $"{body["eventName"]} {string.Join(",", keys.Select(key => $"{key.Key}={(key.Value as JsonObject)?.FirstOrDefault().Value}"))}"
                + (body["dynamodb"]?["NewImage"]?["version"]?["N"] is { } version ? $" v{version}" : "");
        if (body?["DDBStreamBatchInfo"] is JsonObject batch)
            return $"{body["context"]?["condition"]}: {batch["batchSize"]} record(s) of {batch["shardId"]}, "
                + $"sequence numbers {batch["startSequenceNumber"]} to {batch["endSequenceNumber"]}, first written {batch["approximateArrivalOfFirstRecord"]}";
        if (body is JsonObject change && change["id"] is JsonValue id && change["eventName"] is not null)
            return $"{change["eventName"]} {change["entity"]} id={id}" + (change["version"]?.ToString() is { Length: > 0 } v ? $" v{v}" : "");
        return Shorten(body?.ToJsonString() ?? "");
    }

    private static string Shorten(string text) => text.Length <= 100 ? text : text[..97] + "...";
}
