using System.Text.Json.Serialization;

namespace SmallPay.Functions.Hosting.Runtime;

/// <summary>
/// The error document of the Lambda Runtime API (invocation and init errors). Public because the
/// local emulator reads the same document, so both ends share one wire contract.
/// </summary>
public sealed record RuntimeError(string ErrorMessage, string ErrorType, IReadOnlyList<string>? StackTrace)
{
    public static RuntimeError From(Exception exception) =>
        new(exception.Message, exception.GetType().Name, StackTraceLines(exception));

    private static string[] StackTraceLines(Exception exception) =>
        (exception.StackTrace ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RuntimeError))]
public sealed partial class RuntimeJsonContext : JsonSerializerContext;
