using SmallPay.Local.Template;

namespace SmallPay.Functions.Tests.Template;

/// <summary>template.yaml's Rules, evaluated as CloudFormation evaluates them before a deploy, per parameter set.</summary>
public sealed class TemplateRuleTests
{
    private static IReadOnlyList<string> Failed(string rule, params (string Name, string Value)[] parameters) =>
        new IntrinsicResolver(TemplateUnderTest.Template, parameterOverrides: parameters.ToDictionary(p => p.Name, p => p.Value))
            .FailedRuleAssertions().Where(failure => failure.StartsWith(rule + ":", StringComparison.Ordinal)).ToList();

    [Fact]
    public void SMTP_credentials_without_STARTTLS_are_refused_before_anything_deploys()
    {
        var refused = Assert.Single(Failed("SmtpCredentialsOnlyOverTls", ("SmtpSecretName", "smallpay/smtp"), ("SmtpStartTls", "false")));
        Assert.Contains("never sent without TLS", refused);
    }

    [Theory]
    [InlineData("smallpay/smtp", "true")] // credentials over STARTTLS
    [InlineData("", "false")]            // no credentials: a relay on a private network may go without TLS
    [InlineData("", "true")]
    public void Other_SMTP_settings_deploy(string secret, string startTls) =>
        Assert.Empty(Failed("SmtpCredentialsOnlyOverTls", ("SmtpSecretName", secret), ("SmtpStartTls", startTls)));

    [Fact]
    public void The_template_defaults_pass_every_rule() =>
        Assert.Empty(new IntrinsicResolver(TemplateUnderTest.Template).FailedRuleAssertions());
}
