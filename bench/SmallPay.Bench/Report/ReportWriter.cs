using System.Globalization;
using System.Text;
using SmallPay.Bench.Infrastructure;

namespace SmallPay.Bench.Report;

/// <summary>The run as a table on stdout, and docs/BENCHMARKS.md with every saved run as a column.</summary>
public static class ReportWriter
{
    public static string Console(BenchRun run)
    {
        var text = new StringBuilder();
        var m = run.Machine;
        text.AppendLine();
        text.AppendLine($"SmallPay benchmarks — {run.Label} ({m.Mode})");
        text.AppendLine($"  {m.StartedAt:yyyy-MM-dd HH:mm} UTC, commit {m.Commit}");
        text.AppendLine($"  {m.Cores} cores ({m.Cpu}), {m.MemoryGiB:0.0} GiB, load average {m.LoadAtStart} at start, {m.LoadAtEnd ?? "?"} at end");
        text.AppendLine($"  {m.DotNet}, Node {m.Node ?? "not found"}, {m.Os}");
        foreach (var section in run.Sections)
        {
            text.AppendLine();
            text.AppendLine($"== {section.Title}");
            var keyWidth = Math.Max(section.KeyHeader.Length, section.Rows.Select(r => r.Key.Length).DefaultIfEmpty(0).Max());
            var hasGoals = section.Rows.Any(r => r.Goal is not null);
            var goalWidth = hasGoals ? Math.Max(4, section.Rows.Select(r => r.Goal?.Length ?? 0).Max()) : 0;
            text.Append("  ").Append(section.KeyHeader.PadRight(keyWidth));
            if (hasGoals) text.Append("  ").Append("goal".PadRight(goalWidth));
            text.AppendLine("  " + run.Label);
            foreach (var row in section.Rows)
            {
                text.Append("  ").Append(row.Key.PadRight(keyWidth));
                if (hasGoals) text.Append("  ").Append((row.Goal ?? "").PadRight(goalWidth));
                text.AppendLine("  " + row.Value);
            }
            foreach (var note in section.Notes) text.AppendLine("  * " + note);
        }
        return text.ToString();
    }

