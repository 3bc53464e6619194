namespace SmallPay.Domain.Documents;

/// <summary>
/// How many recipients a business may e-mail per day (UTC) through the operator's mail service: fewer while it is new
/// (no invoice has been paid yet), more once it has been paid, and what the operator set for it when they did. A
/// phisher's fresh account cannot send thousands of "invoices" in the operator's name.
/// </summary>
public sealed record SendingPolicy(int NewAccountDaily, int EstablishedDaily)
{
    public static readonly SendingPolicy Default = new(50, 1000);

    public int DailyLimit(SendingStanding standing) =>
        standing.OperatorLimit ?? (standing.HasBeenPaid ? EstablishedDaily : NewAccountDaily);
}

/// <param name="OperatorLimit">The operator's own limit for this business, if they set one.</param>
/// <param name="HasBeenPaid">The business has had an invoice paid in full.</param>
/// <param name="UsedToday">Recipients already e-mailed today.</param>
public sealed record SendingStanding(int? OperatorLimit, bool HasBeenPaid, int UsedToday);

/// <summary>What the owner sees of their limit.</summary>
public sealed record SendingAllowance(int DailyLimit, int UsedToday, bool Established, DateTimeOffset ResetsAt)
{
    public static SendingAllowance Of(SendingPolicy policy, SendingStanding standing, DateTimeOffset now)
    {
        var tomorrow = new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        return new SendingAllowance(policy.DailyLimit(standing), standing.UsedToday, standing.OperatorLimit is not null || standing.HasBeenPaid, tomorrow);
    }
}
