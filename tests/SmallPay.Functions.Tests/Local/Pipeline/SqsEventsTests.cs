using System.Text;
using System.Text.Json.Nodes;
using SmallPay.Local.Pipeline;

namespace SmallPay.Functions.Tests.Local.Pipeline;

/// <summary>The SQS event Lambda sends and how it reads a batch response (ReportBatchItemFailures).</summary>
public sealed class SqsEventsTests
{
    private static readonly string[] Batch = ["m-1", "m-2", "m-3"];

    [Fact]
    public void The_event_has_every_field_of_an_SQS_record_with_string_attributes()
    {
        var sent = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000);
        var message = new ReceivedMessage("m-1", "m-1#h", """{"eventName":"INSERT"}""", LocalQueue.Md5Hex("""{"eventName":"INSERT"}"""), 2,
            sent, sent.AddMilliseconds(5), "AROALOCALPIPE:DocumentsPipe");

        var record = SqsEvents.Event([message], "arn:aws:sqs:us-east-1:123456789012:DocumentsQueue")["Records"]![0]!;

        Assert.Equal("m-1", record["messageId"]!.GetValue<string>());
        Assert.Equal("m-1#h", record["receiptHandle"]!.GetValue<string>());
        Assert.Equal("""{"eventName":"INSERT"}""", record["body"]!.GetValue<string>());
        Assert.Equal("2", record["attributes"]!["ApproximateReceiveCount"]!.GetValue<string>());
        Assert.Equal("1790000000000", record["attributes"]!["SentTimestamp"]!.GetValue<string>());
        Assert.Equal("1790000000005", record["attributes"]!["ApproximateFirstReceiveTimestamp"]!.GetValue<string>());
        Assert.Equal("AROALOCALPIPE:DocumentsPipe", record["attributes"]!["SenderId"]!.GetValue<string>());
        Assert.Empty(record["messageAttributes"]!.AsObject());
        Assert.Equal(message.Md5OfBody, record["md5OfBody"]!.GetValue<string>());
        Assert.Equal("aws:sqs", record["eventSource"]!.GetValue<string>());
        Assert.Equal("arn:aws:sqs:us-east-1:123456789012:DocumentsQueue", record["eventSourceARN"]!.GetValue<string>());
        Assert.Equal("us-east-1", record["awsRegion"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("""{"batchItemFailures": []}""")]
    [InlineData("""{"batchItemFailures": null}""")]
    public void Lambda_reads_these_answers_as_complete_success(string answer)
    {
        var result = SqsEvents.ReadResponse(Encoding.UTF8.GetBytes(answer), Batch, reportBatchItemFailures: true);

        Assert.Null(result.WholeBatchReason);
        Assert.All(Batch, id => Assert.False(result.Retries(id)));
    }

    [Fact]
    public void Listed_items_are_retried_and_the_others_are_done()
    {
        var result = SqsEvents.ReadResponse("""{"batchItemFailures": [{"itemIdentifier": "m-2"}]}"""u8, Batch, reportBatchItemFailures: true);

        Assert.Null(result.WholeBatchReason);
        Assert.False(result.Retries("m-1"));
        Assert.True(result.Retries("m-2"));
        Assert.False(result.Retries("m-3"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"batchItemFailures": [{"itemIdentifier": ""}]}""")]
    [InlineData("""{"batchItemFailures": [{"itemIdentifier": null}]}""")]
    [InlineData("""{"batchItemFailures": [{"itemId": "m-1"}]}""")]
    [InlineData("""{"batchItemFailures": [{"itemIdentifier": "not-in-the-batch"}]}""")]
    [InlineData("""{"batchItemFailures": [{"itemIdentifier": 5}]}""")]
    [InlineData("""{"batchItemFailures": "m-1"}""")]
    [InlineData("""["m-1"]""")]
    public void Lambda_reads_these_answers_as_a_failure_of_the_whole_batch(string answer)
    {
        var result = SqsEvents.ReadResponse(Encoding.UTF8.GetBytes(answer), Batch, reportBatchItemFailures: true);

        Assert.NotNull(result.WholeBatchReason);
        Assert.All(Batch, id => Assert.True(result.Retries(id)));
    }

    [Fact]
    public void Without_ReportBatchItemFailures_any_answer_is_success()
    {
        var result = SqsEvents.ReadResponse("""{"batchItemFailures": [{"itemIdentifier": "m-2"}]}"""u8, Batch, reportBatchItemFailures: false);

        Assert.Null(result.WholeBatchReason);
        Assert.False(result.Retries("m-2"));
    }

    [Fact]
    public void The_record_body_is_the_text_the_pipe_sent()
    {
        var body = JsonNode.Parse("""{"dynamodb":{"NewImage":{"name":{"S":"Müller, Łódź"}}}}""")!.ToJsonString();
        var message = new ReceivedMessage("m", "h", body, LocalQueue.Md5Hex(body), 1, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "s");

        var json = SqsEvents.Event([message], "arn").ToJsonString();

        Assert.Equal(body, JsonNode.Parse(json)!["Records"]![0]!["body"]!.GetValue<string>());
    }
}
