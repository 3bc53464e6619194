using SmallPay.Domain.Documents;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Storage;
using SmallPay.Local;
using SmallPay.Local.Invoke;
using SmallPay.Local.Template;

namespace SmallPay.Bench.Scenarios;

/// <summary>The local stack as the benchmarks use it: each function's environment, the DynamoDB stores, signed-in users.</summary>
public sealed class BenchStack(LocalStackHost host)
{
    public const string Password = "Bench-password-2026";

    public LocalStackHost Host { get; } = host;

    public string InvoicesTable => Variables("GetInvoice")["INVOICES_TABLE"];

    public string CustomersTable => Variables("GetInvoice")["CUSTOMERS_TABLE"];

    public SamFunction Function(string catalogName) =>
        SamFunction.ReadAll(Host.Template).FirstOrDefault(f => f.CatalogName == catalogName)
        ?? throw new ArgumentException($"template.yaml has no function {catalogName}", nameof(catalogName));

    /// <summary>
    /// What template.yaml gives the function (Globals merged, intrinsics resolved to the local names, as
    /// <c>SmallPay.Local invoke</c> builds it) with this stack's endpoints: DynamoDB Local, moto's S3, the SMTP sink.
    /// No AWS_LAMBDA_LOG_LEVEL unless the template sets one: INFO, as in Lambda.
    /// </summary>
    public Dictionary<string, string> Variables(string catalogName, Uri? dynamoDbOverride = null)
    {
        var variables = InvokeEnvironment.Build(Host.Template, Function(catalogName), Host.AwsEndpoint.ToString().TrimEnd('/'));
        Host.Endpoints.AddTo(variables);
        // Lambda sets the region in every execution environment.
        variables["AWS_REGION"] = LocalResourceNames.Region;
        variables["AWS_DEFAULT_REGION"] = LocalResourceNames.Region;
        if (dynamoDbOverride is not null) variables["AWS_ENDPOINT_URL_DYNAMODB"] = dynamoDbOverride.ToString().TrimEnd('/');
        return variables;
    }

    public FunctionEnvironment EnvironmentOf(string catalogName, Uri? dynamoDbOverride = null) =>
        FunctionEnvironment.From(Variables(catalogName, dynamoDbOverride));

    // A scenario named "GetInvoice (as a member)" runs the GetInvoice function.
    public int MemorySizeMb(string catalogName) => Host.Resources.Resolver.Resolve(Function(catalogName.Split(" (")[0]).Properties["MemorySize"]).AsInt() ?? 128;

    public TimeSpan Timeout(string catalogName) => Function(catalogName).Timeout;

    /// <summary>The Lambda architecture a default deploy gets: template.yaml's Architecture parameter (x86_64 or arm64).</summary>
    public string Architecture => Host.Template.Parameters["Architecture"]?["Default"].AsText() ?? "x86_64";

    /// <summary>The DynamoDB stores on DynamoDB Local (the functions' own classes) for seeding and targets.</summary>
    public BenchStores Stores()
    {
        var worker = new DynamoDbWorkerInvoiceStore(Host.DynamoDb, InvoicesTable);
        return new BenchStores(
            new DynamoDbInvoiceStore(Host.DynamoDb, InvoicesTable, CustomersTable),
            new DynamoDbCustomerStore(Host.DynamoDb, CustomersTable),
            new DynamoDbSettingsStore(Host.DynamoDb, InvoicesTable),
            async (id, document, ct) => await worker.RecordDocumentAsync(id, document, ct),
            new DynamoDbTeamStore(Host.DynamoDb, InvoicesTable));
    }

    /// <summary>A confirmed user of the local Cognito pool, signed in: (sub, ID token).</summary>
    public async Task<(string Sub, string IdToken)> SignInAsync(string email, CancellationToken ct)
    {
        await Host.Cognito.EnsureConfirmedUserAsync(Host.UserPoolId, Host.UserPoolClientId, email, Password, ct);
        var tokens = await Host.Cognito.SignInAsync(Host.UserPoolClientId, email, Password, ct);
        var payload = System.Buffers.Text.Base64Url.DecodeFromChars(tokens.IdToken.Split('.')[1]);
        using var claims = System.Text.Json.JsonDocument.Parse(payload);
        return (claims.RootElement.GetProperty("sub").GetString()!, tokens.IdToken);
    }
}
