using System.Globalization;

namespace SmallPay.Local;

/// <summary>
/// Where the local AWS lives: moto for Cognito and S3, DynamoDB Local for DynamoDB and its Streams, and the
/// local SMTP sink. Functions reach them through the standard endpoint variables and their SMTP settings,
/// so their code never knows it runs locally.
/// </summary>
public sealed record LocalEndpoints(Uri Aws, Uri DynamoDb)
{
    public const int DefaultAwsPort = 5010;
    public const int DefaultDynamoDbPort = 8000;
    public const int DefaultSmtpPort = 1025;
    public const int DefaultMailWebPort = 1080;

    /// <summary>The SMTP server the functions send through (the local sink); null leaves the template's settings.</summary>
    public SmtpEndpoint? Smtp { get; init; }

    /// <summary>This host, which serves SQS's SendMessage/SendMessageBatch for the in-process queues (Pipeline/LocalSqsEndpoint.cs).</summary>
    public Uri? Sqs { get; init; }

    /// <summary>Where the app is served (links in invitation e-mails point there); null leaves the template's APP_URL.</summary>
    public Uri? App { get; init; }

    /// <summary>This host's exact origin, where its webhook test receiver listens (WEBHOOK_TEST_RECEIVER_ORIGIN); null: none.</summary>
    public string? WebhookReceiverOrigin { get; init; }

    public void AddTo(IDictionary<string, string> variables)
    {
        if (WebhookReceiverOrigin is not null) variables["WEBHOOK_TEST_RECEIVER_ORIGIN"] = WebhookReceiverOrigin;
        variables["AWS_ENDPOINT_URL"] = Aws.ToString().TrimEnd('/');
        variables["AWS_ENDPOINT_URL_DYNAMODB"] = DynamoDb.ToString().TrimEnd('/');
        // moto's S3 (AWS_ENDPOINT_URL already says so; the specific variable makes it explicit for the S3 client).
        variables["AWS_ENDPOINT_URL_S3"] = Aws.ToString().TrimEnd('/');
        if (Sqs is not null) variables["AWS_ENDPOINT_URL_SQS"] = Sqs.ToString().TrimEnd('/');
        Smtp?.AddTo(variables);
        if (App is not null) variables["APP_URL"] = App.ToString().TrimEnd('/');
        // The customer's pages (/d/…) are served by the local host itself, as SpaDistribution serves them in AWS.
        if (App is not null && variables.ContainsKey("DOCUMENT_PAGE_URL")) variables["DOCUMENT_PAGE_URL"] = App.ToString().TrimEnd('/');
    }
}

/// <summary>A plain-text SMTP server without credentials: what the functions get locally instead of SES.</summary>
public sealed record SmtpEndpoint(string Host, int Port)
{
    public void AddTo(IDictionary<string, string> variables)
    {
        variables["SMTP_HOST"] = Host;
        variables["SMTP_PORT"] = Port.ToString(CultureInfo.InvariantCulture);
        // The sink speaks neither TLS nor AUTH, and there is no Secrets Manager to read credentials from.
        variables["SMTP_STARTTLS"] = "false";
        variables["SMTP_SECRET_NAME"] = "";
        // The template's default sender is empty (e-mail not set up); locally mail always works.
        if (!variables.TryGetValue("SMTP_SENDER", out var sender) || sender.Length == 0) variables["SMTP_SENDER"] = LocalSender;
    }

    public const string LocalSender = "invoices@smallpay.local";

    public override string ToString() => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
