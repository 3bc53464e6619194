using System.Text.Json.Nodes;
using SmallPay.Functions.Hosting;

namespace SmallPay.Local.Template;

/// <summary>An <c>AWS::Serverless::Function</c> with <c>Globals.Function</c> merged in, as SAM does.</summary>
public sealed class SamFunction
{
    public const string ResourceType = "AWS::Serverless::Function";

    private SamFunction(string logicalId, JsonObject properties)
    {
        LogicalId = logicalId;
        Properties = properties;
    }

    public string LogicalId { get; }

    /// <summary>The function's properties after the Globals merge; intrinsics are not resolved.</summary>
    public JsonObject Properties { get; }

    /// <summary>Environment.Variables (Globals' and the function's), unresolved.</summary>
    public JsonObject EnvironmentVariables => Properties["Environment"]?["Variables"] as JsonObject ?? new JsonObject();

    /// <summary>
    /// The <see cref="FunctionCatalog"/> name: the literal SMALLPAY_FUNCTION variable, else the logical id
    /// without its <c>Function</c> suffix (<c>CreateInvoiceFunction</c> → <c>CreateInvoice</c>).
    /// </summary>
    public string CatalogName =>
        EnvironmentVariables[FunctionCatalog.SelectorVariable].AsText()
        ?? (LogicalId.EndsWith("Function", StringComparison.Ordinal) ? LogicalId[..^"Function".Length] : LogicalId);

    /// <summary>Lambda's Timeout (seconds, default 3).</summary>
    public TimeSpan Timeout => TimeSpan.FromSeconds(Properties["Timeout"].AsInt() ?? 3);

    public IEnumerable<(string Name, string Type, JsonObject Properties)> Events =>
        (Properties["Events"] as JsonObject ?? new JsonObject())
        .Where(entry => entry.Value is JsonObject)
        .Select(entry => (entry.Key, entry.Value!["Type"].AsText() ?? "", entry.Value["Properties"] as JsonObject ?? new JsonObject()));

    public static IReadOnlyList<SamFunction> ReadAll(SamTemplate template)
    {
        var globals = template.Globals("Function");
        return template.ResourcesOfType(ResourceType)
            .Select(resource => new SamFunction(resource.LogicalId, TemplateNodes.Merge(globals, resource.Properties)))
            .ToList();
    }
}
