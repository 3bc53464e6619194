using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SmallPay.Bench.Infrastructure;

namespace SmallPay.Bench.Scenarios;

/// <summary>The sample events of events/ (what `sam local invoke -e` would send), adjusted to the benchmark's tenants and targets.</summary>
public sealed class EventTemplates(RepositoryPaths paths)
{
    private readonly ConcurrentDictionary<string, string> _raw = new(StringComparer.Ordinal);

    public string Raw(string function) => _raw.GetOrAdd(function, name => File.ReadAllText(paths.EventPath(name)));

    /// <summary>
    /// The event of <paramref name="function"/> for <paramref name="tenant"/>: the sample tenant and every id in
    /// <paramref name="ids"/> replaced throughout (path, path parameters, body, stream images), then <paramref name="edit"/>.
    /// </summary>
    public byte[] Build(string function, BenchTenant tenant, IEnumerable<(string From, string To)> ids, Action<JsonObject>? edit = null)
    {
        var text = Raw(function);
        foreach (var (from, to) in ids) text = text.Replace(from, to, StringComparison.Ordinal);
        text = text.Replace(SampleEventIds.Sub, tenant.Sub, StringComparison.Ordinal);
        if (edit is null) return Encoding.UTF8.GetBytes(text);
        var json = JsonNode.Parse(text)!.AsObject();
        edit(json);
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    public static void SetHeader(JsonObject httpEvent, string name, string value) => ((JsonObject)httpEvent["headers"]!)[name] = value;

    /// <summary>Changes the JSON body of an HTTP API event (and its content-length, as API Gateway would send it).</summary>
    public static void EditBody(JsonObject httpEvent, Action<JsonObject> edit)
    {
        var body = JsonNode.Parse(httpEvent["body"]!.GetValue<string>())!.AsObject();
        edit(body);
        var text = body.ToJsonString();
        httpEvent["body"] = text;
        if (httpEvent["headers"] is JsonObject headers && headers.ContainsKey("content-length"))
            headers["content-length"] = Encoding.UTF8.GetByteCount(text).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Sets the invoice version in each SQS message: the pipe's small message (<c>"version": "3"</c>), or a whole stream
    /// record as queued before the pipe's input template (NewImage.version).
    /// </summary>
    public static void SetStreamRecordVersion(JsonObject sqsEvent, long version)
    {
        var text = version.ToString(CultureInfo.InvariantCulture);
        foreach (var record in sqsEvent["Records"]!.AsArray())
        {
            var body = JsonNode.Parse(record!["body"]!.GetValue<string>())!.AsObject();
            if (body["dynamodb"]?["NewImage"] is JsonObject image) image["version"] = new JsonObject { ["N"] = text };
            else body["version"] = text;
            record["body"] = body.ToJsonString();
        }
    }
}
