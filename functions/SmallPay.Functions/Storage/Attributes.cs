using System.Globalization;
using Amazon.DynamoDBv2.Model;

namespace SmallPay.Functions.Storage;

/// <summary>Terse, null-safe conversions between CLR values and DynamoDB attribute values.</summary>
internal static class Attributes
{
    public static AttributeValue S(string value) => new() { S = value };
    public static AttributeValue N(decimal value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };
    public static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };
    public static AttributeValue Date(DateOnly value) => S(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    public static AttributeValue Time(DateTimeOffset value) => S(value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
    public static AttributeValue B(byte[] value) => new() { B = new MemoryStream(value) };
    public static AttributeValue M(Dictionary<string, AttributeValue> map) => new() { M = map };
    public static AttributeValue L(List<AttributeValue> list) => new() { L = list };

    /// <summary>Adds the attribute only when there is a value: DynamoDB rejects empty strings in key attributes and we keep items lean.</summary>
    public static void PutIfPresent(this Dictionary<string, AttributeValue> item, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value)) item[name] = S(value);
    }

    public static string? GetString(this Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var v) ? v.S : null;

    public static string RequireString(this Dictionary<string, AttributeValue> item, string name) =>
        item.GetString(name) ?? throw new InvalidDataException($"Item attribute {name} is missing.");

    public static decimal GetDecimal(this Dictionary<string, AttributeValue> item, string name, decimal fallback = 0m) =>
        item.TryGetValue(name, out var v) && v.N is { } n ? decimal.Parse(n, NumberStyles.Float, CultureInfo.InvariantCulture) : fallback;

    public static long GetLong(this Dictionary<string, AttributeValue> item, string name, long fallback = 0) =>
        item.TryGetValue(name, out var v) && v.N is { } n ? long.Parse(n, NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;

    public static bool GetBool(this Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) && value.BOOL == true;

    public static int? GetInt(this Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var v) && v.N is { } n ? int.Parse(n, NumberStyles.Integer, CultureInfo.InvariantCulture) : null;

    public static DateOnly? GetDate(this Dictionary<string, AttributeValue> item, string name) =>
        item.GetString(name) is { } s ? DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;

    public static DateTimeOffset? GetTime(this Dictionary<string, AttributeValue> item, string name) =>
        item.GetString(name) is { } s ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) : null;

    public static Dictionary<string, AttributeValue>? GetMap(this Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var v) ? v.M : null;

    public static List<AttributeValue> GetList(this Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var v) && v.L is { } l ? l : [];

    public static Dictionary<string, AttributeValue> Key(string id) => new() { ["id"] = S(id) };
}
