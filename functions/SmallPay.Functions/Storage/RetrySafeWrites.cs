using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static SmallPay.Functions.Storage.Attributes;

namespace SmallPay.Functions.Storage;

/// <summary>
/// Conditional writes that stay correct when the SDK retries them. A write whose response was lost (a broken
/// connection, a timeout, a 500 after DynamoDB applied it) is sent again by the SDK; its condition then fails against
/// its own first attempt. Each write therefore carries a fresh token in <c>writeToken</c> and asks for the item as it
/// is when the condition fails: if that item holds our token, the first attempt applied and the write succeeded.
/// Transactions also carry the token as their <c>ClientRequestToken</c>, DynamoDB's own idempotency for ten minutes.
/// When every attempt ends without an answer (the SDK gives up), one consistent read of the item settles it: holding our
/// token, the write applied and the caller gets its success instead of a 500 for work that was done.
/// </summary>
internal static class RetrySafeWrites
{
    public const string TokenAttribute = "writeToken";

    public static string NewToken() => Guid.NewGuid().ToString("N");

    /// <summary>True when the write applied, false when its condition failed against someone else's change.</summary>
    public static async Task<bool> UpdateAsync(IAmazonDynamoDB dynamo, UpdateItemRequest request, CancellationToken ct)
    {
        var token = NewToken();
        request.UpdateExpression = WithTokenSet(request.UpdateExpression, request.ExpressionAttributeNames ??= [], request.ExpressionAttributeValues ??= [], token);
        request.ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD;
        try
        {
            await dynamo.UpdateItemAsync(request, ct);
            return true;
        }
        catch (ConditionalCheckFailedException e)
        {
            return HoldsToken(e.Item, token);
        }
        catch (Exception e) when (IsAmbiguous(e, ct))
        {
            if (await AppliedAsync(dynamo, request.TableName, request.Key, token, ct)) return true;
            throw;
        }
    }

    /// <summary>True when the put applied, false when its condition failed against someone else's change.</summary>
    public static async Task<bool> PutAsync(IAmazonDynamoDB dynamo, PutItemRequest request, CancellationToken ct)
    {
        var token = NewToken();
        request.Item[TokenAttribute] = S(token);
        request.ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD;
        try
        {
            await dynamo.PutItemAsync(request, ct);
            return true;
        }
        catch (ConditionalCheckFailedException e)
        {
            return HoldsToken(e.Item, token);
        }
        catch (Exception e) when (IsAmbiguous(e, ct))
        {
            if (await AppliedAsync(dynamo, request.TableName, new() { ["id"] = request.Item["id"] }, token, ct)) return true;
            throw;
        }
    }

    /// <summary>
    /// Writes the items in one transaction; the first item is stamped with the token and is the one whose condition
    /// tells "already applied" apart from "refused". Null when it applied, else the cancellation reasons (or an empty
    /// list for a conflict with a concurrent transaction).
    /// </summary>
    /// <param name="retryConflicts">
    /// When a concurrent transaction held one of the items (the tenant's summary is written by every invoice change),
    /// nothing was applied: try again shortly rather than calling the caller's version stale. Off for callers that
    /// handle a conflict themselves (finalizing re-reads the counter the other transaction moved).
    /// </param>
    public static async Task<List<CancellationReason>?> TransactAsync(IAmazonDynamoDB dynamo, List<TransactWriteItem> items, CancellationToken ct, bool retryConflicts = true)
    {
        for (var attempt = 1; ; attempt++)
        {
            var reasons = await TransactOnceAsync(dynamo, items, ct);
            if (reasons is null || !retryConflicts || attempt == MaxConflictAttempts || !IsConflictOnly(reasons)) return reasons;
            await Task.Delay(Random.Shared.Next(5, 20 << Math.Min(attempt, 4)), ct);
        }
    }

    private const int MaxConflictAttempts = 8;

    private static bool IsConflictOnly(List<CancellationReason> reasons) =>
        reasons.Count == 0 // TransactionConflictException
        || (reasons.Any(r => r.Code == "TransactionConflict") && reasons.All(r => r.Code is null or "None" or "TransactionConflict"));

