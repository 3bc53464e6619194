using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Tests.Infrastructure;
using SmallPay.Local;

namespace SmallPay.Functions.Tests.Local;

/// <summary>A test function that answers 200 with the event it received as its JSON body.</summary>
public sealed class EchoHandler : ILambdaHandler
{
    public Task<byte[]> HandleAsync(ReadOnlyMemory<byte> eventJson, LambdaInvocation invocation, CancellationToken cancellationToken)
    {
        var response = new HttpApiResponse
        {
            StatusCode = 200,
            Headers = new Dictionary<string, string> { ["content-type"] = "application/json" },
            Body = Encoding.UTF8.GetString(eventJson.Span),
        };
        return Task.FromResult(JsonSerializer.SerializeToUtf8Bytes(response, HttpApiJsonContext.Default.HttpApiResponse));
    }
}

/// <summary>A test function that answers whatever raw JSON it was given.</summary>
public sealed class FixedResponseHandler(string responseJson) : ILambdaHandler
{
    public Task<byte[]> HandleAsync(ReadOnlyMemory<byte> eventJson, LambdaInvocation invocation, CancellationToken cancellationToken) =>
        Task.FromResult(Encoding.UTF8.GetBytes(responseJson));
}

/// <summary>A test function that fails the way a bug does.</summary>
public sealed class ThrowingHandler : ILambdaHandler
{
    public Task<byte[]> HandleAsync(ReadOnlyMemory<byte> eventJson, LambdaInvocation invocation, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("boom (a test function that always fails)");
}

/// <summary>A test function that takes its time and ignores cancellation, as a stuck call would.</summary>
public sealed class SlowHandler(TimeSpan delay) : ILambdaHandler
{
    public async Task<byte[]> HandleAsync(ReadOnlyMemory<byte> eventJson, LambdaInvocation invocation, CancellationToken cancellationToken)
    {
        await Task.Delay(delay, CancellationToken.None);
        return Encoding.UTF8.GetBytes("""{"statusCode":200}""");
    }
}

internal static class TestHosts
{
    /// <summary>
    /// Another local host on the fixture's moto (provisioning finds everything already there), with test
    /// functions in place of the catalog's: the test seam of <see cref="LocalStackOptions"/>.
    /// </summary>
    public static Task<LocalStackHost> StartAsync(
        LocalStackFixture stack, Func<string, ILambdaHandler?>? handlers, string? templatePath = null, string? repositoryRoot = null) =>
        LocalStackHost.StartAsync(new LocalStackOptions
        {
            StartSchedules = false,
            Port = 0,
            ListenHost = "127.0.0.1",
            AwsEndpoint = stack.Host.AwsEndpoint,
            DynamoDbEndpoint = stack.Host.DynamoDbEndpoint,
            TemplatePath = templatePath,
            RepositoryRoot = repositoryRoot,
            SeedDemo = false,
            MinimumLogLevel = LogLevel.Critical,
            HandlerOverride = handlers,
            // The fixture's host already reads the streams and sends the mail: a second reader would deliver everything twice.
            StartMailSink = false,
            RunPipeline = false,
        });
}
