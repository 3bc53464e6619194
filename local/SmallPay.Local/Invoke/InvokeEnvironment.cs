using System.Text.Json.Nodes;
using SmallPay.Local.Template;

namespace SmallPay.Local.Invoke;

/// <summary>
/// The environment variables one function gets under <c>invoke</c>: its template variables
/// (Globals merged with its own, intrinsics resolved to local names), the local AWS endpoints and
/// credentials, the SMTP sink of <c>make run</c> (127.0.0.1:1025, or SMALLPAY_LOCAL_SMTP_PORT), then
/// <c>--env-vars</c> overrides.
/// </summary>
public static class InvokeEnvironment
{
    public const string EndpointVariable = "SMALLPAY_LOCAL_AWS_ENDPOINT";
    public const string DynamoDbEndpointVariable = "SMALLPAY_LOCAL_DYNAMODB_ENDPOINT";
    public const string SmtpPortVariable = "SMALLPAY_LOCAL_SMTP_PORT";
    public const string SqsEndpointVariable = "SMALLPAY_LOCAL_SQS_ENDPOINT";
    /// <summary>`make run`'s host, which serves SQS's SendMessage(Batch) for the template's queues (the change feed's events).</summary>
    public const string DefaultSqsEndpoint = "http://127.0.0.1:3000";
    // The ports `make run` starts moto and DynamoDB Local on.
    public const string DefaultEndpoint = "http://127.0.0.1:5010";
    public const string DefaultDynamoDbEndpoint = "http://127.0.0.1:8000";

    public static Dictionary<string, string> Build(SamTemplate template, SamFunction function, string endpoint, JsonObject? envVarsFile = null)
    {
        var resolver = new IntrinsicResolver(template, physicalId: logicalId => LocalPhysicalId(template, logicalId));
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in resolver.Resolve(function.EnvironmentVariables) as JsonObject ?? [])
            if (value.AsText() is { } text)
                variables[name] = LocalResourceNames.ResolveDynamicReference(text);

        variables["AWS_ENDPOINT_URL"] = endpoint;
        variables["AWS_ENDPOINT_URL_S3"] = endpoint;
        variables["AWS_ENDPOINT_URL_DYNAMODB"] = Environment.GetEnvironmentVariable(DynamoDbEndpointVariable) is { Length: > 0 } dynamo ? dynamo : DefaultDynamoDbEndpoint;
        variables["AWS_ENDPOINT_URL_SQS"] = Environment.GetEnvironmentVariable(SqsEndpointVariable) is { Length: > 0 } sqs ? sqs : DefaultSqsEndpoint;
        variables["AWS_ACCESS_KEY_ID"] = LocalResourceNames.AccessKeyId;
        variables["AWS_SECRET_ACCESS_KEY"] = LocalResourceNames.SecretAccessKey;
        // Mail goes to the SMTP sink of `make run` (its default port), never to the template's SES settings.
        var smtpPort = int.TryParse(Environment.GetEnvironmentVariable(SmtpPortVariable), out var port) ? port : LocalEndpoints.DefaultSmtpPort;
        new SmtpEndpoint("127.0.0.1", smtpPort).AddTo(variables);

        // As in sam: "Parameters" applies to every function, an entry under the logical id to that one.
        foreach (var section in new[] { "Parameters", function.LogicalId })
            foreach (var (name, value) in envVarsFile?[section] as JsonObject ?? [])
                if (value.AsText() is { } text)
                    variables[name] = text;
        return variables;
    }

    public static string Endpoint(string? option) =>
        option ?? (Environment.GetEnvironmentVariable(EndpointVariable) is { Length: > 0 } configured ? configured : DefaultEndpoint);

    /// <summary>What <c>!Ref</c> to a resource means locally; null keeps the resolver's default, the logical id.</summary>
    private static string? LocalPhysicalId(SamTemplate template, string logicalId) =>
        template.Resources.TryGetValue(logicalId, out var resource)
            ? resource.Type switch
            {
                "AWS::DynamoDB::Table" => LocalResourceNames.Table(logicalId),
                "AWS::S3::Bucket" => LocalResourceNames.Bucket(logicalId),
                "AWS::SQS::Queue" => LocalResourceNames.QueueUrl(LocalResourceNames.Queue(logicalId)),
                _ => null,
            }
            : null;
}
