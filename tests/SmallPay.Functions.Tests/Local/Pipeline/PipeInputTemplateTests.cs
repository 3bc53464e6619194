using System.Text.Json.Nodes;
using SmallPay.Local.Pipeline;

namespace SmallPay.Functions.Tests.Local.Pipeline;

/// <summary>
/// The local pipe's input transformer against what the EventBridge Pipes user guide documents ("Amazon EventBridge Pipes
/// input transformation", and "Common issues with transforming input" of EventBridge's own transformer).
/// </summary>
public sealed class PipeInputTemplateTests
{
    private static readonly PipeTemplateContext Context = new("DocumentsPipe", "arn:aws:pipes:us-east-1:123456789012:pipe/DocumentsPipe",
        "arn:aws:dynamodb:us-east-1:123456789012:table/InvoicesTable/stream/local", "arn:aws:sqs:us-east-1:123456789012:DocumentsQueue",
        new DateTimeOffset(2026, 11, 20, 9, 20, 41, 527, TimeSpan.Zero));

    // The guide's sample event.
    private static readonly JsonNode Ec2Event = JsonNode.Parse("""
        {
          "version": "0", "id": "7bf73129-1428-4cd3-a780-95db273d1602", "detail-type": "EC2 Instance State-change Notification",
          "source": "aws.ec2", "account": "123456789012", "time": "2015-11-11T21:29:54Z", "region": "us-east-1",
          "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],
          "detail": { "instance-id": "i-0123456789", "state": "RUNNING" }
        }
        """)!;

    private static readonly JsonNode StreamRecord = JsonNode.Parse("""
        {
          "eventID": "c81e728d9d4c2f636f067f89cc14862c", "eventName": "MODIFY", "eventVersion": "1.1", "eventSource": "aws:dynamodb",
          "awsRegion": "us-east-1",
          "dynamodb": {
            "ApproximateCreationDateTime": 1795166441, "Keys": { "id": { "S": "inv_01JE40A2B3C4D5E6F7G8H9J0K7" } },
            "NewImage": { "id": { "S": "inv_01JE40A2B3C4D5E6F7G8H9J0K7" }, "entity": { "S": "Invoice" }, "version": { "N": "3" },
                          "customer": { "M": { "name": { "S": "Müller \"Die Firma\" GmbH" } } },
                          "lines": { "L": [ { "M": { "quantity": { "N": "10" } } }, { "M": { "quantity": { "N": "2.5" } } } ] } },
            "SequenceNumber": "4421584500000000017450439091", "SizeBytes": 831, "StreamViewType": "NEW_AND_OLD_IMAGES"
          }
        }
        """)!;

    private static JsonNode Apply(string template, JsonNode? eventNode = null) =>
        JsonNode.Parse(PipeInputTemplate.Parse(template).Apply(eventNode ?? StreamRecord, Context))!;

