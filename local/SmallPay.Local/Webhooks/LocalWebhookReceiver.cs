using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace SmallPay.Local.Webhooks;

/// <summary>
/// A test receiver for webhooks, on the local host only (nothing of it is in functions/):
/// <list type="bullet">
/// <item><c>POST /_local/webhook-receiver/{name}</c>: records the request (headers, body, time) and answers 200, or the
/// status it was told to;</item>
/// <item><c>POST /_local/webhook-receiver/{name}/script</c> <c>{"fail": 3, "status": 503}</c>: the next 3 requests get 503;</item>
/// <item><c>GET /_local/webhook-receiver/{name}</c>: what arrived, oldest first.</item>
/// </list>
/// The functions may call it only because the local stack sets <c>WEBHOOK_TEST_RECEIVER_ORIGIN</c> to this host's exact
/// origin; the template never sets it, so in AWS a URL like this is refused as any loopback address is.
/// </summary>
public static class LocalWebhookReceiver
{
    public const string Prefix = "/_local/webhook-receiver/";

    private sealed record Received(DateTimeOffset At, Dictionary<string, string> Headers, string Body, int Answered);

    private static readonly ConcurrentDictionary<string, List<Received>> Requests = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, (int Fail, int Status)> Scripts = new(StringComparer.Ordinal);

    public static async Task<bool> TryServeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (!path.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var parts = path[Prefix.Length..].Trim('/').Split('/');
        var method = context.Request.Method;
        switch (parts)
        {
            case [var name, "script"] when HttpMethods.IsPost(method) && name.Length > 0:
            {
                var script = await JsonNode.ParseAsync(context.Request.Body);
                var fail = script?["fail"]?.GetValue<int>() ?? 0;
                var status = script?["status"]?.GetValue<int>() ?? 500;
                Scripts[name] = (fail, status);
                await WriteAsync(context, 200, new JsonObject { ["name"] = name, ["fail"] = fail, ["status"] = status });
                return true;
            }
            case [var name] when HttpMethods.IsPost(method) && name.Length > 0:
            {
                using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                var status = 200;
                Scripts.AddOrUpdate(name, _ => (0, 500), (_, s) =>
                {
                    if (s.Fail <= 0) return s;
                    status = s.Status;
                    return (s.Fail - 1, s.Status);
                });
                var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
                var list = Requests.GetOrAdd(name, _ => []);
                lock (list) list.Add(new Received(DateTimeOffset.UtcNow, headers, body, status));
                await WriteAsync(context, status, new JsonObject { ["received"] = status is >= 200 and < 300 });
                return true;
            }
            case [var name] when HttpMethods.IsGet(method) && name.Length > 0:
            {
                var list = Requests.GetValueOrDefault(name) ?? [];
                JsonArray items;
                lock (list)
                    items = new JsonArray(list.Select(r => (JsonNode)new JsonObject
                    {
                        ["at"] = r.At.ToString("O"),
                        ["answered"] = r.Answered,
                        ["headers"] = new JsonObject(r.Headers.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)h.Value))),
                        ["body"] = r.Body,
                    }).ToArray());
                await WriteAsync(context, 200, new JsonObject { ["name"] = name, ["requests"] = items });
                return true;
            }
            default:
                await WriteAsync(context, 404, new JsonObject { ["message"] = "POST or GET /_local/webhook-receiver/{name}, POST /_local/webhook-receiver/{name}/script" });
                return true;
        }
    }

    private static async Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
    }
}
