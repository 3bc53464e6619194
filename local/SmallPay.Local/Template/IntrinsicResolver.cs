using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SmallPay.Local.Template;

/// <summary>
/// Evaluates CloudFormation intrinsics (Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select, Fn::Split,
/// Fn::If with Conditions, Fn::FindInMap, Fn::Base64) against local values: parameters take their
/// defaults (or overrides), resources their local physical ids.
/// </summary>
public sealed partial class IntrinsicResolver
{
    private readonly SamTemplate _template;
    private readonly Func<string, string?> _physicalId;
    private readonly Func<string, string, string?> _attribute;
    private readonly IReadOnlyDictionary<string, string> _parameterOverrides;

    /// <param name="physicalId">A resource's local id by logical id (<c>Ref</c>); null means "the logical id".</param>
    /// <param name="attribute">A resource attribute (<c>Fn::GetAtt</c>); null falls back to a local ARN-like value.</param>
    public IntrinsicResolver(
        SamTemplate template,
        Func<string, string?>? physicalId = null,
        Func<string, string, string?>? attribute = null,
        IReadOnlyDictionary<string, string>? parameterOverrides = null)
    {
        _template = template;
        _physicalId = physicalId ?? (_ => null);
        _attribute = attribute ?? ((_, _) => null);
        // The local stack is a dev stack: its own parameter values first, then the caller's.
        var overrides = new Dictionary<string, string>(LocalResourceNames.ParameterOverrides, StringComparer.Ordinal);
        foreach (var (name, value) in parameterOverrides ?? new Dictionary<string, string>()) overrides[name] = value;
        _parameterOverrides = overrides;
    }

    /// <summary>Resolves a value that must end up a string (environment variables, issuer, origins).</summary>
    public string? ResolveText(JsonNode? node) => Resolve(node).AsText();

    public IReadOnlyList<string> ResolveTextList(JsonNode? node) =>
        Resolve(node).AsList().Select(item => item.AsText()).OfType<string>().ToList();

