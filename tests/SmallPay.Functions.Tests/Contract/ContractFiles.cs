using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using SmallPay.Local.Template;
using YamlDotNet.RepresentationModel;

namespace SmallPay.Functions.Tests.Contract;

/// <summary>The files the contract tests keep true: openapi.yaml, events/, and template.yaml as their reference.</summary>
internal static partial class ContractFiles
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);
    private static readonly Lazy<IReadOnlyList<HttpApiRouteDefinition>> TemplateRoutes = new(ReadTemplateRoutes);
    private static readonly Lazy<YamlMappingNode> OpenApiRoot = new(LoadOpenApi);

    public static string RepositoryRoot => Root.Value;

    public static string OpenApiPath => Path.Combine(RepositoryRoot, "openapi.yaml");

    public static string EventsDirectory => Path.Combine(RepositoryRoot, "events");

    public static string CheckerScript => Path.Combine(RepositoryRoot, "tests", "contract", "openapi_contract.py");

    /// <summary>Every HttpApi route of template.yaml, read with the local stack's own template reader.</summary>
    public static IReadOnlyList<HttpApiRouteDefinition> Routes => TemplateRoutes.Value;

    /// <summary>The functions behind the HTTP API (by SMALLPAY_FUNCTION name), in name order; queue consumers have no route.</summary>
    public static IReadOnlyList<string> ApiFunctions => Routes.Select(route => route.Function.CatalogName).Order(StringComparer.Ordinal).ToList();

    /// <summary>The template's route of a function, by its SMALLPAY_FUNCTION name.</summary>
    public static HttpApiRouteDefinition RouteOf(string functionName) =>
        Routes.SingleOrDefault(route => route.Function.CatalogName == functionName)
        ?? throw new KeyNotFoundException($"template.yaml has no HttpApi route for function {functionName}");

    public static YamlMappingNode OpenApi => OpenApiRoot.Value;

    /// <summary>Every operation of openapi.yaml: method (upper case), path, operationId and the operation's node.</summary>
    public static IEnumerable<(string Method, string Path, string? OperationId, YamlMappingNode Operation)> Operations()
    {
        var paths = Mapping(OpenApi, "paths") ?? throw new InvalidDataException("openapi.yaml has no paths");
        foreach (var (pathKey, pathItem) in paths.Children)
        {
            if (pathItem is not YamlMappingNode item) continue;
            foreach (var (methodKey, operation) in item.Children)
            {
                var method = ((YamlScalarNode)methodKey).Value ?? "";
                if (!HttpMethods.Contains(method) || operation is not YamlMappingNode node) continue;
                yield return (method.ToUpperInvariant(), ((YamlScalarNode)pathKey).Value ?? "", Scalar(node, "operationId"), node);
            }
        }
    }

    public static (string Method, string Path, string? OperationId, YamlMappingNode Operation) OperationOf(string functionName)
    {
        var matches = Operations().Where(operation => operation.OperationId == functionName).ToList();
        return matches.Count == 1 ? matches[0] : throw new KeyNotFoundException($"openapi.yaml has {matches.Count} operations {functionName}, expected one");
    }

    public static YamlMappingNode? Mapping(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value as YamlMappingNode : null;

    public static YamlSequenceNode? Sequence(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value as YamlSequenceNode : null;

    public static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;

    /// <summary>Follows a Reference Object (<c>$ref: '#/components/...'</c>) to the node it names.</summary>
    public static YamlMappingNode Resolve(YamlNode node)
    {
        for (var hops = 0; hops < 20; hops++)
        {
            if (node is not YamlMappingNode mapping) throw new InvalidDataException($"expected a mapping at {node.Start}");
            if (Scalar(mapping, "$ref") is not { } reference) return mapping;
            if (!reference.StartsWith("#/", StringComparison.Ordinal)) throw new InvalidDataException($"only local references: {reference}");
            node = OpenApi;
            foreach (var part in reference[2..].Split('/'))
                node = ((YamlMappingNode)node).Children[new YamlScalarNode(part.Replace("~1", "/").Replace("~0", "~"))];
        }
        throw new InvalidDataException("a $ref cycle");
    }

    /// <summary>CreateInvoice → create-invoice: the event file name of a function.</summary>
    public static string KebabName(string functionName) => UpperAfterLower().Replace(functionName, "$1-$2").ToLowerInvariant();

    public static string EventPath(string functionName) => Path.Combine(EventsDirectory, KebabName(functionName) + ".json");

    /// <summary>Runs tests/contract/openapi_contract.py; its output lists every failure.</summary>
    public static (int ExitCode, string Output) RunChecker(params string[] arguments)
    {
        var start = new ProcessStartInfo("python3")
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        start.ArgumentList.Add(CheckerScript);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start python3");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("openapi_contract.py did not finish within 2 minutes");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static readonly HashSet<string> HttpMethods = new(StringComparer.Ordinal) { "get", "put", "post", "delete", "patch", "head", "options", "trace" };

    private static IReadOnlyList<HttpApiRouteDefinition> ReadTemplateRoutes()
    {
        var template = SamTemplate.Load(Path.Combine(RepositoryRoot, "template.yaml"));
        return HttpApiDefinition.ReadAll(template, SamFunction.ReadAll(template)).SelectMany(api => api.Routes).ToList();
    }

    private static YamlMappingNode LoadOpenApi()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(OpenApiPath)));
        return stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode root
            ? root
            : throw new InvalidDataException("openapi.yaml is not a YAML mapping");
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SmallPay.sln"))) return directory.FullName;
        }
        throw new DirectoryNotFoundException($"No SmallPay.sln above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex UpperAfterLower();
}
