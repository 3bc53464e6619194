using SmallPay.Local;
using SmallPay.Local.Invoke;
using SmallPay.Local.Template;

namespace SmallPay.Functions.Tests.Local;

/// <summary>What <c>invoke</c> gives a function besides its template variables: local names, endpoints, the SMTP sink.</summary>
public sealed class InvokeEnvironmentTests
{
    private const string Template = """
        Transform: AWS::Serverless-2016-10-31
        Parameters:
          SmtpHost:
            Type: String
            Default: email-smtp.eu-west-1.amazonaws.com
        Resources:
          DocumentsBucket:
            Type: AWS::S3::Bucket
            Properties:
              BucketName: !Sub smallpay-documents-${AWS::AccountId}
          DocumentsQueue:
            Type: AWS::SQS::Queue
          WorkerFunction:
            Type: AWS::Serverless::Function
            Properties:
              Handler: SmallPay.Functions
              Environment:
                Variables:
                  SMALLPAY_FUNCTION: DocumentWorker
                  DOCUMENTS_BUCKET: !Ref DocumentsBucket
                  QUEUE_ARN: !GetAtt DocumentsQueue.Arn
                  SMTP_HOST: !Ref SmtpHost
                  SMTP_PORT: "587"
                  SMTP_STARTTLS: "true"
                  SMTP_SECRET_NAME: smallpay/smtp
        """;

    [Fact]
    public void Invoke_points_a_function_at_the_local_bucket_and_the_SMTP_sink_of_make_run()
    {
        var template = SamTemplate.Parse(Template);

        var variables = InvokeEnvironment.Build(template, InvokeCommand.FindFunction(template, "WorkerFunction"), "http://127.0.0.1:5010");

        Assert.Equal(LocalResourceNames.Bucket("DocumentsBucket"), variables["DOCUMENTS_BUCKET"]);
        Assert.Equal("smallpay-local-documents-bucket", variables["DOCUMENTS_BUCKET"]);
        Assert.Equal(LocalResourceNames.QueueArn("DocumentsQueue"), variables["QUEUE_ARN"]);
        Assert.Equal("http://127.0.0.1:5010", variables["AWS_ENDPOINT_URL_S3"]);
        Assert.Equal("127.0.0.1", variables["SMTP_HOST"]);
        Assert.Equal("1025", variables["SMTP_PORT"]);
        Assert.Equal("false", variables["SMTP_STARTTLS"]);
        Assert.Equal("", variables["SMTP_SECRET_NAME"]);
        // The template's queues are make run's host's: the change feed's events go there.
        Assert.Equal(InvokeEnvironment.DefaultSqsEndpoint, variables["AWS_ENDPOINT_URL_SQS"]);
    }

    [Theory]
    [InlineData("DocumentsBucket", "smallpay-local-documents-bucket")]
    [InlineData("S3Bucket", "smallpay-local-s3-bucket")]
    [InlineData("Bucket", "smallpay-local-bucket")]
    [InlineData("PDFStore", "smallpay-local-pdfstore")]
    public void Local_bucket_names_are_lower_case_and_hyphenated(string logicalId, string expected) =>
        Assert.Equal(expected, LocalResourceNames.Bucket(logicalId));
}
