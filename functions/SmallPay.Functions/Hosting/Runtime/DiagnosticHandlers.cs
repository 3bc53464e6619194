namespace SmallPay.Functions.Hosting.Runtime;

/// <summary>
/// Built-in handlers that the process tests of the runtime loop start the real executable with.
/// Reachable only when SMALLPAY_DIAGNOSTICS=1, so a deployed function cannot be switched to them by name.
/// </summary>
internal static class DiagnosticHandlers
{
    public const string EnabledVariable = "SMALLPAY_DIAGNOSTICS";

    public static ILambdaHandler? TryCreate(string name, FunctionEnvironment environment) =>
        environment.Get(EnabledVariable) != "1" ? null : name switch
        {
            "__Echo" => new Echo(),
            "__Throw" => new Throw(),
            "__InitFail" => throw new InvalidOperationException("init boom"),
            _ => null,
        };

    private sealed class Echo : ILambdaHandler
    {
        public Task<byte[]> HandleAsync(ReadOnlyMemory<byte> eventJson, LambdaInvocation invocation, CancellationToken cancellationToken) =>
            Task.FromResult(eventJson.ToArray());
    }

    private sealed class Throw : ILambdaHandler
    {
        public Task<byte[]> HandleAsync(ReadOnlyMemory<byte> eventJson, LambdaInvocation invocation, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("boom");
    }
}
