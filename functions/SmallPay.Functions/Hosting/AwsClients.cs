using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;

namespace SmallPay.Functions.Hosting;

/// <summary>
/// SDK clients for one execution environment, built lazily and once, from the function's environment:
/// region, credentials and endpoint are read straight from variables so the SDK skips its discovery chains.
/// </summary>
public sealed class AwsClients(FunctionEnvironment environment)
{
    private readonly Lazy<IAmazonDynamoDB> _dynamoDb = new(() => CreateDynamoDb(environment));
    private readonly Lazy<IAmazonS3> _s3 = new(() => CreateS3(environment));

    public IAmazonDynamoDB DynamoDb => _dynamoDb.Value;

    public IAmazonS3 S3 => _s3.Value;

    /// <summary>True when S3 is a local emulator on plain HTTP (presigned links must say http then).</summary>
    public bool S3IsPlainHttp => Endpoint(environment, "S3") is { } endpoint && endpoint.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    private static AmazonDynamoDBClient CreateDynamoDb(FunctionEnvironment environment)
    {
        var config = new AmazonDynamoDBConfig { MaxErrorRetry = 3 };
        if (Endpoint(environment, "DYNAMODB") is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = Region(environment).SystemName;
        }
        else
        {
            config.RegionEndpoint = Region(environment);
        }
        return Credentials(environment) is { } credentials ? new AmazonDynamoDBClient(credentials, config) : new AmazonDynamoDBClient(config);
    }

    private static AmazonS3Client CreateS3(FunctionEnvironment environment)
    {
        var config = new AmazonS3Config { MaxErrorRetry = 3 };
        if (Endpoint(environment, "S3") is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = Region(environment).SystemName;
            // Emulators serve buckets under the path, not as subdomains.
            config.ForcePathStyle = true;
        }
        else
        {
            config.RegionEndpoint = Region(environment);
        }
        return Credentials(environment) is { } credentials ? new AmazonS3Client(credentials, config) : new AmazonS3Client(config);
    }

    public static RegionEndpoint Region(FunctionEnvironment environment) =>
        RegionEndpoint.GetBySystemName(environment.Get("AWS_REGION") ?? environment.Get("AWS_DEFAULT_REGION") ?? "us-east-1");

    /// <summary>A local emulator's endpoint (AWS_ENDPOINT_URL_&lt;SERVICE&gt; or AWS_ENDPOINT_URL); null in AWS.</summary>
    public static string? Endpoint(FunctionEnvironment environment, string service) =>
        environment.Get($"AWS_ENDPOINT_URL_{service}") is { Length: > 0 } specific ? specific
        : environment.Get("AWS_ENDPOINT_URL") is { Length: > 0 } general ? general : null;

    /// <summary>Lambda puts the role's session credentials in the environment; use them directly (null: the SDK's own chain).</summary>
    public static AWSCredentials? Credentials(FunctionEnvironment environment)
    {
        var key = environment.Get("AWS_ACCESS_KEY_ID");
        var secret = environment.Get("AWS_SECRET_ACCESS_KEY");
        if (string.IsNullOrEmpty(key) || string.IsNullOrEmpty(secret))
            return null;
        var token = environment.Get("AWS_SESSION_TOKEN");
        return string.IsNullOrEmpty(token) ? new BasicAWSCredentials(key, secret) : new SessionAWSCredentials(key, secret, token);
    }
}
