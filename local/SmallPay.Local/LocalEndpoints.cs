namespace SmallPay.Local;

/// <summary>
/// Where the local AWS lives: moto for Cognito and S3, DynamoDB Local for DynamoDB and its Streams. Functions
/// reach them through the standard endpoint variables, so their code never knows it runs locally.
/// </summary>
public sealed record LocalEndpoints(Uri Aws, Uri DynamoDb)
{
    public const int DefaultAwsPort = 5010;
    public const int DefaultDynamoDbPort = 8000;

    public void AddTo(IDictionary<string, string> variables)
    {
        variables["AWS_ENDPOINT_URL"] = Aws.ToString().TrimEnd('/');
        variables["AWS_ENDPOINT_URL_DYNAMODB"] = DynamoDb.ToString().TrimEnd('/');
    }
}
