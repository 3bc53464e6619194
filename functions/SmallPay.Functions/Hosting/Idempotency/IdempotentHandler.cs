using System.Security.Cryptography;
using System.Text;
using SmallPay.Functions.Hosting.Http;

namespace SmallPay.Functions.Hosting.Idempotency;

/// <summary>
/// Wraps a create-style handler: with an Idempotency-Key, the first response is stored and every replay gets it back;
/// the same key with a different body is refused (422). Without a key the handler just runs.
/// </summary>
public sealed class IdempotentHandler(IApiHandler inner, IIdempotencyStore store) : IApiHandler
{
    public const int MaxKeyLength = 128;

    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var key = request.Header("idempotency-key");
        if (key is null) return await inner.HandleAsync(request, cancellationToken);
        if (key.Length is 0 or > MaxKeyLength || key.Any(c => c < 0x21 || c > 0x7e))
            throw Problems.BadRequest($"Idempotency-Key must be 1–{MaxKeyLength} visible ASCII characters (a UUID is ideal).", "/headers/idempotency-key");

        // Scope by method and path: the same key on two different invoices' payments are two different requests.
        var recordId = DynamoDbIdempotencyStore.RecordId(request.Tenant, $"{request.Raw.RequestContext.Http.Method} {request.Path}", key);
        var bodyHash = Hash(request.BodyBytes());
        var claim = await store.ClaimAsync(recordId, bodyHash, request.ReceivedAt, cancellationToken);
        switch (claim)
        {
            case IdempotencyClaim.Replay replay:
                var headers = new Dictionary<string, string>(replay.Response.Headers) { ["idempotent-replayed"] = "true" };
                return new ApiResponse(replay.Response.StatusCode, replay.Response.Body is null ? null : Encoding.UTF8.GetBytes(replay.Response.Body), replay.Response.ContentType, headers);
            case IdempotencyClaim.DifferentRequest:
                throw Problems.IdempotencyKeyReused();
            case IdempotencyClaim.InProgress:
                throw Problems.IdempotentRequestInProgress();
        }

        request.IdempotencySeed = $"{recordId}#{bodyHash}";
        ApiResponse response;
        try
        {
            response = await inner.HandleAsync(request, cancellationToken);
        }
        catch
        {
            await store.ReleaseAsync(recordId, CancellationToken.None); // a failed request may be retried with the same key
            throw;
        }
        if (response.StatusCode is >= 200 and < 300)
        {
            try
            {
                await store.CompleteAsync(recordId, new StoredResponse(response.StatusCode,
                    response.Body is null ? null : Encoding.UTF8.GetString(response.Body), response.ContentType,
                    response.Headers is null ? [] : new Dictionary<string, string>(response.Headers)), CancellationToken.None);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The work is done and must be reported as done. The record stays in progress until its lease ends; a
                // retry after that runs the handler again, which finds what this one made (its ids come from the key).
                Console.Error.WriteLine($"idempotency record {recordId} not completed: {e.GetType().Name}: {e.Message}");
            }
        }
        else
        {
            await store.ReleaseAsync(recordId, CancellationToken.None);
        }
        return response;
    }

    private static string Hash(byte[] body) => Convert.ToHexString(SHA256.HashData(body));
}
