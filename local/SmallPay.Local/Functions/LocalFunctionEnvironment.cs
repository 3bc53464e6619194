using System.Text.Json.Nodes;
using SmallPay.Local.Template;

namespace SmallPay.Local.Functions;

/// <summary>
/// The environment a function gets locally: template.yaml's variables (Globals merged with the
/// function's, intrinsics resolved to local names) plus what Lambda and the emulator provide.
/// </summary>
public static class LocalFunctionEnvironment
{
    public static Dictionary<string, string> Build(SamFunction function, IntrinsicResolver resolver, LocalEndpoints endpoints)
    {
        var variables = Resolve(function.EnvironmentVariables, resolver);
        AddLambdaVariables(variables, endpoints);
        variables["AWS_LAMBDA_FUNCTION_NAME"] = function.LogicalId;
        variables["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = resolver.ResolveText(function.Properties["MemorySize"]) ?? "128";
        return variables;
    }

    /// <summary>What every function shares: <c>Globals.Function</c>'s variables and the emulator's (no SMALLPAY_FUNCTION).</summary>
    public static Dictionary<string, string> Shared(SamTemplate template, IntrinsicResolver resolver, LocalEndpoints endpoints)
    {
        var variables = Resolve(template.Globals("Function")["Environment"]?["Variables"] as JsonObject, resolver);
        AddLambdaVariables(variables, endpoints);
        return variables;
    }

    private static Dictionary<string, string> Resolve(JsonObject? declared, IntrinsicResolver resolver)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in declared ?? [])
            variables[name] = LocalResourceNames.ResolveDynamicReference(resolver.ResolveText(value) ?? "");
        return variables;
    }

    // What Lambda sets, pointed at the emulators (they accept any credentials).
    private static void AddLambdaVariables(Dictionary<string, string> variables, LocalEndpoints endpoints)
    {
        endpoints.AddTo(variables);
        // The host logs one line per request already; the functions' own request lines would double it.
        variables.TryAdd("AWS_LAMBDA_LOG_LEVEL", "WARN");
        variables["AWS_REGION"] = LocalResourceNames.Region;
        variables["AWS_DEFAULT_REGION"] = LocalResourceNames.Region;
        variables["AWS_ACCESS_KEY_ID"] = LocalResourceNames.AccessKeyId;
        variables["AWS_SECRET_ACCESS_KEY"] = LocalResourceNames.SecretAccessKey;
    }
}
