using System.ComponentModel;

namespace SmallPay.Functions.Tests.Template;

public class TemplateLintTests
{
    [Fact]
    public void Template_passes_cfn_lint_with_no_findings()
    {
        // cfn-lint runs the SAM translator first, so this also validates the transform.
        (int ExitCode, string Output) result;
        try
        {
            result = TemplateUnderTest.Run("cfn-lint", ["template.yaml"], TemplateUnderTest.RepositoryRoot);
        }
        catch (Win32Exception exception)
        {
            Assert.Fail($"cfn-lint is not on PATH ({exception.Message}); install it with `pip install cfn-lint`.");
            return;
        }

        Assert.True(
            result.ExitCode == 0 && result.Output.Trim().Length == 0,
            $"cfn-lint template.yaml exited {result.ExitCode}:\n{result.Output}");
    }
}
