using SmallPay.Functions.Aws;

namespace SmallPay.Functions.Tests.Aws;

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
            "us-east-1", "iam", new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero));

        Assert.Equal("20150830T123600Z", headers["x-amz-date"]);
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date, "
            + "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
            headers["authorization"]);
    }

    [Fact]
    public void Presigned_link_matches_the_worked_example_of_the_S3_documentation()
    {
        // "Authenticating Requests: Using Query Parameters": GET examplebucket/test.txt, valid 86400 s from 2013-05-24T00:00:00Z.
        var link = AwsSigV4.PresignGet(new Uri("https://examplebucket.s3.amazonaws.com/test.txt"), "us-east-1", "s3",
            new AwsCredentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            new DateTimeOffset(2013, 5, 24, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromDays(1));

        Assert.Equal(
            "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z"
            + "&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
            link.AbsoluteUri);
    }

    [Fact]
    public void Put_object_signature_matches_the_worked_example_of_the_S3_documentation()
    {
        // "Signature Calculations for the Authorization Header": PUT Object examplebucket/test$file.text, "Welcome to Amazon S3."
        var headers = new Dictionary<string, string>
        {
            ["host"] = "examplebucket.s3.amazonaws.com",
            ["date"] = "Fri, 24 May 2013 00:00:00 GMT",
            ["x-amz-storage-class"] = "REDUCED_REDUNDANCY",
            ["x-amz-content-sha256"] = "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072",
        };

        AwsSigV4.Sign("PUT", new Uri("https://examplebucket.s3.amazonaws.com/test%24file.text"), headers, "Welcome to Amazon S3."u8,
            "us-east-1", "s3", new AwsCredentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            new DateTimeOffset(2013, 5, 24, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(headers["x-amz-content-sha256"], AwsSigV4.PayloadHash("Welcome to Amazon S3."u8));
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            + " SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,"
            + " Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd",
            headers["authorization"]);
    }

    [Fact]
    public void Session_credentials_sign_their_token()
    {
        var headers = new Dictionary<string, string> { ["host"] = "dynamodb.eu-west-1.amazonaws.com" };
        AwsSigV4.Sign("POST", new Uri("https://dynamodb.eu-west-1.amazonaws.com/"), headers, "{}"u8, "eu-west-1", "dynamodb",
            new AwsCredentials("AKID", "secret", "session-token"), DateTimeOffset.UnixEpoch);

        Assert.Equal("session-token", headers["x-amz-security-token"]);
        Assert.Contains("SignedHeaders=host;x-amz-date;x-amz-security-token,", headers["authorization"]);
    }
}
