namespace SmallPay.Bench;

/// <summary>The command line of SmallPay.Bench (bench/run.sh passes it through).</summary>
public sealed record BenchOptions
{
    public const string Usage =
        "usage: SmallPay.Bench [--quick] [--label <name>] [--functions <bootstrap|SmallPay.Functions.dll>] [--functions-jit <SmallPay.Functions.dll>]\n" +
        "                      [--aot-floors <dir>] [--native-pdf <executable>] [--publish-seconds <s>] [--variant <label>=<executable>] [--results <file.json>] [--no-docs] [--render-only]\n" +
        "                      [--only pdf|cold|dashboard|scheduled]\n" +
        "  --quick       tiny counts, a few seconds per section: checks the harness works (the test suite runs it); figures are not meaningful\n" +
        "  --label       the column this run fills in docs/BENCHMARKS.md (default: baseline; e.g. after)\n" +
        "  --functions   the function executable to cold-start: the native bootstrap (bench/run.sh publishes it with scripts/publish-functions.sh)\n" +
        "                or a SmallPay.Functions.dll (default: the harness's own build of it, JIT)\n" +
        "  --functions-jit  the framework-dependent JIT build (SmallPay.Functions.dll): GetInvoice and DocumentWorker also cold-start from it\n" +
        "  --aot-floors  the folder where bench/run.sh published the Native AOT floors (aot-Hello/, aot-SdkPutItem/)\n" +
        "  --native-pdf  bench/NativePdf published with Native AOT: the PDF section also renders in it\n" +
        "  --publish-seconds  how long scripts/publish-functions.sh took after a source change (bench/run.sh times it)\n" +
        "  --publish-cpu-seconds  the CPU time (user + system) that publish took\n" +
        "  --variant <label>=<executable>  another native build of the functions (e.g. other ILC settings): GetInvoice and DocumentWorker\n" +
        "                also cold-start from it, in the same rounds (repeatable)\n" +
        "  --results     also write this run as JSON to that file\n" +
        "  --no-docs     leave docs/BENCHMARKS.md and bench/results/ alone (quick runs never touch them)\n" +
        "  --render-only measure nothing: write docs/BENCHMARKS.md again from the runs saved in bench/results/\n" +
        "  --only pdf    run only the PDF section (no local stack) and print its table; implies --no-docs\n" +
        "  --only cold   run only the cold starts (with their floors and peer) and peak memory; implies --no-docs\n" +
        "  --only dashboard  run only the dashboard and list round trips against the tenant's size; implies --no-docs\n" +
        "  --only scheduled  run only the scheduled functions against 1,000 due items; implies --no-docs\n" +
        "  --cold-functions A,B  cold-start only these scenarios (e.g. \"GetInvoice,GetInvoice (as a member)\")";

    /// <summary>Only these scenarios cold-start (rows of the cold-start section); null: the counts' choice.</summary>
    public IReadOnlyList<string>? ColdFunctions { get; init; }

    /// <summary>The sections <c>--only</c> can pick.</summary>
    public static readonly string[] Sections = ["pdf", "cold", "dashboard", "scheduled"];

    public bool Quick { get; init; }
    public string Label { get; init; } = "baseline";
    public string? FunctionsDll { get; init; }

    /// <summary>The framework-dependent JIT build (bench/run.sh): GetInvoice and DocumentWorker also cold-start from it, for a same-run ratio.</summary>
    public string? JitFunctionsDll { get; init; }

    /// <summary>Where bench/run.sh published the Native AOT floors.</summary>
    public string? AotFloors { get; init; }

    /// <summary>bench/NativePdf published with Native AOT.</summary>
    public string? NativePdf { get; init; }

    /// <summary>Other native builds of the functions (label, executable): GetInvoice and DocumentWorker also cold-start from each.</summary>
    public IReadOnlyList<(string Label, string Executable)> Variants { get; init; } = [];

    /// <summary>scripts/publish-functions.sh's time after a source change, as bench/run.sh measured it.</summary>
    public double? PublishSeconds { get; init; }

    /// <summary>The CPU time (user + system) of that publish.</summary>
    public double? PublishCpuSeconds { get; init; }
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
                "--functions-jit" => options with { JitFunctionsDll = Path.GetFullPath(Value()) },
                "--aot-floors" => options with { AotFloors = Path.GetFullPath(Value()) },
                "--native-pdf" => options with { NativePdf = Path.GetFullPath(Value()) },
                "--variant" => Value() is var variant && variant.LastIndexOf('=') is > 0 and var at
                    ? options with { Variants = [.. options.Variants, (variant[..at], Path.GetFullPath(variant[(at + 1)..]))] }
                    : throw new ArgumentException("--variant takes <label>=<executable>"),
                "--publish-seconds" => options with { PublishSeconds = double.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture) },
                "--publish-cpu-seconds" => options with { PublishCpuSeconds = double.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture) },
                "--results" => options with { ResultsFile = Path.GetFullPath(Value()) },
                "--no-docs" => options with { WriteDocs = false },
                "--render-only" => options with { RenderOnly = true },
                "--only" => options with { Only = Value() },
                "--cold-functions" => options with { ColdFunctions = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
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
