using System.Text.Json;
using System.Text.Json.Serialization;

namespace SmallPay.Functions.Hosting.Http;

/// <summary>
/// An enum field of a request body takes one of its names, in any case ("Card", "card"), and nothing else. The source
/// generator's string-enum converter also takes integers (1, "1"), numbers no member has (99) and lists of names
/// ("Card, Cash" is Card | Cash, which is Check), all of which would be stored. Put on each enum property of a request
/// type with <c>[JsonConverter(typeof(NamesOnlyEnumConverter&lt;T&gt;))]</c>: the generated code creates it with
/// <c>new</c> (AOT-safe, no reflection). A refused value is a JsonException at the field, so a 400 that points at it.
/// </summary>
public sealed class NamesOnlyEnumConverter<TEnum> : JsonConverter<TEnum> where TEnum : struct, Enum
{
    private static readonly TEnum[] Values = Enum.GetValues<TEnum>();

    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && reader.GetString() is { } text)
        {
            foreach (var value in Values)
                if (string.Equals(value.ToString(), text, StringComparison.OrdinalIgnoreCase)) return value;
        }
        // Without a message the serializer says "could not be converted to …" and adds the path: the problem points at the field.
        throw new JsonException();
    }

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
