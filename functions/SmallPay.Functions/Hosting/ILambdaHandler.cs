namespace SmallPay.Functions.Hosting;

/// <summary>
/// One Lambda function: raw event JSON in, raw response JSON out. The runtime loop, the local host
/// and the tests all call functions through this one seam, so they exercise the same JSON path.
/// </summary>
public interface ILambdaHandler
{
    Task<byte[]> HandleAsync(ReadOnlyMemory<byte> eventJson, LambdaInvocation invocation, CancellationToken cancellationToken);
}

/// <summary>What the Runtime API tells us about one invocation.</summary>
public sealed record LambdaInvocation(string RequestId, DateTimeOffset Deadline, string? TraceId, string? FunctionArn)
{
    public static LambdaInvocation Local(TimeSpan timeout) =>
        new(Guid.NewGuid().ToString(), DateTimeOffset.UtcNow + timeout, null, null);
}
