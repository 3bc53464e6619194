using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SmallPay.Local.Pipeline;

/// <summary>What a pipe's reserved variables (<c>&lt;aws.pipes.pipe-arn&gt;</c>, ...) stand for when an event goes through it.</summary>
public sealed record PipeTemplateContext(string PipeName, string PipeArn, string SourceArn, string TargetArn, DateTimeOffset IngestionTime);

/// <summary>
/// A pipe's <c>TargetParameters.InputTemplate</c> (EventBridge Pipes input transformation), applied the way the Pipes user
/// guide describes it ("Amazon EventBridge Pipes input transformation"):
/// <list type="bullet">
/// <item>placeholders are <c>&lt;$.json.path&gt;</c> into the event (dot notation, array indices <c>[0]</c>, wildcards
/// <c>*</c>, names with letters, digits, dashes, underscores and slashes) and the reserved variables
/// <c>aws.pipes.pipe-arn</c>, <c>pipe-name</c>, <c>source-arn</c>, <c>enrichment-arn</c>, <c>target-arn</c>,
/// <c>event.ingestion-time</c>, <c>event</c> and <c>event.json</c>;</item>
/// <item>a template that is a JSON object or array (it starts with <c>{</c> or <c>[</c>) gives JSON: a placeholder used
/// as a value becomes that value as JSON — a string is quoted (the guide's example turns <c>"state": &lt;$.detail.state&gt;</c>
/// into <c>"state": "RUNNING"</c>), a number, boolean, object or array is written as it is; a placeholder inside a
/// quoted string puts the value's text there (the quotes of an object or array are removed, as EventBridge does); the
/// output is minified;</item>
/// <item>a path the event does not have creates no variable, so it does not appear in the output: a member or array
/// element whose whole value is such a placeholder is left out, and inside a string or a text template it is empty
/// (EventBridge's "Common issues with transforming input");</item>
/// <item>any other template is text: every placeholder becomes its value's text.</item>
/// </list>
/// A JSON template that cannot give valid JSON is refused when parsed, as Pipes refuses to create such a pipe.
/// </summary>
public sealed partial class PipeInputTemplate
{
    // Non-ASCII text stays as it is (Müller, not M\u00fcller), as AWS writes it.
    private static readonly JsonSerializerOptions Output = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly IReadOnlyList<Segment> _segments;

    private PipeInputTemplate(string text, bool isJson, IReadOnlyList<Segment> segments)
    {
        Text = text;
        IsJson = isJson;
        _segments = segments;
    }

    /// <summary>The template as written.</summary>
    public string Text { get; }

    /// <summary>True when the template is a JSON object or array (the output is JSON).</summary>
    public bool IsJson { get; }

    /// <summary>The placeholders' paths and variables, in order (<c>$.dynamodb.Keys.id.S</c>, <c>aws.pipes.pipe-name</c>).</summary>
    public IEnumerable<string> Placeholders => _segments.OfType<Placeholder>().Select(p => p.Name);

