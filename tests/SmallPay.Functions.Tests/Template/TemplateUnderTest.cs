using System.Diagnostics;
using System.Text.Json.Nodes;
using SmallPay.Functions.Hosting;
using SmallPay.Local.Template;

namespace SmallPay.Functions.Tests.Template;

/// <summary>The repository's template.yaml, read once with the local stack's own reader.</summary>
internal static class TemplateUnderTest
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);
    private static readonly Lazy<SamTemplate> Parsed = new(() => SamTemplate.Load(System.IO.Path.Combine(RepositoryRoot, "template.yaml")));
    private static readonly Lazy<IReadOnlyList<SamFunction>> AllFunctions = new(() => SamFunction.ReadAll(Template));

    public static string RepositoryRoot => Root.Value;

    public static string PathOf(string relativePath) => System.IO.Path.Combine(RepositoryRoot, relativePath);

    public static SamTemplate Template => Parsed.Value;

    public static IReadOnlyList<SamFunction> Functions => AllFunctions.Value;

    public static IReadOnlyList<HttpApiDefinition> HttpApis => HttpApiDefinition.ReadAll(Template, Functions);

    /// <summary>The literal SMALLPAY_FUNCTION of a function (no fallback to the logical id).</summary>
    public static string? SelectorOf(SamFunction function) =>
        function.EnvironmentVariables[FunctionCatalog.SelectorVariable].AsText();

    /// <summary>A resource's raw entry (Type, Metadata, DeletionPolicy, Properties).</summary>
    public static JsonObject ResourceEntry(string logicalId) =>
        Template.Root["Resources"]?[logicalId] as JsonObject
        ?? throw new KeyNotFoundException($"template.yaml has no resource {logicalId}");

    /// <summary>Runs a tool to completion; stdout and stderr together, so a test can show everything it said.</summary>
    public static (int ExitCode, string Output) Run(string fileName, IEnumerable<string> arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish within 2 minutes");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "SmallPay.sln")))
                return directory.FullName;
        }
        throw new DirectoryNotFoundException($"No SmallPay.sln above {AppContext.BaseDirectory}");
    }
}
