namespace SmallPay.Bench.Cost;

/// <summary>
/// The AWS list prices the cost estimate uses: us-east-1, on-demand, without free tiers. As published on the AWS pricing
/// pages in 2025 (<see cref="AsOf"/>); prices change: check them before relying on the totals.
/// </summary>
public static class AwsPrices
{
    public const string Region = "us-east-1";
    public const string AsOf = "2025-06";

    /// <summary>AWS Lambda, Arm (Graviton), first 7.5 billion GB-seconds a month.</summary>
    public const decimal LambdaArmPerGbSecond = 0.0000133334m;
    /// <summary>AWS Lambda, x86, first 6 billion GB-seconds a month.</summary>
    public const decimal LambdaX86PerGbSecond = 0.0000166667m;
    /// <summary>AWS Lambda requests.</summary>
    public const decimal LambdaPerMillionRequests = 0.20m;
    /// <summary>API Gateway HTTP API, first 300 million requests a month (per 512 KB).</summary>
    public const decimal HttpApiPerMillionRequests = 1.00m;
    /// <summary>DynamoDB on-demand (Standard table class) write request units.</summary>
    public const decimal DynamoDbPerMillionWriteUnits = 0.625m;
    /// <summary>DynamoDB on-demand (Standard table class) read request units.</summary>
    public const decimal DynamoDbPerMillionReadUnits = 0.125m;
    /// <summary>S3 Standard PUT, COPY, POST, LIST requests.</summary>
    public const decimal S3PerThousandPuts = 0.005m;
    /// <summary>S3 Standard GET, SELECT and other requests.</summary>
    public const decimal S3PerThousandGets = 0.0004m;
    /// <summary>SQS standard queue requests (per 64 KB chunk).</summary>
    public const decimal SqsPerMillionRequests = 0.40m;
    /// <summary>EventBridge Pipes requests after filtering (per 64 KB chunk).</summary>
    public const decimal PipesPerMillionRequests = 0.40m;
    /// <summary>Amazon SES outbound e-mail (attachments are billed per GB on top: a few cents per thousand 40 KB PDFs).</summary>
    public const decimal SesPerThousandEmails = 0.10m;
    /// <summary>Amazon SES attachment data.</summary>
    public const decimal SesPerGbAttachments = 0.12m;
}
