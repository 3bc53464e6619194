using SmallPay.Local.Aws;

namespace SmallPay.Functions.Tests.Local;

public sealed class AwsSigV4Tests
{
    [Fact]
    public void Signature_matches_the_worked_example_of_the_AWS_documentation()
    {
        // "Create a signed AWS API request", IAM ListUsers, 2015-08-30T12:36:00Z, the documented example keys.
        var headers = new Dictionary<string, string>
        {
            ["host"] = "iam.amazonaws.com",
            ["content-type"] = "application/x-www-form-urlencoded; charset=utf-8",
        };

        AwsSigV4.Sign("GET", new Uri("https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08"), headers, [],
            "us-east-1", "iam", "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero));

        Assert.Equal("20150830T123600Z", headers["x-amz-date"]);
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date, "
            + "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
            headers["authorization"]);
    }
}
