using SmallPay.Domain.Customers;
using SmallPay.Domain.Validation;

namespace SmallPay.Domain.Teams;

/// <summary>The rules of a business's team: who may be invited, how long an invitation lasts, who may be removed.</summary>
public static class TeamRules
{
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(7);

    /// <summary>Pending invitations a business may have at once (each one is an e-mail sent in its name).</summary>
    public const int MaxPendingInvitations = 20;

    /// <summary>Members a business may have (owners included).</summary>
    public const int MaxMembers = 50;

    public static (string Email, Role Role) ValidateInvitation(string? email, string? role)
    {
        var errors = new ValidationErrors();
        var address = email?.Trim();
        if (string.IsNullOrEmpty(address)) errors.Add("email", "is required");
        else CustomerRules.CheckEmail(errors, "email", address);
        if (!Roles.TryParse(role, out var parsed)) errors.Add("role", "must be owner, member or accountant");
        errors.ThrowIfAny("The invitation has invalid fields.");
        return (address!, parsed);
    }

    public static Role ValidateRole(string? role)
    {
        if (Roles.TryParse(role, out var parsed)) return parsed;
        throw new DomainValidationException("The role is invalid.", [new FieldError("role", "must be owner, member or accountant")]);
    }

    /// <summary>
    /// A business always keeps an owner: its founder (the user whose sub is its id) is its owner for good, so they can
    /// be neither removed nor given another role; every other member, owners included, can.
    /// </summary>
    public static void CheckOwnerRemains(string business, Membership target)
    {
        if (target.User == business)
            throw new InvoiceStateException("The business's founder stays its owner; they can hand over by making someone else an owner too.");
    }
}
