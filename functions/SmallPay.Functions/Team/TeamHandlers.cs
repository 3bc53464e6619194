using System.Security.Cryptography;
using SmallPay.Domain.Teams;
using SmallPay.Domain.Validation;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Team;

/// <summary>GET /me: the caller, and every business they may open (their own first).</summary>
public sealed class GetMe(ITeamStore teams, ISettingsStore settings) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var user = request.Actor;
        var own = await settings.GetAsync(user, ct);
        var businesses = new List<BusinessView> { new(user, own.BusinessName, Role.Owner.Name(), true) };
        foreach (var membership in await teams.MembershipsAsync(user, ct))
        {
            var name = (await settings.GetAsync(membership.Business, ct)).BusinessName;
            businesses.Add(new BusinessView(membership.Business, name, membership.Role.Name(), false));
        }
        var preferred = await teams.DefaultBusinessAsync(user, ct);
        var defaultBusiness = businesses.Any(b => b.Id == preferred) ? preferred! : user;
        return ApiResponse.Ok(new MeView(user, request.ActorEmail, defaultBusiness, businesses), ApiViewJsonContext.Default.MeView);
    }
}

/// <summary>GET /team: the members of the business (its founder first) and its invitations.</summary>
public sealed class GetTeam(ITeamStore teams) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var members = await TeamAccess.MembersAsync(teams, request, ct);
        var invitations = (await teams.InvitationsAsync(request.Tenant, ct)).OrderByDescending(i => i.CreatedAt).ToList();
        return ApiResponse.Ok(new TeamView(request.Tenant, request.Role.Name(),
            members.Select(m => MemberView.From(m, request.Actor)).ToList(),
            invitations.Select(i => InvitationView.From(i, request.ReceivedAt)).ToList()), ApiViewJsonContext.Default.TeamView);
    }
}

/// <summary>
/// POST /team/invitations: invites someone by e-mail with a role; the e-mail (with the link) goes through the document
/// pipeline. The answer carries the link too, so the owner can also pass it on; only the invited address can use it.
/// </summary>
public sealed class InviteMember(ITeamStore teams, IMailPolicyStore mailPolicy, SmallPay.Domain.Documents.SendingPolicy policy, string appUrl) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var input = request.ReadJson(ApiJsonContext.Default.InvitationInput);
        var (email, role) = TeamRules.ValidateInvitation(input.Email, input.Role);
        var members = await TeamAccess.MembersAsync(teams, request, ct);
        if (members.Any(m => string.Equals(m.Email, email, StringComparison.OrdinalIgnoreCase)))
            throw Problems.Conflict($"{email} is a member of this business already.", "/email");
        var pending = (await teams.InvitationsAsync(request.Tenant, ct)).Where(i => i.StatusAt(request.ReceivedAt) == InvitationStatus.Pending).ToList();
        if (pending.Any(i => string.Equals(i.Email, email, StringComparison.OrdinalIgnoreCase)))
            throw Problems.Conflict($"{email} has a pending invitation already: revoke it to send a new one.", "/email");
        if (pending.Count >= TeamRules.MaxPendingInvitations || members.Count + pending.Count >= TeamRules.MaxMembers)
            throw Problems.Conflict($"A business may have at most {TeamRules.MaxMembers} members and {TeamRules.MaxPendingInvitations} pending invitations.");

        // The link's secret is always fresh (never derived from anything a client sent); a replay under the same
        // Idempotency-Key gets the first answer back, link included, from the idempotency record.
        var token = NewToken();
        var invitation = new Invitation(DynamoDbTeamStore.InvitationIdOf(token), request.Tenant, email, role,
            request.ReceivedAt, request.ReceivedAt + TeamRules.InvitationLifetime, request.Actor);
        // The invitation is an e-mail sent in the business's name: it counts against the daily sending limit.
        var standing = await mailPolicy.StandingAsync(request.Tenant, request.Today, ct);
        try
        {
            await teams.CreateInvitationAsync(invitation, token, ct, new SendingQuota(request.Tenant, request.Today, 1, policy.DailyLimit(standing)));
        }
        catch (SendingLimitException limit)
        {
            throw SmallPay.Functions.Documents.SendingProblems.LimitReached(limit, request.ReceivedAt);
        }
        return ApiResponse.Created(InvitationView.From(invitation, request.ReceivedAt, JoinLink(appUrl, token)), ApiViewJsonContext.Default.InvitationView,
            $"/team/invitations/{invitation.Id}");
    }

    public static string JoinLink(string appUrl, string token) => $"{appUrl.TrimEnd('/')}/join?token={token}";

    private static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>DELETE /team/invitations/{invitationId}: a pending invitation can no longer be used.</summary>
public sealed class RevokeInvitation(ITeamStore teams) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var id = request.PathParameter("invitationId");
        if (!SmallPay.Domain.Ids.IsWellFormed(id, "ivt") || !await teams.RevokeInvitationAsync(request.Tenant, id, ct))
            throw Problems.NotFound($"A pending invitation {id}");
        return ApiResponse.NoContent();
    }
}

