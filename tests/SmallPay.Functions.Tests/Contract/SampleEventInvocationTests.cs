using System.Text.Json;
using System.Text.Json.Nodes;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Tests.Infrastructure;
using Xunit.Abstractions;
using YamlDotNet.RepresentationModel;

namespace SmallPay.Functions.Tests.Contract;

/// <summary>
/// Each sample event, run through its function's handler against the local emulator the way
/// <c>sam local invoke -e events/x.json</c> would, succeeds with the status openapi.yaml documents and a response
/// (headers and body) that openapi.yaml describes.
/// </summary>
[Collection(LocalStackCollection.Name)]
public class SampleEventInvocationTests(LocalStackFixture stack, ITestOutputHelper output)
{
    public static TheoryData<string> Functions()
    {
        var data = new TheoryData<string>();
        foreach (var name in FunctionCatalog.Names.Order(StringComparer.Ordinal)) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public async Task Sample_event_gets_the_documented_success_and_a_documented_response(string function)
    {
        // Every event gets the same fresh demo data, so each one can run alone and in any order.
        await DemoTenant.ResetAsync(stack.DynamoDb, stack.FunctionEnvironment, CancellationToken.None);
        var handler = FunctionCatalog.Create(function, stack.EnvironmentFor(function));
        var eventBytes = await File.ReadAllBytesAsync(ContractFiles.EventPath(function));

        var result = await handler.HandleAsync(eventBytes, LambdaInvocation.Local(TimeSpan.FromSeconds(30)), CancellationToken.None);

        var response = JsonSerializer.Deserialize(result, HttpApiJsonContext.Default.HttpApiResponse);
        Assert.NotNull(response);
        output.WriteLine($"{response.StatusCode} {string.Join(", ", (response.Headers ?? []).Select(h => $"{h.Key}: {h.Value}"))}\n{response.Body}");
        var expected = DocumentedSuccess(function);
        Assert.True(response.StatusCode == expected, $"{function}: expected {expected}, got {response.StatusCode}: {response.Body}");
        AssertDocumented(function, response);
    }

    private static int DocumentedSuccess(string function)
    {
        var responses = ContractFiles.Mapping(ContractFiles.OperationOf(function).Operation, "responses")!;
        var success = Assert.Single(responses.Children.Keys.Select(key => ((YamlScalarNode)key).Value!), status => status.StartsWith('2'));
        return int.Parse(success, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Status, media type, required headers and body checked against openapi.yaml (strictly: no undocumented fields).</summary>
    private static void AssertDocumented(string function, HttpApiResponse response)
    {
        var headers = new JsonObject();
        foreach (var (name, value) in response.Headers ?? []) headers[name] = value;
        var results = new JsonArray(new JsonObject
        {
            ["name"] = $"{ContractFiles.KebabName(function)}.json → {function}",
            ["operationId"] = function,
            ["status"] = response.StatusCode,
            ["headers"] = headers,
            ["body"] = response.Body,
        });
        var file = Path.Combine(Path.GetTempPath(), $"smallpay-contract-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(file, results.ToJsonString());
            var (exitCode, output) = ContractFiles.RunChecker("responses", ContractFiles.OpenApiPath, file);
            Assert.True(exitCode == 0, $"{output}\nresponse headers: {headers.ToJsonString()}\nbody: {response.Body}");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
