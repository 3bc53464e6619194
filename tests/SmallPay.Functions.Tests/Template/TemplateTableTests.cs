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

        var index = Assert.Single(table["GlobalSecondaryIndexes"].AsList());
        Assert.Equal("creator", index?["IndexName"].AsText());
        Assert.Equal(
            [("creator", "HASH"), ("sortKey", "RANGE")],
            index?["KeySchema"].AsList().Select(k => (k?["AttributeName"].AsText(), k?["KeyType"].AsText())).ToArray() ?? []);
        Assert.Equal("ALL", index?["Projection"]?["ProjectionType"].AsText());

        var attributes = table["AttributeDefinitions"].AsList()
            .ToDictionary(a => a?["AttributeName"].AsText() ?? "", a => a?["AttributeType"].AsText());
        Assert.Equal(new Dictionary<string, string?> { ["id"] = "S", ["creator"] = "S", ["sortKey"] = "S" }, attributes);
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
