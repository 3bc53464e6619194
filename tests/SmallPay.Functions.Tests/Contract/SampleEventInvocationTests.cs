using SmallPay.Local.Demo;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SmallPay.Functions.Tests.Contract;

/// <summary>
/// Each sample event, run through its function's handler against the local emulator the way
/// <c>sam local invoke -e events/x.json</c> would, succeeds with the status openapi.yaml documents and a response
/// (headers and body) that openapi.yaml describes.
/// </summary>
[Collection(LocalStackCollection.Name)]
public class SampleEventInvocationTests(LocalStackFixture stack, ITestOutputHelper output)
{
    /// <summary>The HTTP API's functions, from template.yaml.</summary>
    public static TheoryData<string> Functions()
    {
        var data = new TheoryData<string>();
        foreach (var name in ContractFiles.ApiFunctions) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public async Task Sample_event_gets_the_documented_success_and_a_documented_response(string function)
    {
        // Every event gets the same fresh demo data, so each one can run alone and in any order.
        await SampleEventData.ResetAsync(stack.DynamoDb, stack.FunctionEnvironment, CancellationToken.None);
        var handler = FunctionCatalog.Create(function, stack.EnvironmentFor(function));

        var response = await ContractInvocation.InvokeAsync(handler, await File.ReadAllBytesAsync(ContractFiles.EventPath(function)));

        output.WriteLine(ContractInvocation.Describe(response));
        var expected = ContractInvocation.DocumentedSuccess(function);
        Assert.True(response.StatusCode == expected, $"{function}: expected {expected}, got {ContractInvocation.Describe(response)}");
        ContractInvocation.AssertDocumented([new InvocationResult($"{ContractFiles.KebabName(function)}.json → {function}", function, response)]);
    }
}
