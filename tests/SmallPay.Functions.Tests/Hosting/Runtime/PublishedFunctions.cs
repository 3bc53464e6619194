using System.Diagnostics;

namespace SmallPay.Functions.Tests.Hosting.Runtime;

/// <summary>
/// The Native AOT executable of functions/SmallPay.Functions, published once per test run (or not at all when it is up
/// to date) by scripts/publish-functions.sh, which holds a lock while it publishes.
/// </summary>
public sealed class PublishedFunctions : IAsyncLifetime
{
    /// <summary>The native executable Lambda runs: artifacts/functions/linux-x64/bootstrap, as sam build packages it.</summary>
    public string BootstrapPath => Path.Combine(RepositoryRoot, "artifacts", "functions", "linux-x64", "bootstrap");

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public async Task InitializeAsync()
    {
        // The same script sam build's Makefile and `make invoke` use: it publishes only when the sources changed.
        var (exitCode, stdout, stderr) = await RunAsync(Path.Combine(RepositoryRoot, "scripts", "publish-functions.sh"), ["linux-x64"], TimeSpan.FromMinutes(15));
        if (exitCode != 0 || !File.Exists(BootstrapPath))
            throw new InvalidOperationException($"scripts/publish-functions.sh failed ({exitCode}):\n{stdout}\n{stderr}");
    }

    public Task DisposeAsync() => Task.CompletedTask;

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
