using System.Text.Json;
using Amazon.DynamoDBv2.Model;

namespace SmallPay.Functions.Aws;

/// <summary>
/// DynamoDB's JSON wire format for the requests this project sends and the answers it reads, written and read by
/// hand with Utf8JsonWriter/JsonElement (no reflection, nothing to generate). The request and item types are the
/// SDK's own model classes, so the stores read the same as with the SDK's client.
/// </summary>
public static class DynamoDbJson
{
    public static void Write(Utf8JsonWriter w, GetItemRequest r)
    {
        w.WriteStartObject();
        w.WriteString("TableName", r.TableName);
        WriteItem(w, "Key", r.Key);
        if (r.ConsistentRead is true) w.WriteBoolean("ConsistentRead", true);
        WriteString(w, "ProjectionExpression", r.ProjectionExpression);
        WriteNames(w, r.ExpressionAttributeNames);
        w.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter w, PutItemRequest r)
    {
        w.WriteStartObject();
        w.WriteString("TableName", r.TableName);
        WriteItem(w, "Item", r.Item);
        WriteCondition(w, r.ConditionExpression, r.ExpressionAttributeNames, r.ExpressionAttributeValues);
        WriteString(w, "ReturnValues", r.ReturnValues?.Value);
        WriteString(w, "ReturnValuesOnConditionCheckFailure", r.ReturnValuesOnConditionCheckFailure?.Value);
        w.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter w, UpdateItemRequest r)
    {
        w.WriteStartObject();
        w.WriteString("TableName", r.TableName);
        WriteItem(w, "Key", r.Key);
        WriteString(w, "UpdateExpression", r.UpdateExpression);
        WriteCondition(w, r.ConditionExpression, r.ExpressionAttributeNames, r.ExpressionAttributeValues);
        WriteString(w, "ReturnValues", r.ReturnValues?.Value);
        WriteString(w, "ReturnValuesOnConditionCheckFailure", r.ReturnValuesOnConditionCheckFailure?.Value);
        w.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter w, DeleteItemRequest r)
    {
        w.WriteStartObject();
        w.WriteString("TableName", r.TableName);
        WriteItem(w, "Key", r.Key);
        WriteCondition(w, r.ConditionExpression, r.ExpressionAttributeNames, r.ExpressionAttributeValues);
        WriteString(w, "ReturnValues", r.ReturnValues?.Value);
        WriteString(w, "ReturnValuesOnConditionCheckFailure", r.ReturnValuesOnConditionCheckFailure?.Value);
        w.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter w, QueryRequest r)
    {
        w.WriteStartObject();
        w.WriteString("TableName", r.TableName);
        WriteString(w, "IndexName", r.IndexName);
        WriteString(w, "KeyConditionExpression", r.KeyConditionExpression);
        WriteString(w, "FilterExpression", r.FilterExpression);
        WriteString(w, "ProjectionExpression", r.ProjectionExpression);
        WriteNames(w, r.ExpressionAttributeNames);
        WriteValues(w, r.ExpressionAttributeValues);
        if (r.Limit is int limit) w.WriteNumber("Limit", limit);
        if (r.ScanIndexForward is false) w.WriteBoolean("ScanIndexForward", false);
        if (r.ConsistentRead is true) w.WriteBoolean("ConsistentRead", true);
        if (r.ExclusiveStartKey is { Count: > 0 }) WriteItem(w, "ExclusiveStartKey", r.ExclusiveStartKey);
        WriteString(w, "Select", r.Select?.Value);
        w.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter w, TransactWriteItemsRequest r)
    {
        w.WriteStartObject();
        w.WriteStartArray("TransactItems");
        foreach (var item in r.TransactItems ?? [])
        {
            w.WriteStartObject();
            if (item.Put is { } put)
            {
                w.WriteStartObject("Put");
                w.WriteString("TableName", put.TableName);
                WriteItem(w, "Item", put.Item);
                WriteCondition(w, put.ConditionExpression, put.ExpressionAttributeNames, put.ExpressionAttributeValues);
                WriteString(w, "ReturnValuesOnConditionCheckFailure", put.ReturnValuesOnConditionCheckFailure?.Value);
            }
            else if (item.Update is { } update)
            {
                w.WriteStartObject("Update");
                w.WriteString("TableName", update.TableName);
                WriteItem(w, "Key", update.Key);
                WriteString(w, "UpdateExpression", update.UpdateExpression);
                WriteCondition(w, update.ConditionExpression, update.ExpressionAttributeNames, update.ExpressionAttributeValues);
                WriteString(w, "ReturnValuesOnConditionCheckFailure", update.ReturnValuesOnConditionCheckFailure?.Value);
            }
            else if (item.Delete is { } delete)
            {
                w.WriteStartObject("Delete");
                w.WriteString("TableName", delete.TableName);
                WriteItem(w, "Key", delete.Key);
                WriteCondition(w, delete.ConditionExpression, delete.ExpressionAttributeNames, delete.ExpressionAttributeValues);
                WriteString(w, "ReturnValuesOnConditionCheckFailure", delete.ReturnValuesOnConditionCheckFailure?.Value);
            }
            else if (item.ConditionCheck is { } check)
            {
                w.WriteStartObject("ConditionCheck");
                w.WriteString("TableName", check.TableName);
                WriteItem(w, "Key", check.Key);
                WriteCondition(w, check.ConditionExpression, check.ExpressionAttributeNames, check.ExpressionAttributeValues);
                WriteString(w, "ReturnValuesOnConditionCheckFailure", check.ReturnValuesOnConditionCheckFailure?.Value);
            }
            else
            {
                throw new ArgumentException("A TransactWriteItem needs one of Put, Update, Delete or ConditionCheck.");
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        WriteString(w, "ClientRequestToken", r.ClientRequestToken);
        w.WriteEndObject();
    }

    public static void WriteValue(Utf8JsonWriter w, AttributeValue value)
    {
        w.WriteStartObject();
        if (value.S is not null) w.WriteString("S", value.S);
        else if (value.N is not null) w.WriteString("N", value.N);
        else if (value.BOOL is bool flag) w.WriteBoolean("BOOL", flag);
        else if (value.NULL is true) w.WriteBoolean("NULL", true);
        else if (value.M is not null) WriteItem(w, "M", value.M);
        else if (value.L is not null)
        {
            w.WriteStartArray("L");
            foreach (var element in value.L) WriteValue(w, element);
            w.WriteEndArray();
        }
        else if (value.SS is { Count: > 0 }) WriteStrings(w, "SS", value.SS);
        else if (value.NS is { Count: > 0 }) WriteStrings(w, "NS", value.NS);
        else if (value.B is not null) w.WriteBase64String("B", value.B.ToArray());
        else if (value.BS is { Count: > 0 })
        {
            w.WriteStartArray("BS");
            foreach (var bytes in value.BS) w.WriteBase64StringValue(bytes.ToArray());
            w.WriteEndArray();
        }
        else throw new ArgumentException("An AttributeValue without a value (set S, N, BOOL, NULL, M, L, SS, NS, B or BS).");
        w.WriteEndObject();
    }

    /// <summary>The item under <paramref name="property"/> of an answer; null when the answer has none (GetItem of a missing key).</summary>
    public static Dictionary<string, AttributeValue>? ReadItem(JsonElement parent, string property) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(property, out var item) && item.ValueKind == JsonValueKind.Object
            ? ReadMap(item)
            : null;

    public static List<Dictionary<string, AttributeValue>> ReadItems(JsonElement parent, string property)
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        if (parent.TryGetProperty(property, out var array) && array.ValueKind == JsonValueKind.Array)
            foreach (var item in array.EnumerateArray()) items.Add(ReadMap(item));
        return items;
    }

    public static Dictionary<string, AttributeValue> ReadMap(JsonElement map)
    {
        var result = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        foreach (var property in map.EnumerateObject()) result[property.Name] = ReadValue(property.Value);
        return result;
    }

    public static AttributeValue ReadValue(JsonElement value)
    {
        foreach (var typed in value.EnumerateObject())
        {
            var v = typed.Value;
            switch (typed.Name)
            {
                case "S": return new AttributeValue { S = v.GetString() };
                case "N": return new AttributeValue { N = v.GetString() };
                case "BOOL": return new AttributeValue { BOOL = v.GetBoolean() };
                case "NULL": return new AttributeValue { NULL = v.GetBoolean() };
                case "M": return new AttributeValue { M = ReadMap(v) };
                case "L":
                    var list = new List<AttributeValue>(v.GetArrayLength());
                    foreach (var element in v.EnumerateArray()) list.Add(ReadValue(element));
                    return new AttributeValue { L = list };
                case "SS": return new AttributeValue { SS = [.. v.EnumerateArray().Select(e => e.GetString()!)] };
                case "NS": return new AttributeValue { NS = [.. v.EnumerateArray().Select(e => e.GetString()!)] };
                case "B": return new AttributeValue { B = new MemoryStream(v.GetBytesFromBase64()) };
                case "BS": return new AttributeValue { BS = [.. v.EnumerateArray().Select(e => new MemoryStream(e.GetBytesFromBase64()))] };
            }
        }
        throw new InvalidDataException("DynamoDB answered an attribute value of an unknown type: " + value.GetRawText());
    }

    private static void WriteItem(Utf8JsonWriter w, string name, Dictionary<string, AttributeValue>? item)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in item ?? [])
        {
            w.WritePropertyName(key);
            WriteValue(w, value);
        }
        w.WriteEndObject();
    }

    private static void WriteCondition(Utf8JsonWriter w, string? condition, Dictionary<string, string>? names, Dictionary<string, AttributeValue>? values)
    {
        WriteString(w, "ConditionExpression", condition);
        WriteNames(w, names);
        WriteValues(w, values);
    }

    // DynamoDB refuses empty ExpressionAttributeNames/Values maps: leave them out, as the SDK does.
    private static void WriteNames(Utf8JsonWriter w, Dictionary<string, string>? names)
    {
        if (names is not { Count: > 0 }) return;
        w.WriteStartObject("ExpressionAttributeNames");
        foreach (var (placeholder, name) in names) w.WriteString(placeholder, name);
        w.WriteEndObject();
    }

    private static void WriteValues(Utf8JsonWriter w, Dictionary<string, AttributeValue>? values)
    {
        if (values is not { Count: > 0 }) return;
        WriteItem(w, "ExpressionAttributeValues", values);
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, List<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values) w.WriteStringValue(value);
        w.WriteEndArray();
    }

    private static void WriteString(Utf8JsonWriter w, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value)) w.WriteString(name, value);
    }
}
