using System.Text.Json.Nodes;
using SmallPay.Local.Template;

namespace SmallPay.Local.Pipeline;

/// <summary>
/// A Pipe's (or an event source mapping's) <c>FilterCriteria</c>: <c>{"Filters": [{"Pattern": "&lt;JSON&gt;"}]}</c>.
/// An event passes when any pattern matches it; without filters every event passes.
/// </summary>
public sealed class PipeFilter
{
    private PipeFilter(IReadOnlyList<EventPattern> patterns) => Patterns = patterns;

    public static PipeFilter PassAll { get; } = new([]);

    public IReadOnlyList<EventPattern> Patterns { get; }

    /// <summary>From resolved <c>FilterCriteria</c> (each Pattern is a JSON string, as CloudFormation wants it).</summary>
    public static PipeFilter FromCriteria(JsonNode? criteria)
    {
        if (criteria is null) return PassAll;
        var patterns = new List<EventPattern>();
        foreach (var filter in criteria["Filters"].AsList())
        {
            var pattern = filter?["Pattern"];
            var text = pattern is JsonObject obj ? obj.ToJsonString() : pattern.AsText()
                ?? throw new InvalidDataException("FilterCriteria.Filters[] needs a Pattern");
            patterns.Add(EventPattern.Parse(text));
        }
        return new PipeFilter(patterns);
    }

    public static PipeFilter FromPatterns(params string[] patterns) => new(patterns.Select(EventPattern.Parse).ToList());

    public bool Passes(JsonNode? eventNode) => Patterns.Count == 0 || Patterns.Any(pattern => pattern.Matches(eventNode));
}
