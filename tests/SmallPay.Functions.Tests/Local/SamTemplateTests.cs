using System.Text.Json.Nodes;
using SmallPay.Local.Template;

namespace SmallPay.Functions.Tests.Local;

public sealed class SamTemplateTests
{
    private const string Yaml = """
        Transform: AWS::Serverless-2016-10-31
        Parameters:
          Stage:
            Type: String
            Default: dev
          SpaOrigin:
            Type: String
            Default: http://localhost:5173
        Conditions:
          IsProd: !Equals [!Ref Stage, prod]
        Globals:
          Function:
            Timeout: 10
            Environment:
              Variables:
                TABLE: !Ref Table
                SHARED: "yes"
        Resources:
          Pool:
            Type: AWS::Cognito::UserPool
            Properties:
              UserPoolName: !Sub smallpay-${Stage}
          Table:
            Type: AWS::DynamoDB::Table
            Properties:
              DeletionProtectionEnabled: !If [IsProd, true, false]
              Nothing: !Ref AWS::NoValue
          ThingFunction:
            Type: AWS::Serverless::Function
            Properties:
              Timeout: 20
              Environment:
                Variables:
                  SMALLPAY_FUNCTION: Thing
                  ARN: !GetAtt Table.Arn
                  LIST: !Join [",", [a, !Ref Stage]]
                  ISSUER: !Sub https://cognito-idp.${AWS::Region}.amazonaws.com/${Pool}
                  LITERAL: !Sub "${!NotAVariable}"
                  PICKED: !Select [1, !Split ["/", "x/y/z"]]
              Events:
                Api:
                  Type: HttpApi
                  Properties:
                    Method: get
                    Path: /things/{thingId}
                    Auth:
                      Authorizer: NONE
        """;

    private static readonly SamTemplate Template = SamTemplate.Parse(Yaml);

    [Fact]
    public void Short_tags_become_their_long_form()
    {
        var variables = Template.Resources["ThingFunction"].Properties["Environment"]!["Variables"]!;

        Assert.Equal("""{"Fn::GetAtt":["Table","Arn"]}""", variables["ARN"]!.ToJsonString());
        Assert.Equal("""{"Ref":"Stage"}""", Template.Conditions["IsProd"]!["Fn::Equals"]![0]!.ToJsonString());
        Assert.Equal("AWS::Cognito::UserPool", Template.Resources["Pool"].Type);
    }

    [Fact]
    public void Functions_get_the_globals_merged_under_their_own_properties()
    {
        var function = Assert.Single(SamFunction.ReadAll(Template));

        Assert.Equal("Thing", function.CatalogName);
        Assert.Equal(TimeSpan.FromSeconds(20), function.Timeout);
        Assert.Equal("yes", function.EnvironmentVariables["SHARED"].AsText());
        Assert.NotNull(function.EnvironmentVariables["TABLE"]);
        Assert.NotNull(function.EnvironmentVariables["ARN"]);
    }

    [Fact]
    public void Intrinsics_resolve_to_local_values()
    {
        var resolver = new IntrinsicResolver(Template, logicalId => logicalId == "Pool" ? "us-east-1_abc" : null);
        var variables = SamFunction.ReadAll(Template)[0].EnvironmentVariables;

        Assert.Equal("Table", resolver.ResolveText(variables["TABLE"]));
        Assert.Equal("arn:aws:dynamodb:us-east-1:123456789012:table/Table", resolver.ResolveText(variables["ARN"]));
        Assert.Equal("a,dev", resolver.ResolveText(variables["LIST"]));
        Assert.Equal("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc", resolver.ResolveText(variables["ISSUER"]));
        Assert.Equal("${NotAVariable}", resolver.ResolveText(variables["LITERAL"]));
        Assert.Equal("y", resolver.ResolveText(variables["PICKED"]));
        Assert.Equal("smallpay-dev", resolver.ResolveText(Template.Resources["Pool"].Properties["UserPoolName"]));
    }

    [Fact]
    public void Conditions_and_parameter_overrides_are_honoured()
    {
        var table = Template.Resources["Table"].Properties;

        var dev = (JsonObject)new IntrinsicResolver(Template).Resolve(table)!;
        var prod = (JsonObject)new IntrinsicResolver(Template, parameterOverrides: new Dictionary<string, string> { ["Stage"] = "prod" }).Resolve(table)!;

        Assert.Equal("false", dev["DeletionProtectionEnabled"].AsText());
        Assert.Equal("true", prod["DeletionProtectionEnabled"].AsText());
        Assert.False(dev.ContainsKey("Nothing"));
    }

    [Fact]
    public void Http_api_events_without_an_api_id_belong_to_the_implicit_api()
    {
        var api = Assert.Single(HttpApiDefinition.ReadAll(Template, SamFunction.ReadAll(Template)));
        var route = Assert.Single(api.Routes);

        Assert.Equal(HttpApiDefinition.ImplicitApiId, api.LogicalId);
        Assert.Equal("GET /things/{thingId}", route.RouteKey);
        Assert.Equal("NONE", route.Authorizer);
    }
}
