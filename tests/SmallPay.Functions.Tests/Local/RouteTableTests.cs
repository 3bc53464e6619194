using SmallPay.Local.Http;

namespace SmallPay.Functions.Tests.Local;

public sealed class RouteTableTests
{
    private static readonly RouteTable<string> Routes = new(
    [
        ("POST", "/invoices", "CreateInvoice"),
        ("GET", "/invoices", "ListInvoices"),
        ("GET", "/invoices/{invoiceId}", "GetInvoice"),
        ("GET", "/invoices/summary", "Summary"),
        ("POST", "/invoices/{invoiceId}/finalize", "FinalizeInvoice"),
        ("ANY", "/files/{proxy+}", "Files"),
        ("GET", "/files/{proxy+}", "GetFiles"),
    ]);

    [Theory]
    [InlineData("POST", "/invoices", "CreateInvoice")]
    [InlineData("GET", "/invoices", "ListInvoices")]
    [InlineData("GET", "/invoices/", "ListInvoices")]
    [InlineData("GET", "/invoices/inv_1", "GetInvoice")]
    [InlineData("GET", "/invoices/summary", "Summary")]
    [InlineData("POST", "/invoices/inv_1/finalize", "FinalizeInvoice")]
    [InlineData("DELETE", "/files/a/b.pdf", "Files")]
    [InlineData("GET", "/files/a/b.pdf", "GetFiles")]
    public void Most_specific_route_wins(string method, string path, string expected) =>
        Assert.Equal(expected, Routes.Match(method, path)?.Route);

    [Theory]
    [InlineData("DELETE", "/invoices")]
    [InlineData("GET", "/invoices/inv_1/finalize")]
    [InlineData("GET", "/customers")]
    [InlineData("GET", "/files")]
    [InlineData("GET", "/")]
    public void Unknown_method_or_path_matches_nothing(string method, string path) =>
        Assert.Null(Routes.Match(method, path));

    [Fact]
    public void Path_parameters_are_decoded_and_greedy_ones_keep_their_slashes()
    {
        Assert.Equal("inv 1", Routes.Match("GET", "/invoices/inv%201")!.PathParameters!["invoiceId"]);
        Assert.Equal("a/b.pdf", Routes.Match("GET", "/files/a/b.pdf")!.PathParameters!["proxy"]);
        Assert.Null(Routes.Match("GET", "/invoices")!.PathParameters);
    }

    [Fact]
    public void Default_route_catches_what_nothing_else_matches()
    {
        var routes = new RouteTable<string>([("GET", "/invoices", "List"), ("ANY", "/$default", "Default")]);

        Assert.Equal("List", routes.Match("GET", "/invoices")?.Route);
        Assert.Equal("Default", routes.Match("PUT", "/anything/else")?.Route);
    }
}
