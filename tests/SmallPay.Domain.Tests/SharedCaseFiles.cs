namespace SmallPay.Domain.Tests;

/// <summary>tests/cases/: case files that the SPA's vitest suite runs too, so the server and its TypeScript mirrors cannot drift apart.</summary>
public static class SharedCaseFiles
{
    public static string PathOf(string fileName) => Path.Combine(RepositoryRoot(), "tests", "cases", fileName);

    /// <summary>The folder holding SmallPay.sln, found by walking up from the test assembly.</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SmallPay.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No SmallPay.sln above {AppContext.BaseDirectory}.");
    }
}
