using System.Diagnostics;
using System.Text;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Hosting.Runtime;
using SmallPay.Local.RuntimeApi;

namespace SmallPay.Functions.Tests.Hosting.Runtime;

/// <summary>The runtime loop in-process, against the local Runtime API emulator, with fake handlers.</summary>
public sealed class LambdaRuntimeLoopTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Handler_response_is_posted_as_the_invocation_response()
    {
        LambdaInvocation? seen = null;
        string? seenEvent = null;
        await using var loop = await RunningLoop.StartAsync(() => new FakeHandler((eventJson, invocation, _) =>
        {
            (seen, seenEvent) = (invocation, Encoding.UTF8.GetString(eventJson.Span));
            return Task.FromResult("{\"ok\":true}"u8.ToArray());
        }));

        var result = await loop.InvokeAsync("{\"n\":1}"u8.ToArray(), Timeout);

        Assert.Equal(InvocationOutcome.Succeeded, result.Outcome);
        Assert.Equal("{\"ok\":true}", Encoding.UTF8.GetString(result.Payload));
        Assert.Equal("{\"n\":1}", seenEvent);
        Assert.Equal(result.RequestId, seen!.RequestId);
        Assert.Equal(RunningLoop.FunctionArn, seen.FunctionArn);
    }

    [Fact]
    public async Task Handler_exception_is_reported_as_invocation_error_and_the_loop_serves_the_next_one()
    {
        var calls = 0;
        await using var loop = await RunningLoop.StartAsync(() => new FakeHandler((_, _, _) =>
            ++calls == 1 ? throw new InvalidOperationException("boom") : Task.FromResult("{}"u8.ToArray())));

        var failed = await loop.InvokeAsync("{}"u8.ToArray(), Timeout);
        var next = await loop.InvokeAsync("{}"u8.ToArray(), Timeout);

        Assert.Equal(InvocationOutcome.FunctionError, failed.Outcome);
        Assert.Equal("InvalidOperationException", failed.Error!.ErrorType);
        Assert.Equal("boom", failed.Error.ErrorMessage);
        Assert.NotEmpty(failed.Error.StackTrace!);
        Assert.Contains("\"errorType\":\"InvalidOperationException\"", Encoding.UTF8.GetString(failed.Payload));
        Assert.Equal(InvocationOutcome.Succeeded, next.Outcome);
        Assert.Contains("boom", loop.Log);
    }

    [Fact]
    public async Task Factory_exception_is_reported_as_init_error_and_the_loop_exits_non_zero()
    {
        await using var loop = await RunningLoop.StartAsync(() => throw new InvalidOperationException("no config"));

        var initError = await loop.Emulator.InitError.WaitAsync(Timeout);
        var exitCode = await loop.Running.WaitAsync(Timeout);
        var invocation = await loop.InvokeAsync("{}"u8.ToArray(), Timeout);

        Assert.Equal(1, exitCode);
        Assert.Equal("InvalidOperationException", initError.ErrorType);
        Assert.Equal("no config", initError.ErrorMessage);
        Assert.Equal(InvocationOutcome.InitError, invocation.Outcome);
    }

    [Fact]
    public async Task Each_invocation_trace_id_is_in_X_AMZN_TRACE_ID_while_its_handler_runs()
    {
        await using var loop = await RunningLoop.StartAsync(() => new FakeHandler((_, invocation, _) =>
            Task.FromResult(Encoding.UTF8.GetBytes($"{Environment.GetEnvironmentVariable(LambdaRuntimeLoop.TraceIdVariable)}|{invocation.TraceId}"))));

        var first = await loop.InvokeAsync("{}"u8.ToArray(), Timeout);
        var second = await loop.InvokeAsync("{}"u8.ToArray(), Timeout);

        Assert.StartsWith("Root=1-", first.TraceId);
        Assert.NotEqual(first.TraceId, second.TraceId);
        Assert.Equal($"{first.TraceId}|{first.TraceId}", Encoding.UTF8.GetString(first.Payload));
        Assert.Equal($"{second.TraceId}|{second.TraceId}", Encoding.UTF8.GetString(second.Payload));
    }

    [Fact]
    public async Task Cancellation_token_fires_shortly_before_the_deadline()
    {
        var timeout = TimeSpan.FromSeconds(2);
        TimeSpan deadlineAfterStart = default, cancelledBeforeDeadline = default;
        await using var loop = await RunningLoop.StartAsync(() => new FakeHandler(async (_, invocation, cancellationToken) =>
        {
            deadlineAfterStart = invocation.Deadline - DateTimeOffset.UtcNow;
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.Delay(System.Threading.Timeout.Infinite, cancellationToken));
            cancelledBeforeDeadline = invocation.Deadline - DateTimeOffset.UtcNow;
            return "{}"u8.ToArray();
        }));

        var result = await loop.InvokeAsync("{}"u8.ToArray(), timeout);

        Assert.Equal(InvocationOutcome.Succeeded, result.Outcome); // the handler stopped in time to answer
        Assert.InRange(deadlineAfterStart, timeout - TimeSpan.FromSeconds(1), timeout + TimeSpan.FromMilliseconds(20));
        Assert.InRange(cancelledBeforeDeadline, TimeSpan.Zero, LambdaRuntimeLoop.DeadlineMargin + TimeSpan.FromMilliseconds(20));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Handler_that_outlives_its_deadline_times_out_and_its_late_answer_does_not_stop_the_loop(bool answersWithAnError)
    {
        var calls = 0;
        await using var loop = await RunningLoop.StartAsync(() => new FakeHandler(async (_, _, _) =>
        {
            if (++calls == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(1)); // ignores its token
                if (answersWithAnError) throw new InvalidOperationException("too late");
            }
            return "{}"u8.ToArray();
        }));

        var stopwatch = Stopwatch.StartNew();
        var timedOut = await loop.InvokeAsync("{}"u8.ToArray(), TimeSpan.FromMilliseconds(300));
        var elapsed = stopwatch.Elapsed;
        var lateResponseRejected = await WaitUntilAsync(() => loop.Log.Contains("400"));
        var next = await loop.InvokeAsync("{}"u8.ToArray(), Timeout);

        Assert.Equal(InvocationOutcome.TimedOut, timedOut.Outcome);
        Assert.Equal("Sandbox.Timedout", timedOut.Error!.ErrorType);
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(300), $"timed out early, after {elapsed}");
        Assert.True(lateResponseRejected, loop.Log);
        Assert.Equal(InvocationOutcome.Succeeded, next.Outcome);
        Assert.False(loop.Running.IsCompleted);
    }

    private static async Task<bool> WaitUntilAsync(Func<bool> condition)
    {
        for (var waited = TimeSpan.Zero; waited < Timeout; waited += TimeSpan.FromMilliseconds(20))
        {
            if (condition()) return true;
            await Task.Delay(20);
        }
        return condition();
    }

    private sealed class FakeHandler(Func<ReadOnlyMemory<byte>, LambdaInvocation, CancellationToken, Task<byte[]>> handle) : ILambdaHandler
    {
        public Task<byte[]> HandleAsync(ReadOnlyMemory<byte> eventJson, LambdaInvocation invocation, CancellationToken cancellationToken) =>
            handle(eventJson, invocation, cancellationToken);
    }

    /// <summary>An emulator and a loop polling it, stopped and disposed together.</summary>
    private sealed class RunningLoop : IAsyncDisposable
    {
        public const string FunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:Test";

        private readonly RuntimeApiClient _client;
        private readonly CancellationTokenSource _stop = new();
        private readonly StringWriter _log = new();

        private RunningLoop(RuntimeApiEmulator emulator, Func<ILambdaHandler> createHandler)
        {
            Emulator = emulator;
            _client = new RuntimeApiClient(emulator.Address);
            Running = Task.Run(() => new LambdaRuntimeLoop(_client, createHandler, TextWriter.Synchronized(_log)).RunAsync(_stop.Token));
        }

        public RuntimeApiEmulator Emulator { get; }

        public Task<int> Running { get; }

        public string Log => _log.ToString();

        /// <summary>Invokes through the emulator; fails instead of waiting forever if the loop has ended.</summary>
        public async Task<InvocationResult> InvokeAsync(byte[] eventJson, TimeSpan timeout)
        {
            using var limit = new CancellationTokenSource(timeout + Timeout);
            var invocation = Emulator.InvokeAsync(eventJson, timeout, limit.Token);
            if (await Task.WhenAny(invocation, Running) != invocation && !invocation.IsCompleted)
                Assert.Fail($"the loop ended ({Running.Status}) with an invocation pending:\n{Log}\n{Running.Exception}");
            return await invocation;
        }

        public static async Task<RunningLoop> StartAsync(Func<ILambdaHandler> createHandler) =>
            new(await RuntimeApiEmulator.StartAsync(functionArn: FunctionArn), createHandler);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            Assert.Contains(await Running.WaitAsync(Timeout), new[] { 0, 1 });
            _client.Dispose();
            await Emulator.DisposeAsync();
        }
    }
}
