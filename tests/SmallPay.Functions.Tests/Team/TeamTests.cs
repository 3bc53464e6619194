using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SmallPay.Functions.Tests.Api;
using SmallPay.Local;
using SmallPay.Local.Template;
using SmallPay.Testing;

namespace SmallPay.Functions.Tests.Team;

/// <summary>
/// A business with teammates, over the in-memory API: who may call which route, invitations (expiry, revocation,
/// reuse, the wrong address), removal taking effect on the next request, role changes, and businesses kept apart.
/// </summary>
public sealed class TeamTests
{
    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private readonly Clock _clock = new(DateTimeOffset.UtcNow);
    private readonly InMemoryApi _api;

    public TeamTests() => _api = new InMemoryApi(new InMemoryFunctionServices(clock: _clock));

    private sealed record User(string Sub, string Email, ApiClient Api);

    private User NewUser(string? business = null)
    {
        var sub = Guid.NewGuid().ToString();
        var email = $"user-{sub[..8]}@example.com";
        var http = _api.CreateClient();
        if (business is not null) http.DefaultRequestHeaders.Add("X-SmallPay-Business", business);
        return new User(sub, email, new ApiClient(http, InMemoryApi.Token(sub, email)));
    }

    /// <summary>The same user, calling in <paramref name="business"/>.</summary>
    private User In(User user, string business)
    {
        var http = _api.CreateClient();
        http.DefaultRequestHeaders.Add("X-SmallPay-Business", business);
        return user with { Api = new ApiClient(http, InMemoryApi.Token(user.Sub, user.Email)) };
    }

    /// <summary>Invites <paramref name="invitee"/> into the owner's business with a role and has them accept.</summary>
    private async Task<User> JoinAsync(User owner, User invitee, string role)
    {
        var invitation = (await owner.Api.PostAsync("/team/invitations", new { email = invitee.Email, role })).Expect(201);
        var token = Token(invitation);
        (await invitee.Api.PostAsync("/invitations/accept", new { token })).Expect(200);
        return In(invitee, owner.Sub);
    }

    private static string Token(ApiResult invitation) =>
        invitation.Body["link"]!.GetValue<string>().Split("token=")[1];

    // ------------------------------------------------------------------ the role matrix