/// <summary>PUT /team/members/{userId}: gives a member another role (the founder stays owner).</summary>
public sealed class ChangeMemberRole(ITeamStore teams) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var expected = request.RequireIfMatchVersion();
        var role = TeamRules.ValidateRole(request.ReadJson(ApiJsonContext.Default.RoleInput).Role);
        var member = await TeamAccess.MemberAsync(teams, request, ct);
        TeamRules.CheckOwnerRemains(request.Tenant, member);
        if (member.Version != expected) throw new StaleVersionException($"Member {member.Email ?? member.User}");
        await teams.ChangeRoleAsync(request.Tenant, member.User, role, expected, ct);
        var changed = member with { Role = role, Version = expected + 1 };
        return ApiResponse.OkWithETag(MemberView.From(changed, request.Actor), ApiViewJsonContext.Default.MemberView, changed.Version);
    }
}

/// <summary>
/// DELETE /team/members/{userId}: removes a member (an owner removes anyone but the founder; anyone may leave). Their
/// next request to this business is refused, though their sign-in is still valid.
/// </summary>
public sealed class RemoveMember(ITeamStore teams) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var member = await TeamAccess.MemberAsync(teams, request, ct);
        if (member.User != request.Actor && !request.Role.Allows(Permission.ManageTeam))
            throw new ForbiddenException($"As {(request.Role == Role.Accountant ? "an" : "a")} {request.Role.Name()} of this business you may leave it, but not remove others; ask an owner.");
        TeamRules.CheckOwnerRemains(request.Tenant, member);
        await teams.RemoveAsync(request.Tenant, member.User, ct);
        return ApiResponse.NoContent();
    }
}

/// <summary>
/// POST /invitations/accept: the signed-in user joins the business that invited them, if the invitation is pending, not
/// expired, and addressed to their verified e-mail address. It opens as their default business in the app.
/// </summary>
public sealed class AcceptInvitation(ITeamStore teams, ISettingsStore settings) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var token = request.ReadJson(ApiJsonContext.Default.AcceptInvitationInput).Token?.Trim();
        if (string.IsNullOrEmpty(token) || token.Length > 200) throw Problems.Validation("/token", "is the code from the invitation's link");
        var invitation = await teams.InvitationAsync(DynamoDbTeamStore.InvitationIdOf(token), ct)
                         ?? throw Problems.NotFound("This invitation");
        switch (invitation.StatusAt(request.ReceivedAt))
        {
            case InvitationStatus.Accepted when invitation.AcceptedBy == request.Actor:
                return await JoinedAsync(request, invitation.Business, ct); // accepted already, by this user
            case InvitationStatus.Accepted: throw Problems.Conflict("This invitation has been used already.");
            case InvitationStatus.Revoked: throw Problems.Conflict("This invitation was withdrawn by the business.");
            case InvitationStatus.Expired: throw Problems.Conflict("This invitation has expired: ask for a new one.");
        }
        if (request.ActorEmail is null || !string.Equals(request.ActorEmail.Trim(), invitation.Email, StringComparison.OrdinalIgnoreCase))
            throw new ForbiddenException($"This invitation is for {invitation.Email}: sign in with that address to accept it.");
        if (invitation.Business == request.Actor) throw Problems.Conflict("You own this business already.");

        var membership = new Membership(invitation.Business, request.Actor, invitation.Role, request.ActorEmail, request.ReceivedAt, invitation.InvitedBy);
        try
        {
            if (!await teams.AcceptInvitationAsync(invitation, membership, request.ReceivedAt, ct))
                throw Problems.Conflict("This invitation was used, withdrawn or expired a moment ago.");
        }
        catch (AlreadyExistsException)
        {
            throw Problems.Conflict("You are a member of this business already.");
        }
        return await JoinedAsync(request, invitation.Business, ct);
    }

    private async Task<ApiResponse> JoinedAsync(ApiRequest request, string business, CancellationToken ct)
    {
        var role = await teams.RoleOfAsync(business, request.Actor, ct) ?? throw Problems.NotFound("Your membership");
        var name = (await settings.GetAsync(business, ct)).BusinessName;
        return ApiResponse.Ok(new BusinessView(business, name, role.Name(), false), ApiViewJsonContext.Default.BusinessView);
    }
}

internal static class TeamAccess
{
    /// <summary>The members, the founder (the business whose id is their sub, with no membership item) first.</summary>
    public static async Task<IReadOnlyList<Membership>> MembersAsync(ITeamStore teams, ApiRequest request, CancellationToken ct)
    {
        var members = await teams.MembersAsync(request.Tenant, ct);
        var founder = Membership.Own(request.Tenant, request.Tenant == request.Actor ? request.ActorEmail : null);
        return [founder, .. members.OrderBy(m => m.JoinedAt)];
    }

    public static async Task<Membership> MemberAsync(ITeamStore teams, ApiRequest request, CancellationToken ct)
    {
        var user = request.PathParameter("userId");
        return (await MembersAsync(teams, request, ct)).FirstOrDefault(m => m.User == user) ?? throw Problems.NotFound($"Member {user}");
    }
}
