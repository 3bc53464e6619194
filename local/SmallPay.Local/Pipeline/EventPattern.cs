using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SmallPay.Local.Pipeline;

/// <summary>
/// An EventBridge event pattern, matched the way EventBridge (and so a Pipe's <c>FilterCriteria</c>) matches it:
/// <list type="bullet">
/// <item>a nested object is AND over its fields; an array in the event matches when one of its elements does;</item>
/// <item>a leaf is a list of alternatives (OR) against the event's value, or any element of an event array:
/// exact strings, numbers, booleans and null (types are not converted: <c>"5"</c> is not <c>5</c>, and DynamoDB's
/// <c>{"N": "5"}</c> is a string), <c>prefix</c>, <c>suffix</c>, <c>equals-ignore-case</c>, <c>wildcard</c>,
/// <c>anything-but</c> (a value, a list, or <c>prefix</c>/<c>suffix</c>/<c>equals-ignore-case</c>/<c>wildcard</c>),
/// <c>numeric</c> (JSON numbers only), <c>cidr</c> and <c>exists</c>;</item>
/// <item>every matcher but <c>exists: false</c> needs the field to be there; objects are not leaves, so
/// <c>exists</c> is false for a field that holds an object;</item>
/// <item><c>$or</c> takes a list of patterns, one of which must match.</item>
/// </list>
/// A pattern EventBridge would refuse (a leaf that is not a list, an unknown operator) is refused when parsed.
/// </summary>
public sealed class EventPattern
{
    private EventPattern(JsonObject pattern, string text)
    {
        Pattern = pattern;
        Text = text;
    }

    public JsonObject Pattern { get; }

    /// <summary>The pattern as written (the template's JSON string).</summary>
    public string Text { get; }