    private static async Task<List<CancellationReason>?> TransactOnceAsync(IAmazonDynamoDB dynamo, List<TransactWriteItem> items, CancellationToken ct)
    {
        var token = NewToken();
        Stamp(items[0], token);
        try
        {
            await dynamo.TransactWriteItemsAsync(new TransactWriteItemsRequest { TransactItems = items, ClientRequestToken = token }, ct);
            return null;
        }
        catch (TransactionCanceledException e)
        {
            var reasons = e.CancellationReasons ?? [];
            if (reasons.Count > 0 && reasons[0].Code == "ConditionalCheckFailed" && HoldsToken(reasons[0].Item, token)) return null;
            // A delete retried after it applied: the item is gone, which is what the delete wanted.
            if (items[0].Delete is not null && reasons.Count > 0 && reasons[0].Code == "ConditionalCheckFailed" && reasons[0].Item is not { Count: > 0 }
                && reasons.Skip(1).All(r => r.Code is null or "None")) return null;
            return reasons;
        }
        catch (TransactionConflictException)
        {
            return [];
        }
        catch (IdempotentParameterMismatchException)
        {
            return []; // cannot happen with a fresh token per call; treated as a conflict if it ever does
        }
        catch (Exception e) when (IsAmbiguous(e, ct) && FirstItemKey(items[0]) is not null)
        {
            var (table, key) = FirstItemKey(items[0])!.Value;
            if (await AppliedAsync(dynamo, table, key, token, ct)) return null;
            throw;
        }
    }

    /// <summary>
    /// A failure after which the write may or may not have applied: no answer at all (connection lost, timeout) or a
    /// server error, once the SDK's own retries are spent. A refusal (4xx) is never ambiguous.
    /// </summary>
    private static bool IsAmbiguous(Exception e, CancellationToken ct) => e switch
    {
        OperationCanceledException => !ct.IsCancellationRequested, // the SDK's own timeout, not the caller giving up
        Amazon.Runtime.AmazonServiceException service => (int)service.StatusCode >= 500 || service.StatusCode == 0,
        HttpRequestException or IOException => true,
        Amazon.Runtime.AmazonClientException => e.InnerException is HttpRequestException or IOException or OperationCanceledException,
        _ => false,
    };

    /// <summary>One consistent read, made with a fresh deadline: does the item now hold our token?</summary>
    private static async Task<bool> AppliedAsync(IAmazonDynamoDB dynamo, string table, Dictionary<string, AttributeValue> key, string token, CancellationToken ct)
    {
        try
        {
            var response = await dynamo.GetItemAsync(new GetItemRequest { TableName = table, Key = key, ConsistentRead = true }, ct);
            return HoldsToken(response.Item, token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return false; // still no answer: the original failure stands
        }
    }

    private static (string Table, Dictionary<string, AttributeValue> Key)? FirstItemKey(TransactWriteItem item) =>
        item.Put is { } put ? (put.TableName, new() { ["id"] = put.Item["id"] })
        : item.Update is { } update ? (update.TableName, update.Key)
        : null;

    private static void Stamp(TransactWriteItem item, string token)
    {
        if (item.Put is { } put)
        {
            put.Item[TokenAttribute] = S(token);
            put.ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD;
        }
        else if (item.Update is { } update)
        {
            update.UpdateExpression = WithTokenSet(update.UpdateExpression, update.ExpressionAttributeNames ??= [], update.ExpressionAttributeValues ??= [], token);
            update.ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD;
        }
        else if (item.Delete is { } delete)
        {
            delete.ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD;
        }
    }

    private static string WithTokenSet(string expression, Dictionary<string, string> names, Dictionary<string, AttributeValue> values, string token)
    {
        names["#writeToken"] = TokenAttribute;
        values[":writeToken"] = S(token);
        if (expression.Contains("#writeToken = :writeToken", StringComparison.Ordinal)) return expression; // another attempt
        // An expression has at most one SET clause, wherever it stands ("ADD n :one SET a = :b"): the token joins it.
        if (expression.StartsWith("SET ", StringComparison.OrdinalIgnoreCase)) return "SET #writeToken = :writeToken, " + expression[4..];
        var set = expression.IndexOf(" SET ", StringComparison.OrdinalIgnoreCase);
        return set >= 0
            ? string.Concat(expression.AsSpan(0, set), " SET #writeToken = :writeToken, ", expression.AsSpan(set + 5))
            : "SET #writeToken = :writeToken " + expression;
    }

    private static bool HoldsToken(Dictionary<string, AttributeValue>? item, string token) =>
        item is { Count: > 0 } && item.GetString(TokenAttribute) == token;
}
