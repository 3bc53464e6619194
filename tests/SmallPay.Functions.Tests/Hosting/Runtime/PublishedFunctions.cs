using System.Diagnostics;

namespace SmallPay.Functions.Tests.Hosting.Runtime;

/// <summary>
/// functions/SmallPay.Functions published once per test run into a temporary folder, bin and obj
/// included (--artifacts-path), so it never races the test build or anyone else's build of the repo.
/// </summary>
public sealed class PublishedFunctions : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("smallpay-functions-").FullName;

    public string DllPath => Path.Combine(_root, "out", "SmallPay.Functions.dll");

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public async Task InitializeAsync()
    {
        var project = Path.Combine(RepositoryRoot, "functions", "SmallPay.Functions", "SmallPay.Functions.csproj");
        var (exitCode, stdout, stderr) = await RunAsync("dotnet",
            ["publish", project, "-c", "Release", "-o", Path.Combine(_root, "out"), "--artifacts-path", Path.Combine(_root, "artifacts"), "-nologo"],
            TimeSpan.FromMinutes(3));
        if (exitCode != 0 || !File.Exists(DllPath))
            throw new InvalidOperationException($"dotnet publish failed ({exitCode}):\n{stdout}\n{stderr}");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Runs a program to completion with stdout and stderr kept apart.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan limit)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish within {limit}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "SmallPay.sln")))
                return directory.FullName;
        throw new DirectoryNotFoundException($"No SmallPay.sln above {AppContext.BaseDirectory}");
    }
}

/// <summary>The test classes that start the published executable share one publish per run.</summary>
[CollectionDefinition(Name)]
public sealed class PublishedFunctionsCollection : ICollectionFixture<PublishedFunctions>
{
    public const string Name = "Published SmallPay.Functions";
}
