using System.Text.Json.Serialization;
using SmallPay.Bench.Infrastructure;

namespace SmallPay.Bench.Report;

/// <summary>
/// One run of the harness: the machine and, per section, rows of figures. A run is saved as bench/results/&lt;label&gt;.json;
/// docs/BENCHMARKS.md shows every saved run side by side (one column per label: "baseline", later "after").
/// </summary>
public sealed class BenchRun
{
    public required string Label { get; init; }
    public required MachineInfo Machine { get; set; }
    public List<Section> Sections { get; init; } = [];

    public Section Add(string id, string title, string method)
    {
        var section = new Section { Id = id, Title = title, Method = method };
        Sections.Add(section);
        return section;
    }
}

public sealed class Section
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    /// <summary>How the figures were measured (one paragraph).</summary>
    public required string Method { get; init; }
    /// <summary>What the first column names ("function", "invoice", ...).</summary>
    public string KeyHeader { get; set; } = "figure";
    public List<Row> Rows { get; init; } = [];
    public List<string> Notes { get; init; } = [];

    /// <param name="key">What the row measures; rows with the same key in two runs are shown side by side.</param>
    /// <param name="value">The figure as shown (median and spread).</param>
    /// <param name="number">The row's main number (for the smoke test's sanity checks and later comparisons).</param>
    /// <param name="goal">The goal for this figure, if it has one.</param>
    public Row Add(string key, string value, double? number = null, string? goal = null)
    {
        var row = new Row(key, value, number is { } n && double.IsFinite(n) ? n : null, goal);
        Rows.Add(row);
        return row;
    }

    public void Note(string note) => Notes.Add(note);
}

public sealed record Row(string Key, string Value, double? Number, string? Goal);

[JsonSerializable(typeof(BenchRun))]
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
public sealed partial class BenchJsonContext : JsonSerializerContext;
