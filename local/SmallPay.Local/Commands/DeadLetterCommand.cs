using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace SmallPay.Local.Commands;

/// <summary>
/// <c>SmallPay.Local dlq list|redrive [QueueName]</c>: the running stack's dead-letter queue, through its
/// <c>/_local/queues</c> endpoints. Without a name, the template's only dead-letter queue.
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
            queueName ??= await OnlyDeadLetterQueueAsync(http);
            if (queueName is null) return 1;
            if (action == "redrive")
            {
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

            using var listing = await http.GetAsync($"_local/queues/{Uri.EscapeDataString(queueName)}");
            var text = await listing.Content.ReadAsStringAsync();
            if (!listing.IsSuccessStatusCode)
            {
                Console.Error.WriteLine($"SmallPay.Local dlq: {JsonNode.Parse(text)?["message"]}");
                return 1;
            }
            Console.WriteLine(line.Has("--json") ? text : Describe(JsonNode.Parse(text)!.AsObject()));
            return 0;
        }
        catch (HttpRequestException error)
        {
            Console.Error.WriteLine($"SmallPay.Local dlq: no local stack answers at {api} ({error.Message}). Start it with `make run`.");
            return 1;
        }
    }

    private static async Task<string?> OnlyDeadLetterQueueAsync(HttpClient http)
    {
        var overview = JsonNode.Parse(await http.GetStringAsync("_local/queues"));
        var deadLetterQueues = (overview?["queues"]?.AsArray() ?? [])
            .Where(queue => queue?["deadLetterQueueOf"]?.AsArray().Count > 0)
            .Select(queue => queue!["name"]!.GetValue<string>())
            .ToList();
        if (deadLetterQueues.Count == 1) return deadLetterQueues[0];
        Console.Error.WriteLine(deadLetterQueues.Count == 0
            ? "SmallPay.Local dlq: the template declares no dead-letter queue"
            : $"SmallPay.Local dlq: say which queue: {string.Join(", ", deadLetterQueues)}");
        return null;
    }

    /// <summary>One line per message: id, receives, when sent, and what the record was about.</summary>
    internal static string Describe(JsonObject queue)
    {
        var messages = queue["messages"]?.AsArray() ?? [];
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"{queue["name"]}: {messages.Count} message(s) (dead-letter queue of {string.Join(", ", queue["deadLetterQueueOf"]?.AsArray().Select(n => n?.ToString()) ?? [])})");
        foreach (var message in messages)
        {
            var body = message?["body"];
            var about = body?["dynamodb"]?["Keys"] is JsonObject keys
                ? $"{body["eventName"]} {string.Join(",", keys.Select(key => $"{key.Key}={(key.Value as JsonObject)?.FirstOrDefault().Value}"))}"
                    + (body["dynamodb"]?["NewImage"]?["version"]?["N"] is { } version ? $" v{version}" : "")
                : Shorten(body?.ToJsonString() ?? "");
            text.AppendLine().Append(CultureInfo.InvariantCulture,
                $"  {message?["messageId"]}  {message?["approximateReceiveCount"]} receives  sent {message?["sentTimestamp"]}  {about}");
        }
        if (messages.Count > 0)
            text.AppendLine().Append("Fix the cause, then: SmallPay.Local dlq redrive (the full records: dlq list --json)");
        return text.ToString();
    }

    private static string Shorten(string text) => text.Length <= 100 ? text : text[..97] + "...";
}
