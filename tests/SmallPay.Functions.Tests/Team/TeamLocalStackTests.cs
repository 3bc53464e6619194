using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SmallPay.Functions.Tests.Api;
using SmallPay.Functions.Tests.Infrastructure;
using SmallPay.Functions.Tests.Pipeline;

namespace SmallPay.Functions.Tests.Team;

/// <summary>
/// Teams end to end on the local stack: a user who signs up through the app's Cognito endpoint, an invitation mailed by
/// the document worker to maildev, its link accepted with the invitee's own token, and the membership read on every
/// request by the real functions over DynamoDB Local.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed partial class TeamLocalStackTests(LocalStackFixture stack) : PipelineTest(stack)
{
    [Fact]
    public async Task An_invitation_is_mailed_and_a_user_who_signed_up_in_the_app_joins_with_its_link()
    {
        var owner = await Stack.CreateUserAsync();
        var ownerApi = new ApiClient(Stack.CreateHttpClient(), owner.IdToken);
        var customer = (await ownerApi.PostAsync("/customers", ApiData.Customer("Team Client"))).Expect(201);
        var inviteeEmail = $"invitee-{Guid.NewGuid():N}@example.com";

        (await ownerApi.PostAsync("/team/invitations", new { email = inviteeEmail, role = "member" })).Expect(201);
        var mail = Assert.Single(await Stack.MailSink.WaitForRecipientAsync(inviteeEmail, timeout: TimeSpan.FromSeconds(30)));
        Assert.Contains("invited you", mail.Subject);
        var token = JoinLink().Match(mail.Text ?? "").Groups["token"].Value;
        Assert.NotEmpty(token);

        // The invitee signs up and confirms the way the app does, through config.json's cognitoEndpoint.
        var idToken = await SignUpThroughTheAppAsync(inviteeEmail, "Invitee-password-2026");
        var claims = JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(idToken.Split('.')[1]))!;
        Assert.Equal("true", claims["email_verified"]!.ToString());
        var invitee = new ApiClient(Stack.CreateHttpClient(), idToken);

        var joined = (await invitee.PostAsync("/invitations/accept", new { token })).Expect(200);
        Assert.Equal(owner.Sub, joined.Body["id"]!.GetValue<string>());
        var inBusiness = Stack.CreateHttpClient();
        inBusiness.DefaultRequestHeaders.Add("X-SmallPay-Business", owner.Sub);
        var member = new ApiClient(inBusiness, idToken);
        (await member.PostAsync("/invoices", ApiData.Invoice(customer.Id))).Expect(201);
        (await member.PutAsync("/settings", new { businessName = "Hijacked" }, "\"0\"")).Expect(403);

        var team = (await ownerApi.GetAsync("/team")).Expect(200);
        var memberView = team.Body["members"]!.AsArray().Single(m => m!["email"]?.GetValue<string>() == inviteeEmail)!;
        (await ownerApi.DeleteAsync($"/team/members/{memberView["userId"]!.GetValue<string>()}")).Expect(204);
        (await member.GetAsync("/invoices")).Expect(403);
    }

    private async Task<string> SignUpThroughTheAppAsync(string email, string password)
    {
        using var http = Stack.CreateHttpClient();
        var config = JsonNode.Parse(await http.GetStringAsync("config.json"))!;
        var endpoint = new Uri(config["cognitoEndpoint"]!.GetValue<string>());
        var clientId = config["userPoolClientId"]!.GetValue<string>();
        await CallAsync(http, endpoint, "SignUp", new JsonObject
        {
            ["ClientId"] = clientId, ["Username"] = email, ["Password"] = password,
            ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = email }),
        });
        await CallAsync(http, endpoint, "ConfirmSignUp", new JsonObject { ["ClientId"] = clientId, ["Username"] = email, ["ConfirmationCode"] = "123456" });
        var auth = await CallAsync(http, endpoint, "InitiateAuth", new JsonObject
        {
            ["ClientId"] = clientId, ["AuthFlow"] = "USER_PASSWORD_AUTH",
            ["AuthParameters"] = new JsonObject { ["USERNAME"] = email, ["PASSWORD"] = password },
        });
        return auth["AuthenticationResult"]!["IdToken"]!.GetValue<string>();
    }

    private static async Task<JsonNode> CallAsync(HttpClient http, Uri endpoint, string operation, JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.Add("X-Amz-Target", $"AWSCognitoIdentityProviderService.{operation}");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{operation}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text.Length == 0 ? "{}" : text)!;
    }

    [GeneratedRegex(@"/join\?token=(?<token>[A-Za-z0-9_-]+)")]
    private static partial Regex JoinLink();
}
