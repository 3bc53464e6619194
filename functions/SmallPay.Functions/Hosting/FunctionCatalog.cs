namespace SmallPay.Functions.Hosting;

/// <summary>Every Lambda function this assembly serves, by the name template.yaml puts in SMALLPAY_FUNCTION.</summary>
public static class FunctionCatalog
{
    public const string SelectorVariable = "SMALLPAY_FUNCTION";

    private static readonly Dictionary<string, Func<FunctionEnvironment, ILambdaHandler>> Factories = new(StringComparer.Ordinal)
    {
    };

    public static IReadOnlyCollection<string> Names => Factories.Keys;

    public static bool Contains(string name) => Factories.ContainsKey(name);

    /// <summary>Builds the handler once per execution environment (SDK clients, config).</summary>
    public static ILambdaHandler Create(string name, FunctionEnvironment environment) =>
        Factories.TryGetValue(name, out var factory)
            ? factory(environment)
            : throw new ArgumentException($"Unknown function '{name}'. Known: {string.Join(", ", Factories.Keys)}", nameof(name));
}
