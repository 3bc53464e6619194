using System.Net;
using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;
using SmallPay.Local.Template;

namespace SmallPay.Local.Provisioning;

/// <summary>
/// Creates each <c>AWS::S3::Bucket</c> of the template on moto under its local name
/// (<see cref="LocalResourceNames.Bucket"/>), with versioning when the template turns it on (it changes what an
/// overwrite does). Encryption, the public-access block, the TLS-only policy and lifecycle rules are guarantees of
/// AWS that nothing local depends on, so they are not replayed. A bucket that exists already is kept.
/// </summary>
public sealed class S3BucketProvisioner
{
    public const string BucketType = "AWS::S3::Bucket";

    private readonly IAmazonS3 _s3;

    public S3BucketProvisioner(IAmazonS3 s3) => _s3 = s3;

    /// <summary>Local bucket names by logical id.</summary>
    public async Task<Dictionary<string, string>> EnsureBucketsAsync(SamTemplate template, IntrinsicResolver resolver, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var bucket in template.ResourcesOfType(BucketType))
        {
            var name = LocalResourceNames.Bucket(bucket.LogicalId);
            try
            {
                await _s3.PutBucketAsync(new PutBucketRequest { BucketName = name, UseClientRegion = true }, cancellationToken);
            }
            catch (AmazonS3Exception error) when (error.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists"
                                                  || error.StatusCode == HttpStatusCode.Conflict)
            {
            }

            var properties = resolver.Resolve(bucket.Properties) as JsonObject ?? new JsonObject();
            if (properties["VersioningConfiguration"]?["Status"].AsText() is "Enabled")
            {
                await _s3.PutBucketVersioningAsync(new PutBucketVersioningRequest
                {
                    BucketName = name,
                    VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled },
                }, cancellationToken);
            }
            names[bucket.LogicalId] = name;
        }
        return names;
    }
}
