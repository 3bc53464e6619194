namespace SmallPay.Local;

/// <summary>Finds the repository (the folder with SmallPay.sln) from wherever the tool or a test runs.</summary>
public static class RepositoryLayout
{
    public const string SolutionFile = "SmallPay.sln";
    public const string TemplateFile = "template.yaml";

    /// <summary>The repository root above the current directory, else above this assembly; null if neither has one.</summary>
    public static string? FindRoot() => FindRootAbove(Directory.GetCurrentDirectory()) ?? FindRootAbove(AppContext.BaseDirectory);

    public static string? FindRootAbove(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile))) return directory.FullName;
        return null;
    }

    public static string FindTemplate() =>
        FindRoot() is { } root && Path.Combine(root, TemplateFile) is var path && File.Exists(path)
            ? path
            : throw new FileNotFoundException($"No {TemplateFile} next to {SolutionFile} above {Directory.GetCurrentDirectory()}; pass --template <path>.");
}
