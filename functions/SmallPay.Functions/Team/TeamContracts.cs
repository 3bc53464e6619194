using SmallPay.Domain.Teams;

namespace SmallPay.Functions.Team;

/// <summary>The body of POST /team/invitations.</summary>
public sealed class InvitationInput
{
    public string? Email { get; set; }
    public string? Role { get; set; }
}

/// <summary>The body of PUT /team/members/{userId}.</summary>
public sealed class RoleInput
{
    public string? Role { get; set; }
}

/// <summary>The body of POST /invitations/accept: the secret from the invitation's link.</summary>
public sealed class AcceptInvitationInput
{
    public string? Token { get; set; }
}

/// <summary>One business the caller belongs to, as the app's switcher lists it.</summary>
public sealed record BusinessView(string Id, string Name, string Role, bool Own);

/// <summary>GET /me: who the caller is and the businesses they work in.</summary>
public sealed record MeView(string UserId, string? Email, string DefaultBusiness, IReadOnlyList<BusinessView> Businesses);

public sealed record MemberView(string UserId, string? Email, string Role, DateTimeOffset? JoinedAt, bool Founder, bool You, long Version)
{
    public static MemberView From(Membership member, string caller) =>
        new(member.User, member.Email, member.Role.Name(), member.IsOwn ? null : member.JoinedAt, member.IsOwn, member.User == caller, member.Version);
}

public sealed record InvitationView(string Id, string Email, string Role, string Status, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? AcceptedAt, string? Link)
{
    public static InvitationView From(Invitation invitation, DateTimeOffset now, string? link = null) =>
        new(invitation.Id, invitation.Email, invitation.Role.Name(), invitation.StatusAt(now).ToString().ToLowerInvariant(),
            invitation.CreatedAt, invitation.ExpiresAt, invitation.AcceptedAt, link);
}

/// <summary>GET /team: the business's members and its invitations (newest first).</summary>
public sealed record TeamView(string Business, string YourRole, IReadOnlyList<MemberView> Members, IReadOnlyList<InvitationView> Invitations);
