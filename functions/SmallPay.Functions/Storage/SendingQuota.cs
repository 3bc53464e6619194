using Amazon.DynamoDBv2.Model;
using static SmallPay.Functions.Storage.Attributes;

namespace SmallPay.Functions.Storage;

/// <summary>
/// E-mail to <see cref="Recipients"/> addresses, counted against the business's <see cref="Limit"/> for <see cref="Day"/>
/// (UTC). The count is a counter item written in the same transaction as what sends the mail, with a condition that it
/// stays within the limit: however many sends run at once, the limit is never passed.
/// </summary>
public sealed record SendingQuota(string Business, DateOnly Day, int Recipients, int Limit)
{
    public static string CounterId(string business, DateOnly day) => $"quota#{business}#{day:yyyy-MM-dd}";

    /// <summary>
    /// The counter's conditional addition, as one item of a transaction. Throws <see cref="SendingLimitException"/> at
    /// once when the recipients alone are over the limit: the day's first send finds no counter, which the condition
    /// would let through whatever its size (and a limit of 0 would not stop it).
    /// </summary>
    public TransactWriteItem Reserve(string table) => Recipients > Limit ? throw new SendingLimitException(Limit, 0, Day) : new()
    {
        Update = new Update
        {
            TableName = table,
            Key = Key(CounterId(Business, Day)),
            UpdateExpression = "ADD #sent :n SET entity = :quota, business = :business, expiresAt = if_not_exists(expiresAt, :expires)",
            ConditionExpression = "attribute_not_exists(#sent) OR #sent <= :max",
            ExpressionAttributeNames = new() { ["#sent"] = "sent" },
            ExpressionAttributeValues = new()
            {
                [":n"] = N(Recipients), [":max"] = N(Limit - Recipients), [":quota"] = S("Quota"), [":business"] = S(Business),
                // The table's TTL removes a day's counter two days later.
                [":expires"] = N(new DateTimeOffset(Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(3).ToUnixTimeSeconds()),
            },
            ReturnValuesOnConditionCheckFailure = Amazon.DynamoDBv2.ReturnValuesOnConditionCheckFailure.ALL_OLD,
        },
    };

    public SendingLimitException Exceeded(Dictionary<string, AttributeValue>? counter) =>
        new(Limit, (int)(counter?.GetLong("sent") ?? 0), Day);
}
