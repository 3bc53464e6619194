namespace SmallPay.Bench;

/// <summary>How much each benchmark does: the full run (`make bench`) or the few-seconds smoke run (`--quick`).</summary>
public sealed record BenchCounts
{
    public required string Mode { get; init; }
    /// <summary>Fresh processes per function (and per floor), interleaved round by round.</summary>
    public int ColdRounds { get; init; }
    /// <summary>Warm invocations each cold-started process serves after its first (peak RSS is read after them).</summary>
    public int WarmPerProcess { get; init; }
    /// <summary>Functions whose cold start is measured; null: all.</summary>
    public IReadOnlyList<string>? ColdFunctions { get; init; }
    public int FakeWarmup { get; init; }
    public int FakeIterations { get; init; }
    public int IoWarmup { get; init; }
    public int IoIterations { get; init; }
    public int WorkerIoIterations { get; init; }
    public TimeSpan LoadDuration { get; init; }
    public int LoadConcurrency { get; init; }
    /// <summary>Routes driven by the load tool; null: all that a fixed request can drive.</summary>
    public IReadOnlyList<string>? LoadFunctions { get; init; }
    public int PdfWarmup { get; init; }
    /// <summary>Renders per invoice size (10, 60, 300 lines) for SmallPay's renderer.</summary>
    public IReadOnlyList<int> PdfIterations { get; init; } = [];
    /// <summary>Renders per invoice size for PDFKit (slower: fewer).</summary>
    public IReadOnlyList<int> PdfKitIterations { get; init; } = [];
    public int PipelineInvoices { get; init; }
    public int CapacityIterations { get; init; }
    /// <summary>Invoices of the reader tenant besides the sample events' (lists and the dashboard read them).</summary>
    public int ReaderInvoices { get; init; }
    /// <summary>Invoices of the two tenants the dashboard and list are measured against (their size must not matter).</summary>
    public int SmallTenantInvoices { get; init; }
    public int LargeTenantInvoices { get; init; }
    public int DashboardWarmup { get; init; }
    public int DashboardIterations { get; init; }
    /// <summary>Pages of GET /invoices followed per filter.</summary>
    public int ListPages { get; init; }
    /// <summary>Due recurring profiles the scheduled-run benchmark makes invoices of (per action).</summary>
    public int ScheduledProfiles { get; init; }

    public static BenchCounts Full { get; } = new()
    {
        Mode = "full",
        ColdRounds = 10,
        WarmPerProcess = 10,
        FakeWarmup = 50,
        FakeIterations = 2000,
        IoWarmup = 20,
        IoIterations = 1000,
        WorkerIoIterations = 100,
        LoadDuration = TimeSpan.FromSeconds(10),
        LoadConcurrency = 8,
        PdfWarmup = 5,
        PdfIterations = [200, 60, 20],
        PdfKitIterations = [40, 15, 6],
        PipelineInvoices = 100,
        CapacityIterations = 10,
        ReaderInvoices = 200,
        SmallTenantInvoices = 100,
        LargeTenantInvoices = 10_000,
        DashboardWarmup = 10,
        DashboardIterations = 200,
        ListPages = 10,
        ScheduledProfiles = 1000,
    };

    public static BenchCounts Quick { get; } = new()
    {
        Mode = "quick (smoke run: tiny counts, figures not meaningful)",
        ColdRounds = 1,
        WarmPerProcess = 1,
        ColdFunctions = ["GetInvoice", "DocumentWorker"],
        FakeWarmup = 2,
        FakeIterations = 20,
        IoWarmup = 0,
        IoIterations = 2,
        WorkerIoIterations = 1,
        LoadDuration = TimeSpan.FromSeconds(1),
        LoadConcurrency = 2,
        LoadFunctions = ["GetInvoice", "CreateInvoice"],
        PdfWarmup = 0,
        PdfIterations = [2, 1, 1],
        PdfKitIterations = [1, 1, 1],
        PipelineInvoices = 2,
        CapacityIterations = 1,
        ReaderInvoices = 10,
        SmallTenantInvoices = 10,
        LargeTenantInvoices = 200,
        DashboardWarmup = 1,
        DashboardIterations = 3,
        ListPages = 2,
        ScheduledProfiles = 20,
    };
}
