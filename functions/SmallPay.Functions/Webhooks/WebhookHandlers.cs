using SmallPay.Domain;
using SmallPay.Domain.Webhooks;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Webhooks;

/// <summary>POST /webhooks: registers an endpoint; the answer shows its signing secret, this once.</summary>
public sealed class CreateWebhook(IWebhookStore webhooks, WebhookUrlVetting vetting) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var input = request.ReadJson(ApiJsonContext.Default.WebhookInput);
        var endpoint = WebhookRules.Validate(input.Url, input.Events, input.Description, vetting.TestReceiverOrigin);
        await vetting.CheckAsync(endpoint.Url, ct);
        var created = new WebhookEndpoint(request.Tenant, request.NewId(WebhookEndpoint.IdPrefix), endpoint.Url, endpoint.Events, endpoint.Description,
            Enabled: true, WebhookSignature.NewSecret(), null, null, request.ReceivedAt, request.ReceivedAt, 1, request.Actor);
        try
        {
            await webhooks.CreateAsync(created, ct);
        }
        catch (WebhookLimitException limit)
        {
            throw Problems.Conflict(limit.Message + " Delete one you no longer use.");
        }
        return ApiResponse.Created(WebhookView.From(created, request.ReceivedAt, created.Secret), ApiViewJsonContext.Default.WebhookView,
            $"/webhooks/{created.Id}", Hosting.Http.ETags.Format(created.Version));
    }
}

/// <summary>GET /webhooks: the business's endpoints (never their secrets) and the event types one may subscribe to.</summary>
public sealed class ListWebhooks(IWebhookStore webhooks) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct) =>
        ApiResponse.Ok(new WebhookListView((await webhooks.ListAsync(request.Tenant, ct)).OrderBy(e => e.CreatedAt).Select(e => WebhookView.From(e, request.ReceivedAt)).ToList(),
            WebhookEventTypes.All), ApiViewJsonContext.Default.WebhookListView);
}

/// <summary>GET /webhooks/{webhookId}.</summary>
public sealed class GetWebhook(IWebhookStore webhooks) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var endpoint = await WebhookAccess.EndpointAsync(webhooks, request, ct);
        return ApiResponse.OkWithETag(WebhookView.From(endpoint, request.ReceivedAt), ApiViewJsonContext.Default.WebhookView, endpoint.Version);
    }
}

/// <summary>PUT /webhooks/{webhookId} (If-Match): the URL, events, description and whether it is enabled.</summary>
public sealed class UpdateWebhook(IWebhookStore webhooks, WebhookUrlVetting vetting) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var expected = request.RequireIfMatchVersion();
        var input = request.ReadJson(ApiJsonContext.Default.WebhookInput);
        var endpoint = WebhookRules.Validate(input.Url, input.Events, input.Description, vetting.TestReceiverOrigin);
        var current = await WebhookAccess.EndpointAsync(webhooks, request, ct);
        if (current.Version != expected) throw new StaleVersionException("The webhook endpoint");
        if (endpoint.Url != current.Url) await vetting.CheckAsync(endpoint.Url, ct);
        var changed = current with
        {
            Url = endpoint.Url, Events = endpoint.Events, Description = endpoint.Description, Enabled = input.Enabled ?? current.Enabled,
            UpdatedAt = request.ReceivedAt, Version = expected + 1,
        };
        await webhooks.UpdateAsync(changed, expected, ct);
        return ApiResponse.OkWithETag(WebhookView.From(changed, request.ReceivedAt), ApiViewJsonContext.Default.WebhookView, changed.Version);
    }
}

/// <summary>DELETE /webhooks/{webhookId}: nothing more is sent to it (retries still due end as Failed).</summary>
public sealed class DeleteWebhook(IWebhookStore webhooks) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var id = request.PathParameter("webhookId");
        if (!Ids.IsWellFormed(id, WebhookEndpoint.IdPrefix) || !await webhooks.DeleteAsync(request.Tenant, id, ct))
            throw Problems.NotFound($"Webhook endpoint {id}");
        return ApiResponse.NoContent();
    }
}

