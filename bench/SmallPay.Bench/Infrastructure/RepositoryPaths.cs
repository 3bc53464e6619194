namespace SmallPay.Bench.Infrastructure;

/// <summary>Where the harness finds the repository and the programs it starts.</summary>
public sealed class RepositoryPaths(string root)
{
    public string Root { get; } = root;

    public string Events => Path.Combine(Root, "events");

    public string NodeScripts => Path.Combine(Root, "bench", "node");

    public string Fonts => Path.Combine(Root, "functions", "SmallPay.Functions", "Documents", "Fonts");

    public string Benchmarks => Path.Combine(Root, "docs", "BENCHMARKS.md");

    public string Results => Path.Combine(Root, "bench", "results");

    /// <summary>The hand-written findings (what was done, what would close the gaps) appended to docs/BENCHMARKS.md.</summary>
    public string Findings => Path.Combine(Root, "bench", "FINDINGS.md");

    public string EventPath(string function) => Path.Combine(Events, Kebab(function) + ".json");

    /// <summary>The build output of a project of this repository, in the harness's own configuration if it has one.</summary>
    public string BuildOutput(string projectDirectory, string assemblyName)
    {
        var candidates = new[] { OwnConfiguration(), "Release", "Debug" }.Distinct()
            .Select(configuration => Path.Combine(Root, projectDirectory, "bin", configuration, "net10.0", assemblyName + ".dll"))
            .ToList();
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"{assemblyName}.dll is not built (looked for {string.Join(", ", candidates)}); run bench/run.sh");
    }

    public static RepositoryPaths Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "SmallPay.sln")))
                return new RepositoryPaths(directory.FullName);
        throw new DirectoryNotFoundException($"No SmallPay.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>CreateInvoice → create-invoice (the names of events/*.json).</summary>
    public static string Kebab(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    // bin/<Configuration>/net10.0/ of this harness.
    private static string OwnConfiguration() =>
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Release";
}