    /// <summary>
    /// What each role may do, route by route, written out (not derived from the code): the owner everything; a member
    /// customers, invoices, sending and payments but not settings or the team; an accountant reads only. "Self" routes
    /// are the caller's own (GET /me, accepting an invitation) and leaving a business is open to every member.
    /// </summary>
    private static readonly Dictionary<string, (bool Member, bool Accountant)> Matrix = new()
    {
        ["POST /invoices"] = (true, false),
        ["GET /invoices"] = (true, true),
        ["GET /invoices/{invoiceId}"] = (true, true),
        ["GET /invoices/{invoiceId}/activity"] = (true, true),
        ["PUT /invoices/{invoiceId}"] = (true, false),
        ["DELETE /invoices/{invoiceId}"] = (true, false),
        ["POST /invoices/{invoiceId}/finalize"] = (true, false),
        ["POST /invoices/{invoiceId}/void"] = (true, false),
        ["POST /invoices/{invoiceId}/payments"] = (true, false),
        ["POST /invoices/{invoiceId}/send"] = (true, false),
        ["POST /invoices/{invoiceId}/reminders"] = (true, false),
        ["PUT /invoices/{invoiceId}/reminders"] = (true, false),
        ["GET /invoices/{invoiceId}/pdf"] = (true, true),
        ["POST /customers"] = (true, false),
        ["GET /customers"] = (true, true),
        ["GET /customers/{customerId}"] = (true, true),
        ["GET /customers/{customerId}/activity"] = (true, true),
        ["PUT /customers/{customerId}"] = (true, false),
        ["DELETE /customers/{customerId}"] = (true, false),
        ["GET /dashboard"] = (true, true),
        ["GET /settings"] = (true, true),
        ["PUT /settings"] = (false, false),
        ["POST /settings/email-verification"] = (false, false),
        ["POST /settings/email-verification/confirm"] = (false, false),
        ["GET /me"] = (true, true),
        ["GET /team"] = (true, true),
        ["POST /team/invitations"] = (false, false),
        ["DELETE /team/invitations/{invitationId}"] = (false, false),
        ["PUT /team/members/{userId}"] = (false, false),
        ["DELETE /team/members/{userId}"] = (false, false), // removing someone else; leaving is tested on its own
        ["POST /invitations/accept"] = (true, true),
        ["POST /recurring"] = (true, false),
        ["GET /recurring"] = (true, true),
        ["GET /recurring/{profileId}"] = (true, true),
        ["PUT /recurring/{profileId}"] = (true, false),
        ["POST /recurring/{profileId}/pause"] = (true, false),
        ["POST /recurring/{profileId}/resume"] = (true, false),
        ["DELETE /invoices/{invoiceId}/links"] = (true, false),
        ["POST /quotes"] = (true, false),
        ["GET /quotes"] = (true, true),
        ["GET /quotes/{quoteId}"] = (true, true),
        ["PUT /quotes/{quoteId}"] = (true, false),
        ["DELETE /quotes/{quoteId}"] = (true, false),
        ["POST /quotes/{quoteId}/send"] = (true, false),
        ["POST /quotes/{quoteId}/convert"] = (true, false),
        ["DELETE /quotes/{quoteId}/links"] = (true, false),
        ["POST /invoices/{invoiceId}/credit-notes"] = (true, false),
        ["GET /credit-notes"] = (true, true),
        ["GET /credit-notes/{creditNoteId}"] = (true, true),
        ["POST /credit-notes/{creditNoteId}/refunds"] = (true, false),
        ["POST /credit-notes/{creditNoteId}/send"] = (true, false),
        ["GET /credit-notes/{creditNoteId}/pdf"] = (true, true),
        ["GET /exports"] = (true, true), // accountants export
        ["POST /customers/import/preview"] = (true, false),
        ["POST /customers/import"] = (true, false),
        ["POST /webhooks"] = (false, false),
        ["GET /webhooks"] = (false, false),
        ["GET /webhooks/{webhookId}"] = (false, false),
        ["PUT /webhooks/{webhookId}"] = (false, false),
        ["DELETE /webhooks/{webhookId}"] = (false, false),
        ["POST /webhooks/{webhookId}/secret"] = (false, false),
        ["GET /webhooks/{webhookId}/deliveries"] = (false, false),
        ["POST /webhooks/{webhookId}/deliveries/{deliveryId}/resend"] = (false, false),
    };

    private static IReadOnlyList<string> TemplateRoutes()
    {
        var template = SamTemplate.Load(RepositoryLayout.FindTemplate());
        // The customer's pages (no JWT, no business, no role) are not the team's: CustomerPage's tests cover them.
        return HttpApiDefinition.ReadAll(template, SamFunction.ReadAll(template)).SelectMany(api => api.Routes)
            .Where(r => !SmallPay.Functions.Hosting.FunctionCatalog.PublicFunctions.Contains(r.Function.CatalogName)).Select(r => r.RouteKey).ToList();
    }

    [Fact]
    public void The_matrix_covers_every_route_of_the_template()
    {
        Assert.Equal(TemplateRoutes().Order(), Matrix.Keys.Order());
    }

