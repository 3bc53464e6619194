namespace SmallPay.Local.Commands;

/// <summary>Minimal <c>--name value</c> / <c>--flag</c> parsing for the local commands.</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);

    private CommandLine()
    {
    }

    /// <param name="flags">Options that take no value.</param>
    public static CommandLine Parse(string[] args, IReadOnlySet<string> valued, IReadOnlySet<string> flags)
    {
        var line = new CommandLine();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var (name, inline) = arg.Split('=', 2) is [var n, var v] ? (n, v) : (arg, null);
            if (flags.Contains(name))
            {
                line._options[name] = null;
            }
            else if (valued.Contains(name))
            {
                var value = inline ?? (i + 1 < args.Length ? args[++i] : throw new UsageException($"{name} needs a value"));
                line._options[name] = value;
            }
            else
            {
                throw new UsageException($"unknown option {arg}");
            }
        }
        return line;
    }

    public bool Has(string name) => _options.ContainsKey(name);

    public string? Get(string name) => _options.GetValueOrDefault(name);

    public int GetInt(string name, int fallback) =>
        Get(name) is not { } text ? fallback
        : int.TryParse(text, out var value) && value is >= 0 and <= 65535 ? value
        : throw new UsageException($"{name} must be a port number, not '{text}'");

    public Uri? GetUri(string name) =>
        Get(name) is not { } text ? null
        : Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri
        : throw new UsageException($"{name} must be an http(s) URL, not '{text}'");
}

internal sealed class UsageException(string message) : Exception(message);