    [Fact]
    public void The_guides_example_gives_the_guides_output()
    {
        var output = Apply("""
            {
              "instance" : <$.detail.instance-id>,
              "state": <$.detail.state>,
              "pipeArn" : <aws.pipes.pipe-arn>,
              "pipeName" : <aws.pipes.pipe-name>,
              "originalEvent" : <aws.pipes.event.json>
            }
            """, Ec2Event);

        Assert.Equal("i-0123456789", output["instance"]!.GetValue<string>());
        Assert.Equal("RUNNING", output["state"]!.GetValue<string>());
        Assert.Equal(Context.PipeArn, output["pipeArn"]!.GetValue<string>());
        Assert.Equal("DocumentsPipe", output["pipeName"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(Ec2Event, output["originalEvent"]));
    }

    [Fact]
    public void A_string_value_is_quoted_and_escaped_and_a_number_is_not()
    {
        var text = PipeInputTemplate.Parse("""{"name": <$.dynamodb.NewImage.customer.M.name.S>, "size": <$.dynamodb.SizeBytes>, "at": <$.dynamodb.ApproximateCreationDateTime>}""")
            .Apply(StreamRecord, Context);

        Assert.Equal("""{"name":"Müller \"Die Firma\" GmbH","size":831,"at":1795166441}""", text);
    }

    [Fact]
    public void A_DynamoDB_number_is_a_string_in_the_record_so_it_stays_one()
    {
        var output = Apply("""{"version": <$.dynamodb.NewImage.version.N>, "quoted": "<$.dynamodb.NewImage.version.N>"}""");

        Assert.Equal("3", output["version"]!.GetValue<string>());
        Assert.Equal("3", output["quoted"]!.GetValue<string>());
    }

    [Fact]
    public void Inside_a_string_the_value_is_text_and_objects_lose_their_inner_quotes()
    {
        var output = Apply("""{"about": "<$.eventName> of <$.dynamodb.Keys.id.S> (<$.dynamodb.SizeBytes> bytes) by <$.dynamodb.NewImage.customer.M.name.S>", "keys": "<$.dynamodb.Keys>"}""");

        Assert.Equal("MODIFY of inv_01JE40A2B3C4D5E6F7G8H9J0K7 (831 bytes) by Müller \"Die Firma\" GmbH", output["about"]!.GetValue<string>());
        Assert.Equal("{id:{S:inv_01JE40A2B3C4D5E6F7G8H9J0K7}}", output["keys"]!.GetValue<string>());
    }

    [Fact]
    public void Objects_arrays_indices_and_wildcards_are_JSON()
    {
        var output = Apply("""{"keys": <$.dynamodb.Keys>, "first": <$.dynamodb.NewImage.lines.L[0].M.quantity.N>, "all": <$.dynamodb.NewImage.lines.L[*].M.quantity.N>, "list": [<$.eventName>, 9, true]}""");

        Assert.Equal("""{"id":{"S":"inv_01JE40A2B3C4D5E6F7G8H9J0K7"}}""", output["keys"]!.ToJsonString());
        Assert.Equal("10", output["first"]!.GetValue<string>());
        Assert.Equal("""["10","2.5"]""", output["all"]!.ToJsonString());
        Assert.Equal("""["MODIFY",9,true]""", output["list"]!.ToJsonString());
    }

    [Fact]
    public void A_path_the_event_does_not_have_creates_no_variable_and_does_not_appear_in_the_output()
    {
        // An invitation has no version: neither as a value nor inside a string does anything stand in for it.
        var output = Apply("""{"id": <$.dynamodb.Keys.id.S>, "version": <$.dynamodb.NewImage.rank.N>, "quoted": "v<$.dynamodb.NewImage.rank.N>", "list": [<$.nothing>, 1], "deep": {"gone": <$.no.such.path>}}""");

        Assert.Equal("""{"id":"inv_01JE40A2B3C4D5E6F7G8H9J0K7","quoted":"v","list":[1],"deep":{}}""", output.ToJsonString());
    }

    [Fact]
    public void A_JSON_null_in_the_event_is_there_and_stays_null()
    {
        var output = Apply("""{"value": <$.nothing>, "nulled": <$.here>}""", JsonNode.Parse("""{"here": null}"""));

        Assert.Equal("""{"nulled":null}""", output.ToJsonString());
    }

    [Fact]
    public void A_text_template_gives_text()
    {
        var template = PipeInputTemplate.Parse("Invoice <$.dynamodb.Keys.id.S> changed (<$.eventName>) at <aws.pipes.event.ingestion-time>; <$.missing>!");

        Assert.False(template.IsJson);
        Assert.Equal("Invoice inv_01JE40A2B3C4D5E6F7G8H9J0K7 changed (MODIFY) at 2026-11-20T09:20:41.527Z; !", template.Apply(StreamRecord, Context));
        Assert.Equal("i-0123456789", PipeInputTemplate.Parse("<$.detail.instance-id>").Apply(Ec2Event, Context));
    }

    [Fact]
    public void The_output_is_minified_and_keeps_non_ASCII_text()
    {
        var text = PipeInputTemplate.Parse("""
            {
              "name":   <$.dynamodb.NewImage.customer.M.name.S>,
              "static": "a < b, c > d"
            }
            """).Apply(StreamRecord, Context);

        Assert.Equal("""{"name":"Müller \"Die Firma\" GmbH","static":"a < b, c > d"}""", text);
    }

    [Theory]
    [InlineData("""{"a": <$.x>""")]
    [InlineData("""{"a": <$.x> <$.y>}""")]
    [InlineData("""[1, 2,, <$.x>]""")]
    public void A_JSON_template_that_cannot_give_JSON_is_refused(string template) =>
        Assert.Throws<InvalidDataException>(() => PipeInputTemplate.Parse(template));
}
