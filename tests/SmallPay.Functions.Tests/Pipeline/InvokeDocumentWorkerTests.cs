using System.Diagnostics;
using SmallPay.Functions.Tests.Infrastructure;
using SmallPay.Local;
using SmallPay.Local.Invoke;
using Xunit.Abstractions;

namespace SmallPay.Functions.Tests.Pipeline;

/// <summary><c>SmallPay.Local invoke DocumentWorkerFunction -e events/document-worker.json</c>: the worker as its own process.</summary>
[Collection(LocalStackCollection.Name)]
public sealed class InvokeDocumentWorkerTests(LocalStackFixture stack, ITestOutputHelper output)
{
    [Fact]
    public async Task Invoke_runs_the_document_worker_on_its_sample_event_in_its_own_process()
    {
        var root = RepositoryLayout.FindRoot()!;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { typeof(InvokeCommand).Assembly.Location, "invoke", "DocumentWorkerFunction", "-e", "events/document-worker.json" })
            start.ArgumentList.Add(argument);
        start.Environment[InvokeEnvironment.EndpointVariable] = stack.AwsEndpoint;
        start.Environment[InvokeEnvironment.DynamoDbEndpointVariable] = stack.Host.DynamoDbEndpoint.ToString().TrimEnd('/');
        start.Environment[InvokeEnvironment.SmtpPortVariable] = stack.Mail.Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine(await stderr);

        // The sample's invoice belongs to no tenant of this stack: the worker skips it, and answers that nothing failed.
        Assert.Equal(0, process.ExitCode);
        Assert.Equal("""{"batchItemFailures":[]}""", (await stdout).Trim());
        Assert.DoesNotContain("InitError", await stderr);
    }
}
