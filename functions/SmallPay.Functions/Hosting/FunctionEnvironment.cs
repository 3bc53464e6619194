namespace SmallPay.Functions.Hosting;

/// <summary>
/// Per-execution-environment configuration, read once from the process environment (in Lambda)
/// or from a dictionary (the local host, tests). Clients built from it are created lazily, once.
/// </summary>
public sealed class FunctionEnvironment
{
    private readonly Func<string, string?> _lookup;

    public FunctionEnvironment(Func<string, string?> lookup, TimeProvider? clock = null)
    {
        _lookup = lookup;
        Clock = clock ?? TimeProvider.System;
    }

    /// <summary>The clock handlers use for "now" and "today"; tests pin it.</summary>
    public TimeProvider Clock { get; }

    public static FunctionEnvironment FromProcess() => new(Environment.GetEnvironmentVariable);

    public static FunctionEnvironment From(IReadOnlyDictionary<string, string> variables, TimeProvider? clock = null) =>
        new(name => variables.TryGetValue(name, out var value) ? value : Environment.GetEnvironmentVariable(name), clock);

    public string? Get(string name) => _lookup(name);

    public string Require(string name) =>
        _lookup(name) is { Length: > 0 } value ? value : throw new InvalidOperationException($"Environment variable {name} is not set.");
}
