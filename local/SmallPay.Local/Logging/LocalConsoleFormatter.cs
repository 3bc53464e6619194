using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace SmallPay.Local.Logging;

/// <summary>
/// One short line per event for a developer's terminal: <c>08:33:23.123 info  GET /invoices 200 12 ms</c>.
/// The messages are structured templates, so <c>--log-json</c> gives the same events as JSON.
/// </summary>
public sealed class LocalConsoleFormatter() : ConsoleFormatter(Name)
{
    public new const string Name = "smallpay";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null) return;
        var level = logEntry.LogLevel switch
        {
            LogLevel.Trace => "trace",
            LogLevel.Debug => "debug",
            LogLevel.Information => "info ",
            LogLevel.Warning => "WARN ",
            LogLevel.Error => "ERROR",
            _ => "CRIT ",
        };
        textWriter.Write(DateTime.Now.ToString("HH:mm:ss.fff"));
        textWriter.Write(' ');
        textWriter.Write(level);
        textWriter.Write(' ');
        textWriter.WriteLine(message);
        if (logEntry.Exception is { } error) textWriter.WriteLine(error.ToString());
    }
}

internal static class LocalLogging
{
    public static void Configure(ILoggingBuilder logging, LogLevel minimum, bool json)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(minimum);
        // ASP.NET Core's own per-request and lifetime chatter: the request line below says it once.
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        if (json)
        {
            logging.AddJsonConsole(options => options.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffzzz");
        }
        else
        {
            logging.AddConsole(options => options.FormatterName = LocalConsoleFormatter.Name);
            logging.AddConsoleFormatter<LocalConsoleFormatter, ConsoleFormatterOptions>();
        }
    }
}
