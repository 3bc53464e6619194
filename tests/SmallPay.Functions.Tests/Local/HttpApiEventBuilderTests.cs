using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using SmallPay.Local.Http;

namespace SmallPay.Functions.Tests.Local;

public sealed class HttpApiEventBuilderTests
{
    [Fact]
    public void Repeated_header_lines_are_joined_with_commas_under_a_lower_case_name()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = "/invoices";
        context.Request.Headers["X-Repeated"] = new StringValues(["one", "two"]);
        context.Request.Headers["Accept"] = "application/json";

        var evt = HttpApiEventBuilder.Build(context.Request, "GET /invoices", null, ReadOnlyMemory<byte>.Empty, null, "req-1", DateTimeOffset.UnixEpoch);

        Assert.Equal("one,two", evt.Headers!["x-repeated"]);
        Assert.Equal("application/json", evt.Headers["accept"]);
        Assert.Equal("01/Jan/1970:00:00:00 +0000", evt.RequestContext.Time);
        Assert.Null(evt.Body);
        Assert.Null(evt.Cookies);
    }

    [Theory]
    [InlineData("application/json", false)]
    [InlineData("application/json; charset=utf-8", false)]
    [InlineData("application/problem+json", false)]
    [InlineData("application/vnd.api+json", false)]
    [InlineData("text/csv", false)]
    [InlineData(null, false)]
    [InlineData("application/pdf", true)]
    [InlineData("application/octet-stream", true)]
    [InlineData("image/png", true)]
    [InlineData("application/x-www-form-urlencoded", true)]
    public void Body_is_base64_unless_the_content_type_is_text(string? contentType, bool base64)
    {
        var (body, isBase64) = HttpApiEventBuilder.Body(contentType, Encoding.UTF8.GetBytes("a=1"));

        Assert.Equal(base64, isBase64);
        Assert.Equal(base64 ? "YT0x" : "a=1", body);
    }

    [Fact]
    public void Text_body_that_is_not_utf8_falls_back_to_base64()
    {
        var (body, isBase64) = HttpApiEventBuilder.Body("text/plain", new byte[] { 0xff, 0xfe, 0x41 });

        Assert.True(isBase64);
        Assert.Equal(new byte[] { 0xff, 0xfe, 0x41 }, Convert.FromBase64String(body!));
    }
}
