using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

// Cold-start floor: one PutItem with the AWS SDK, then exit. Endpoint, region and credentials come from the standard
// variables (AWS_ENDPOINT_URL_DYNAMODB, AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), as in a Lambda function;
// the table is the first argument. bench/node/put-item.mjs does exactly this with the JavaScript SDK v3.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: SmallPay.Bench.Floor.SdkPutItem <table>");
    return 2;
}
var config = new AmazonDynamoDBConfig
{
    ServiceURL = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_DYNAMODB"),
    AuthenticationRegion = Environment.GetEnvironmentVariable("AWS_REGION"),
};
var credentials = new BasicAWSCredentials(
    Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"), Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY"));
using var client = new AmazonDynamoDBClient(credentials, config);
await client.PutItemAsync(new PutItemRequest
{
    TableName = args[0],
    Item = new()
    {
        ["id"] = new AttributeValue { S = $"bench-floor#{Guid.NewGuid():N}" },
        ["entity"] = new AttributeValue { S = "BenchFloor" },
        ["runtime"] = new AttributeValue { S = "dotnet" },
    },
});
Console.WriteLine("put");
return 0;
