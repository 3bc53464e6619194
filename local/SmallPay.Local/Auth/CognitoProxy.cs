using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using SmallPay.Local.Aws;

namespace SmallPay.Local.Auth;

/// <summary>
/// The app's Cognito endpoint locally (config.json's <c>cognitoEndpoint</c>): every call goes on to moto unchanged, and
/// a confirmed sign-up then gets <c>email_verified</c>, as Cognito sets it when the e-mailed code confirms the address
/// (the pool's AutoVerifiedAttributes). moto does not, and its ID tokens would then lack the claim that invitations
/// rely on (only a verified address may accept one).
/// </summary>
public sealed class CognitoProxy(HttpClient http, Uri moto, LocalCognito cognito, Func<string?> userPoolId)
{
    public const string Path = "/_local/cognito";

    public async Task<bool> TryServeAsync(HttpContext context)
    {
        if (context.Request.Path != Path && context.Request.Path != Path + "/") return false;
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            // Only browsers on this machine reach this host; the Cognito SDK sends its own headers.
            context.Response.Headers.AccessControlAllowOrigin = origin;
            context.Response.Headers.AccessControlAllowHeaders = context.Request.Headers.AccessControlRequestHeaders.ToString() is { Length: > 0 } asked ? asked : "*";
            context.Response.Headers.AccessControlAllowMethods = "POST, OPTIONS";
            context.Response.Headers.AccessControlMaxAge = "600";
        }
        if (HttpMethods.IsOptions(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return true;
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        using var forward = new HttpRequestMessage(HttpMethod.Post, new Uri(moto, "/")) { Content = new ByteArrayContent(body.ToArray()) };
        forward.Content.Headers.TryAddWithoutValidation("Content-Type", context.Request.ContentType ?? "application/x-amz-json-1.1");
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        foreach (var header in new[] { "X-Amz-Target", "X-Amz-User-Agent", "Authorization", "X-Amz-Date" })
            if (context.Request.Headers.TryGetValue(header, out var value)) forward.Headers.TryAddWithoutValidation(header, value.ToString());
        using var answer = await http.SendAsync(forward, context.RequestAborted);
        var bytes = await answer.Content.ReadAsByteArrayAsync(context.RequestAborted);

        if (answer.IsSuccessStatusCode && target.EndsWith(".ConfirmSignUp", StringComparison.Ordinal)
            && JsonNode.Parse(body.ToArray())?["Username"]?.GetValue<string>() is { Length: > 0 } username && userPoolId() is { } pool)
        {
            await cognito.CallAsync("AdminUpdateUserAttributes", new JsonObject
            {
                ["UserPoolId"] = pool,
                ["Username"] = username,
                ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email_verified", ["Value"] = "true" }),
            }, context.RequestAborted);
        }

        context.Response.StatusCode = (int)answer.StatusCode;
        context.Response.ContentType = answer.Content.Headers.ContentType?.ToString() ?? "application/x-amz-json-1.1";
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
        return true;
    }
}
