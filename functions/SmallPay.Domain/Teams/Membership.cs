namespace SmallPay.Domain.Teams;

/// <summary>
/// A user (a Cognito <c>sub</c>) in a business, with a role. A business is identified by the id its data is stored
/// under; every user owns the business whose id is their own <c>sub</c> (so an account made before teams existed is
/// that business's owner, and nothing stored had to move).
/// </summary>
public sealed record Membership(string Business, string User, Role Role, string? Email, DateTimeOffset JoinedAt, string? AddedBy,
    string? BusinessName = null, long Version = 1)
{
    /// <summary>The business every user owns: the one whose id is their sub. It needs no membership item.</summary>
    public static Membership Own(string user, string? email) => new(user, user, Role.Owner, email, DateTimeOffset.UnixEpoch, null, Version: 0);

    public bool IsOwn => Business == User;
}

/// <summary>An invitation to join a business, sent by e-mail; the link's secret is its token (only its hash is stored).</summary>
public sealed record Invitation(
    string Id,
    string Business,
    string Email,
    Role Role,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    string InvitedBy,
    InvitationStatus Status = InvitationStatus.Pending,
    DateTimeOffset? AcceptedAt = null,
    string? AcceptedBy = null)
{
    public bool IsExpiredAt(DateTimeOffset now) => ExpiresAt <= now;

    /// <summary>Where it stands at <paramref name="now"/> as the owner sees it.</summary>
    public InvitationStatus StatusAt(DateTimeOffset now) => Status == InvitationStatus.Pending && IsExpiredAt(now) ? InvitationStatus.Expired : Status;
}

public enum InvitationStatus { Pending, Accepted, Revoked, Expired }
