using System.Text.Json;
using SmallPay.Functions.Hosting.Runtime;

namespace SmallPay.Local.RuntimeApi;

public enum InvocationOutcome
{
    Succeeded,
    /// <summary>The handler failed: the function posted to <c>invocation/{id}/error</c>.</summary>
    FunctionError,
    /// <summary>The function could not initialise (<c>init/error</c>).</summary>
    InitError,
    /// <summary>No answer by the deadline.</summary>
    TimedOut,
    /// <summary>The function process ended before answering.</summary>
    ProcessExited,
}

/// <summary>
/// What one invocation gave back. <see cref="Payload"/> is what a Lambda caller receives: the response
/// bytes, or for every failure the error document (<c>{"errorMessage","errorType","stackTrace"}</c>).
/// </summary>
public sealed record InvocationResult(string RequestId, InvocationOutcome Outcome, byte[] Payload, RuntimeError? Error, string TraceId, TimeSpan Duration)
{
    public bool Succeeded => Outcome == InvocationOutcome.Succeeded;

    internal static InvocationResult Failure(string requestId, InvocationOutcome outcome, RuntimeError error, string traceId, TimeSpan duration) =>
        new(requestId, outcome, JsonSerializer.SerializeToUtf8Bytes(error, RuntimeJsonContext.Default.RuntimeError), error, traceId, duration);
}
