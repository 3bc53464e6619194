namespace SmallPay.Domain.Teams;

/// <summary>What a member of a business may do there.</summary>
public enum Role
{
    /// <summary>Everything, including the business's settings and its members.</summary>
    Owner,
    /// <summary>Customers, invoices, sending, payments; not settings or members.</summary>
    Member,
    /// <summary>Reads everything and exports; changes nothing.</summary>
    Accountant,
}

/// <summary>What a route needs. Every API route names exactly one (FunctionCatalog).</summary>
public enum Permission
{
    /// <summary>Read the business's data (invoices, customers, dashboard, settings, PDFs, its team).</summary>
    Read,
    /// <summary>Change customers and invoices: create, edit, finalize, send, record payments, void, delete drafts.</summary>
    Write,
    /// <summary>Change the business's settings.</summary>
    ManageSettings,
    /// <summary>Invite, remove and change the role of members.</summary>
    ManageTeam,
    /// <summary>What any signed-in user may do for themselves (see their businesses, accept an invitation).</summary>
    Self,
}

public static class Roles
{
    public static bool Allows(this Role role, Permission permission) => permission switch
    {
        Permission.Self or Permission.Read => true,
        Permission.Write => role is Role.Owner or Role.Member,
        Permission.ManageSettings or Permission.ManageTeam => role is Role.Owner,
        _ => false,
    };

    /// <summary>The role's name as the API and the app show it ("owner", "member", "accountant").</summary>
    public static string Name(this Role role) => role.ToString().ToLowerInvariant();

    /// <summary>
    /// One role's name, in any case: never a number (" 1") and never a list ("owner, accountant"), which
    /// <c>Enum.TryParse</c> would both take.
    /// </summary>
    public static bool TryParse(string? text, out Role role)
    {
        foreach (var candidate in Enum.GetValues<Role>())
        {
            if (string.Equals(candidate.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                role = candidate;
                return true;
            }
        }
        role = default;
        return false;
    }
}

/// <summary>The caller may not do this in this business (HTTP 403, explained).</summary>
public sealed class ForbiddenException(string message) : Exception(message);