    [Theory]
    [InlineData("owner")]
    [InlineData("member")]
    [InlineData("accountant")]
    [InlineData("stranger")]
    public async Task Every_route_lets_a_role_do_what_the_matrix_says_and_refuses_the_rest_with_a_403(string role)
    {
        var owner = NewUser();
        var customer = (await owner.Api.PostAsync("/customers", ApiData.Customer())).Expect(201);
        var draft = (await owner.Api.PostAsync("/invoices", ApiData.Invoice(customer.Id))).Expect(201);
        var caller = role switch
        {
            "owner" => await JoinAsync(owner, NewUser(), "owner"),
            "member" => await JoinAsync(owner, NewUser(), "member"),
            "accountant" => await JoinAsync(owner, NewUser(), "accountant"),
            _ => In(NewUser(), owner.Sub),
        };
        var problems = new List<string>();
        foreach (var (route, (member, accountant)) in Matrix)
        {
            var allowed = route is "GET /me" or "POST /invitations/accept" || role switch
            {
                "owner" => true,
                "member" => member,
                "accountant" => accountant,
                _ => false,
            };
            var (method, template) = (route.Split(' ')[0], route.Split(' ')[1]);
            var path = template.Replace("{invoiceId}", draft.Id).Replace("{customerId}", customer.Id)
                .Replace("{invitationId}", "ivt_00000000000000000000000000").Replace("{profileId}", "prf_00000000000000000000000000").Replace("{quoteId}", "quo_00000000000000000000000000").Replace("{userId}", owner.Sub)
                .Replace("{webhookId}", "whk_00000000000000000000000000").Replace("{deliveryId}", "wdl_00000000000000000000000000");
            var body = method is "POST" or "PUT" ? (object)new { } : null;
            var headers = method == "PUT" ? new Dictionary<string, string> { ["If-Match"] = "\"1\"" } : null;
            var result = await caller.Api.SendAsync(new HttpMethod(method), path, body, headers);
            if (result.Code >= 500) problems.Add($"{route}: {result.Code} {result.Text}");
            else if (allowed && result.Code == 403) problems.Add($"{route}: refused ({result.Text}) but the {role} may");
            else if (!allowed && (result.Code != 403 || result.Body["type"]!.GetValue<string>() != "/problems/forbidden"))
                problems.Add($"{route}: {result.Code} but the {role} may not: {result.Text}");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task A_refusal_says_why_in_words_the_app_can_show()
    {
        var owner = NewUser();
        var accountant = await JoinAsync(owner, NewUser(), "accountant");

        var refused = (await accountant.Api.PostAsync("/customers", ApiData.Customer())).Expect(403);

        Assert.Equal("/problems/forbidden", refused.Body["type"]!.GetValue<string>());
        Assert.Contains("accountant", refused.Body["detail"]!.GetValue<string>());
    }

    // ------------------------------------------------------------------ invitations

    [Fact]
    public async Task An_invited_member_works_in_the_business_and_their_writes_record_who_they_are()
    {
        var owner = NewUser();
        var customer = (await owner.Api.PostAsync("/customers", ApiData.Customer("Shared Client"))).Expect(201);
        var invitee = NewUser();
        var member = await JoinAsync(owner, invitee, "member");

        var me = (await invitee.Api.GetAsync("/me")).Expect(200);
        Assert.Equal(owner.Sub, me.Body["defaultBusiness"]!.GetValue<string>());
        Assert.Contains(me.Body["businesses"]!.AsArray(), b => b!["id"]!.GetValue<string>() == owner.Sub && b["role"]!.GetValue<string>() == "member");
        Assert.Contains(me.Body["businesses"]!.AsArray(), b => b!["id"]!.GetValue<string>() == invitee.Sub && b["own"]!.GetValue<bool>());

        var invoice = (await member.Api.PostAsync("/invoices", ApiData.Invoice(customer.Id))).Expect(201);
        (await owner.Api.GetAsync($"/invoices/{invoice.Id}")).Expect(200);
        var stored = _api.Services.Stores.Invoices.All.Single(i => i.Id == invoice.Id);
        Assert.Equal(owner.Sub, stored.Tenant);
        Assert.Equal(invitee.Sub, stored.UpdatedBy);

        var team = (await owner.Api.GetAsync("/team")).Expect(200);
        Assert.Equal([owner.Sub, invitee.Sub], team.Body["members"]!.AsArray().Select(m => m!["userId"]!.GetValue<string>()));
        Assert.Equal("accepted", team.Body["invitations"]![0]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_invitation_works_once_only_for_its_address_and_not_after_it_expires_or_is_revoked()
    {
        var owner = NewUser();
        var invitee = NewUser();
        var invitation = (await owner.Api.PostAsync("/team/invitations", new { email = invitee.Email, role = "accountant" })).Expect(201);
        var token = Token(invitation);

        var stranger = NewUser();
        Assert.Contains(invitee.Email, (await stranger.Api.PostAsync("/invitations/accept", new { token })).Expect(403).Body["detail"]!.GetValue<string>());
        (await invitee.Api.PostAsync("/invitations/accept", new { token })).Expect(200);
        (await invitee.Api.PostAsync("/invitations/accept", new { token })).Expect(200); // the same user again: still a member, nothing new
        Assert.Contains("used", (await stranger.Api.PostAsync("/invitations/accept", new { token })).Expect(409).Body["detail"]!.GetValue<string>());
        (await NewUser().Api.PostAsync("/invitations/accept", new { token = "not-a-real-token" })).Expect(404);

        var later = NewUser();
        var expiring = Token((await owner.Api.PostAsync("/team/invitations", new { email = later.Email, role = "member" })).Expect(201));
        _clock.Now += TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1);
        Assert.Contains("expired", (await later.Api.PostAsync("/invitations/accept", new { token = expiring })).Expect(409).Body["detail"]!.GetValue<string>());

        var revokedFor = NewUser();
        var revoked = (await owner.Api.PostAsync("/team/invitations", new { email = revokedFor.Email, role = "member" })).Expect(201);
        (await owner.Api.DeleteAsync($"/team/invitations/{revoked.Id}")).Expect(204);
        (await owner.Api.DeleteAsync($"/team/invitations/{revoked.Id}")).Expect(404);
        Assert.Contains("withdrawn", (await revokedFor.Api.PostAsync("/invitations/accept", new { token = Token(revoked) })).Expect(409).Body["detail"]!.GetValue<string>());
        (await In(revokedFor, owner.Sub).Api.GetAsync("/invoices")).Expect(403);
    }

    [Fact]
    public async Task Invitations_are_checked_before_anything_is_stored()
    {
        var owner = NewUser();
        var member = await JoinAsync(owner, NewUser(), "member");

        (await owner.Api.PostAsync("/team/invitations", new { email = "not an address", role = "member" })).Expect(422);
        (await owner.Api.PostAsync("/team/invitations", new { email = "a@example.com", role = "emperor" })).Expect(422);
        (await owner.Api.PostAsync("/team/invitations", new { email = "a@example.com", role = 1 })).Expect(400);
        (await owner.Api.PostAsync("/team/invitations", new { email = member.Email, role = "member" })).Expect(409);
        (await owner.Api.PostAsync("/team/invitations", new { email = "twice@example.com", role = "member" })).Expect(201);
        (await owner.Api.PostAsync("/team/invitations", new { email = "TWICE@example.com", role = "member" })).Expect(409);
        Assert.Equal(2, (await owner.Api.GetAsync("/team")).Expect(200).Body["invitations"]!.AsArray().Count);
    }

    // ------------------------------------------------------------------ members

    [Fact]
    public async Task A_removed_member_is_refused_on_their_very_next_request()
    {
        var owner = NewUser();
        var member = await JoinAsync(owner, NewUser(), "member");
        (await member.Api.GetAsync("/invoices")).Expect(200);

        (await owner.Api.DeleteAsync($"/team/members/{member.Sub}")).Expect(204);

        var refused = (await member.Api.GetAsync("/invoices")).Expect(403);
        Assert.Contains("not a member", refused.Body["detail"]!.GetValue<string>());
        Assert.DoesNotContain((await member.Api.GetAsync("/me")).Expect(200).Body["businesses"]!.AsArray(), b => b!["id"]!.GetValue<string>() == owner.Sub);
    }

    [Fact]
    public async Task A_role_change_applies_at_once_and_the_founder_stays_owner()
    {
        var owner = NewUser();
        var member = await JoinAsync(owner, NewUser(), "member");
        var coOwner = await JoinAsync(owner, NewUser(), "owner");
        (await member.Api.PostAsync("/customers", ApiData.Customer())).Expect(201);

        (await coOwner.Api.PutAsync($"/team/members/{member.Sub}", new { role = "accountant" }, null)).Expect(428);
        (await coOwner.Api.PutAsync($"/team/members/{member.Sub}", new { role = "accountant" }, "\"7\"")).Expect(412);
        var changed = (await coOwner.Api.PutAsync($"/team/members/{member.Sub}", new { role = "accountant" }, "\"1\"")).Expect(200);
        Assert.Equal("\"2\"", changed.ETag);
        (await owner.Api.PutAsync($"/team/members/{member.Sub}", new { role = "owner" }, "\"1\"")).Expect(412); // a stale second change loses
        (await member.Api.PostAsync("/customers", ApiData.Customer())).Expect(403);
        (await member.Api.GetAsync("/customers")).Expect(200);

        (await coOwner.Api.PutAsync($"/team/members/{owner.Sub}", new { role = "member" }, "\"0\"")).Expect(409);
        (await coOwner.Api.DeleteAsync($"/team/members/{owner.Sub}")).Expect(409);
        (await member.Api.DeleteAsync($"/team/members/{coOwner.Sub}")).Expect(403);
        (await member.Api.DeleteAsync($"/team/members/{member.Sub}")).Expect(204); // leaving is always allowed
        (await member.Api.GetAsync("/customers")).Expect(403);

        // An owner who is not the founder can be made a member, and can leave.
        var coOwnerVersion = (await owner.Api.GetAsync("/team")).Expect(200).Body["members"]!.AsArray()
            .Single(m => m!["userId"]!.GetValue<string>() == coOwner.Sub)!["version"]!.GetValue<long>();
        (await owner.Api.PutAsync($"/team/members/{coOwner.Sub}", new { role = "member" }, $"\"{coOwnerVersion}\"")).Expect(200);
        (await coOwner.Api.DeleteAsync($"/team/members/{coOwner.Sub}")).Expect(204);
    }

    // ------------------------------------------------------------------ businesses kept apart

    [Fact]
    public async Task A_member_of_one_business_never_sees_or_touches_another()
    {
        var ownerA = NewUser();
        var ownerB = NewUser();
        var customerB = (await ownerB.Api.PostAsync("/customers", ApiData.Customer("B's client"))).Expect(201);
        var invoiceB = (await ownerB.Api.PostAsync("/invoices", ApiData.Invoice(customerB.Id))).Expect(201);
        var memberOfA = await JoinAsync(ownerA, NewUser(), "owner");

        (await In(memberOfA, ownerB.Sub).Api.GetAsync("/invoices")).Expect(403);
        (await In(memberOfA, ownerB.Sub).Api.GetAsync($"/invoices/{invoiceB.Id}")).Expect(403);
        (await memberOfA.Api.GetAsync($"/invoices/{invoiceB.Id}")).Expect(404);
        (await memberOfA.Api.GetAsync($"/customers/{customerB.Id}")).Expect(404);
        Assert.Empty((await memberOfA.Api.GetAsync("/invoices")).Expect(200).Body["items"]!.AsArray());
        (await In(ownerA, ownerB.Sub).Api.PostAsync("/team/invitations", new { email = "x@example.com", role = "owner" })).Expect(403);
        (await NewUser(business: "../../etc").Api.GetAsync("/invoices")).Expect(400);
    }

    [Fact]
    public async Task An_account_from_before_teams_keeps_working_without_naming_a_business()
    {
        var owner = NewUser();
        var customer = (await owner.Api.PostAsync("/customers", ApiData.Customer())).Expect(201);
        (await owner.Api.PostAsync("/invoices", ApiData.Invoice(customer.Id))).Expect(201);

        var me = (await owner.Api.GetAsync("/me")).Expect(200);
        Assert.Equal(owner.Sub, me.Body["defaultBusiness"]!.GetValue<string>());
        Assert.Single(me.Body["businesses"]!.AsArray());
        Assert.Single((await In(owner, owner.Sub).Api.GetAsync("/invoices")).Expect(200).Body["items"]!.AsArray());
        Assert.Equal("owner", (await owner.Api.GetAsync("/team")).Expect(200).Body["yourRole"]!.GetValue<string>());
    }
}
