using SmallPay.Functions.Aws;
using SmallPay.Functions.Documents;

namespace SmallPay.Functions.Storage;

/// <summary>PDFs in the documents bucket: private, SSE-S3 on every object, handed out only through presigned GETs.</summary>
public sealed class S3DocumentStorage(S3HttpClient s3, string bucket) : IDocumentStorage
{
    public Task PutPdfAsync(string key, byte[] pdf, string fileName, CancellationToken ct) =>
        s3.PutObjectAsync(bucket, key, pdf, "application/pdf", new Dictionary<string, string>
        {
            ["x-amz-server-side-encryption"] = "AES256",
            // A browser following the presigned link shows the PDF and saves it under the invoice number.
            ["content-disposition"] = $"inline; filename=\"{SafeFileName(fileName)}\"",
        }, ct);

    // A local emulator listens on plain HTTP; in AWS the link is HTTPS (the bucket policy refuses anything else).
    public Task<Uri> PresignGetAsync(string key, DateTimeOffset expiresAt, CancellationToken ct) =>
        s3.PresignGetAsync(bucket, key, expiresAt, ct);

    private static string SafeFileName(string name) =>
        new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray());
}
