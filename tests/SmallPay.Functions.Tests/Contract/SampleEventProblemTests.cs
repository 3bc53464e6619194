using SmallPay.Local.Demo;
using System.Text;
using System.Text.Json.Nodes;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Tests.Infrastructure;

namespace SmallPay.Functions.Tests.Contract;

/// <summary>
/// The sample events, spoiled the ways clients spoil requests (no identity, a stale, missing or malformed If-Match,
/// an unknown id, the wrong content type, broken JSON, an oversized body) and replayed with their Idempotency-Key:
/// each answer has the expected status, and openapi.yaml documents that status for the route with the body it has.
/// </summary>
[Collection(LocalStackCollection.Name)]
public class SampleEventProblemTests(LocalStackFixture stack)
{
    private const string UnknownInvoice = "inv_01JE40A2B3C4D5E6F7G8H9J0K9";
    private const string UnknownCustomer = "cus_01JE3Z4Q6M8N9P0R2S4T6V8W9Z";
    private const string UnknownProfile = "prf_01JE41R3C8V2M6K9P4T7X1Z5B9";

    public static TheoryData<string> Functions() => SampleEventInvocationTests.Functions();

    [Theory]
    [MemberData(nameof(Functions))]
    public async Task Spoiled_and_replayed_sample_events_get_documented_answers(string function)
    {
        await SampleEventData.ResetAsync(stack.DynamoDb, stack.FunctionEnvironment, CancellationToken.None);
        var handler = FunctionCatalog.Create(function, stack.EnvironmentFor(function));
        var original = await File.ReadAllBytesAsync(ContractFiles.EventPath(function));
        var results = new List<InvocationResult>();
        var wrong = new List<string>();

        async Task Expect(string variant, int status, Action<JsonObject> spoil, bool keepIdempotencyKey = false)
        {
            var request = (JsonObject)JsonNode.Parse(original)!;
            // A fresh key, or the stored first answer (or 422 for another body) would come back instead.
            if (!keepIdempotencyKey && request["headers"]!["idempotency-key"] is not null) request["headers"]!["idempotency-key"] = Guid.NewGuid().ToString();
            spoil(request);
            var response = await ContractInvocation.InvokeAsync(handler, Encoding.UTF8.GetBytes(request.ToJsonString()));
            results.Add(new InvocationResult($"{function} {variant}", function, response));
            if (response.StatusCode != status) wrong.Add($"{variant}: expected {status}, got {ContractInvocation.Describe(response)}");
        }

        var template = (JsonObject)JsonNode.Parse(original)!;
        var headers = template["headers"]!.AsObject();

        if (headers.ContainsKey("idempotency-key"))
        {
            // Twice the same request: one resource, and the second answer is the first one again.
            var first = await ContractInvocation.InvokeAsync(handler, original);
            var replay = await ContractInvocation.InvokeAsync(handler, original);
            results.Add(new InvocationResult($"{function} replayed", function, replay));
            if (replay.StatusCode != first.StatusCode || replay.Body != first.Body || replay.Headers?.GetValueOrDefault("idempotent-replayed") != "true")
                wrong.Add($"replayed: expected the first answer again with idempotent-replayed: true, got {ContractInvocation.Describe(replay)}");
            await Expect("same key, other body", 422, request => request["body"] = OtherBody(request["body"]!.GetValue<string>()), keepIdempotencyKey: true);
        }

        // The customer's pages have no identity to lack: their link is the credential ("unknown id" below tampers with it).
        if (!SmallPay.Functions.Hosting.FunctionCatalog.PublicFunctions.Contains(function))
            await Expect("without identity", 401, request => request["requestContext"]!.AsObject().Remove("authorizer"));
        if (headers.ContainsKey("if-match"))
        {
            await Expect("stale If-Match", 412, request => request["headers"]!["if-match"] = "\"99\"");
            await Expect("malformed If-Match", 400, request => request["headers"]!["if-match"] = "version-1");
        }
        if (template["routeKey"]!.GetValue<string>().StartsWith("PUT ", StringComparison.Ordinal))
            await Expect("without If-Match", 428, request => request["headers"]!.AsObject().Remove("if-match"));
        if (template["pathParameters"] is JsonObject)
            await Expect("unknown id", 404, ReplaceIdsWithUnknownOnes);
        if (template["body"] is not null)
        {
            await Expect("text/plain body", 415, request => request["headers"]!["content-type"] = "text/plain");
            await Expect("broken JSON", 400, request => request["body"] = "{\"name\": ");
            await Expect("wrong JSON type", 400, request => request["body"] = "[1, 2, 3]");
            await Expect("300 KiB body", 413, request => request["body"] = $"{{\"notes\":\"{new string('x', 300 * 1024)}\"}}");
        }

        Assert.True(wrong.Count == 0, $"{function}:\n" + string.Join("\n", wrong));
        ContractInvocation.AssertDocumented(results);
    }

    /// <summary>Well-formed ids that name nothing of the demo tenant, in the path and the path parameters alike.</summary>
    private static void ReplaceIdsWithUnknownOnes(JsonObject request)
    {
        var parameters = request["pathParameters"]!.AsObject();
        foreach (var name in parameters.Select(parameter => parameter.Key).ToList())
        {
            var known = parameters[name]!.GetValue<string>();
            var unknown = known.StartsWith("inv_", StringComparison.Ordinal) ? UnknownInvoice : known.StartsWith("prf_", StringComparison.Ordinal) ? UnknownProfile : UnknownCustomer;
            parameters[name] = unknown;
            foreach (var path in new[] { request["rawPath"]!, request["requestContext"]!["http"]!["path"]! })
                path.ReplaceWith(path.GetValue<string>().Replace(known, unknown, StringComparison.Ordinal));
        }
    }

    /// <summary>The same JSON object with one more property: a different request under the same key.</summary>
    private static string OtherBody(string body)
    {
        var other = JsonNode.Parse(body)!.AsObject();
        other["note"] = "a different request";
        return other.ToJsonString();
    }
}
