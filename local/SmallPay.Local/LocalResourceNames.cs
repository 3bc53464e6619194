namespace SmallPay.Local;

/// <summary>
/// How template resources are named on the local emulator. <c>serve</c>, <c>invoke</c> and the tests
/// all use these, so a function run by any of them finds the same tables and user pool.
/// </summary>
public static class LocalResourceNames
{
    public const string Region = "us-east-1";

    /// <summary>moto's default account; ARNs built locally use it so they match what moto returns.</summary>
    public const string AccountId = "123456789012";

    public const string StackName = "smallpay-local";

    /// <summary>moto accepts any credentials; these are set for functions and our own clients.</summary>
    public const string AccessKeyId = "test";
    public const string SecretAccessKey = "test";

    /// <summary>A table's local name is its logical id (<c>InvoicesTable</c>), whatever TableName the template sets for AWS.</summary>
    public static string Table(string logicalId) => logicalId;

    /// <summary>User pools and clients are found again by name (their ids are generated): the name is the logical id.</summary>
    public static string UserPool(string logicalId) => logicalId;

    public static string UserPoolClient(string logicalId) => logicalId;

    /// <summary>The issuer Cognito (and moto) put in tokens: <c>https://cognito-idp.{region}.amazonaws.com/{poolId}</c>.</summary>
    public static string CognitoIssuer(string userPoolId, string region = Region) =>
        $"https://cognito-idp.{region}.amazonaws.com/{userPoolId}";
}
