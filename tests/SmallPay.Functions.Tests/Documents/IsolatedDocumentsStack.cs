using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.S3;
using Amazon.S3.Model;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Tests.Infrastructure;

namespace SmallPay.Functions.Tests.Documents;

/// <summary>
/// Tables of their own on the local DynamoDB (no stream, so no pipeline reacts to what a test writes) and a bucket of
/// its own on the local S3: the documents functions run on them through <see cref="FunctionCatalog"/>, exactly as
/// deployed, with the environment the template gives them pointed here.
/// </summary>
internal sealed class IsolatedDocumentsStack
{
    private IsolatedDocumentsStack(LocalStackFixture stack, string invoicesTable, string customersTable, string bucket, IAmazonS3 s3)
    {
        Stack = stack;
        InvoicesTable = invoicesTable;
        CustomersTable = customersTable;
        Bucket = bucket;
        S3 = s3;
    }

    public LocalStackFixture Stack { get; }
    public string InvoicesTable { get; }
    public string CustomersTable { get; }
    public string Bucket { get; }
    public IAmazonS3 S3 { get; }

    public static async Task<IsolatedDocumentsStack> CreateAsync(LocalStackFixture stack)
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var invoices = $"docs-invoices-{suffix}";
        var customers = $"docs-customers-{suffix}";
        await Task.WhenAll(CreateTableAsync(stack.DynamoDb, invoices, invoices: true), CreateTableAsync(stack.DynamoDb, customers, invoices: false));
        var s3 = new AmazonS3Client("test", "test", new AmazonS3Config
        {
            ServiceURL = stack.AwsEndpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1",
        });
        var bucket = $"docs-test-{suffix}";
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        return new IsolatedDocumentsStack(stack, invoices, customers, bucket, s3);
    }

    /// <summary>What the template gives the function, with these tables and this bucket, plus <paramref name="extra"/>.</summary>
    public FunctionEnvironment EnvironmentFor(string function, Dictionary<string, string>? extra = null)
    {
        var variables = Stack.Host.FunctionVariables(function);
        variables["INVOICES_TABLE"] = InvoicesTable;
        variables["CUSTOMERS_TABLE"] = CustomersTable;
        if (variables.ContainsKey("DOCUMENTS_BUCKET")) variables["DOCUMENTS_BUCKET"] = Bucket;
        variables["AWS_LAMBDA_LOG_LEVEL"] = "WARN";
        foreach (var (name, value) in extra ?? []) variables[name] = value;
        return FunctionEnvironment.From(variables);
    }

    /// <summary>Runs an API function on an HTTP API event for <paramref name="tenant"/>.</summary>
    public async Task<(int Status, JsonNode? Body)> InvokeApiAsync(string function, string method, string path, string tenant,
        Dictionary<string, string>? pathParameters = null)
    {
        var request = new HttpApiRequest
        {
            RouteKey = $"{method} {path}",
            RawPath = path,
            Headers = new() { ["accept"] = "application/json" },
            PathParameters = pathParameters,
            RequestContext = new HttpApiRequestContext
            {
                RequestId = Guid.NewGuid().ToString("N"),
                Http = new HttpApiHttpDescription { Method = method, Path = path },
                Authorizer = new HttpApiAuthorizer { Jwt = new HttpApiJwtDescription { Claims = new() { ["sub"] = tenant } } },
            },
        };
        var handler = FunctionCatalog.Create(function, EnvironmentFor(function));
        var output = await handler.HandleAsync(JsonSerializer.SerializeToUtf8Bytes(request, HttpApiJsonContext.Default.HttpApiRequest),
            LambdaInvocation.Local(TimeSpan.FromSeconds(30)), CancellationToken.None);
        var response = JsonSerializer.Deserialize(output, HttpApiJsonContext.Default.HttpApiResponse)!;
        return (response.StatusCode, response.Body is { Length: > 0 } body ? JsonNode.Parse(body) : null);
    }

    public async Task<byte[]?> ObjectAsync(string key)
    {
        try
        {
            using var response = await S3.GetObjectAsync(Bucket, key);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer);
            return buffer.ToArray();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task PutObjectAsync(string key, string content) =>
        S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = content, ContentType = "application/pdf" });

    /// <summary>The table as template.yaml declares it: key id, the creator index, and for invoices the rank index.</summary>
    private static Task CreateTableAsync(IAmazonDynamoDB dynamo, string name, bool invoices)
    {
        static GlobalSecondaryIndex Index(string name, string hash, string range) => new()
        {
            IndexName = name,
            KeySchema = [new KeySchemaElement(hash, KeyType.HASH), new KeySchemaElement(range, KeyType.RANGE)],
            Projection = new Projection { ProjectionType = ProjectionType.ALL },
        };
        var attributes = new List<AttributeDefinition>
        {
            new("id", ScalarAttributeType.S), new("creator", ScalarAttributeType.S), new("sortKey", ScalarAttributeType.S),
        };
        var indexes = new List<GlobalSecondaryIndex> { Index("creator", "creator", "sortKey") };
        if (invoices)
        {
            attributes.Add(new AttributeDefinition("rankedIn", ScalarAttributeType.S));
            attributes.Add(new AttributeDefinition("rank", ScalarAttributeType.N));
            indexes.Add(Index("rank", "rankedIn", "rank"));
        }
        return dynamo.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = attributes,
            KeySchema = [new KeySchemaElement("id", KeyType.HASH)],
            GlobalSecondaryIndexes = indexes,
        });
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
