using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;

namespace SmallPay.Functions.Hosting;

/// <summary>
/// The official AWS SDK clients of one execution environment, built lazily and once from the function's environment
/// (region, a local emulator's endpoint, credentials) and reused by every invocation, so a warm function keeps its
/// connections. Retries are the SDK's standard mode; the stores make every retried write safe (conditions that
/// recognise their own earlier attempt, client request tokens on transactions).
/// </summary>
public sealed class AwsClients(FunctionEnvironment environment, AwsTransport? transport = null)
{
    /// <summary>One attempt of a DynamoDB or S3 call never takes longer: an API function has 10 s in all.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(4);

    public IAmazonDynamoDB DynamoDb => field ??= Credentials is { } credentials
        ? new AmazonDynamoDBClient(credentials, Configure(new AmazonDynamoDBConfig(), "DYNAMODB"))
        : new AmazonDynamoDBClient(Configure(new AmazonDynamoDBConfig(), "DYNAMODB"));

    public IAmazonS3 S3 => field ??= Credentials is { } credentials
        ? new AmazonS3Client(credentials, ConfigureS3())
        : new AmazonS3Client(ConfigureS3());

    /// <summary>The change feed sends domain events with it (SendMessageBatch to DomainEventsQueue).</summary>
    public IAmazonSQS Sqs => field ??= Credentials is { } credentials
        ? new AmazonSQSClient(credentials, Configure(new AmazonSQSConfig(), "SQS"))
        : new AmazonSQSClient(Configure(new AmazonSQSConfig(), "SQS"));

    /// <summary>True when S3 is a local emulator on plain HTTP (presigned links must then be http://).</summary>
    public bool S3IsPlainHttp => Endpoint(environment, "S3") is { } local && local.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Lambda puts the role's credentials in the environment; reading them from there skips the SDK's search through
    /// profiles and metadata endpoints. Elsewhere (a developer's shell with a profile) the SDK's default chain decides.
    /// </summary>
    private AWSCredentials? Credentials => environment.Get("AWS_ACCESS_KEY_ID") is { Length: > 0 } accessKey
                                           && environment.Get("AWS_SECRET_ACCESS_KEY") is { Length: > 0 } secretKey
        ? environment.Get("AWS_SESSION_TOKEN") is { Length: > 0 } token
            ? new SessionAWSCredentials(accessKey, secretKey, token)
            : new BasicAWSCredentials(accessKey, secretKey)
        : null;

    private AmazonS3Config ConfigureS3()
    {
        var config = Configure(new AmazonS3Config(), "S3");
        // Emulators serve buckets by path (http://127.0.0.1:port/bucket/key), not by virtual host.
        if (config.ServiceURL is not null) config.ForcePathStyle = true;
        return config;
    }

    private T Configure<T>(T config, string service) where T : ClientConfig
    {
        if (Endpoint(environment, service) is { } local)
        {
            config.ServiceURL = local;
            config.AuthenticationRegion = Region(environment);
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(Region(environment));
        }
        config.RetryMode = RequestRetryMode.Standard;
        config.MaxErrorRetry = 2; // three attempts in all, as the SDK's standard mode
        config.Timeout = AttemptTimeout;
        config.ConnectTimeout = TimeSpan.FromSeconds(2);
        // No profile files, no IMDS, no configured endpoint URLs from files: everything comes from the environment above.
        config.IgnoreConfiguredEndpointUrls = true;
        if (transport is not null) config.HttpClientFactory = transport;
        return config;
    }

    public static string Region(FunctionEnvironment environment) =>
        environment.Get("AWS_REGION") is { Length: > 0 } region ? region
        : environment.Get("AWS_DEFAULT_REGION") is { Length: > 0 } fallback ? fallback : "us-east-1";

    /// <summary>A local emulator's endpoint (AWS_ENDPOINT_URL_&lt;SERVICE&gt; or AWS_ENDPOINT_URL); null in AWS.</summary>
    public static string? Endpoint(FunctionEnvironment environment, string service) =>
        environment.Get($"AWS_ENDPOINT_URL_{service}") is { Length: > 0 } specific ? specific
        : environment.Get("AWS_ENDPOINT_URL") is { Length: > 0 } general ? general : null;
}

/// <summary>
/// The HTTP layer under the SDK clients, replaceable for tests that inject network failures (a response lost after
/// DynamoDB applied the write). In Lambda it is the SDK's own.
/// </summary>
public sealed class AwsTransport(Func<HttpMessageHandler> createHandler) : HttpClientFactory
{
    // The SDK caches HttpClients process-wide by this string: one per transport, never shared with another one's.
    private readonly string _cacheKey = $"smallpay-transport-{Guid.NewGuid():N}";

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
        new(createHandler(), disposeHandler: true) { Timeout = clientConfig.Timeout ?? AwsClients.AttemptTimeout };

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => true;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    public override string GetConfigUniqueString(IClientConfig clientConfig) => _cacheKey;
}
