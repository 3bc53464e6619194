using SmallPay.Domain.Teams;
using SmallPay.Functions.Storage;

namespace SmallPay.Local.Demo;

/// <summary>
/// The demo business of `make run`: the one the sample events work in (its id is <see cref="SampleEventData.Sub"/>).
/// The demo user joins it as an owner, through an invitation as anyone would, and it is their default business.
/// </summary>
public static class DemoBusiness
{
    private const string InvitationToken = "local-demo-user-joins-the-demo-business";

    public static async Task JoinAsync(ITeamStore teams, DemoAccount demo, CancellationToken ct)
    {
        var user = demo.Sub;
        if (await teams.RoleOfAsync(SampleEventData.Sub, user, ct) is null)
        {
            var now = DateTimeOffset.UtcNow;
            var invitation = new Invitation(DynamoDbTeamStore.InvitationIdOf(InvitationToken), SampleEventData.Sub, demo.Email, Role.Owner, now, now.AddDays(7), SampleEventData.Sub);
            if (await teams.InvitationAsync(invitation.Id, ct) is null) await teams.CreateInvitationAsync(invitation, InvitationToken, ct);
            await teams.AcceptInvitationAsync(invitation, new Membership(SampleEventData.Sub, user, Role.Owner, demo.Email, now, SampleEventData.Sub), now, ct);
        }
        await teams.SetDefaultBusinessAsync(user, SampleEventData.Sub, ct);
    }
}
