using SmallPay.Domain.Teams;

namespace SmallPay.Domain.Tests.Teams;

public sealed class RolesTests
{
    [Theory]
    [InlineData("owner", Role.Owner)]
    [InlineData("Member", Role.Member)]
    [InlineData("ACCOUNTANT", Role.Accountant)]
    public void A_role_is_one_of_the_three_names_in_any_case(string text, Role expected)
    {
        Assert.True(Roles.TryParse(text, out var role));
        Assert.Equal(expected, role);
    }

    [Theory]
    [InlineData("1")]
    [InlineData(" 1")]
    [InlineData("+2")]
    [InlineData("99")]
    [InlineData("owner, accountant")]
    [InlineData("Owner,Member")]
    [InlineData(" owner")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("admin")]
    public void Numbers_lists_and_anything_else_are_not_roles(string? text) =>
        Assert.False(Roles.TryParse(text, out _));
}
