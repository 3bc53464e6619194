using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using SmallPay.Local.Pipeline;

namespace SmallPay.Local.Mail;

/// <summary>
/// <c>POST /_local/mail-events</c>: what Amazon SES would publish after a message left, injected locally. The body names
/// the kind and the recipient, and where the message came from:
/// <code>{"type": "bounce" | "complaint", "recipient": "ap@gone.example", "business": "…", "invoice": "inv_…", "delivery": "dlv_…"}</code>
/// It becomes the event JSON SES publishes for a configuration set (a permanent bounce, or a complaint, with the message's
/// tags) and goes into MailEventsQueue, whose consumer, MailEventsFunction, handles it as in AWS.
/// </summary>
public static class LocalMailEvents
{
    public const string Path = "/_local/mail-events";
    public const string QueueName = "MailEventsQueue";

    public static async Task<bool> TryServeAsync(HttpContext context, LocalPipeline? pipeline)
    {
        if (context.Request.Path != Path || !HttpMethods.IsPost(context.Request.Method)) return false;
        if (pipeline is null || !pipeline.Queues.ContainsKey(QueueName))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsJsonAsync(new JsonObject { ["message"] = $"no {QueueName} (the pipeline is off)" }.ToJsonString());
            return true;
        }
        JsonNode? input;
        try { input = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted); }
        catch (System.Text.Json.JsonException) { input = null; }
        var type = input?["type"]?.GetValue<string>();
        var recipient = input?["recipient"]?.GetValue<string>();
        var business = input?["business"]?.GetValue<string>();
        if (type is not ("bounce" or "complaint") || string.IsNullOrWhiteSpace(recipient) || string.IsNullOrWhiteSpace(business))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"message":"send {\"type\": \"bounce\" or \"complaint\", \"recipient\": \"…\", \"business\": \"…\", \"invoice\": \"inv_…\", \"delivery\": \"dlv_…\"}"}""");
            return true;
        }
        var body = SesEvent(type, recipient, business, input?["invoice"]?.GetValue<string>(), input?["delivery"]?.GetValue<string>(), DateTimeOffset.UtcNow);
        var messageId = pipeline.Queue(QueueName).Send(body.ToJsonString());
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonObject { ["queued"] = QueueName, ["messageId"] = messageId }.ToJsonString());
        return true;
    }

    /// <summary>The event SES publishes to SNS (raw delivery into SQS) for a permanent bounce or a complaint.</summary>
    public static JsonObject SesEvent(string type, string recipient, string business, string? invoice, string? delivery, DateTimeOffset at)
    {
        var tags = new JsonObject { ["business"] = new JsonArray(business) };
        if (invoice is not null) tags["invoice"] = new JsonArray(invoice);
        if (delivery is not null) tags["delivery"] = new JsonArray(delivery);
        var mail = new JsonObject
        {
            ["timestamp"] = at.UtcDateTime.ToString("O"),
            ["messageId"] = $"local-{Guid.NewGuid():N}",
            ["destination"] = new JsonArray(recipient),
            ["tags"] = tags,
        };
        return type == "bounce"
            ? new JsonObject
            {
                ["eventType"] = "Bounce",
                ["bounce"] = new JsonObject
                {
                    ["bounceType"] = "Permanent", ["bounceSubType"] = "General", ["timestamp"] = at.UtcDateTime.ToString("O"),
                    ["bouncedRecipients"] = new JsonArray(new JsonObject
                    {
                        ["emailAddress"] = recipient, ["action"] = "failed", ["status"] = "5.1.1", ["diagnosticCode"] = "smtp; 550 5.1.1 user unknown (injected locally)",
                    }),
                },
                ["mail"] = mail,
            }
            : new JsonObject
            {
                ["eventType"] = "Complaint",
                ["complaint"] = new JsonObject
                {
                    ["complaintFeedbackType"] = "abuse", ["timestamp"] = at.UtcDateTime.ToString("O"),
                    ["complainedRecipients"] = new JsonArray(new JsonObject { ["emailAddress"] = recipient }),
                },
                ["mail"] = mail,
            };
    }
}
