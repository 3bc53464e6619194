using System.Text.Json.Nodes;
using SmallPay.Local.Template;

namespace SmallPay.Functions.Tests.Template;

/// <summary>The user pool: Cognito's e-mail through SES once CognitoEmailSender is set, and optional TOTP sign-in.</summary>
public sealed class TemplateUserPoolTests
{
    private static JsonObject UserPool(params (string Name, string Value)[] parameters) =>
        new IntrinsicResolver(TemplateUnderTest.Template, parameterOverrides: parameters.ToDictionary(p => p.Name, p => p.Value))
            .Resolve(TemplateUnderTest.ResourceEntry("UserPool")["Properties"]) as JsonObject
        ?? throw new InvalidDataException("UserPool has no Properties");

    [Fact]
    public void Without_a_sender_Cognito_sends_its_own_capped_email()
    {
        Assert.Equal("", TemplateUnderTest.Template.Parameters["CognitoEmailSender"]?["Default"].AsText());
        Assert.Null(UserPool()["EmailConfiguration"]);
    }

    [Fact]
    public void With_a_sender_Cognito_sends_through_the_SES_domain_identity_of_the_stacks_account_and_region()
    {
        var email = UserPool(("CognitoEmailSender", "no-reply@mail.example.com"))["EmailConfiguration"];

        Assert.Equal("DEVELOPER", email?["EmailSendingAccount"].AsText());
        Assert.Equal("SmallPay <no-reply@mail.example.com>", email?["From"].AsText());
        Assert.Equal("arn:aws:ses:us-east-1:123456789012:identity/mail.example.com", email?["SourceArn"].AsText());
    }

    [Fact]
    public void Accounts_may_turn_on_two_step_sign_in_with_an_authenticator_app_only()
    {
        var pool = UserPool();

        Assert.Equal("OPTIONAL", pool["MfaConfiguration"].AsText());
        Assert.Equal(["SOFTWARE_TOKEN_MFA"], pool["EnabledMfas"].AsList().Select(m => m.AsText()));
        Assert.Null(pool["SmsConfiguration"]);
    }
}
