using SmallPay.Functions.Hosting.Runtime;

namespace SmallPay.Functions.Hosting;

public static class LambdaEntryPoint
{
    /// <summary>Serves the function named by SMALLPAY_FUNCTION over the Lambda Runtime API until the process is stopped.</summary>
    public static async Task<int> RunAsync(Func<string, string?> environment)
    {
        if (environment(RuntimeApiClient.RuntimeApiVariable) is not { Length: > 0 } runtimeApi)
        {
            Console.Error.WriteLine($"{RuntimeApiClient.RuntimeApiVariable} is not set: SmallPay.Functions runs inside Lambda or under `SmallPay.Local invoke`.");
            return 2;
        }

        StartupTrace.Mark("main");
        var functionEnvironment = new FunctionEnvironment(environment);
        using var client = new RuntimeApiClient(runtimeApi);
        var loop = new LambdaRuntimeLoop(client, () => CreateHandler(functionEnvironment), Console.Error);
        try
        {
            return await loop.RunAsync(CancellationToken.None);
        }
        catch (HttpRequestException unreachable)
        {
            // Lambda replaces an execution environment whose runtime exits; a stack dump would add nothing.
            Console.Error.WriteLine($"Runtime API at {runtimeApi} failed: {unreachable.Message}");
            return 1;
        }
    }

    internal static ILambdaHandler CreateHandler(FunctionEnvironment environment)
    {
        var name = environment.Get(FunctionCatalog.SelectorVariable);
        if (string.IsNullOrEmpty(name))
            throw new UnknownFunctionException($"{FunctionCatalog.SelectorVariable} is not set.");
        return DiagnosticHandlers.TryCreate(name, environment)
            ?? (FunctionCatalog.Contains(name)
                ? FunctionCatalog.Create(name, environment)
                : throw new UnknownFunctionException($"Unknown function '{name}'. Known: {string.Join(", ", FunctionCatalog.Names)}"));
    }
}
