using SmallPay.Functions.Hosting;
using SmallPay.Local.Template;

namespace SmallPay.Functions.Tests.Template;

public class TemplateFunctionTests
{
    private static IReadOnlyList<SamFunction> Functions => TemplateUnderTest.Functions;

    [Fact]
    public void Template_declares_functions()
    {
        Assert.NotEmpty(Functions);
    }

    [Fact]
    public void Every_function_names_a_catalogue_function_in_SMALLPAY_FUNCTION()
    {
        var problems = Functions
            .Select(function => (function.LogicalId, Name: TemplateUnderTest.SelectorOf(function)))
            .Where(f => f.Name is null || !FunctionCatalog.Contains(f.Name))
            .Select(f => f.Name is null
                ? $"{f.LogicalId}: no {FunctionCatalog.SelectorVariable}"
                : $"{f.LogicalId}: {FunctionCatalog.SelectorVariable}={f.Name} is not in FunctionCatalog.Names")
            .ToList();

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_catalogue_function_has_exactly_one_template_function()
    {
        var countByName = Functions
            .Select(TemplateUnderTest.SelectorOf)
            .OfType<string>()
            .GroupBy(name => name, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);

        var problems = FunctionCatalog.Names
            .Select(name => (name, count: countByName.GetValueOrDefault(name)))
            .Where(entry => entry.count != 1)
            .Select(entry => $"{entry.name}: {entry.count} functions in template.yaml")
            .ToList();

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Function_logical_ids_are_the_catalogue_name_with_a_Function_suffix()
    {
        Assert.All(Functions, function => Assert.Equal(TemplateUnderTest.SelectorOf(function) + "Function", function.LogicalId));
    }

    [Fact]
    public void Functions_run_the_one_native_executable_on_provided_al2023_with_both_table_names()
    {
        Assert.All(Functions, function =>
        {
            Assert.Equal("bootstrap", function.Properties["Handler"].AsText());
            Assert.Equal("provided.al2023", function.Properties["Runtime"].AsText());
            Assert.Equal("InvoicesTable", function.EnvironmentVariables["INVOICES_TABLE"]?["Ref"].AsText());
            Assert.Equal("CustomersTable", function.EnvironmentVariables["CUSTOMERS_TABLE"]?["Ref"].AsText());
        });
    }

    [Fact]
    public void Every_function_is_built_by_the_makefile()
    {
        Assert.All(Functions, function =>
        {
            var metadata = TemplateUnderTest.ResourceEntry(function.LogicalId)["Metadata"];
            Assert.Equal("makefile", metadata?["BuildMethod"].AsText());
            Assert.Equal("functions/SmallPay.Functions/", function.Properties["CodeUri"].AsText());
        });
    }

    [Fact]
    public void Makefile_has_a_build_target_for_every_function()
    {
        // sam runs `make --makefile <CodeUri>/Makefile build-<LogicalId>` with ARTIFACTS_DIR set;
        // a dry run proves the target exists without building anything.
        var makefile = TemplateUnderTest.PathOf("functions/SmallPay.Functions/Makefile");
        var problems = new List<string>();
        foreach (var function in Functions)
        {
            var (exitCode, output) = TemplateUnderTest.Run(
                "make",
                ["--dry-run", "--makefile", makefile, $"build-{function.LogicalId}", "ARTIFACTS_DIR=/tmp/smallpay-artifacts"],
                Path.GetTempPath());
            if (exitCode != 0 || !output.Contains("scripts/publish-functions.sh\" linux-x64", StringComparison.Ordinal))
                problems.Add($"build-{function.LogicalId}: make exited {exitCode}: {output.Trim()}");
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}

public class TemplateDeployOptionTests
{
    private static IReadOnlyList<SamFunction> Functions => TemplateUnderTest.Functions;

    [Fact]
    public void Api_functions_take_ApiMemorySize_and_the_worker_WorkerMemorySize_both_fitting_the_measured_peaks()
    {
        Assert.All(Functions, function => Assert.Equal(
            function.LogicalId == "DocumentWorkerFunction" ? "WorkerMemorySize" : "ApiMemorySize",
            function.Properties["MemorySize"]?["Ref"].AsText()));
        var parameters = TemplateUnderTest.Template.Parameters;
        // docs/BENCHMARKS.md: API peaks fit 128 MB, the worker's 256 MB; the defaults add CPU share for the cold start.
        Assert.Equal(256, parameters["ApiMemorySize"]?["Default"].AsInt());
        Assert.Equal(512, parameters["WorkerMemorySize"]?["Default"].AsInt());
        Assert.Contains(128, parameters["ApiMemorySize"]!["AllowedValues"].AsList().Select(v => v.AsInt()));
    }

    [Fact]
    public void Every_function_publishes_a_live_alias_and_nothing_asks_for_SnapStart_which_provided_al2023_lacks()
    {
        Assert.False(TemplateUnderTest.Template.Parameters.ContainsKey("SnapStart"));
        Assert.All(Functions, function =>
        {
            Assert.Equal("live", function.Properties["AutoPublishAlias"].AsText());
            Assert.Null(function.Properties["SnapStart"]);
        });
    }

    [Fact]
    public void The_makefile_builds_for_the_architecture_LAMBDA_RID_names_x86_64_by_default_like_the_template()
    {
        var makefile = TemplateUnderTest.PathOf("functions/SmallPay.Functions/Makefile");
        string DryRun(params string[] extra) => TemplateUnderTest.Run("make",
            ["--dry-run", "--makefile", makefile, "build-GetInvoiceFunction", "ARTIFACTS_DIR=/tmp/smallpay-artifacts", .. extra], Path.GetTempPath()).Output;

        Assert.Contains("publish-functions.sh\" linux-x64", DryRun());
        Assert.Contains("publish-functions.sh\" linux-arm64", DryRun("LAMBDA_RID=linux-arm64"));
        Assert.Equal("x86_64", TemplateUnderTest.Template.Parameters["Architecture"]?["Default"].AsText());
    }

    [Fact]
    public void Only_the_document_workers_package_keeps_the_fonts_and_harfbuzz()
    {
        var makefile = TemplateUnderTest.PathOf("functions/SmallPay.Functions/Makefile");
        string Build(string target) => TemplateUnderTest.Run("make",
            ["--dry-run", "--makefile", makefile, target, "ARTIFACTS_DIR=/tmp/smallpay-artifacts"], Path.GetTempPath()).Output;

        // The recipe removes fonts/ and libHarfBuzzSharp.so from every package but the document worker's.
        Assert.Contains("if [ \"build-GetInvoiceFunction\" != build-DocumentWorkerFunction ]; then rm -rf \"/tmp/smallpay-artifacts/fonts\" \"/tmp/smallpay-artifacts/libHarfBuzzSharp.so\"", Build("build-GetInvoiceFunction"));
        Assert.Contains("if [ \"build-DocumentWorkerFunction\" != build-DocumentWorkerFunction ]", Build("build-DocumentWorkerFunction"));
    }
}
