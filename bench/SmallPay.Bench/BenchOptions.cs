namespace SmallPay.Bench;

/// <summary>The command line of SmallPay.Bench (bench/run.sh passes it through).</summary>
public sealed record BenchOptions
{
    public const string Usage =
        "usage: SmallPay.Bench [--quick] [--label <name>] [--functions <SmallPay.Functions.dll>] [--results <file.json>] [--no-docs] [--render-only] [--only pdf|cold]\n" +
        "  --quick       tiny counts, a few seconds per section: checks the harness works (the test suite runs it); figures are not meaningful\n" +
        "  --label       the column this run fills in docs/BENCHMARKS.md (default: baseline; e.g. after)\n" +
        "  --functions   the published SmallPay.Functions.dll to cold-start (bench/run.sh publishes one; default: its build output)\n" +
        "  --functions-jit  the same published without ReadyToRun: GetInvoice and DocumentWorker also cold-start from it\n" +
        "  --results     also write this run as JSON to that file\n" +
        "  --no-docs     leave docs/BENCHMARKS.md and bench/results/ alone (quick runs never touch them)\n" +
        "  --render-only measure nothing: write docs/BENCHMARKS.md again from the runs saved in bench/results/\n" +
        "  --only pdf    run only the PDF section (no local stack) and print its table; implies --no-docs\n" +
        "  --only cold   run only the cold starts (with their floors and peer) and peak memory; implies --no-docs";

    /// <summary>The sections <c>--only</c> can pick.</summary>
    public static readonly string[] Sections = ["pdf", "cold"];

    public bool Quick { get; init; }
    public string Label { get; init; } = "baseline";
    public string? FunctionsDll { get; init; }

    /// <summary>The same build published without ReadyToRun (bench/run.sh): a cold-start variant, to show what ReadyToRun gives.</summary>
    public string? JitOnlyFunctionsDll { get; init; }
    public string? ResultsFile { get; init; }
    public bool WriteDocs { get; init; } = true;
    public bool RenderOnly { get; init; }
    /// <summary>The one section to run (<c>--only</c>); null: all of them.</summary>
    public string? Only { get; init; }

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--quick" => options with { Quick = true },
                "--label" => options with { Label = Value() },
                "--functions" => options with { FunctionsDll = Path.GetFullPath(Value()) },
                "--functions-jit" => options with { JitOnlyFunctionsDll = Path.GetFullPath(Value()) },
                "--results" => options with { ResultsFile = Path.GetFullPath(Value()) },
                "--no-docs" => options with { WriteDocs = false },
                "--render-only" => options with { RenderOnly = true },
                "--only" => options with { Only = Value() },
                _ => throw new ArgumentException($"unknown argument {args[i]}"),
            };
        }
        if (options.Label.Length == 0 || options.Label.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_'))
            throw new ArgumentException("--label takes letters, digits, - and _");
        if (options.Only is { } only && !Sections.Contains(only))
            throw new ArgumentException($"--only takes one of: {string.Join(", ", Sections)}");
        // A partial run is no column of docs/BENCHMARKS.md.
        return options with { WriteDocs = options.WriteDocs && !options.Quick && options.Only is null };
    }
}
