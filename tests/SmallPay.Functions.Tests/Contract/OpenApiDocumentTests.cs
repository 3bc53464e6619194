using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace SmallPay.Functions.Tests.Contract;

/// <summary>openapi.yaml is valid OpenAPI 3.1, its examples are true to its schemas, and it documents what the code answers.</summary>
public partial class OpenApiDocumentTests
{
    /// <summary>The create-style routes wrapped in the idempotency handler (FunctionCatalog).</summary>
    private static readonly string[] IdempotentOperations = ["CreateCustomer", "CreateInvoice", "RecordPayment", "SendInvoice", "SendReminder", "InviteMember", "CreateRecurringProfile", "RequestEmailVerification", "ImportCustomers", "CreateQuote", "SendQuote", "IssueCreditNote", "RecordCreditNoteRefund", "SendCreditNote", "CreateWebhook"];

    [Fact]
    public void Is_valid_OpenAPI_3_1_and_every_example_matches_its_schema()
    {
        var (exitCode, output) = ContractFiles.RunChecker("spec", ContractFiles.OpenApiPath);

        Assert.True(exitCode == 0, output);
        Assert.Contains("valid OpenAPI 3.1", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_types_are_exactly_the_ones_the_functions_answer_with()
    {
        var source = Path.Combine(ContractFiles.RepositoryRoot, "functions", "SmallPay.Functions");
        var used = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(file => ProblemType().Matches(File.ReadAllText(file)).Select(match => match.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
        var problem = ContractFiles.Mapping(ContractFiles.Mapping(ContractFiles.Mapping(ContractFiles.OpenApi, "components")!, "schemas")!, "Problem")!;
        var typeProperty = ContractFiles.Mapping(ContractFiles.Mapping(problem, "properties")!, "type")!;
        var documented = ContractFiles.Sequence(typeProperty, "enum")!.Children.Select(node => ((YamlScalarNode)node).Value!).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(used);
        Assert.True(used.SetEquals(documented),
            $"in the code only: {string.Join(", ", used.Except(documented))}; in openapi.yaml only: {string.Join(", ", documented.Except(used))}");
    }

    [Fact]
    public void Every_operation_documents_one_success_and_the_gateway_responses()
    {
        var problems = new List<string>();
        foreach (var (_, _, id, operation) in ContractFiles.Operations())
        {
            var statuses = Statuses(operation);
            var successes = statuses.Where(status => status.StartsWith('2') || status is "302" or "303").ToList(); // 302: the customer page's PDF redirect; 303: back to the page after the answer to a quote
            if (successes.Count != 1) problems.Add($"{id}: {successes.Count} success responses ({string.Join(", ", successes)})");
            // The customer's pages have no JWT to refuse: no 401.
            var anonymous = SmallPay.Functions.Hosting.FunctionCatalog.PublicFunctions.Contains(id ?? "");
            foreach (var required in anonymous ? ["429", "500"] : new[] { "401", "429", "500" })
                if (!statuses.Contains(required)) problems.Add($"{id}: no {required}");
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_operation_documents_the_problems_its_shape_implies()
    {
        var problems = new List<string>();
        foreach (var (method, path, id, operation) in ContractFiles.Operations())
        {
            var statuses = Statuses(operation);
            var parameters = Parameters(path, operation);
            void Expect(string status, string because)
            {
                if (!statuses.Contains(status)) problems.Add($"{id}: no {status} ({because})");
            }

            if (path.Contains('{', StringComparison.Ordinal)) Expect("404", "it addresses one invoice or customer");
            if (path.StartsWith("/d/", StringComparison.Ordinal)) Expect("410", "a link can expire or be withdrawn");
            if (ContractFiles.Mapping(operation, "requestBody") is not null)
            {
                Expect("400", "malformed JSON");
                Expect("413", "body over 256 KiB");
                Expect("415", "body without a JSON content type");
                Expect("422", "validation");
            }

            var ifMatch = parameters.FirstOrDefault(parameter => ContractFiles.Scalar(parameter, "name") == "If-Match");
            if (method == "PUT")
            {
                if (ContractFiles.Scalar(ifMatch ?? new YamlMappingNode(), "required") != "true") problems.Add($"{id}: PUT without a required If-Match");
                Expect("412", "a stale If-Match");
                Expect("428", "no If-Match");
            }
            else if (ifMatch is not null)
            {
                Expect("412", "a stale If-Match");
            }

            var idempotent = parameters.Any(parameter => ContractFiles.Scalar(parameter, "name") == "Idempotency-Key");
            if (idempotent != IdempotentOperations.Contains(id))
                problems.Add($"{id}: Idempotency-Key is {(idempotent ? "" : "not ")}documented, but the function is {(idempotent ? "not " : "")}idempotent");
            if (idempotent)
            {
                Expect("409", "the first request with the key is still running");
                Expect("422", "the key was used with another body");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static HashSet<string> Statuses(YamlMappingNode operation) =>
        (ContractFiles.Mapping(operation, "responses")?.Children.Keys ?? Enumerable.Empty<YamlNode>()).Select(key => ((YamlScalarNode)key).Value!).ToHashSet(StringComparer.Ordinal);

    /// <summary>The path item's and the operation's parameters, references resolved.</summary>
    private static List<YamlMappingNode> Parameters(string path, YamlMappingNode operation)
    {
        var pathItem = ContractFiles.Mapping(ContractFiles.Mapping(ContractFiles.OpenApi, "paths")!, path)!;
        return (ContractFiles.Sequence(pathItem, "parameters")?.Children ?? Enumerable.Empty<YamlNode>())
            .Concat(ContractFiles.Sequence(operation, "parameters")?.Children ?? Enumerable.Empty<YamlNode>())
            .Select(ContractFiles.Resolve)
            .ToList();
    }

    [GeneratedRegex("\"(/problems/[a-z-]+)\"")]
    private static partial Regex ProblemType();
}
