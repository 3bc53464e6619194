using Microsoft.Extensions.Logging;
using SmallPay.Functions.Hosting;
using SmallPay.Local.Template;

namespace SmallPay.Local.Functions;

/// <summary>A function's handler in this process, warm, built once from its local environment (routes and queue consumers alike).</summary>
public static class LocalHandlerFactory
{
    /// <param name="handlerOverride">Test seam: a handler by catalog name that replaces FunctionCatalog's.</param>
    /// <returns>The handler, or null and why (not in the catalogue yet, or its construction failed: Lambda's init error).</returns>
    public static (ILambdaHandler? Handler, string? Reason) Create(
        SamFunction function, IntrinsicResolver resolver, LocalEndpoints endpoints, ILogger logger, Func<string, ILambdaHandler?>? handlerOverride)
    {
        var name = function.CatalogName;
        if (handlerOverride?.Invoke(name) is { } overridden) return (overridden, null);
        if (!FunctionCatalog.Contains(name))
        {
            logger.LogWarning("{Function}: '{Name}' is not in FunctionCatalog yet", function.LogicalId, name);
            return (null, $"'{name}' is not in FunctionCatalog");
        }
        try
        {
            var variables = LocalFunctionEnvironment.Build(function, resolver, endpoints);
            // Every local function sees the local clock, which POST /_local/clock moves (Time/LocalClock.cs).
            return (FunctionCatalog.Create(name, FunctionEnvironment.From(variables, Time.LocalClock.Shared)), null);
        }
        catch (Exception error)
        {
            logger.LogError(error, "{Function}: creating the handler failed", function.LogicalId);
            return (null, $"creating the handler failed: {error.Message}");
        }
    }
}
