using System.Text.Json.Nodes;
using SmallPay.Local.Invoke;
using SmallPay.Local.Template;

namespace SmallPay.Functions.Tests.Hosting.Runtime;

/// <summary>`SmallPay.Local invoke`: which function, which environment, and the command end to end.</summary>
[Collection(PublishedFunctionsCollection.Name)]
public sealed class InvokeCommandTests(PublishedFunctions published)
{
    private const string Endpoint = "http://127.0.0.1:5999";

    private static readonly Lazy<SamTemplate> RepositoryTemplate =
        new(() => SamTemplate.Load(Path.Combine(PublishedFunctions.RepositoryRoot, "template.yaml")));

    private const string DiagnosticTemplate = """
        Transform: AWS::Serverless-2016-10-31
        Parameters:
          Stage: { Type: String, Default: dev }
        Globals:
          Function:
            Timeout: 5
            Environment:
              Variables:
                SMALLPAY_DIAGNOSTICS: "1"
                INVOICES_TABLE: !Ref InvoicesTable
                STAGE_LABEL: !Sub "smallpay-${Stage}"
        Resources:
          InvoicesTable:
            Type: AWS::DynamoDB::Table
            Properties:
              TableName: !Sub "${AWS::StackName}-invoices"
          EchoFunction:
            Type: AWS::Serverless::Function
            Properties:
              Environment:
                Variables:
                  SMALLPAY_FUNCTION: __Echo
                  STAGE_LABEL: echo
          ThrowFunction:
            Type: AWS::Serverless::Function
            Properties:
              Environment:
                Variables:
                  SMALLPAY_FUNCTION: __Throw
        """;

    [Theory]
    [InlineData("CreateInvoiceFunction")]
    [InlineData("CreateInvoice")]
    public void Function_is_found_by_logical_id_or_by_name(string logicalIdOrName)
    {
        var function = InvokeCommand.FindFunction(RepositoryTemplate.Value, logicalIdOrName);

        Assert.Equal("CreateInvoiceFunction", function.LogicalId);
        Assert.Equal("CreateInvoice", function.CatalogName);
    }

    [Fact]
    public void Unknown_function_is_refused_with_the_list_of_functions()
    {
        var error = Assert.Throws<ArgumentException>(() => InvokeCommand.FindFunction(RepositoryTemplate.Value, "Nope"));

        Assert.Contains("CreateInvoiceFunction", error.Message);
    }

    [Fact]
    public void Template_variables_resolve_to_local_table_names_and_the_local_endpoint_is_added()
    {
        var template = RepositoryTemplate.Value;

        var environment = InvokeEnvironment.Build(template, InvokeCommand.FindFunction(template, "CreateInvoice"), Endpoint);

        Assert.Equal("CreateInvoice", environment["SMALLPAY_FUNCTION"]);
        Assert.Equal("InvoicesTable", environment["INVOICES_TABLE"]);
        Assert.Equal("CustomersTable", environment["CUSTOMERS_TABLE"]);
        Assert.Equal(Endpoint, environment["AWS_ENDPOINT_URL"]);
        Assert.Equal("test", environment["AWS_ACCESS_KEY_ID"]);
        Assert.Equal("test", environment["AWS_SECRET_ACCESS_KEY"]);
    }

    [Fact]
    public void Function_variables_override_globals_and_env_vars_file_overrides_both()
    {
        var template = SamTemplate.Parse(DiagnosticTemplate);
        var echo = InvokeCommand.FindFunction(template, "Echo");
        var envVars = JsonNode.Parse("""
            { "Parameters": { "INVOICES_TABLE": "Other", "EXTRA": 7 },
              "EchoFunction": { "EXTRA": "for echo" },
              "ThrowFunction": { "INVOICES_TABLE": "not for echo" } }
            """)!.AsObject();

        var plain = InvokeEnvironment.Build(template, echo, Endpoint);
        var overridden = InvokeEnvironment.Build(template, echo, Endpoint, envVars);
        var thrower = InvokeEnvironment.Build(template, InvokeCommand.FindFunction(template, "ThrowFunction"), Endpoint);

        Assert.Equal("InvoicesTable", plain["INVOICES_TABLE"]); // the local name, not the template's TableName
        Assert.Equal("echo", plain["STAGE_LABEL"]);
        Assert.Equal("smallpay-dev", thrower["STAGE_LABEL"]);
        Assert.Equal("Other", overridden["INVOICES_TABLE"]);
        Assert.Equal("for echo", overridden["EXTRA"]);
    }

    [Fact]
    public void Options_read_sam_style_arguments_and_refuse_unknown_ones()
    {
        var options = InvokeOptions.Parse(["CreateInvoice", "-e", "events/create-invoice.json", "--env-vars", "env.json"]);

        Assert.Equal("CreateInvoice", options.Function);
        Assert.Equal("events/create-invoice.json", options.EventPath);
        Assert.Equal("env.json", options.EnvVarsPath);
        Assert.Throws<ArgumentException>(() => InvokeOptions.Parse(["CreateInvoice", "--bogus"]));
        Assert.Throws<ArgumentException>(() => InvokeOptions.Parse(["-e", "x.json"]));
        Assert.Throws<ArgumentException>(() => InvokeOptions.Parse(["CreateInvoice", "-e"]));
    }

    [Fact]
    public async Task Invoke_prints_the_response_on_stdout_and_exits_zero()
    {
        var (exitCode, stdout, stderr) = await InvokeAsync("Echo", """{"hello":"world"}""");

        Assert.True(exitCode == 0, stderr);
        Assert.Equal("""{"hello":"world"}""", stdout.Trim());
        Assert.Contains("REPORT RequestId:", stderr);
    }

    [Fact]
    public async Task Invoke_of_a_failing_function_prints_the_error_and_exits_one()
    {
        var (exitCode, stdout, stderr) = await InvokeAsync("ThrowFunction", "{}");

        Assert.Equal(1, exitCode);
        var error = JsonNode.Parse(stdout)!;
        Assert.Equal("InvalidOperationException", (string?)error["errorType"]);
        Assert.Equal("boom", (string?)error["errorMessage"]);
        Assert.Contains("boom", stderr); // the function's own log line
    }

    /// <summary>Runs the built SmallPay.Local (copied next to these tests) as a developer would.</summary>
    private async Task<(int ExitCode, string Stdout, string Stderr)> InvokeAsync(string function, string eventJson)
    {
        var folder = Directory.CreateTempSubdirectory("smallpay-invoke-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "template.yaml"), DiagnosticTemplate);
            await File.WriteAllTextAsync(Path.Combine(folder, "event.json"), eventJson);
            return await PublishedFunctions.RunAsync("dotnet",
                [Path.Combine(AppContext.BaseDirectory, "SmallPay.Local.dll"), "invoke", function,
                 "-e", Path.Combine(folder, "event.json"), "-t", Path.Combine(folder, "template.yaml"),
                 "--endpoint", Endpoint, "--function-path", published.BootstrapPath],
                TimeSpan.FromMinutes(1));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