/// <summary>
/// POST /webhooks/{webhookId}/secret: a new signing secret, shown this once; the old one keeps signing beside it for
/// 24 hours (two v1 values in SmallPay-Signature) so the receiver can switch over.
/// </summary>
public sealed class RotateWebhookSecret(IWebhookStore webhooks) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var current = await WebhookAccess.EndpointAsync(webhooks, request, ct);
        if (request.IfMatchVersion() is { } expected && expected != current.Version) throw new StaleVersionException("The webhook endpoint");
        var rotated = current.Rotated(WebhookSignature.NewSecret(), request.ReceivedAt) with { Version = current.Version + 1 };
        await webhooks.UpdateAsync(rotated, current.Version, ct);
        return ApiResponse.OkWithETag(WebhookView.From(rotated, request.ReceivedAt, rotated.Secret), ApiViewJsonContext.Default.WebhookView, rotated.Version);
    }
}

/// <summary>GET /webhooks/{webhookId}/deliveries: the delivery log, newest first, with every attempt.</summary>
public sealed class ListWebhookDeliveries(IWebhookStore webhooks) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var endpoint = await WebhookAccess.EndpointAsync(webhooks, request, ct);
        var page = await webhooks.DeliveriesAsync(request.Tenant, endpoint.Id, request.QueryInt("limit", 25, 1, 100), request.Query("cursor"), ct);
        return ApiResponse.Ok(new WebhookDeliveryListView(page.Items.Select(WebhookDeliveryView.From).ToList(), page.NextCursor),
            ApiViewJsonContext.Default.WebhookDeliveryListView);
    }
}

/// <summary>POST /webhooks/{webhookId}/deliveries/{deliveryId}/resend: one more try now; the answer shows how it went.</summary>
public sealed class ResendWebhookDelivery(IWebhookStore webhooks, WebhookDispatcher dispatcher) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var endpoint = await WebhookAccess.EndpointAsync(webhooks, request, ct);
        var id = request.PathParameter("deliveryId");
        var delivery = Ids.IsWellFormed(id, WebhookDelivery.IdPrefix) ? await webhooks.GetDeliveryAsync(request.Tenant, endpoint.Id, id, ct) : null;
        if (delivery is null) throw Problems.NotFound($"Delivery {id}");
        if (!endpoint.Enabled) throw Problems.Conflict("This endpoint is disabled: enable it to resend.");
        var after = await dispatcher.ResendAsync(endpoint, delivery, ct);
        return ApiResponse.Ok(WebhookDeliveryView.From(after), ApiViewJsonContext.Default.WebhookDeliveryView);
    }
}

internal static class WebhookAccess
{
    /// <summary>The endpoint in the path, of this business (another business's reads as 404).</summary>
    public static async Task<WebhookEndpoint> EndpointAsync(IWebhookStore webhooks, ApiRequest request, CancellationToken ct)
    {
        var id = request.PathParameter("webhookId");
        return (Ids.IsWellFormed(id, WebhookEndpoint.IdPrefix) ? await webhooks.GetAsync(request.Tenant, id, ct) : null)
               ?? throw Problems.NotFound($"Webhook endpoint {id}");
    }
}

/// <summary>
/// The check of a URL's host at registration: every address it resolves to must be public (the same check runs again at
/// each delivery, on the address actually connected to).
/// </summary>
public sealed class WebhookUrlVetting(IWebhookNetwork network, string? testReceiverOrigin)
{
    public string? TestReceiverOrigin => testReceiverOrigin;

    public async Task CheckAsync(string url, CancellationToken ct)
    {
        var uri = new Uri(url);
        if (WebhookRules.IsTestReceiver(uri, testReceiverOrigin)) return;
        // A name that does not resolve (yet) is accepted: it can reach nothing now, and every delivery checks again.
        var addresses = await network.ResolveAsync(uri.IdnHost, ct);
        if (addresses.FirstOrDefault(a => !WebhookAddresses.IsPublic(a)) is { } inside)
            throw Problems.Validation("/url", $"{uri.IdnHost} resolves to {inside}, a private, loopback, link-local or reserved address");
    }
}
