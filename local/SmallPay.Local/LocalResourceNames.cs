namespace SmallPay.Local;

/// <summary>
/// How template resources are named on the local emulator. <c>serve</c>, <c>invoke</c> and the tests
/// all use these, so a function run by any of them finds the same tables and user pool.
/// </summary>
public static class LocalResourceNames
{
    public const string Region = "us-east-1";

    /// <summary>
    /// Template parameters the local stack sets: the API's CORS allows the app's dev server (npm run dev, port 5173) as a
    /// dev stack would, where in AWS the default is the stack's own CloudFront distribution. Then, as
    /// <c>sam deploy --parameter-overrides</c> takes them, <c>Name=Value</c> pairs (separated by spaces) from
    /// <see cref="OverridesVariable"/>: e.g. <c>SMALLPAY_PARAMETER_OVERRIDES="TenantRequestsPerMinute=5"</c>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ParameterOverrides
    {
        get
        {
            var overrides = new Dictionary<string, string>(StringComparer.Ordinal) { ["SpaOrigin"] = "http://localhost:5173" };
            foreach (var pair in (Environment.GetEnvironmentVariable(OverridesVariable) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                if (pair.Split('=', 2) is [{ Length: > 0 } name, var value]) overrides[name] = value;
            return overrides;
        }
    }

    public const string OverridesVariable = "SMALLPAY_PARAMETER_OVERRIDES";

    /// <summary>moto's default account; ARNs built locally use it so they match what moto returns.</summary>
    public const string AccountId = "123456789012";

    public const string StackName = "smallpay-local";

    /// <summary>moto accepts any credentials; these are set for functions and our own clients.</summary>
    public const string AccessKeyId = "test";
    public const string SecretAccessKey = "test";

    /// <summary>
    /// What a Secrets Manager dynamic reference (<c>{{resolve:secretsmanager:…}}</c>, the key of the customers' links)
    /// resolves to locally: a key generated once for local stacks (like the credentials above, it guards nothing real),
    /// so the links in events/ and in the demo's mails work on every local stack and the AWS one is never needed.
    /// </summary>
    public const string GeneratedSecret = "local-4f0c9d1e7b2a48e6a5d3c8b1f9e07a62-document-links";

    /// <summary>A template value that is a dynamic reference to a secret becomes <see cref="GeneratedSecret"/>; others stay.</summary>
    public static string ResolveDynamicReference(string value) =>
        value.StartsWith("{{resolve:secretsmanager:", StringComparison.Ordinal) && value.EndsWith("}}", StringComparison.Ordinal) ? GeneratedSecret : value;

    /// <summary>A table's local name is its logical id (<c>InvoicesTable</c>), whatever TableName the template sets for AWS.</summary>
    public static string Table(string logicalId) => logicalId;

    /// <summary>User pools and clients are found again by name (their ids are generated): the name is the logical id.</summary>
    public static string UserPool(string logicalId) => logicalId;

    public static string UserPoolClient(string logicalId) => logicalId;

    /// <summary>
    /// A bucket's local name: S3 wants 3–63 lower-case letters, digits and hyphens, so <c>DocumentsBucket</c>
    /// becomes <c>smallpay-local-documents-bucket</c> (whatever BucketName the template sets for AWS).
    /// </summary>
    public static string Bucket(string logicalId)
    {
        var name = new System.Text.StringBuilder(StackName);
        name.Append('-');
        for (var i = 0; i < logicalId.Length; i++)
        {
            var c = logicalId[i];
            if (char.IsAsciiLetterUpper(c) && i > 0 && char.IsAsciiLetterOrDigit(logicalId[i - 1]) && !char.IsAsciiLetterUpper(logicalId[i - 1]))
                name.Append('-');
            name.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-');
        }
        var text = name.ToString().Trim('-');
        return text.Length <= 63 ? text : text[..63].TrimEnd('-');
    }

    /// <summary>A queue's local name is its logical id; the local queues live in the host's memory.</summary>
    public static string Queue(string logicalId) => logicalId;

    public static string QueueArn(string queueName) => $"arn:aws:sqs:{Region}:{AccountId}:{queueName}";

    /// <summary>What <c>!Ref</c> of a queue gives in AWS (its URL); nothing calls it locally, it only has to look right.</summary>
    public static string QueueUrl(string queueName) => $"https://sqs.{Region}.amazonaws.com/{AccountId}/{queueName}";

    /// <summary>The issuer Cognito (and moto) put in tokens: <c>https://cognito-idp.{region}.amazonaws.com/{poolId}</c>.</summary>
    public static string CognitoIssuer(string userPoolId, string region = Region) =>
        $"https://cognito-idp.{region}.amazonaws.com/{userPoolId}";
}
