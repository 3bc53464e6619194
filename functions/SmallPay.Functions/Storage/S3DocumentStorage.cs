using Amazon.S3;
using Amazon.S3.Model;
using SmallPay.Functions.Documents;

namespace SmallPay.Functions.Storage;

/// <summary>PDFs in the documents bucket: private, SSE-S3 on every object, handed out only through presigned GETs.</summary>
public sealed class S3DocumentStorage(IAmazonS3 s3, string bucket, bool plainHttp = false) : IDocumentStorage
{
    public Task PutPdfAsync(string key, byte[] pdf, string fileName, CancellationToken ct)
    {
        var request = new PutObjectRequest
        {
            BucketName = bucket,
            Key = key,
            InputStream = new MemoryStream(pdf, writable: false),
            ContentType = "application/pdf",
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256,
        };
        // A browser following the presigned link shows the PDF and saves it under the invoice number.
        request.Headers.ContentDisposition = $"inline; filename=\"{SafeFileName(fileName)}\"";
        return s3.PutObjectAsync(request, ct);
    }

    public Task PutExportAsync(string key, byte[] csv, string fileName, CancellationToken ct)
    {
        var request = new PutObjectRequest
        {
            BucketName = bucket,
            Key = key,
            InputStream = new MemoryStream(csv, writable: false),
            ContentType = "text/csv; charset=utf-8",
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256,
        };
        // The presigned link downloads the file (a spreadsheet opens it) instead of showing it in the tab.
        request.Headers.ContentDisposition = $"attachment; filename=\"{SafeFileName(fileName)}\"";
        return s3.PutObjectAsync(request, ct);
    }

    // A local emulator listens on plain HTTP; in AWS the link is HTTPS (the bucket policy refuses anything else).
    public async Task<Uri> PresignGetAsync(string key, DateTimeOffset expiresAt, CancellationToken ct) =>
        new(await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = bucket,
            Key = key,
            Verb = HttpVerb.GET,
            Expires = expiresAt.UtcDateTime,
            Protocol = plainHttp ? Protocol.HTTP : Protocol.HTTPS,
        }));

    private static string SafeFileName(string name) =>
        new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray());
}
