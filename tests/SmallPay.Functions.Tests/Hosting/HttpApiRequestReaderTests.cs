using System.Text;
using System.Text.Json;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Tests.Contract;

namespace SmallPay.Functions.Tests.Hosting;

/// <summary>The hand-written event reader gives what the source-generated context gives, on every event the project has.</summary>
public sealed class HttpApiRequestReaderTests
{
    public static TheoryData<string> ApiEvents()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(ContractFiles.EventsDirectory, "*.json").Order(StringComparer.Ordinal))
            if (File.ReadAllText(file).Contains("\"routeKey\"", StringComparison.Ordinal)) data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(ApiEvents))]
    public void Every_sample_event_reads_as_the_generated_context_reads_it(string file)
    {
        var json = File.ReadAllBytes(Path.Combine(ContractFiles.EventsDirectory, file));

        AssertSameAsGenerated(json);
    }

    [Fact]
    public void Nulls_unknown_fields_escapes_and_non_string_claims_are_handled()
    {
        var json = """
            {"version":"2.0","routeKey":"POST /invoices","rawPath":"/invoices","rawQueryString":"a=1&b=%C3%BC",
             "cookies":["c=1"],"headers":{"content-type":"application/json","x-note":"M\u00fcller \"q\""},
             "queryStringParameters":null,"pathParameters":{"id":"inv_1"},"stageVariables":{"ignored":"yes"},
             "requestContext":{"accountId":"1","apiId":"a","domainName":"d","requestId":"r-1","routeKey":"POST /invoices",
               "stage":"$default","time":"21/Nov/2026:10:00:00 +0000","timeEpoch":1795255200000,
               "authentication":{"clientCert":{"x":[1,2]}},
               "authorizer":{"jwt":{"claims":{"sub":"user-1","auth_time":"1795255100","groups":"[admin]"},"scopes":null}},
               "http":{"method":"POST","path":"/invoices","protocol":"HTTP/1.1","sourceIp":"127.0.0.1","userAgent":"curl"}},
             "body":"{\"lines\":[]}","isBase64Encoded":false}
            """u8.ToArray();

        AssertSameAsGenerated(json);
        var read = HttpApiRequestReader.Read(json);
        Assert.Equal("M\u00fcller \"q\"", read.Headers!["x-note"]);
        Assert.Null(read.QueryStringParameters);
        Assert.Equal("user-1", read.RequestContext.Authorizer!.Jwt!.Claims!["sub"]);
    }

    [Fact]
    public void A_claim_that_is_not_a_string_keeps_its_json_text()
    {
        var read = HttpApiRequestReader.Read("""{"requestContext":{"authorizer":{"jwt":{"claims":{"n":42,"list":["a","b"],"t":true}}}}}"""u8);

        Assert.Equal(new Dictionary<string, string> { ["n"] = "42", ["list"] = """["a","b"]""", ["t"] = "true" },
            read.RequestContext.Authorizer!.Jwt!.Claims);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("""{"rawPath":5}""")]
    [InlineData("""{"requestContext":{"http":{"method":""")]
    public void What_is_not_an_http_api_event_is_refused_with_a_json_error(string json)
    {
        Assert.ThrowsAny<JsonException>(() => HttpApiRequestReader.Read(Encoding.UTF8.GetBytes(json)));
    }

    private static void AssertSameAsGenerated(byte[] json)
    {
        var generated = JsonSerializer.Deserialize(json, HttpApiJsonContext.Default.HttpApiRequest)!;
        var read = HttpApiRequestReader.Read(json);
        Assert.Equal(
            JsonSerializer.Serialize(generated, HttpApiJsonContext.Default.HttpApiRequest),
            JsonSerializer.Serialize(read, HttpApiJsonContext.Default.HttpApiRequest));
    }
}
