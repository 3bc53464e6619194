using System.Text;
using System.Text.Json;

namespace SmallPay.Functions.Hosting.Logging;

/// <summary>
/// Structured JSON log lines on stdout (what CloudWatch Logs indexes), each with the function and request id.
/// Hand-written on Utf8JsonWriter: Microsoft.Extensions.Logging would cost cold-start time for one line per request.
/// </summary>
public sealed class JsonLog(string functionName, TextWriter? output = null, string? minimumLevel = null)
{
    /// <summary>Lambda's own variable for the application log level (advanced logging controls).</summary>
    public const string LevelVariable = "AWS_LAMBDA_LOG_LEVEL";

    private readonly TextWriter _output = output ?? Console.Out;
    private readonly int _minimum = Rank(minimumLevel ?? "INFO");

    public void Info(string message, string? requestId = null, params (string Key, object? Value)[] fields)
    {
        if (_minimum <= 1) Write("INFO", message, requestId, null, fields);
    }

    public void Warn(string message, string? requestId = null, params (string Key, object? Value)[] fields)
    {
        if (_minimum <= 2) Write("WARN", message, requestId, null, fields);
    }

    private static int Rank(string level) => level.ToUpperInvariant() switch
    {
        "TRACE" or "DEBUG" => 0,
        "INFO" => 1,
        "WARN" or "WARNING" => 2,
        "ERROR" or "FATAL" => 3,
        _ => 1,
    };

    public void Error(string message, Exception exception, string? requestId = null, params (string Key, object? Value)[] fields) =>
        Write("ERROR", message, requestId, exception, fields);

    private void Write(string level, string message, string? requestId, Exception? exception, (string Key, object? Value)[] fields)
    {
        using var buffer = new MemoryStream(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", DateTimeOffset.UtcNow);
            json.WriteString("level", level);
            json.WriteString("function", functionName);
            if (requestId is not null) json.WriteString("requestId", requestId);
            json.WriteString("message", message);
            foreach (var (key, value) in fields)
            {
                switch (value)
                {
                    case null: json.WriteNull(key); break;
                    case int i: json.WriteNumber(key, i); break;
                    case long l: json.WriteNumber(key, l); break;
                    case double d: json.WriteNumber(key, d); break;
                    default: json.WriteString(key, value.ToString()); break;
                }
            }
            if (exception is not null)
            {
                json.WriteString("errorType", exception.GetType().FullName);
                json.WriteString("error", exception.ToString());
            }
            json.WriteEndObject();
        }
        var line = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        lock (_output) _output.WriteLine(line);
    }
}
