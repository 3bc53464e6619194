using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace SmallPay.Local.Template;

/// <summary>
/// template.yaml as a JSON-like tree (the same shape CloudFormation gives a JSON template):
/// short tags become their long form (<c>!Ref X</c> → <c>{"Ref":"X"}</c>, <c>!GetAtt A.B</c> →
/// <c>{"Fn::GetAtt":["A","B"]}</c>, <c>!Sub s</c> → <c>{"Fn::Sub":s}</c>), scalars stay strings
/// (CloudFormation's own typing is loose: read them through <see cref="TemplateNodes"/>).
/// Intrinsics are resolved separately, by <see cref="IntrinsicResolver"/>, because their values
/// (table names, pool ids) are only known once the local resources exist.
/// </summary>
public sealed class SamTemplate
{
    private SamTemplate(string path, JsonObject root)
    {
        Path = path;
        Root = root;
        Resources = (root["Resources"] as JsonObject ?? new JsonObject())
            .Where(entry => entry.Value is JsonObject)
            .Select(entry => new TemplateResource(
                entry.Key,
                entry.Value!["Type"].AsText() ?? "",
                entry.Value["Properties"] as JsonObject ?? new JsonObject()))
            .ToDictionary(resource => resource.LogicalId, StringComparer.Ordinal);
    }

    public string Path { get; }

    public JsonObject Root { get; }

    public IReadOnlyDictionary<string, TemplateResource> Resources { get; }

    public JsonObject Parameters => Root["Parameters"] as JsonObject ?? new JsonObject();

    public JsonObject Conditions => Root["Conditions"] as JsonObject ?? new JsonObject();

    public JsonObject Mappings => Root["Mappings"] as JsonObject ?? new JsonObject();

    /// <summary>SAM's <c>Globals</c> section for one resource kind (<c>Function</c>, <c>HttpApi</c>), or an empty object.</summary>
    public JsonObject Globals(string section) => Root["Globals"]?[section] as JsonObject ?? new JsonObject();

    public IEnumerable<TemplateResource> ResourcesOfType(string type) =>
        Resources.Values.Where(resource => resource.Type == type);

    public static SamTemplate Load(string path) => Parse(File.ReadAllText(path), System.IO.Path.GetFullPath(path));

    public static SamTemplate Parse(string yaml, string path = "template.yaml")
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count == 0 || ToNode(stream.Documents[0].RootNode) is not JsonObject root)
            throw new InvalidDataException($"{path}: not a template (expected a mapping at the top).");
        return new SamTemplate(path, root);
    }

    private static JsonNode? ToNode(YamlNode node)
    {
        var converted = node switch
        {
            YamlMappingNode mapping => ToObject(mapping),
            YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToNode).ToArray()),
            YamlScalarNode scalar => ScalarToNode(scalar),
            _ => null,
        };
        // Tags of YAML's own schema (!!str, !!int) are not CloudFormation's: keep the value as it is.
        return node.Tag.IsEmpty || node.Tag.Value.StartsWith("tag:yaml.org,2002:", StringComparison.Ordinal)
            ? converted
            : ExpandShortTag(node, converted);
    }

    private static JsonObject ToObject(YamlMappingNode mapping)
    {
        var result = new JsonObject();
        foreach (var (key, value) in mapping.Children)
            result[((YamlScalarNode)key).Value ?? ""] = ToNode(value);
        return result;
    }

    private static JsonNode? ScalarToNode(YamlScalarNode scalar) =>
        scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or null
            ? null
            : JsonValue.Create(scalar.Value);

    private static JsonNode ExpandShortTag(YamlNode node, JsonNode? value)
    {
        var tag = node.Tag.Value.TrimStart('!');
        switch (tag)
        {
            case "Ref":
                return new JsonObject { ["Ref"] = value };
            case "Condition":
                return new JsonObject { ["Condition"] = value };
            case "GetAtt" when value is JsonValue:
                // !GetAtt Resource.Attribute.With.Dots → ["Resource", "Attribute.With.Dots"]
                var text = value.AsText() ?? "";
                var dot = text.IndexOf('.');
                var parts = dot < 0 ? new JsonArray(text) : new JsonArray(text[..dot], text[(dot + 1)..]);
                return new JsonObject { ["Fn::GetAtt"] = parts };
            default:
                return new JsonObject { ["Fn::" + tag] = value };
        }
    }
}

/// <summary>One entry of <c>Resources</c>.</summary>
public sealed record TemplateResource(string LogicalId, string Type, JsonObject Properties);
