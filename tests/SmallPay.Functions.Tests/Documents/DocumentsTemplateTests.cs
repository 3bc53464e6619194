using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SmallPay.Functions.Tests.Template;
using SmallPay.Local.Pipeline;
using SmallPay.Local.Template;

namespace SmallPay.Functions.Tests.Documents;

/// <summary>The documents pipeline in template.yaml: what docs/ARCHITECTURE.md and the issue ask of it.</summary>
public sealed partial class DocumentsTemplateTests
{
    private static JsonObject Properties(string logicalId) => TemplateUnderTest.Template.Resources[logicalId].Properties;

    private static string TypeOf(string logicalId) => TemplateUnderTest.Template.Resources[logicalId].Type;

    private static SamFunction Function(string logicalId) => TemplateUnderTest.Functions.Single(f => f.LogicalId == logicalId);

    [Fact]
    public void The_pipe_filter_is_exactly_the_one_in_the_architecture()
    {
        var pipe = Properties("DocumentsPipe");
        Assert.Equal("AWS::Pipes::Pipe", TypeOf("DocumentsPipe"));
        var patterns = new JsonArray((pipe["SourceParameters"]?["FilterCriteria"]?["Filters"].AsList() ?? [])
            .Select(filter => JsonNode.Parse(filter?["Pattern"].AsText() ?? "null")).ToArray());
        Assert.Equal(5, patterns.Count); // finalized invoices, credit notes, invitations, e-mail requests, e-mail codes

        var documented = ArchitectureFilter().Match(File.ReadAllText(TemplateUnderTest.PathOf("docs/ARCHITECTURE.md")));
        Assert.True(documented.Success, "docs/ARCHITECTURE.md has no ```json block under \"Pipe filter\"");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(documented.Groups["json"].Value), patterns),
            $"template: {patterns.ToJsonString()}\narchitecture: {documented.Groups["json"].Value}");
    }

    [Fact]
    public void The_pipe_reads_the_invoice_stream_from_the_latest_record_into_the_queue()
    {
        var pipe = Properties("DocumentsPipe");

        Assert.Equal(["InvoicesTable", "StreamArn"], pipe["Source"]?["Fn::GetAtt"].AsList().Select(n => n.AsText()));
        Assert.Equal(["DocumentsQueue", "Arn"], pipe["Target"]?["Fn::GetAtt"].AsList().Select(n => n.AsText()));
        var stream = pipe["SourceParameters"]?["DynamoDBStreamParameters"];
        Assert.Equal("LATEST", stream?["StartingPosition"].AsText());
        Assert.InRange(stream?["BatchSize"].AsInt() ?? 0, 1, 10);
        Assert.Equal(["DocumentsPipeRole", "Arn"], pipe["RoleArn"]?["Fn::GetAtt"].AsList().Select(n => n.AsText()));
    }

    [Fact]
    public void The_pipe_role_may_only_read_that_stream_and_send_to_that_queue_and_its_dead_letter_queue()
    {
        var role = Properties("DocumentsPipeRole");
        var trust = Assert.Single(role["AssumeRolePolicyDocument"]?["Statement"].AsList() ?? []);
        Assert.Equal("pipes.amazonaws.com", trust?["Principal"]?["Service"].AsText());

        var statements = role["Policies"].AsList().SelectMany(p => p?["PolicyDocument"]?["Statement"].AsList() ?? []).ToList();
        var grants = statements.SelectMany(s => s?["Action"].AsList().Select(a => (Action: a.AsText(), Resource: s["Resource"]?.ToJsonString())) ?? []).ToList();
        Assert.All(grants, grant => Assert.DoesNotContain("*", grant.Action, StringComparison.Ordinal));
        Assert.Equal(
            ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams", "sqs:SendMessage", "sqs:SendMessage"],
            grants.Select(g => g.Action).Order(StringComparer.Ordinal));
        Assert.All(grants.Where(g => g.Action!.StartsWith("dynamodb:", StringComparison.Ordinal)),
            g => Assert.Equal("""{"Fn::GetAtt":["InvoicesTable","StreamArn"]}""", g.Resource));
        Assert.Equal(
            ["""{"Fn::GetAtt":["DocumentsPipeDeadLetterQueue","Arn"]}""", """{"Fn::GetAtt":["DocumentsQueue","Arn"]}"""],
            grants.Where(g => g.Action == "sqs:SendMessage").Select(g => g.Resource).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_pipe_sends_only_which_item_changed_so_a_large_invoice_fits_in_a_message()
    {
        var pipe = Properties("DocumentsPipe");
        var template = PipeInputTemplate.Parse(pipe["TargetParameters"]?["InputTemplate"].AsText()
            ?? throw new Xunit.Sdk.XunitException("DocumentsPipe has no TargetParameters.InputTemplate"));

        Assert.True(template.IsJson);
        Assert.Equal(["$.eventName", "$.dynamodb.NewImage.entity.S", "$.dynamodb.Keys.id.S", "$.dynamodb.NewImage.version.N"], template.Placeholders);
        // Nothing of the item's content (lines, notes, deliveries) travels: the worker loads the item.
        Assert.DoesNotContain("OldImage", template.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("aws.pipes.event", template.Text, StringComparison.Ordinal);

        // Applied to a record (the local pipe's transformer), the message is what the worker reads.
        var record = JsonNode.Parse(WorkerData.Record("inv_01JE40A2B3C4D5E6F7G8H9J0K7", version: 3));
        var context = new PipeTemplateContext("DocumentsPipe", "arn:aws:pipes:eu-central-1:123456789012:pipe/DocumentsPipe", "stream", "queue", DateTimeOffset.UnixEpoch);
        var message = template.Apply(record, context);
        Assert.Equal("""{"eventName":"MODIFY","entity":"Invoice","id":"inv_01JE40A2B3C4D5E6F7G8H9J0K7","version":"3"}""", message);
        var change = SmallPay.Functions.Documents.InvoiceChange.Parse(message);
        Assert.Equal(("inv_01JE40A2B3C4D5E6F7G8H9J0K7", 3L, "MODIFY", "Invoice"), (change.InvoiceId, change.Version, change.EventName, change.Entity));
        // An invitation has no version: the message says so with an empty one, and the worker needs none.
        var invitation = template.Apply(JsonNode.Parse(WorkerData.Record("invitation#inv1", 1, entity: "Invitation").Replace("\"version\":{\"N\":\"1\"},", "", StringComparison.Ordinal)), context);
        Assert.Equal("""{"eventName":"MODIFY","entity":"Invitation","id":"invitation#inv1","version":""}""", invitation);
        Assert.Equal("Invitation", SmallPay.Functions.Documents.InvoiceChange.Parse(invitation).Entity);
    }

    [Fact]
    public void A_record_the_queue_refuses_is_retried_alone_then_goes_to_the_pipes_encrypted_dead_letter_queue()
    {
        var stream = Properties("DocumentsPipe")["SourceParameters"]?["DynamoDBStreamParameters"];
        var dlq = Properties("DocumentsPipeDeadLetterQueue");

        Assert.Equal("AUTOMATIC_BISECT", stream?["OnPartialBatchItemFailure"].AsText());
        Assert.InRange(stream?["MaximumRetryAttempts"].AsInt() ?? -1, 0, 10);
        // Given up before the stream drops the records (24 hours), so the place the DLQ names can still be read.
        Assert.InRange(stream?["MaximumRecordAgeInSeconds"].AsInt() ?? -1, 60, 24 * 3600 - 1);
        Assert.Equal(["DocumentsPipeDeadLetterQueue", "Arn"], stream?["DeadLetterConfig"]?["Arn"]?["Fn::GetAtt"].AsList().Select(n => n.AsText()));
        Assert.Equal("AWS::SQS::Queue", TypeOf("DocumentsPipeDeadLetterQueue"));
        Assert.True(dlq["SqsManagedSseEnabled"].AsBool() == true || dlq["KmsMasterKeyId"] is not null);
        Assert.Equal(14 * 24 * 3600, dlq["MessageRetentionPeriod"].AsInt());
    }

    [Fact]
    public void The_queue_is_encrypted_outlasts_six_worker_timeouts_and_goes_to_the_DLQ_after_five_receives()
    {
        var queue = Properties("DocumentsQueue");
        var dlq = Properties("DocumentsDeadLetterQueue");
        var workerTimeout = Function("DocumentWorkerFunction").Properties["Timeout"].AsInt();

        Assert.True(queue["SqsManagedSseEnabled"].AsBool() == true || queue["KmsMasterKeyId"] is not null);
        Assert.True(dlq["SqsManagedSseEnabled"].AsBool() == true || dlq["KmsMasterKeyId"] is not null);
        Assert.Equal(30, workerTimeout);
        Assert.True(queue["VisibilityTimeout"].AsInt() >= 6 * workerTimeout, $"VisibilityTimeout {queue["VisibilityTimeout"].AsInt()} < 6 x {workerTimeout}");
        Assert.Equal(5, queue["RedrivePolicy"]?["maxReceiveCount"].AsInt());
        Assert.Equal(["DocumentsDeadLetterQueue", "Arn"], queue["RedrivePolicy"]?["deadLetterTargetArn"]?["Fn::GetAtt"].AsList().Select(n => n.AsText()));
        Assert.Equal(14 * 24 * 3600, dlq["MessageRetentionPeriod"].AsInt());
    }

    [Fact]
    public void An_alarm_goes_off_when_anything_is_in_the_DLQ()
    {
        var alarm = Properties("DocumentsDeadLetterAlarm");

        Assert.Equal("AWS::CloudWatch::Alarm", TypeOf("DocumentsDeadLetterAlarm"));
        Assert.Equal(("AWS/SQS", "ApproximateNumberOfMessagesVisible"), (alarm["Namespace"].AsText(), alarm["MetricName"].AsText()));
        var dimension = Assert.Single(alarm["Dimensions"].AsList());
        Assert.Equal("QueueName", dimension?["Name"].AsText());
        Assert.Equal(["DocumentsDeadLetterQueue", "QueueName"], dimension?["Value"]?["Fn::GetAtt"].AsList().Select(n => n.AsText()));
        Assert.Equal(("GreaterThanThreshold", 0), (alarm["ComparisonOperator"].AsText(), alarm["Threshold"].AsInt()));
    }

    [Fact]
    public void The_bucket_is_private_encrypted_versioned_with_old_versions_expiring_and_TLS_only()
    {
        var bucket = Properties("DocumentsBucket");
        var block = bucket["PublicAccessBlockConfiguration"]!.AsObject();
        Assert.All(["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"], name => Assert.True(block[name].AsBool()));
        var sse = Assert.Single(bucket["BucketEncryption"]?["ServerSideEncryptionConfiguration"].AsList() ?? []);
        Assert.Contains(sse?["ServerSideEncryptionByDefault"]?["SSEAlgorithm"].AsText(), new[] { "AES256", "aws:kms", "aws:kms:dsse" });
        Assert.Equal("Enabled", bucket["VersioningConfiguration"]?["Status"].AsText());
        Assert.Contains(bucket["LifecycleConfiguration"]?["Rules"].AsList() ?? [],
            rule => rule?["Status"].AsText() == "Enabled" && rule["NoncurrentVersionExpiration"]?["NoncurrentDays"].AsInt() > 0);

        var policy = Properties("DocumentsBucketPolicy");
        Assert.Equal("DocumentsBucket", policy["Bucket"]?["Ref"].AsText());
        var denyHttp = Assert.Single(policy["PolicyDocument"]?["Statement"].AsList() ?? [], s => s?["Effect"].AsText() == "Deny");
        Assert.Equal("false", denyHttp?["Condition"]?["Bool"]?["aws:SecureTransport"].AsText());
        Assert.Equal("*", denyHttp?["Principal"].AsText());
    }

    [Fact]
    public void The_worker_consumes_the_queue_in_batches_of_ten_reporting_item_failures()
    {
        var worker = Function("DocumentWorkerFunction");
        var (_, type, properties) = Assert.Single(worker.Events);

        Assert.Equal("SQS", type);
        Assert.Equal(["DocumentsQueue", "Arn"], properties["Queue"]?["Fn::GetAtt"].AsList().Select(n => n.AsText()));
        Assert.Equal(10, properties["BatchSize"].AsInt());
        Assert.Equal(["ReportBatchItemFailures"], properties["FunctionResponseTypes"].AsList().Select(n => n.AsText()));
        Assert.Equal(30, worker.Properties["Timeout"].AsInt());
        Assert.Equal("WorkerMemorySize", worker.Properties["MemorySize"]?["Ref"].AsText());
    }

    [Fact]
    public void The_worker_may_read_and_write_the_invoices_table_query_its_rank_index_put_pdfs_and_read_the_smtp_secret_and_nothing_else()
    {
        var statements = Function("DocumentWorkerFunction").Properties["Policies"].AsList()
            .SelectMany(policy => policy?["Statement"].AsList() ?? []).ToList();
        var grants = statements.SelectMany(s => s?["Action"].AsList().Select(a => (Action: a.AsText()!, Resource: s["Resource"]!.ToJsonString())) ?? []).ToList();

        Assert.Equal(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem", "s3:PutObject", "secretsmanager:GetSecretValue"],
            grants.Select(g => g.Action).Order(StringComparer.Ordinal));
        Assert.All(grants.Where(g => g.Action.StartsWith("dynamodb:", StringComparison.Ordinal) && g.Action != "dynamodb:Query"),
            g => Assert.Equal("""{"Fn::GetAtt":["InvoicesTable","Arn"]}""", g.Resource));
        Assert.Equal("""{"Fn::Sub":"${InvoicesTable.Arn}/index/rank"}""", grants.Single(g => g.Action == "dynamodb:Query").Resource);
        Assert.Contains("${DocumentsBucket.Arn}/invoices/*", grants.Single(g => g.Action == "s3:PutObject").Resource, StringComparison.Ordinal);
        Assert.Contains(":secret:${SmtpSecretName}-??????", grants.Single(g => g.Action == "secretsmanager:GetSecretValue").Resource, StringComparison.Ordinal);
    }

    [Fact]
    public void The_worker_gets_the_bucket_and_the_smtp_settings_from_parameters_and_no_credentials()
    {
        var variables = Function("DocumentWorkerFunction").EnvironmentVariables;

        Assert.Equal("DocumentsBucket", variables["DOCUMENTS_BUCKET"]?["Ref"].AsText());
        Assert.Equal("SmtpPort", variables["SMTP_PORT"]?["Ref"].AsText());
        Assert.Equal("SmtpSender", variables["SMTP_SENDER"]?["Ref"].AsText());
        Assert.Equal("SmtpStartTls", variables["SMTP_STARTTLS"]?["Ref"].AsText());
        Assert.Equal("SmtpSecretName", variables["SMTP_SECRET_NAME"]?["Ref"].AsText());
        Assert.Contains("SmtpHost", variables["SMTP_HOST"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(variables, v => v.Key.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase) || v.Key.Contains("USER", StringComparison.OrdinalIgnoreCase));

        var parameters = TemplateUnderTest.Template.Parameters;
        Assert.Equal("587", parameters["SmtpPort"]?["Default"]?.ToJsonString().Trim('"'));
        Assert.All(["SmtpHost", "SmtpSender", "SmtpSecretName", "SmtpStartTls", "ParametersSecretsExtensionLayerArn"], name => Assert.NotNull(parameters[name]));
        Assert.Equal("HasSmtpSecret", Function("DocumentWorkerFunction").Properties["Layers"]?["Fn::If"]?[0].AsText());
    }

    [Fact]
    public void GetInvoicePdf_may_only_read_invoices_and_the_pdfs_and_SendInvoice_no_s3_at_all()
    {
        var pdf = Function("GetInvoicePdfFunction");
        var s3Actions = pdf.Properties["Policies"].AsList().SelectMany(p => p?["Statement"].AsList() ?? []).SelectMany(s => s?["Action"].AsList() ?? []).Select(a => a.AsText());
        Assert.Equal(["s3:GetObject"], s3Actions);
        Assert.Equal("DocumentsBucket", pdf.EnvironmentVariables["DOCUMENTS_BUCKET"]?["Ref"].AsText());
        Assert.Equal("300", pdf.EnvironmentVariables["DOCUMENT_URL_TTL_SECONDS"].AsText());

        Assert.DoesNotContain("s3:", Function("SendInvoiceFunction").Properties["Policies"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_stack_outputs_the_bucket_and_the_queues()
    {
        var outputs = TemplateUnderTest.Template.Root["Outputs"]!.AsObject();

        Assert.Equal("DocumentsBucket", outputs["DocumentsBucketName"]?["Value"]?["Ref"].AsText());
        Assert.Equal("DocumentsQueue", outputs["DocumentsQueueUrl"]?["Value"]?["Ref"].AsText());
        Assert.Equal("DocumentsDeadLetterQueue", outputs["DocumentsDeadLetterQueueUrl"]?["Value"]?["Ref"].AsText());
    }

    [GeneratedRegex(@"### Pipe filter.*?```json\s*(?<json>\[.*?\])\s*```", RegexOptions.Singleline)]
    private static partial Regex ArchitectureFilter();
}
