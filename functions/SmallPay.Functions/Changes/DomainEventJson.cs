using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using SmallPay.Domain.Changes;

namespace SmallPay.Functions.Changes;

/// <summary>
/// A domain event as JSON (docs/ARCHITECTURE.md, "Domain events"; schemas/events/{Type}.v1.json): the envelope
/// <c>{"id", "type", "schemaVersion", "business", "entityId", "time", "actor", "data"}</c> and the SQS message body
/// <c>{"detail-type": type, "detail": envelope}</c> that EventBridge takes apart. Written with Utf8JsonWriter: no reflection.
/// </summary>
public static class DomainEventJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Envelope(DomainEvent e) => Write(writer => WriteEnvelope(writer, e));

    public static string MessageBody(DomainEvent e) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("detail-type", e.Type);
        writer.WritePropertyName("detail");
        WriteEnvelope(writer, e);
        writer.WriteEndObject();
    });

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options)) write(writer);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteEnvelope(Utf8JsonWriter writer, DomainEvent e)
    {
        writer.WriteStartObject();
        writer.WriteString("id", e.Id);
        writer.WriteString("type", e.Type);
        writer.WriteNumber("schemaVersion", e.SchemaVersion);
        writer.WriteString("business", e.Business);
        writer.WriteString("entityId", e.EntityId);
        writer.WriteString("time", e.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        if (e.Actor is null) writer.WriteNull("actor"); else writer.WriteString("actor", e.Actor);
        writer.WriteStartObject("data");
        foreach (var field in e.Data)
        {
            writer.WritePropertyName(field.Name);
            WriteValue(writer, field.Value);
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case decimal d: writer.WriteNumberValue(d); break;
            case long l: writer.WriteNumberValue(l); break;
            case int i: writer.WriteNumberValue(i); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case IEnumerable<FieldChange> changes:
                writer.WriteStartArray();
                foreach (var change in changes)
                {
                    writer.WriteStartObject();
                    writer.WriteString("field", change.Field);
                    if (change.Before is null) writer.WriteNull("before"); else writer.WriteString("before", change.Before);
                    if (change.After is null) writer.WriteNull("after"); else writer.WriteString("after", change.After);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                break;
            case IEnumerable<string> strings:
                writer.WriteStartArray();
                foreach (var s in strings) writer.WriteStringValue(s);
                writer.WriteEndArray();
                break;
            default: throw new ArgumentException($"An event field cannot be a {value.GetType().Name}.", nameof(value));
        }
    }
}