    /// <summary>docs/BENCHMARKS.md from the saved runs, in the order given (baseline first), then <paramref name="findings"/> (bench/FINDINGS.md).</summary>
    public static string Markdown(IReadOnlyList<BenchRun> runs, string? findings = null)
    {
        var md = new StringBuilder();
        md.AppendLine("# SmallPay benchmarks");
        md.AppendLine();
        md.AppendLine("Produced by `make bench` (= `bench/run.sh`): it installs what it needs (hey, the Node peers), publishes the functions");
        md.AppendLine("(the Native AOT `bootstrap` with `scripts/publish-functions.sh`, timed; a framework-dependent JIT build beside it),");
        md.AppendLine("starts the local stack (DynamoDB Local, moto, maildev) and measures everything below in one run. Each run is saved as");
        md.AppendLine("`bench/results/<label>.json` and shown here as a column (`bench/run.sh --label <name>`). The `baseline` and `after`");
        md.AppendLine("columns are the JIT/ReadyToRun era (issue 5's goals); `native` is the Native AOT build on the official AWS SDK (the");
        md.AppendLine("issue \"Native AOT on the official libraries\"). Where a section changed shape, the earlier columns' rows stay (\"—\" where");
        md.AppendLine("a run has no such row) and each run's method is stated.");
        md.AppendLine();
        md.AppendLine("Figures are medians with their spread (p90 or p99, and min–max where it says so). **They come from a shared");
        md.AppendLine("2-core machine whose load average is stated per run: under load every figure is slower and noisier, ratios");
        md.AppendLine("measured in the same run (interleaved) are the most trustworthy numbers here.**");
        md.AppendLine();
        md.AppendLine("## Runs");
        md.AppendLine();
        md.AppendLine("| run | date (UTC) | commit | machine | load average (1, 5, 15 min) at start → end | mode |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var run in runs)
        {
            var m = run.Machine;
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {run.Label} | {m.StartedAt:yyyy-MM-dd HH:mm} | `{m.Commit}` | {m.Cores} cores ({Escape(m.Cpu)}), {m.MemoryGiB:0.0} GiB; {Escape(m.DotNet)}; Node {m.Node ?? "—"} | {m.LoadAtStart} → {m.LoadAtEnd ?? "?"} | {m.Mode} |");
        }

        // The newest run's sections in its order, then sections only earlier runs have.
        var sectionIds = Enumerable.Reverse(runs).SelectMany(r => r.Sections.Select(s => s.Id)).Distinct().ToList();
        foreach (var id in sectionIds)
        {
            var sections = runs.Select(r => (r.Label, Section: r.Sections.FirstOrDefault(s => s.Id == id))).ToList();
            var latest = sections.Last(s => s.Section is not null).Section!;
            md.AppendLine();
            md.AppendLine($"## {latest.Title}");
            md.AppendLine();
            // One method for all runs, or each run's own where the way of measuring changed.
            var methods = sections.Where(s => s.Section is not null).GroupBy(s => s.Section!.Method).ToList();
            if (methods.Count == 1) md.AppendLine(latest.Method);
            else
                foreach (var method in methods.OrderByDescending(m => m.Any(s => ReferenceEquals(s.Section, latest))))
                    md.AppendLine($"- **{string.Join(", ", method.Select(s => s.Label))}**: {method.Key}");
            md.AppendLine();
            // The latest run's rows in its order, then rows only earlier runs have (a measurement since dropped).
            var keys = latest.Rows.Select(r => r.Key)
                .Concat(sections.Where(s => s.Section is not null).SelectMany(s => s.Section!.Rows.Select(r => r.Key))).Distinct().ToList();
            var goals = keys.ToDictionary(k => k, k => Goal(sections, k));
            var hasGoals = goals.Values.Any(g => g is not null);
            md.Append("| ").Append(latest.KeyHeader).Append(hasGoals ? " | goal" : "");
            foreach (var (label, _) in sections) md.Append(" | ").Append(label);
            md.AppendLine(" |");
            md.Append("|---").Append(hasGoals ? "|---" : "");
            foreach (var _ in sections) md.Append("|---");
            md.AppendLine("|");
            foreach (var key in keys)
            {
                md.Append("| ").Append(Escape(key)).Append(hasGoals ? " | " + Escape(goals[key] ?? "") : "");
                foreach (var (_, section) in sections)
                    md.Append(" | ").Append(Escape(section?.Rows.FirstOrDefault(r => r.Key == key)?.Value ?? "—"));
                md.AppendLine(" |");
            }
            foreach (var (label, section) in sections)
            {
                if (section is null || section.Notes.Count == 0) continue;
                md.AppendLine();
                foreach (var note in section.Notes)
                    md.AppendLine(runs.Count > 1 ? $"- {label}: {note}" : $"- {note}");
            }
        }
        if (!string.IsNullOrWhiteSpace(findings))
        {
            md.AppendLine();
            md.Append(findings.TrimEnd()).AppendLine();
        }
        return md.ToString();
    }

    /// <summary>The row's goal in the latest run that has one; earlier runs' different goals follow with their labels.</summary>
    private static string? Goal(IReadOnlyList<(string Label, Section? Section)> sections, string key)
    {
        var perRun = sections.Select(s => (s.Label, Goal: s.Section?.Rows.FirstOrDefault(r => r.Key == key)?.Goal)).Where(g => g.Goal is not null).ToList();
        if (perRun.Count == 0) return null;
        var latest = perRun[^1].Goal!;
        var earlier = perRun.Where(g => g.Goal != latest).GroupBy(g => g.Goal!).Select(g => $"{string.Join(", ", g.Select(x => x.Label))}: {g.Key}").ToList();
        return earlier.Count == 0 ? latest : $"{latest} ({string.Join("; ", earlier)})";
    }

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
