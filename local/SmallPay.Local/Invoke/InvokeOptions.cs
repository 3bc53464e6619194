namespace SmallPay.Local.Invoke;

/// <summary>The arguments of <c>invoke</c>, spelled as <c>sam local invoke</c> spells them.</summary>
public sealed record InvokeOptions(string Function)
{
    public const string Usage =
        "usage: SmallPay.Local invoke <FunctionLogicalIdOrName> [-e|--event <event.json|->] [--env-vars <file.json>]\n" +
        "                              [-t|--template <template.yaml>] [--endpoint <url>] [--function-path <bootstrap>]";

    /// <summary>The event file; "-" reads stdin; none sends <c>{}</c>, as sam does.</summary>
    public string? EventPath { get; init; }

    /// <summary>sam's format: <c>{"Parameters": {...}, "&lt;LogicalId&gt;": {...}}</c>.</summary>
    public string? EnvVarsPath { get; init; }

    public string? TemplatePath { get; init; }

    /// <summary>The local AWS endpoint; null: SMALLPAY_LOCAL_AWS_ENDPOINT, else moto's default.</summary>
    public string? Endpoint { get; init; }

    public string? FunctionPath { get; init; }

    public static InvokeOptions Parse(IReadOnlyList<string> args)
    {
        string? function = null, eventPath = null, envVars = null, template = null, endpoint = null, functionPath = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "-e" or "--event": eventPath = Value(args, ++i); break;
                case "--env-vars" or "-n": envVars = Value(args, ++i); break;
                case "-t" or "--template": template = Value(args, ++i); break;
                case "--endpoint": endpoint = Value(args, ++i); break;
                case "--function-path": functionPath = Value(args, ++i); break;
                case var option when option.StartsWith('-'): throw new ArgumentException($"unknown option {option}");
                case var name when function is null: function = name; break;
                default: throw new ArgumentException($"unexpected argument {args[i]}");
            }
        }
        return new InvokeOptions(function ?? throw new ArgumentException("which function? give its logical id or name"))
        {
            EventPath = eventPath,
            EnvVarsPath = envVars,
            TemplatePath = template,
            Endpoint = endpoint,
            FunctionPath = functionPath,
        };
    }

    private static string Value(IReadOnlyList<string> args, int index) =>
        index < args.Count ? args[index] : throw new ArgumentException($"{args[index - 1]} needs a value");
}