    public static EventPattern Parse(string json)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"event pattern is not JSON: {error.Message}", error);
        }
        if (node is not JsonObject pattern) throw new InvalidDataException("an event pattern must be a JSON object");
        Validate(pattern, "");
        return new EventPattern(pattern, json);
    }

    public bool Matches(JsonNode? eventNode) => MatchesObject(Pattern, eventNode);

    public override string ToString() => Text;

    private static bool MatchesObject(JsonObject pattern, JsonNode? node)
    {
        foreach (var (key, condition) in pattern)
        {
            if (key == "$or")
            {
                if (!condition!.AsArray().Any(alternative => MatchesObject((JsonObject)alternative!, node))) return false;
                continue;
            }

            var present = TryGetField(node, key, out var value);
            var matched = condition is JsonObject nested
                ? MatchesNested(nested, present ? value : null)
                : MatchesLeaf((JsonArray)condition!, present ? LeafValues(value) : []);
            if (!matched) return false;
        }
        return true;
    }

    private static bool TryGetField(JsonNode? node, string key, out JsonNode? value)
    {
        value = null;
        return node is JsonObject obj && obj.TryGetPropertyValue(key, out value);
    }

    // A nested pattern against an array: one element has to match it whole (fields of one element go together).
    private static bool MatchesNested(JsonObject pattern, JsonNode? value) => value switch
    {
        JsonArray { Count: > 0 } array => array.Any(element => MatchesObject(pattern, element)),
        JsonObject obj => MatchesObject(pattern, obj),
        _ => MatchesObject(pattern, null),
    };

    // The leaf values a field holds: itself if it is a scalar or null, the scalars of an array; nothing for an object.
    private static List<JsonNode?> LeafValues(JsonNode? value)
    {
        var values = new List<JsonNode?>();
        Collect(value, values);
        return values;

        static void Collect(JsonNode? node, List<JsonNode?> into)
        {
            switch (node)
            {
                case JsonArray array:
                    foreach (var item in array)
                        if (item is not JsonObject) Collect(item, into);
                    break;
                case JsonObject:
                    break;
                default:
                    into.Add(node);
                    break;
            }
        }
    }

    private static bool MatchesLeaf(JsonArray alternatives, List<JsonNode?> values)
    {
        foreach (var alternative in alternatives)
        {
            if (alternative is JsonObject { Count: 1 } op && op.First() is ("exists", var flag))
            {
                if (flag!.GetValue<bool>() == values.Count > 0) return true;
                continue;
            }
            if (values.Any(value => MatchesValue(alternative, value))) return true;
        }
        return false;
    }

    private static bool MatchesValue(JsonNode? matcher, JsonNode? value)
    {
        if (matcher is not JsonObject op) return SameLiteral(matcher, value);
        var (name, argument) = op.First();
        return name switch
        {
            "prefix" => StringMatch(argument, value, static (v, p, c) => v.StartsWith(p, c)),
            "suffix" => StringMatch(argument, value, static (v, s, c) => v.EndsWith(s, c)),
            "equals-ignore-case" => AsString(value) is { } text && string.Equals(text, argument!.GetValue<string>(), StringComparison.OrdinalIgnoreCase),
            "wildcard" => AsString(value) is { } text && Wildcard(argument!.GetValue<string>()).IsMatch(text),
            "numeric" => AsNumber(value) is { } number && NumericHolds(argument!.AsArray(), number),
            "cidr" => AsString(value) is { } text && IPAddress.TryParse(text, out var address)
                      && IPNetwork.Parse(argument!.GetValue<string>()).Contains(address),
            "anything-but" => AnythingBut(argument, value),
            _ => false,
        };
    }

    private static bool AnythingBut(JsonNode? excluded, JsonNode? value) => excluded switch
    {
        JsonArray list => !list.Any(item => SameLiteral(item, value)),
        JsonObject op => op.First() switch
        {
            ("prefix", var prefix) => AsString(value) is { } text && !text.StartsWith(prefix!.GetValue<string>(), StringComparison.Ordinal),
            ("suffix", var suffix) => AsString(value) is { } text && !text.EndsWith(suffix!.GetValue<string>(), StringComparison.Ordinal),
            ("equals-ignore-case", var other) => AsString(value) is { } text
                                                 && !other.AsStrings().Any(o => string.Equals(o, text, StringComparison.OrdinalIgnoreCase)),
            ("wildcard", var wildcard) => AsString(value) is { } text && !wildcard.AsStrings().Any(w => Wildcard(w).IsMatch(text)),
            _ => false,
        },
        _ => !SameLiteral(excluded, value),
    };

    // prefix/suffix take a string, or {"equals-ignore-case": string}.
    private static bool StringMatch(JsonNode? argument, JsonNode? value, Func<string, string, StringComparison, bool> test)
    {
        if (AsString(value) is not { } text) return false;
        return argument is JsonObject { Count: 1 } ignoreCase && ignoreCase.First() is ("equals-ignore-case", var inner)
            ? test(text, inner!.GetValue<string>(), StringComparison.OrdinalIgnoreCase)
            : test(text, argument!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static bool SameLiteral(JsonNode? literal, JsonNode? value)
    {
        if (literal is null || value is null) return literal is null && value is null;
        var (kind, valueKind) = (literal.GetValueKind(), value.GetValueKind());
        if (kind == JsonValueKind.Number) return valueKind == JsonValueKind.Number && AsNumber(literal) == AsNumber(value);
        if (kind != valueKind) return false;
        return kind switch
        {
            JsonValueKind.String => literal.GetValue<string>() == value.GetValue<string>(),
            JsonValueKind.True or JsonValueKind.False => true,
            _ => false,
        };
    }

    private static string? AsString(JsonNode? value) =>
        value is JsonValue scalar && scalar.GetValueKind() == JsonValueKind.String ? scalar.GetValue<string>() : null;

    private static double? AsNumber(JsonNode? value) =>
        value is JsonValue scalar && scalar.GetValueKind() == JsonValueKind.Number
            ? double.Parse(scalar.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : null;

    private static bool NumericHolds(JsonArray comparisons, double number)
    {
        for (var i = 0; i + 1 < comparisons.Count; i += 2)
        {
            var bound = AsNumber(comparisons[i + 1])!.Value;
            var holds = comparisons[i]!.GetValue<string>() switch
            {
                "=" => number == bound,
                "<" => number < bound,
                "<=" => number <= bound,
                ">" => number > bound,
                ">=" => number >= bound,
                _ => false,
            };
            if (!holds) return false;
        }
        return true;
    }

    private static Regex Wildcard(string pattern) =>
        new("^" + string.Join(".*", pattern.Split('*').Select(Regex.Escape)) + "$", RegexOptions.CultureInvariant | RegexOptions.Singleline);

    // ------------------------------------------------------------------ what EventBridge accepts

    private static readonly HashSet<string> NumericOperators = ["=", "<", "<=", ">", ">="];

    private static void Validate(JsonObject pattern, string path)
    {
        foreach (var (key, condition) in pattern)
        {
            var at = path.Length == 0 ? key : $"{path}.{key}";
            if (key == "$or")
            {
                if (condition is not JsonArray { Count: >= 2 } alternatives || alternatives.Any(a => a is not JsonObject))
                    throw Invalid(at, "$or needs a list of at least two patterns");
                foreach (var alternative in alternatives) Validate((JsonObject)alternative!, path);
                continue;
            }
            switch (condition)
            {
                case JsonObject nested:
                    Validate(nested, at);
                    break;
                case JsonArray alternatives:
                    foreach (var alternative in alternatives) ValidateMatcher(alternative, at);
                    break;
                default:
                    throw Invalid(at, "a leaf must be a list of values or operators, e.g. [\"INSERT\"]");
            }
        }
    }

    private static void ValidateMatcher(JsonNode? matcher, string at)
    {
        switch (matcher)
        {
            case null:
                return;
            case JsonArray:
                throw Invalid(at, "lists cannot be nested");
            case JsonValue:
                return;
        }
        var op = (JsonObject)matcher;
        if (op.Count != 1) throw Invalid(at, $"an operator object has exactly one key: {op.ToJsonString()}");
        var (name, argument) = op.First();
        switch (name)
        {
            case "exists" when argument is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
            case "prefix" or "suffix" when IsString(argument) || IsIgnoreCase(argument):
            case "equals-ignore-case" or "wildcard" when IsString(argument):
                return;
            case "cidr" when IsString(argument) && IPNetwork.TryParse(argument!.GetValue<string>(), out _):
                return;
            case "numeric" when argument is JsonArray { Count: 2 or 4 } comparisons
                                && Enumerable.Range(0, comparisons.Count / 2).All(i =>
                                    IsString(comparisons[2 * i]) && NumericOperators.Contains(comparisons[2 * i]!.GetValue<string>())
                                    && comparisons[2 * i + 1] is JsonValue bound && bound.GetValueKind() == JsonValueKind.Number):
                return;
            case "anything-but":
                ValidateAnythingBut(argument, at);
                return;
            default:
                throw Invalid(at, $"unsupported or malformed operator {op.ToJsonString()}");
        }
    }

    private static void ValidateAnythingBut(JsonNode? argument, string at)
    {
        switch (argument)
        {
            case JsonArray list when list.All(item => item is JsonValue):
            case JsonValue:
                return;
            case JsonObject { Count: 1 } op when op.First() switch
            {
                ("prefix" or "suffix", var text) => IsString(text),
                ("equals-ignore-case" or "wildcard", var texts) => IsString(texts) || texts is JsonArray all && all.All(IsString),
                _ => false,
            }:
                return;
            default:
                throw Invalid(at, $"malformed anything-but {argument?.ToJsonString()}");
        }
    }

    private static bool IsString(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.String;

    private static bool IsIgnoreCase(JsonNode? node) => node is JsonObject { Count: 1 } obj && obj.First() is ("equals-ignore-case", var text) && IsString(text);

    private static InvalidDataException Invalid(string at, string message) => new($"event pattern, at {at}: {message}");
}

internal static class EventPatternNodes
{
    /// <summary>A string or a list of strings as a sequence.</summary>
    public static IEnumerable<string> AsStrings(this JsonNode? node) => node switch
    {
        JsonArray list => list.Select(item => item!.GetValue<string>()),
        null => [],
        _ => [node.GetValue<string>()],
    };
}
