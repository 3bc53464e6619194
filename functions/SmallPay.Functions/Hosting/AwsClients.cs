using SmallPay.Functions.Aws;

namespace SmallPay.Functions.Hosting;

/// <summary>
/// The AWS clients of one execution environment, built lazily and once from the function's environment: region and
/// endpoint are read straight from variables, credentials on each call (Lambda's role credentials, or the container
/// credentials endpoint under SnapStart). All share one connection pool, so a warm function reuses its connections.
/// </summary>
public sealed class AwsClients(FunctionEnvironment environment)
{
    // One pool per process: connections to DynamoDB and S3 stay open between invocations.
    private static readonly HttpClient Http = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5), // follow DNS changes of the regional endpoints
        ConnectTimeout = TimeSpan.FromSeconds(5),
        // Neither is ever used by AWS APIs; leaving them out keeps two handlers (and their JIT work) off every call.
        UseCookies = false,
        AllowAutoRedirect = false,
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    private AwsCredentialsSource? _credentials;

    public DynamoDbHttpClient DynamoDb => field ??= new DynamoDbHttpClient(Http,
        Endpoint(environment, "DYNAMODB") is { } local ? new Uri(local) : DynamoDbHttpClient.RegionalEndpoint(Region(environment)),
        Region(environment), Credentials, environment.Clock);

    public S3HttpClient S3 => field ??= new S3HttpClient(Http,
        new S3Addressing(Endpoint(environment, "S3") is { } local ? new Uri(local) : null, Region(environment)),
        Region(environment), Credentials, environment.Clock);

    private AwsCredentialsSource Credentials => _credentials ??= new AwsCredentialsSource(environment.Get, Http);

    public static string Region(FunctionEnvironment environment) =>
        environment.Get("AWS_REGION") is { Length: > 0 } region ? region
        : environment.Get("AWS_DEFAULT_REGION") is { Length: > 0 } fallback ? fallback : "us-east-1";

    /// <summary>A local emulator's endpoint (AWS_ENDPOINT_URL_&lt;SERVICE&gt; or AWS_ENDPOINT_URL); null in AWS.</summary>
    public static string? Endpoint(FunctionEnvironment environment, string service) =>
        environment.Get($"AWS_ENDPOINT_URL_{service}") is { Length: > 0 } specific ? specific
        : environment.Get("AWS_ENDPOINT_URL") is { Length: > 0 } general ? general : null;
}
