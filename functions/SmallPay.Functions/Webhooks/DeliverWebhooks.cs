using System.Text.Json;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Hosting.Logging;
using SmallPay.Functions.Hosting.Sqs;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Webhooks;

/// <summary>
/// The SQS consumer of WebhooksQueue (fed by WebhookEventsRule on SmallPayEventBus): each record is one EventBridge
/// event carrying a domain event; it is delivered to the business's endpoints that subscribed to its type. A record that
/// is not such an event is acknowledged and logged (it would fail the same way five times).
/// </summary>
public sealed class DeliverWebhooks(WebhookDispatcher dispatcher) : ISqsRecordHandler
{
    public async Task HandleAsync(SqsMessage message, SqsRecordContext context, CancellationToken ct)
    {
        if (DomainEvent.Parse(message.Body) is not { } domainEvent)
        {
            context.Log.Warn("not a domain event: acknowledged", context.RequestId, ("messageId", message.MessageId));
            return;
        }
        var created = await dispatcher.DispatchAsync(domainEvent, ct);
        context.Log.Info("event dispatched", context.RequestId, ("eventId", domainEvent.Id), ("type", domainEvent.Type), ("deliveries", created));
    }
}

/// <summary>What one RetryWebhooks invocation did.</summary>
public sealed record WebhookRetryReport(int Due, int Tried, int Delivered, int Failed, int Lost, int Errors);

/// <summary>
/// The scheduled function (EventBridge Scheduler, every minute; locally with the other schedules and after each step of
/// the local clock): tries the deliveries whose next try is due, read from the "rank" index (<c>rank &lt;= now</c>,
/// earliest first), each claimed first so a concurrent run skips it.
/// </summary>
public sealed class RetryWebhooks(IWebhookStore store, WebhookDispatcher dispatcher, TimeProvider clock, JsonLog log) : ILambdaHandler
{
    public const int BatchSize = 50;

    public async Task<byte[]> HandleAsync(ReadOnlyMemory<byte> eventJson, LambdaInvocation invocation, CancellationToken ct)
    {
        var report = await RunAsync(invocation.Deadline, ct);
        log.Info("webhook retries", invocation.RequestId, ("due", report.Due), ("tried", report.Tried), ("delivered", report.Delivered),
            ("failed", report.Failed), ("lost", report.Lost), ("errors", report.Errors));
        return JsonSerializer.SerializeToUtf8Bytes(report, ApiViewJsonContext.Default.WebhookRetryReport);
    }

    public async Task<WebhookRetryReport> RunAsync(DateTimeOffset deadline, CancellationToken ct)
    {
        int tried = 0, delivered = 0, failed = 0, lost = 0, errors = 0;
        var due = await store.DueAsync(clock.GetUtcNow(), BatchSize, ct);
        foreach (var retry in due)
        {
            // Deadline is Lambda's (wall-clock): a try takes up to 10 s.
            if (DateTimeOffset.UtcNow > deadline - TimeSpan.FromSeconds(15)) break;
            try
            {
                var claim = clock.GetUtcNow() + WebhookDispatcher.Claim;
                if (!await store.ClaimAsync(retry, claim, ct)) { lost++; continue; }
                var delivery = await store.GetDeliveryAsync(retry.Business, retry.WebhookId, retry.DeliveryId, ct);
                if (delivery is null) { lost++; continue; }
                if (delivery.Status != Domain.Webhooks.WebhookDeliveryStatus.Pending)
                {
                    // Settled by a resend meanwhile: the marker goes, nothing is sent.
                    await store.RecordAsync(delivery with { NextAttemptAt = null, Version = delivery.Version + 1 }, claim, CancellationToken.None);
                    continue;
                }
                var endpoint = await store.GetAsync(retry.Business, retry.WebhookId, ct);
                var after = await dispatcher.TryAsync(endpoint, delivery, claim, ct);
                tried++;
                if (after.Status == Domain.Webhooks.WebhookDeliveryStatus.Delivered) delivered++;
                if (after.Status == Domain.Webhooks.WebhookDeliveryStatus.Failed) failed++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                errors++; // the claim runs out and a later run tries again
                log.Error("webhook retry failed", e, null, ("deliveryId", retry.DeliveryId));
            }
        }
        return new WebhookRetryReport(due.Count, tried, delivered, failed, lost, errors);
    }
}
