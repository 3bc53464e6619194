using Amazon.S3.Model;
using SmallPay.Functions.Aws;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Storage;
using SmallPay.Functions.Tests.Documents;
using SmallPay.Functions.Tests.Infrastructure;

namespace SmallPay.Functions.Tests.Aws;

/// <summary>SmallPay's S3 calls against the local S3 (moto), read back with the AWS SDK and a plain HTTP GET.</summary>
[Collection(LocalStackCollection.Name)]
public sealed class S3HttpClientTests(LocalStackFixture stack) : IAsyncLifetime
{
    private IsolatedDocumentsStack _isolated = null!;

    public async Task InitializeAsync() => _isolated = await IsolatedDocumentsStack.CreateAsync(stack);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_stored_pdf_keeps_its_bytes_type_name_and_encryption_and_its_presigned_link_serves_it()
    {
        var storage = new S3DocumentStorage(new AwsClients(_isolated.EnvironmentFor("DocumentWorker")).S3, _isolated.Bucket);
        var pdf = new byte[70_000];
        Random.Shared.NextBytes(pdf);
        var key = $"invoices/tenant-1/inv_{Guid.NewGuid():N}/v2.pdf";

        await storage.PutPdfAsync(key, pdf, "INV-000042 Müller.pdf", CancellationToken.None);

        using var stored = await _isolated.S3.GetObjectAsync(new GetObjectRequest { BucketName = _isolated.Bucket, Key = key });
        using var copy = new MemoryStream();
        await stored.ResponseStream.CopyToAsync(copy);
        Assert.Equal(pdf, copy.ToArray());
        Assert.Equal("application/pdf", stored.Headers.ContentType);
        Assert.Equal("inline; filename=\"INV-000042-M-ller.pdf\"", stored.Headers.ContentDisposition);
        Assert.Equal("AES256", stored.ServerSideEncryptionMethod?.Value);

        var link = await storage.PresignGetAsync(key, DateTimeOffset.UtcNow.AddMinutes(5), CancellationToken.None);
        Assert.Equal("http", link.Scheme);
        Assert.Contains("X-Amz-Expires=", link.Query);
        using var http = new HttpClient();
        Assert.Equal(pdf, await http.GetByteArrayAsync(link));
    }

    [Fact]
    public void Objects_are_addressed_virtual_hosted_in_aws_and_path_style_on_an_emulator()
    {
        Assert.Equal("https://docs-bucket.s3.eu-west-1.amazonaws.com/invoices/t/inv_1/v2.pdf",
            new S3Addressing(null, "eu-west-1").ObjectUri("docs-bucket", "invoices/t/inv_1/v2.pdf").AbsoluteUri);
        Assert.Equal("http://127.0.0.1:5010/docs-bucket/a%20b/c%2Bd.pdf",
            new S3Addressing(new Uri("http://127.0.0.1:5010"), "eu-west-1").ObjectUri("docs-bucket", "a b/c+d.pdf").AbsoluteUri);
    }
}
