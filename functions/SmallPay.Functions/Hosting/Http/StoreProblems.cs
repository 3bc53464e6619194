using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Hosting.Http;

/// <summary>
/// What the stores and application services raise, as the API answers it: mapped here once, so handlers read like their
/// route and never translate storage errors themselves.
/// </summary>
public static class StoreProblems
{
    public static ProblemException? From(Exception exception) => exception switch
    {
        StaleVersionException stale => Problems.PreconditionFailed(stale.What),
        NotFoundException missing => Problems.NotFound(missing.What),
        CustomerMissingException => Problems.Validation("/customerId", "no such customer: create the customer first"),
        DuplicateEmailException => Problems.Conflict("Another customer already uses this e-mail address.", "/email"),
        CustomerInUseException inUse => Problems.Conflict(
            $"This customer has {inUse.InvoiceCount} invoice(s) and is kept so those invoices stay complete. Drafts can be deleted; finalized invoices are kept for good."),
        InvalidCursorException => Problems.BadRequest("cursor is not one this API returned.", "/query/cursor"),
        BusyException busy => new ProblemException(503, "/problems/busy", "Too many changes at once.", busy.Message) { RetryAfterSeconds = 1 },
        _ when IsUnreachable(exception) => new ProblemException(503, "/problems/unavailable", "The database did not answer.",
            "SmallPay could not reach its database, so it cannot tell whether your change was saved. Send the request again "
            + "(with the same Idempotency-Key, if you used one): a change that was saved is not made twice.") { RetryAfterSeconds = 1 },
        _ => null,
    };

    /// <summary>DynamoDB or S3 gave no answer (after the SDK's retries) or answered with a server error or throttling.</summary>
    private static bool IsUnreachable(Exception e) => e switch
    {
        Amazon.Runtime.AmazonServiceException service => (int)service.StatusCode >= 500 || service.ErrorCode is "ThrottlingException" or "ProvisionedThroughputExceededException" or "RequestLimitExceeded",
        HttpRequestException or IOException or TimeoutException => true,
        Amazon.Runtime.AmazonClientException => e.InnerException is HttpRequestException or IOException or OperationCanceledException,
        _ => false,
    };
}
