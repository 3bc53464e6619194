using System.Text.Json.Nodes;
using SmallPay.Local.Template;

namespace SmallPay.Functions.Tests.Template;

/// <summary>The alarms of template.yaml: what they watch, and that every one of them reaches someone.</summary>
public sealed class TemplateAlarmTests
{
    private static JsonObject Properties(string logicalId) => TemplateUnderTest.Template.Resources[logicalId].Properties;

    private static IEnumerable<TemplateResource> Alarms => TemplateUnderTest.Template.ResourcesOfType("AWS::CloudWatch::Alarm");

    public static TheoryData<string, string, string, string, string, string> Expected() => new()
    {
        // alarm, namespace, metric, dimension, watched resource (Ref or GetAtt), statistic
        { "DocumentsDeadLetterAlarm", "AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", "DocumentsDeadLetterQueue", "Maximum" },
        { "DocumentsPipeDeadLetterAlarm", "AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", "DocumentsPipeDeadLetterQueue", "Maximum" },
        { "DocumentsQueueAgeAlarm", "AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", "DocumentsQueue", "Maximum" },
        { "ApiServerErrorsAlarm", "AWS/ApiGateway", "5xx", "ApiId", "HttpApi", "Sum" },
        { "DocumentWorkerErrorsAlarm", "AWS/Lambda", "Errors", "FunctionName", "DocumentWorkerFunction", "Sum" },
        { "DocumentWorkerThrottlesAlarm", "AWS/Lambda", "Throttles", "FunctionName", "DocumentWorkerFunction", "Sum" },
        { "MailEventsDeadLetterAlarm", "AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", "MailEventsDeadLetterQueue", "Maximum" },
        { "WebhooksDeadLetterAlarm", "AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", "WebhooksDeadLetterQueue", "Maximum" },
        { "RecordChangesFailureAlarm", "AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", "RecordChangesFailureQueue", "Maximum" },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void Each_alarm_watches_its_metric_of_its_resource(string alarm, string ns, string metric, string dimension, string resource, string statistic)
    {
        var properties = Properties(alarm);

        Assert.Equal((ns, metric, statistic), (properties["Namespace"].AsText(), properties["MetricName"].AsText(), properties["Statistic"].AsText()));
        var only = Assert.Single(properties["Dimensions"].AsList());
        Assert.Equal(dimension, only?["Name"].AsText());
        var value = only?["Value"];
        var watched = value?["Ref"].AsText() ?? value?["Fn::GetAtt"]?[0].AsText();
        Assert.Equal(resource, watched);
        Assert.True(TemplateUnderTest.Template.Resources.ContainsKey(resource));
        Assert.Equal("GreaterThanThreshold", properties["ComparisonOperator"].AsText());
        Assert.Equal("notBreaching", properties["TreatMissingData"].AsText());
    }

    [Fact]
    public void There_are_exactly_these_alarms()
    {
        Assert.Equal(Expected().Select(row => (string)row[0]).Order(StringComparer.Ordinal), Alarms.Select(a => a.LogicalId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_alarm_notifies_the_stacks_topic_and_the_optional_existing_topic_when_it_fires_and_when_it_is_ok_again()
    {
        Assert.All(Alarms, alarm =>
        {
            foreach (var actions in new[] { "AlarmActions", "OKActions" })
            {
                var targets = alarm.Properties[actions].AsList();
                Assert.Equal(2, targets.Count);
                Assert.Equal("AlarmTopic", targets[0]?["Ref"].AsText());
                Assert.Equal("""{"Fn::If":["HasAlarmTopic",{"Ref":"AlarmTopicArn"},{"Ref":"AWS::NoValue"}]}""", targets[1]!.ToJsonString());
            }
        });
        Assert.Equal("AWS::SNS::Topic", TemplateUnderTest.Template.Resources["AlarmTopic"].Type);
        Assert.Equal("""{"Fn::Not":[{"Fn::Equals":[{"Ref":"AlarmTopicArn"},""]}]}""", TemplateUnderTest.Template.Conditions["HasAlarmTopic"]!.ToJsonString());
    }

    [Fact]
    public void The_alarm_e_mail_is_subscribed_only_when_it_is_set()
    {
        var entry = TemplateUnderTest.ResourceEntry("AlarmEmailSubscription");
        var subscription = Properties("AlarmEmailSubscription");

        Assert.Equal("AWS::SNS::Subscription", entry["Type"].AsText());
        Assert.Equal("HasAlarmEmail", entry["Condition"].AsText());
        Assert.Equal("""{"Fn::Not":[{"Fn::Equals":[{"Ref":"AlarmEmail"},""]}]}""", TemplateUnderTest.Template.Conditions["HasAlarmEmail"]!.ToJsonString());
        Assert.Equal(("email", "AlarmEmail", "AlarmTopic"), (subscription["Protocol"].AsText(), subscription["Endpoint"]?["Ref"].AsText(), subscription["TopicArn"]?["Ref"].AsText()));

        var parameters = TemplateUnderTest.Template.Parameters;
        Assert.Equal("", parameters["AlarmEmail"]?["Default"].AsText() ?? "");
        Assert.Equal("", parameters["AlarmTopicArn"]?["Default"].AsText() ?? "");
    }

    [Fact]
    public void The_queue_age_and_the_5xx_count_that_alarm_are_parameters_with_sane_defaults()
    {
        var parameters = TemplateUnderTest.Template.Parameters;

        Assert.Equal("DocumentsQueueMaxAgeSeconds", Properties("DocumentsQueueAgeAlarm")["Threshold"]?["Ref"].AsText());
        Assert.Equal("900", parameters["DocumentsQueueMaxAgeSeconds"]?["Default"].AsText());
        Assert.Equal("ApiServerErrorsThreshold", Properties("ApiServerErrorsAlarm")["Threshold"]?["Ref"].AsText());
        Assert.InRange(int.Parse(parameters["ApiServerErrorsThreshold"]?["Default"].AsText() ?? "-1"), 0, 50);
        Assert.All(["DocumentsDeadLetterAlarm", "DocumentsPipeDeadLetterAlarm", "DocumentWorkerErrorsAlarm", "DocumentWorkerThrottlesAlarm"],
            alarm => Assert.Equal(0, Properties(alarm)["Threshold"].AsInt()));
    }
}
