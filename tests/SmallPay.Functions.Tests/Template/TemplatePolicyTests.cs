using SmallPay.Functions.Hosting;
using System.Text.Json.Nodes;
using SmallPay.Local.Template;

namespace SmallPay.Functions.Tests.Template;

public class TemplatePolicyTests
{
    private static readonly HashSet<string> DynamoDbWriteActions = new(StringComparer.OrdinalIgnoreCase)
    {
        "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem",
    };

    [Fact]
    public void Every_function_has_policies()
    {
        Assert.All(TemplateUnderTest.Functions, function => Assert.NotEmpty(Policies(function)));
    }

    [Fact]
    public void Policies_name_specific_template_resources_and_no_wildcards()
    {
        var problems = TemplateUnderTest.Functions
            .SelectMany(function => Policies(function).SelectMany(policy => ProblemsOf(policy)).Select(problem => $"{function.LogicalId}: {problem}"))
            .ToList();

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Read_routes_get_read_only_access()
    {
        // GetDashboard writes once per tenant whose invoices predate the running summary (TenantSummaries.BuildAsync):
        // its one write statement is checked on its own below.
        var getFunctions = TemplateUnderTest.HttpApis
            .SelectMany(api => api.Routes)
            .Where(route => route.Method == "GET" && route.Function.LogicalId != "GetDashboardFunction" && !FunctionCatalog.PublicFunctions.Contains(route.Function.CatalogName))
            .Select(route => route.Function);

        Assert.All(getFunctions, function => Assert.All(Policies(function), policy =>
        {
            var (name, value) = Assert.Single(policy);
            if (name == "Statement")
                Assert.DoesNotContain(Statements(value).SelectMany(s => s["Action"].AsList()).Select(a => a.AsText() ?? ""), DynamoDbWriteActions.Contains);
            else
                Assert.EndsWith("ReadPolicy", name);
        }));
    }

    [Fact]
    public void The_customers_pages_may_only_update_links_their_documents_and_the_rate_counters()
    {
        // GET /d/{token} records the link's first view (on the link and its invoice); both count requests per client.
        foreach (var name in FunctionCatalog.PublicFunctions)
        {
            var function = TemplateUnderTest.Functions.Single(f => f.CatalogName == name);
            var writes = Policies(function).Where(p => p.ContainsKey("Statement")).SelectMany(p => Statements(p["Statement"]))
                .Where(s => s["Action"].AsList().Any(a => DynamoDbWriteActions.Contains(a.AsText() ?? ""))).ToList();
            var statement = Assert.Single(writes);
            Assert.Equal(["dynamodb:UpdateItem"], statement["Action"].AsList().Select(a => a.AsText()));
            var keys = statement["Condition"]?["ForAllValues:StringLike"]?["dynamodb:LeadingKeys"].AsList().Select(k => k.AsText() ?? "").ToList() ?? [];
            Assert.Contains("rate#*", keys);
            Assert.Subset(new HashSet<string> { "rate#*", "link#*", "inv_*", "quo_*" }, keys.ToHashSet());
        }
    }

    [Fact]
    public void The_dashboard_may_only_put_and_update_items_of_the_invoices_table_to_build_a_summary()
    {
        var dashboard = TemplateUnderTest.Functions.Single(f => f.LogicalId == "GetDashboardFunction");
        var writes = Policies(dashboard).Where(p => p.ContainsKey("Statement")).SelectMany(p => Statements(p["Statement"]))
            .SelectMany(s => s["Action"].AsList().Select(a => (Action: a.AsText() ?? "", Resource: s["Resource"]?.ToJsonString() ?? "")))
            .Where(a => DynamoDbWriteActions.Contains(a.Action))
            .ToList();
        Assert.Equal(["dynamodb:PutItem", "dynamodb:UpdateItem"], writes.Select(w => w.Action).Order());
        Assert.All(writes, w => Assert.Contains("InvoicesTable", w.Resource));
    }

    private static IEnumerable<JsonObject> Policies(SamFunction function) =>
        function.Properties["Policies"].AsList().Select(policy => policy as JsonObject ?? new JsonObject { ["<not a policy template or statement>"] = policy?.DeepClone() });

    private static IEnumerable<string> ProblemsOf(JsonObject policy)
    {
        if (policy.Count != 1)
        {
            yield return $"a policy entry should hold one template or one Statement: {policy.ToJsonString()}";
            yield break;
        }

        var (name, value) = policy.First();
        if (name == "Statement")
        {
            foreach (var statement in Statements(value))
            {
                if (statement["Effect"].AsText() != "Allow")
                    continue;
                foreach (var action in statement["Action"].AsList().Select(a => a.AsText() ?? ""))
                    if (action.Contains('*')) yield return $"wildcard action {action}";
                foreach (var resource in statement["Resource"].AsList())
                    if (!IsTemplateResourceReference(resource)) yield return $"statement resource {resource?.ToJsonString()} is not one of the template's resources";
            }
        }
        else if (name.EndsWith("Policy", StringComparison.Ordinal) && value is JsonObject parameters && parameters.Count > 0)
        {
            // A SAM policy template (DynamoDBCrudPolicy: {TableName: !Ref InvoicesTable}, ...).
            foreach (var (parameter, argument) in parameters)
                if (!IsTemplateResourceReference(argument)) yield return $"{name}.{parameter} = {argument?.ToJsonString()} is not one of the template's resources";
        }
        else
        {
            yield return $"{name} is neither a SAM policy template with a resource parameter nor a Statement (managed policies are too broad)";
        }
    }

    private static IEnumerable<JsonObject> Statements(JsonNode? value) => value.AsList().OfType<JsonObject>();

    /// <summary>
    /// !Ref X, !GetAtt X.Arn, or a !Sub that names ${X...}, where X is a resource of the template — or a parameter naming
    /// one thing outside the stack (the SMTP secret). The only wildcards allowed: a table's indexes (/index/*) and the
    /// objects under a key prefix of one of the template's buckets (${Bucket.Arn}/prefix/*).
    /// </summary>
    private static bool IsTemplateResourceReference(JsonNode? node)
    {
        if (node is not JsonObject intrinsic || !TemplateNodes.IsIntrinsic(intrinsic)) return false;
        var resources = TemplateUnderTest.Template.Resources;
        var parameters = TemplateUnderTest.Template.Parameters;
        return intrinsic.First() switch
        {
            ("Ref", var target) => resources.ContainsKey(target.AsText() ?? ""),
            ("Fn::GetAtt", var target) => resources.ContainsKey(target.AsList().FirstOrDefault().AsText() ?? ""),
            ("Fn::Sub", var target) => target.AsList().FirstOrDefault().AsText() is { } text
                && !WithoutScopedWildcards(text).Contains('*')
                && resources.Select(r => r.Key).Concat(parameters.Select(p => p.Key)).Any(id => text.Contains("${" + id, StringComparison.Ordinal)),
            _ => false,
        };
    }

    private static string WithoutScopedWildcards(string arn)
    {
        arn = arn.Replace("/index/*", "", StringComparison.Ordinal);
        var bucketObjects = TemplateUnderTest.Template.ResourcesOfType("AWS::S3::Bucket")
            .Any(bucket => arn.StartsWith("${" + bucket.LogicalId + ".Arn}/", StringComparison.Ordinal) && arn.EndsWith("/*", StringComparison.Ordinal));
        return bucketObjects ? arn[..^2] : arn;
    }
}
