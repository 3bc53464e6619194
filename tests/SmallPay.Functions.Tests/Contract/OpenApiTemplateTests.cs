using SmallPay.Functions.Hosting;
using SmallPay.Local.Template;
using YamlDotNet.RepresentationModel;

namespace SmallPay.Functions.Tests.Contract;

/// <summary>openapi.yaml documents exactly the routes of template.yaml, each under its function's name.</summary>
public class OpenApiTemplateTests
{
    [Fact]
    public void Every_template_route_is_documented_with_its_function_as_operationId()
    {
        var documented = ContractFiles.Operations().ToLookup(operation => $"{operation.Method} {operation.Path}", StringComparer.Ordinal);
        Assert.NotEmpty(ContractFiles.Routes);

        var problems = new List<string>();
        foreach (var route in ContractFiles.Routes)
        {
            var function = route.Function.EnvironmentVariables[FunctionCatalog.SelectorVariable].AsText();
            var operations = documented[route.RouteKey].ToList();
            if (function is null) problems.Add($"{route.Function.LogicalId} has no literal {FunctionCatalog.SelectorVariable}");
            else if (operations.Count == 0) problems.Add($"{route.RouteKey} ({function}) is not in openapi.yaml");
            else if (operations[0].OperationId != function) problems.Add($"{route.RouteKey}: operationId is {operations[0].OperationId ?? "missing"}, expected {function}");
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_documented_operation_is_a_template_route()
    {
        var routes = ContractFiles.Routes.Select(route => route.RouteKey).ToHashSet(StringComparer.Ordinal);

        var undocumented = ContractFiles.Operations()
            .Where(operation => !routes.Contains($"{operation.Method} {operation.Path}"))
            .Select(operation => $"{operation.Method} {operation.Path} ({operation.OperationId})")
            .ToList();

        Assert.True(undocumented.Count == 0, "in openapi.yaml but not in template.yaml:\n" + string.Join("\n", undocumented));
    }

    [Fact]
    public void OperationIds_are_unique_and_name_the_API_functions_of_the_catalogue()
    {
        var ids = ContractFiles.Operations().Select(operation => operation.OperationId ?? $"(none: {operation.Method} {operation.Path})").ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.True(FunctionCatalog.Contains(id), $"{id} is not a function of FunctionCatalog"));
        Assert.Equal(ContractFiles.ApiFunctions, ids.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_operation_requires_the_bearer_JWT_scheme()
    {
        var schemes = ContractFiles.Mapping(ContractFiles.Mapping(ContractFiles.OpenApi, "components")!, "securitySchemes");
        Assert.NotNull(schemes);
        var (name, scheme) = Assert.Single(schemes.Children);
        var schemeName = ((YamlScalarNode)name).Value!;
        Assert.Equal("http", ContractFiles.Scalar((YamlMappingNode)scheme, "type"));
        Assert.Equal("bearer", ContractFiles.Scalar((YamlMappingNode)scheme, "scheme"));
        Assert.Equal("JWT", ContractFiles.Scalar((YamlMappingNode)scheme, "bearerFormat"));

        // Applied globally, and no operation replaces it (an empty `security: []` would make a route public) but the
        // customer's pages, which are public (PagesApi, no authorizer) and say so with `security: []`.
        var global = Assert.Single(ContractFiles.Sequence(ContractFiles.OpenApi, "security")!.Children);
        Assert.Equal(schemeName, ((YamlScalarNode)Assert.Single(((YamlMappingNode)global).Children).Key).Value);
        var overriding = ContractFiles.Operations().Where(operation => ContractFiles.Sequence(operation.Operation, "security") is not null)
            .Select(operation => operation.OperationId).ToList();
        Assert.Equal(FunctionCatalog.PublicFunctions.Order(), overriding.Order());
        Assert.All(ContractFiles.Operations().Where(operation => overriding.Contains(operation.OperationId)),
            operation => Assert.Empty(ContractFiles.Sequence(operation.Operation, "security")!.Children));
    }
}
