using System.Text;
using SmallPay.Functions.Hosting.Runtime;
using SmallPay.Local.RuntimeApi;
using Xunit.Abstractions;

namespace SmallPay.Functions.Tests.Hosting.Runtime;

/// <summary>
/// The real published executable as a Lambda execution environment against the local Runtime API,
/// using the diagnostic handlers that only SMALLPAY_DIAGNOSTICS=1 makes reachable.
/// </summary>
[Collection(PublishedFunctionsCollection.Name)]
public sealed class FunctionProcessTests(PublishedFunctions published, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ExitLimit = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Echo_function_answers_two_events_from_one_warm_process()
    {
        await using var emulator = await RuntimeApiEmulator.StartAsync();
        await using var process = Start(emulator, "__Echo");

        var first = await process.InvokeAsync(emulator, "{\"n\":1}"u8.ToArray(), Timeout);
        var second = await process.InvokeAsync(emulator, "{\"n\":2,\"text\":\"ünïcødé\"}"u8.ToArray(), Timeout);

        Assert.True(first.Succeeded, Describe(first, process));
        Assert.Equal("{\"n\":1}", Encoding.UTF8.GetString(first.Payload));
        Assert.Equal("{\"n\":2,\"text\":\"ünïcødé\"}", Encoding.UTF8.GetString(second.Payload));
        Assert.NotEqual(first.RequestId, second.RequestId);
        Assert.False(process.Exited.IsCompleted, "the process should stay up between invocations");
        Assert.NotNull(process.StartToFirstResponse);
        output.WriteLine($"process start → first response: {process.StartToFirstResponse!.Value.TotalMilliseconds:0} ms; warm: {second.Duration.TotalMilliseconds:0.0} ms");
    }

    [Fact]
    public async Task Throwing_function_reports_an_invocation_error_and_keeps_serving()
    {
        await using var emulator = await RuntimeApiEmulator.StartAsync();
        await using var process = Start(emulator, "__Throw");

        var first = await process.InvokeAsync(emulator, "{}"u8.ToArray(), Timeout);
        var second = await process.InvokeAsync(emulator, "{}"u8.ToArray(), Timeout);

        foreach (var result in new[] { first, second })
        {
            Assert.Equal(InvocationOutcome.FunctionError, result.Outcome);
            Assert.Equal("InvalidOperationException", result.Error!.ErrorType);
            Assert.Equal("boom", result.Error.ErrorMessage);
        }
        Assert.False(process.Exited.IsCompleted, "an invocation error must not end the process");
        Assert.Contains(process.OutputLines, line => line.Contains(first.RequestId) && line.Contains("boom"));
    }

    [Fact]
    public async Task Failing_init_is_reported_as_init_error_and_the_process_exits_non_zero()
    {
        await using var emulator = await RuntimeApiEmulator.StartAsync();
        await using var process = Start(emulator, "__InitFail");

        var result = await process.InvokeAsync(emulator, "{}"u8.ToArray(), Timeout);
        var exitCode = await process.Exited.WaitAsync(ExitLimit);

        Assert.Equal(InvocationOutcome.InitError, result.Outcome);
        Assert.Equal("InvalidOperationException", result.Error!.ErrorType);
        Assert.Equal("init boom", result.Error.ErrorMessage);
        Assert.NotEqual(0, exitCode);
    }

    [Theory]
    [InlineData("NoSuchFunction", "1")]
    [InlineData("__Echo", null)] // diagnostic handlers do not exist without SMALLPAY_DIAGNOSTICS=1
    public async Task Unknown_function_is_reported_as_init_error_and_the_process_exits_non_zero(string name, string? diagnostics)
    {
        await using var emulator = await RuntimeApiEmulator.StartAsync();
        await using var process = Start(emulator, name, diagnostics);

        var result = await process.InvokeAsync(emulator, "{}"u8.ToArray(), Timeout);
        var exitCode = await process.Exited.WaitAsync(ExitLimit);

        Assert.Equal(InvocationOutcome.InitError, result.Outcome);
        Assert.Equal(nameof(UnknownFunctionException), result.Error!.ErrorType);
        Assert.Contains(name, result.Error.ErrorMessage);
        Assert.NotEqual(0, exitCode);
    }

    [Fact]
    public async Task Process_that_ends_before_answering_fails_the_invocation_with_Runtime_ExitError()
    {
        await using var emulator = await RuntimeApiEmulator.StartAsync();
        var closedPort = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closedPort.Start();
        var unreachable = closedPort.LocalEndpoint.ToString()!;
        closedPort.Stop();
        await using var process = FunctionProcess.Start(new FunctionProcessOptions(published.BootstrapPath, unreachable, "__Echo")
        {
            Environment = new Dictionary<string, string> { ["SMALLPAY_DIAGNOSTICS"] = "1" },
        });

        var result = await process.InvokeAsync(emulator, "{}"u8.ToArray(), Timeout);

        Assert.Equal(InvocationOutcome.ProcessExited, result.Outcome);
        Assert.Equal("Runtime.ExitError", result.Error!.ErrorType);
        Assert.Equal(1, await process.Exited);
        Assert.Contains(process.OutputLines, line => line.Contains(unreachable));
    }

    [Fact]
    public void Lambda_variables_and_the_callers_variables_reach_the_function_process()
    {
        var options = new FunctionProcessOptions("bootstrap", "127.0.0.1:9001", "CreateInvoice")
        {
            LambdaFunctionName = "CreateInvoiceFunction",
            MemorySizeMb = 512,
            Environment = new Dictionary<string, string> { ["INVOICES_TABLE"] = "InvoicesTable", ["AWS_REGION"] = "eu-west-1" },
        };

        var environment = FunctionProcess.LambdaEnvironment(options, "/var/task")
            .GroupBy(variable => variable.Key).ToDictionary(group => group.Key, group => group.Last().Value);

        Assert.Equal("127.0.0.1:9001", environment["AWS_LAMBDA_RUNTIME_API"]);
        Assert.Equal("CreateInvoice", environment["SMALLPAY_FUNCTION"]);
        Assert.Equal("CreateInvoiceFunction", environment["AWS_LAMBDA_FUNCTION_NAME"]);
        Assert.Equal("512", environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]);
        Assert.Equal("bootstrap", environment["_HANDLER"]);
        Assert.Equal("InvoicesTable", environment["INVOICES_TABLE"]);
        Assert.Equal("eu-west-1", environment["AWS_REGION"]); // the caller's value wins
    }

    private FunctionProcess Start(RuntimeApiEmulator emulator, string function, string? diagnostics = "1") =>
        FunctionProcess.Start(new FunctionProcessOptions(published.BootstrapPath, emulator.Address, function)
        {
            Environment = diagnostics is null
                ? new Dictionary<string, string>()
                : new Dictionary<string, string> { ["SMALLPAY_DIAGNOSTICS"] = diagnostics },
            OnOutputLine = line => WriteOutput($"[{function}] {line}"),
        });

    // Output read after a test has ended has no test to go to; it must not fault the reader thread.
    private void WriteOutput(string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static string Describe(InvocationResult result, FunctionProcess process) =>
        $"{result.Outcome}: {Encoding.UTF8.GetString(result.Payload)}\n{string.Join('\n', process.OutputLines)}";
}
