using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Hosting.Http;
using YamlDotNet.RepresentationModel;

namespace SmallPay.Functions.Tests.Contract;

/// <summary>One response a function gave to an event, labelled for failure messages.</summary>
internal sealed record InvocationResult(string Name, string Function, HttpApiResponse Response);

/// <summary>Runs events through a function's handler the way the Lambda runtime loop does, and checks responses against openapi.yaml.</summary>
internal static class ContractInvocation
{
    public static async Task<HttpApiResponse> InvokeAsync(ILambdaHandler handler, byte[] eventJson)
    {
        var output = await handler.HandleAsync(eventJson, LambdaInvocation.Local(TimeSpan.FromSeconds(30)), CancellationToken.None);
        return JsonSerializer.Deserialize(output, HttpApiJsonContext.Default.HttpApiResponse)
               ?? throw new InvalidDataException("the handler answered null");
    }

    /// <summary>The one 2xx status openapi.yaml documents for a function's operation.</summary>
    public static int DocumentedSuccess(string function)
    {
        var responses = ContractFiles.Mapping(ContractFiles.OperationOf(function).Operation, "responses")!;
        var success = Assert.Single(responses.Children.Keys.Select(key => ((YamlScalarNode)key).Value!), status => status.StartsWith('2') || status is "302" or "303"); // 302: the customer page's PDF redirect; 303: back to the page after the answer to a quote
        return int.Parse(success, CultureInfo.InvariantCulture);
    }

    public static string Describe(HttpApiResponse response) =>
        $"{response.StatusCode} {string.Join(", ", (response.Headers ?? []).Select(header => $"{header.Key}: {header.Value}"))}\n{response.Body}";

    /// <summary>
    /// Every response's status is documented for its operation, with its media type, required headers and a body that
    /// matches the documented schema (strictly: no undocumented fields). One checker run for all of them.
    /// </summary>
    public static void AssertDocumented(IReadOnlyCollection<InvocationResult> results)
    {
        var list = new JsonArray();
        foreach (var result in results)
        {
            var headers = new JsonObject();
            foreach (var (name, value) in result.Response.Headers ?? []) headers[name] = value;
            list.Add(new JsonObject
            {
                ["name"] = result.Name,
                ["operationId"] = result.Function,
                ["status"] = result.Response.StatusCode,
                ["headers"] = headers,
                ["body"] = result.Response.Body,
            });
        }

        var file = Path.Combine(Path.GetTempPath(), $"smallpay-contract-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(file, list.ToJsonString());
            var (exitCode, output) = ContractFiles.RunChecker("responses", ContractFiles.OpenApiPath, file);
            Assert.True(exitCode == 0, output + "\n" + string.Join("\n", results.Select(result => $"{result.Name}: {Describe(result.Response)}")));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