    /// <summary>Deep-resolves every intrinsic in <paramref name="node"/>; <c>AWS::NoValue</c> removes a property.</summary>
    public JsonNode? Resolve(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj when TemplateNodes.IsIntrinsic(obj):
                var (name, argument) = obj.First();
                return Evaluate(name, argument);
            case JsonObject obj:
                var result = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    if (IsNoValue(value)) continue;
                    result[key] = Resolve(value);
                }
                return result;
            case JsonArray array:
                return new JsonArray(array.Where(item => !IsNoValue(item)).Select(Resolve).ToArray());
            default:
                return node?.DeepClone();
        }
    }

    private static bool IsNoValue(JsonNode? node) => node is JsonObject obj && obj["Ref"].AsText() == "AWS::NoValue";

    private JsonNode? Evaluate(string function, JsonNode? argument)
    {
        switch (function)
        {
            case "Ref" when argument.AsText() == "AWS::NoValue":
                return null;
            case "Ref":
                return Text(Ref(argument.AsText() ?? throw Invalid("Ref needs a name")));
            case "Fn::GetAtt":
                var parts = Resolve(argument).AsList().Select(part => part.AsText() ?? "").ToArray();
                if (parts.Length != 2) throw Invalid("Fn::GetAtt needs [resource, attribute]");
                return Text(GetAtt(parts[0], parts[1]));
            case "Fn::Sub":
                return Text(Sub(argument));
            case "Fn::Join":
                var join = argument.AsList();
                var separator = ResolveText(join.ElementAtOrDefault(0)) ?? "";
                return Text(string.Join(separator, ResolveTextList(join.ElementAtOrDefault(1))));
            case "Fn::Select":
                var select = argument.AsList();
                var index = int.Parse(ResolveText(select[0]) ?? "0");
                return Resolve(select[1]).AsList()[index]?.DeepClone();
            case "Fn::Split":
                var split = argument.AsList();
                var delimiter = ResolveText(split[0]) ?? "";
                return new JsonArray((ResolveText(split[1]) ?? "").Split(delimiter).Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
            case "Fn::If":
                var branches = argument.AsList();
                return Resolve(Condition(branches[0].AsText() ?? "") ? branches[1] : branches[2]);
            case "Fn::FindInMap":
                var keys = argument.AsList().Select(ResolveText).ToArray();
                return _template.Mappings[keys[0]!]?[keys[1]!]?[keys[2]!]?.DeepClone();
            case "Fn::Base64":
                return Text(Convert.ToBase64String(Encoding.UTF8.GetBytes(ResolveText(argument) ?? "")));
            case "Fn::Equals" or "Fn::Not" or "Fn::And" or "Fn::Or" or "Condition":
                return Text(EvaluateCondition(new JsonObject { [function] = argument?.DeepClone() }) ? "true" : "false");
            default:
                throw Invalid($"{function} is not supported by the local stack");
        }
    }

    public string Ref(string name)
    {
        if (_parameterOverrides.TryGetValue(name, out var overridden)) return overridden;
        if (_template.Parameters[name] is JsonObject parameter)
            return parameter["Default"].AsText() ?? throw Invalid($"parameter {name} has no Default; pass an override");
        return name switch
        {
            "AWS::Region" => LocalResourceNames.Region,
            "AWS::AccountId" => LocalResourceNames.AccountId,
            "AWS::StackName" => LocalResourceNames.StackName,
            "AWS::StackId" => $"arn:aws:cloudformation:{LocalResourceNames.Region}:{LocalResourceNames.AccountId}:stack/{LocalResourceNames.StackName}/local",
            "AWS::Partition" => "aws",
            "AWS::URLSuffix" => "amazonaws.com",
            _ when _template.Resources.ContainsKey(name) => _physicalId(name) ?? name,
            _ => throw Invalid($"Ref to unknown name {name}"),
        };
    }

    public string GetAtt(string logicalId, string attribute)
    {
        if (_attribute(logicalId, attribute) is { } known) return known;
        if (!_template.Resources.TryGetValue(logicalId, out var resource)) throw Invalid($"Fn::GetAtt of unknown resource {logicalId}");
        // A queue's Ref is its URL, but its attributes are built from its name.
        var id = resource.Type == "AWS::SQS::Queue" ? LocalResourceNames.Queue(logicalId) : _physicalId(logicalId) ?? logicalId;
        var (region, account) = (LocalResourceNames.Region, LocalResourceNames.AccountId);
        return (resource.Type, attribute) switch
        {
            ("AWS::DynamoDB::Table", "Arn") => $"arn:aws:dynamodb:{region}:{account}:table/{id}",
            ("AWS::DynamoDB::Table", "StreamArn") => $"arn:aws:dynamodb:{region}:{account}:table/{id}/stream/local",
            ("AWS::Cognito::UserPool", "Arn") => $"arn:aws:cognito-idp:{region}:{account}:userpool/{id}",
            ("AWS::Cognito::UserPool", "ProviderName") => $"cognito-idp.{region}.amazonaws.com/{id}",
            ("AWS::Cognito::UserPool", "ProviderURL") => $"https://cognito-idp.{region}.amazonaws.com/{id}",
            ("AWS::SQS::Queue", "Arn") => $"arn:aws:sqs:{region}:{account}:{id}",
            ("AWS::SQS::Queue", "QueueName") => id,
            ("AWS::SQS::Queue", "QueueUrl") => LocalResourceNames.QueueUrl(id),
            ("AWS::S3::Bucket", "Arn") => $"arn:aws:s3:::{id}",
            (_, "Arn") => $"arn:aws:local:{region}:{account}:{logicalId}/{id}",
            _ => $"{id}.{attribute}",
        };
    }

    private string Sub(JsonNode? argument)
    {
        var (format, variables) = argument is JsonArray array
            ? (array[0].AsText() ?? "", array.Count > 1 ? array[1] as JsonObject : null)
            : (argument.AsText() ?? "", null);
        return SubstitutionPattern().Replace(format, match =>
        {
            var name = match.Groups[1].Value;
            if (name.StartsWith('!')) return "${" + name[1..] + "}";
            if (variables?[name] is { } variable) return ResolveText(variable) ?? "";
            var dot = name.IndexOf('.');
            return dot > 0 && !name.StartsWith("AWS::", StringComparison.Ordinal)
                ? GetAtt(name[..dot], name[(dot + 1)..])
                : Ref(name);
        });
    }

    public bool Condition(string name) =>
        _template.Conditions[name] is { } condition
            ? EvaluateCondition(condition)
            : throw Invalid($"unknown condition {name}");

    /// <summary>
    /// The template's <c>Rules</c> as CloudFormation checks them before a deploy: the AssertDescription of every assertion
    /// that fails under these parameters (a rule applies when its RuleCondition holds, or has none).
    /// </summary>
    public IReadOnlyList<string> FailedRuleAssertions()
    {
        var failed = new List<string>();
        foreach (var (name, rule) in _template.Root["Rules"] as JsonObject ?? new JsonObject())
        {
            if (rule?["RuleCondition"] is { } condition && !EvaluateCondition(condition)) continue;
            foreach (var assertion in rule?["Assertions"].AsList() ?? [])
                if (!EvaluateCondition(assertion?["Assert"]))
                    failed.Add($"{name}: {assertion?["AssertDescription"].AsText()}");
        }
        return failed;
    }

    private bool EvaluateCondition(JsonNode? node)
    {
        if (node is not JsonObject obj || !TemplateNodes.IsIntrinsic(obj)) return Resolve(node).AsBool() ?? false;
        var (function, argument) = obj.First();
        var items = argument.AsList();
        return function switch
        {
            "Fn::Equals" => ResolveText(items[0]) == ResolveText(items[1]),
            "Fn::Not" => !EvaluateCondition(items[0]),
            "Fn::And" => items.All(EvaluateCondition),
            "Fn::Or" => items.Any(EvaluateCondition),
            "Condition" => Condition(argument.AsText() ?? ""),
            _ => Resolve(node).AsBool() ?? false,
        };
    }

    private static JsonValue Text(string value) => JsonValue.Create(value);

    private InvalidDataException Invalid(string message) => new($"{_template.Path}: {message}");

    [GeneratedRegex(@"\$\{([^}]+)\}")]
    private static partial Regex SubstitutionPattern();
}
