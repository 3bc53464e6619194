using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace SmallPay.Functions.Hosting.Runtime;

/// <summary>One invocation as handed out by <c>GET invocation/next</c>.</summary>
public sealed record NextInvocation(byte[] Event, LambdaInvocation Invocation);

/// <summary>
/// Client of the Lambda Runtime API (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html)
/// at <c>http://{AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/</c>.
/// </summary>
public sealed class RuntimeApiClient : IDisposable
{
    public const string RuntimeApiVariable = "AWS_LAMBDA_RUNTIME_API";
    public const string RequestIdHeader = "Lambda-Runtime-Aws-Request-Id";
    public const string DeadlineHeader = "Lambda-Runtime-Deadline-Ms";
    public const string FunctionArnHeader = "Lambda-Runtime-Invoked-Function-Arn";
    public const string TraceIdHeader = "Lambda-Runtime-Trace-Id";
    public const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    // Lambda's maximum timeout: stands in for a missing deadline header rather than failing the invocation.
    private static readonly TimeSpan MissingDeadlineFallback = TimeSpan.FromMinutes(15);

    private readonly HttpClient _http;

    public RuntimeApiClient(string runtimeApiAddress)
    {
        // Infinite timeout: `next` is a long poll, and Lambda freezes the process while it waits.
        // No proxy: the Runtime API is always local, and skipping proxy discovery saves start-up time.
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri($"http://{runtimeApiAddress}/2018-06-01/runtime/"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public async Task<NextInvocation> NextInvocationAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("invocation/next", cancellationToken);
        response.EnsureSuccessStatusCode();
        var headers = response.Headers;
        var requestId = Header(headers, RequestIdHeader)
            ?? throw new InvalidOperationException($"Runtime API answered without {RequestIdHeader}.");
        var deadline = long.TryParse(Header(headers, DeadlineHeader), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : DateTimeOffset.UtcNow + MissingDeadlineFallback;
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new NextInvocation(body, new LambdaInvocation(requestId, deadline, Header(headers, TraceIdHeader), Header(headers, FunctionArnHeader)));
    }

    public Task PostResponseAsync(string requestId, byte[] response, CancellationToken cancellationToken) =>
        PostAsync($"invocation/{Uri.EscapeDataString(requestId)}/response", new ByteArrayContent(response), null, cancellationToken);

    public Task PostInvocationErrorAsync(string requestId, RuntimeError error, CancellationToken cancellationToken) =>
        PostAsync($"invocation/{Uri.EscapeDataString(requestId)}/error", ErrorContent(error), error.ErrorType, cancellationToken);

    public Task PostInitErrorAsync(RuntimeError error, CancellationToken cancellationToken) =>
        PostAsync("init/error", ErrorContent(error), error.ErrorType, cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task PostAsync(string path, HttpContent content, string? errorType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (errorType is not null)
            request.Headers.TryAddWithoutValidation(ErrorTypeHeader, errorType);
        using var response = await _http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"Runtime API rejected POST {path}: {(int)response.StatusCode}", null, response.StatusCode);
    }

    private static ByteArrayContent ErrorContent(RuntimeError error)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(error, RuntimeJsonContext.Default.RuntimeError));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
