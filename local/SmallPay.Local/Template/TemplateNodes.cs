using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SmallPay.Local.Template;

/// <summary>Reading template values, whose scalars are all strings after parsing (see <see cref="SamTemplate"/>).</summary>
public static class TemplateNodes
{
    /// <summary>A scalar as text (strings, numbers and booleans alike); null for anything else.</summary>
    public static string? AsText(this JsonNode? node) => node switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonValue value => value.ToJsonString(),
        _ => null,
    };

    public static int? AsInt(this JsonNode? node) =>
        int.TryParse(node.AsText(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null;

    public static bool? AsBool(this JsonNode? node) =>
        bool.TryParse(node.AsText(), out var flag) ? flag : null;

    /// <summary>The items of a list, or a single value as a one-item list; empty for null.</summary>
    public static IReadOnlyList<JsonNode?> AsList(this JsonNode? node) => node switch
    {
        null => [],
        JsonArray array => [.. array],
        _ => [node],
    };

    /// <summary>A property by name, ignoring case (SAM writes <c>JwtConfiguration.issuer</c>, CloudFormation <c>Issuer</c>).</summary>
    public static JsonNode? Property(this JsonNode? node, string name)
    {
        if (node is not JsonObject obj) return null;
        if (obj.TryGetPropertyValue(name, out var exact)) return exact;
        foreach (var (key, value) in obj)
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) return value;
        return null;
    }

    /// <summary>SAM's Globals merge: properties of <paramref name="overrides"/> win; nested maps merge; lists are replaced.</summary>
    public static JsonObject Merge(JsonObject? defaults, JsonObject? overrides)
    {
        var result = defaults?.DeepClone() as JsonObject ?? new JsonObject();
        if (overrides is null) return result;
        foreach (var (key, value) in overrides)
        {
            result[key] = result[key] is JsonObject existing && value is JsonObject nested && !IsIntrinsic(nested)
                ? Merge(existing, nested)
                : value?.DeepClone();
        }
        return result;
    }

    /// <summary>True for <c>{"Ref": ...}</c>, <c>{"Fn::...": ...}</c> and <c>{"Condition": ...}</c>.</summary>
    public static bool IsIntrinsic(JsonObject node) =>
        node.Count == 1 && node.First() is var (key, _) && (key is "Ref" or "Condition" || key.StartsWith("Fn::", StringComparison.Ordinal));
}
