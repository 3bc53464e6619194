using System.Text.Json.Nodes;
using SmallPay.Local.Template;

namespace SmallPay.Functions.Tests.Template;

/// <summary>The tables are docs/ARCHITECTURE.md's data model; the local stack provisions them from here.</summary>
public class TemplateTableTests
{
    [Theory]
    [InlineData("InvoicesTable")]
    [InlineData("CustomersTable")]
    public void Table_has_key_id_and_the_creator_index(string logicalId)
    {
        var table = Table(logicalId);

        var key = Assert.Single(table["KeySchema"].AsList());
        Assert.Equal(("id", "HASH"), (key?["AttributeName"].AsText(), key?["KeyType"].AsText()));

        var index = table["GlobalSecondaryIndexes"].AsList().Single(i => i?["IndexName"].AsText() == "creator");
        Assert.Equal(
            [("creator", "HASH"), ("sortKey", "RANGE")],
            index?["KeySchema"].AsList().Select(k => (k?["AttributeName"].AsText(), k?["KeyType"].AsText())).ToArray() ?? []);
        Assert.Equal("ALL", index?["Projection"]?["ProjectionType"].AsText());

        var attributes = table["AttributeDefinitions"].AsList()
            .ToDictionary(a => a?["AttributeName"].AsText() ?? "", a => a?["AttributeType"].AsText());
        var expected = new Dictionary<string, string?> { ["id"] = "S", ["creator"] = "S", ["sortKey"] = "S" };
        if (logicalId == "InvoicesTable") { expected["rankedIn"] = "S"; expected["rank"] = "N"; }
        Assert.Equal(expected, attributes);
    }

    [Fact]
    public void Invoices_table_ranks_recent_invoices_and_revenue_in_one_index_added_alone()
    {
        // CloudFormation adds one global secondary index per table update: a deployed stack takes this one in one deploy.
        var indexes = Table("InvoicesTable")["GlobalSecondaryIndexes"].AsList();
        Assert.Equal(["creator", "rank"], indexes.Select(i => i?["IndexName"].AsText()).Order());
        var rank = indexes.Single(i => i?["IndexName"].AsText() == "rank");
        Assert.Equal(
            [("rankedIn", "HASH"), ("rank", "RANGE")],
            rank?["KeySchema"].AsList().Select(k => (k?["AttributeName"].AsText(), k?["KeyType"].AsText())).ToArray() ?? []);
    }

    [Theory]
    [InlineData("InvoicesTable")]
    [InlineData("CustomersTable")]
    public void Table_is_on_demand_recoverable_encrypted_and_retained(string logicalId)
    {
        var table = Table(logicalId);
        var entry = TemplateUnderTest.ResourceEntry(logicalId);

        Assert.Equal("PAY_PER_REQUEST", table["BillingMode"].AsText());
        Assert.True(table["PointInTimeRecoverySpecification"]?["PointInTimeRecoveryEnabled"].AsBool());
        Assert.True(table["SSESpecification"]?["SSEEnabled"].AsBool());
        Assert.Equal("Retain", entry["DeletionPolicy"].AsText());
        Assert.Equal("Retain", entry["UpdateReplacePolicy"].AsText());
    }

    [Fact]
    public void Invoices_table_streams_both_images_and_expires_items_on_expiresAt()
    {
        var table = Table("InvoicesTable");

        Assert.Equal("NEW_AND_OLD_IMAGES", table["StreamSpecification"]?["StreamViewType"].AsText());
        Assert.Equal("expiresAt", table["TimeToLiveSpecification"]?["AttributeName"].AsText());
        Assert.True(table["TimeToLiveSpecification"]?["Enabled"].AsBool());
    }

    private static JsonObject Table(string logicalId)
    {
        var resource = TemplateUnderTest.Template.Resources[logicalId];
        Assert.Equal("AWS::DynamoDB::Table", resource.Type);
        return resource.Properties;
    }
}