    public static PipeInputTemplate Parse(string template)
    {
        var trimmed = template.TrimStart();
        var isJson = trimmed.StartsWith('{') || trimmed.StartsWith('[');
        var segments = new List<Segment>();
        var literal = new StringBuilder();
        var inString = false;
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '<' && PlaceholderAt().Match(template, i) is { Success: true } match && match.Index == i)
            {
                if (literal.Length > 0) segments.Add(new Literal(literal.ToString()));
                literal.Clear();
                segments.Add(new Placeholder(match.Groups["name"].Value, InString: isJson && inString));
                i += match.Length - 1;
                continue;
            }
            if (isJson)
            {
                if (inString && c == '\\' && i + 1 < template.Length)
                {
                    literal.Append(c).Append(template[++i]);
                    continue;
                }
                if (c == '"') inString = !inString;
            }
            literal.Append(c);
        }
        if (literal.Length > 0) segments.Add(new Literal(literal.ToString()));

        var parsed = new PipeInputTemplate(template, isJson, segments);
        if (isJson)
        {
            // Whatever the values, the output must be JSON: try it with every placeholder present.
            var probe = string.Concat(segments.Select(segment => segment switch
            {
                Literal l => l.Text,
                Placeholder { InString: true } => "x",
                _ => "\"x\"",
            }));
            try
            {
                JsonNode.Parse(probe);
            }
            catch (JsonException error)
            {
                throw new InvalidDataException($"InputTemplate does not give JSON: {error.Message}", error);
            }
        }
        return parsed;
    }

    /// <summary>The target's input for one event (a DynamoDB stream record, for a stream source).</summary>
    public string Apply(JsonNode? eventNode, PipeTemplateContext context)
    {
        var missing = $"\u0000missing-{Guid.NewGuid():N}";
        var output = new StringBuilder();
        foreach (var segment in _segments)
        {
            if (segment is Literal literal)
            {
                output.Append(literal.Text);
                continue;
            }
            var placeholder = (Placeholder)segment;
            var found = Resolve(placeholder.Name, eventNode, context, out var value);
            if (!IsJson)
                output.Append(found ? TextOf(value, removeQuotes: false) : "");
            else if (placeholder.InString)
                output.Append(found ? JsonEscape(TextOf(value, removeQuotes: true)) : "");
            else
                output.Append(found ? JsonOf(value) : JsonSerializer.Serialize(missing));
        }
        if (!IsJson) return output.ToString();

        var result = JsonNode.Parse(output.ToString());
        return (LeaveOut(result, missing) ?? JsonValue.Create((string?)null))?.ToJsonString(Output) ?? "null";
    }

    public override string ToString() => Text;

    // A member or element whose value is a missing variable is not there.
    private static JsonNode? LeaveOut(JsonNode? node, string missing)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (IsMissing(value, missing)) obj.Remove(key);
                    else LeaveOut(value, missing);
                }
                return obj;
            case JsonArray array:
                for (var i = array.Count - 1; i >= 0; i--)
                {
                    if (IsMissing(array[i], missing)) array.RemoveAt(i);
                    else LeaveOut(array[i], missing);
                }
                return array;
            default:
                return IsMissing(node, missing) ? null : node;
        }
    }

    private static bool IsMissing(JsonNode? node, string missing) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() == missing;

    private static bool Resolve(string name, JsonNode? eventNode, PipeTemplateContext context, out JsonNode? value)
    {
        value = null;
        switch (name)
        {
            case "aws.pipes.pipe-arn": value = context.PipeArn; return true;
            case "aws.pipes.pipe-name": value = context.PipeName; return true;
            case "aws.pipes.source-arn": value = context.SourceArn; return true;
            case "aws.pipes.target-arn": value = context.TargetArn; return true;
            case "aws.pipes.enrichment-arn": return false; // the local pipes have no enrichment
            case "aws.pipes.event.ingestion-time": value = context.IngestionTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ"); return true;
            case "aws.pipes.event" or "aws.pipes.event.json": value = eventNode?.DeepClone(); return eventNode is not null;
        }

        var steps = PathSteps().Matches(name[1..]).Select(m => m.Groups["name"].Success ? m.Groups["name"].Value : m.Groups["index"].Value is { Length: > 0 } index ? $"[{index}]" : "*").ToList();
        var current = new List<JsonNode?> { eventNode };
        var wildcard = false;
        foreach (var step in steps)
        {
            var next = new List<JsonNode?>();
            foreach (var node in current)
            {
                if (step == "*")
                {
                    wildcard = true;
                    if (node is JsonObject obj) next.AddRange(obj.Select(member => member.Value));
                    else if (node is JsonArray array) next.AddRange(array);
                }
                else if (step.StartsWith('['))
                {
                    if (node is JsonArray array && int.TryParse(step[1..^1], out var i) && i < array.Count) next.Add(array[i]);
                }
                else if (node is JsonObject obj && obj.TryGetPropertyValue(step, out var child))
                {
                    next.Add(child);
                }
            }
            current = next;
        }
        if (wildcard)
        {
            value = new JsonArray(current.Select(node => node?.DeepClone()).ToArray());
            return current.Count > 0;
        }
        if (current.Count == 0) return false;
        value = current[0]?.DeepClone();
        return true;
    }

    private static string JsonOf(JsonNode? value) => value?.ToJsonString(Output) ?? "null";

    private static string TextOf(JsonNode? value, bool removeQuotes) => value switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v => v.ToJsonString(Output),
        _ when removeQuotes => value.ToJsonString(Output).Replace("\"", "", StringComparison.Ordinal),
        _ => value.ToJsonString(Output),
    };

    // The text, escaped to sit inside a JSON string (without the surrounding quotes).
    private static string JsonEscape(string text)
    {
        var quoted = JsonSerializer.Serialize(text, Output);
        return quoted[1..^1];
    }

    private abstract record Segment;

    private sealed record Literal(string Text) : Segment;

    private sealed record Placeholder(string Name, bool InString) : Segment;

    // <$.a.b-c[0].*> or <aws.pipes.pipe-arn>: what the guide lists (dot notation, dashes, underscores, letters and
    // digits, array indices, wildcards, forward slashes). Anything else between < and > is text.
    [GeneratedRegex(@"\G<(?<name>\$(?:\.[A-Za-z0-9_\-/*]+|\[(?:\d+|\*)\])*|aws\.pipes\.[a-z][a-z.\-]*)>")]
    private static partial Regex PlaceholderAt();

    [GeneratedRegex(@"\.(?<name>[A-Za-z0-9_\-/]+)|\[(?<index>\d+)\]|\.\*|\[\*\]")]
    private static partial Regex PathSteps();
}
