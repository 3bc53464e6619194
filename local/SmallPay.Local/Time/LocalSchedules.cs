using Microsoft.Extensions.Logging;
using SmallPay.Functions.Hosting;
using SmallPay.Local.Functions;
using SmallPay.Local.Template;

namespace SmallPay.Local.Time;

/// <summary>
/// The template's schedules (<c>ScheduleV2</c> / <c>Schedule</c> events, e.g. RunRecurring's hourly one), run locally: every
/// <see cref="Interval"/> of real time, and after each step the local clock is moved (<see cref="LocalClockEndpoint"/>).
/// The payload is what EventBridge Scheduler sends without an Input: the function reads none of it.
/// </summary>
public sealed class LocalSchedules : IAsyncDisposable
{
    private readonly IReadOnlyList<(string Function, ILambdaHandler Handler, TimeSpan Timeout)> _targets;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _running = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    private LocalSchedules(IReadOnlyList<(string, ILambdaHandler, TimeSpan)> targets, ILogger logger)
    {
        _targets = targets;
        _logger = logger;
    }

    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    public IReadOnlyList<string> Functions => _targets.Select(t => t.Function).ToList();

    /// <summary>What each scheduled function answered last (RunRecurring: its run report).</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, string> LastOutputs { get; } = new();

    public static LocalSchedules Build(SamTemplate template, IntrinsicResolver resolver, LocalEndpoints endpoints, ILogger logger)
    {
        var targets = new List<(string, ILambdaHandler, TimeSpan)>();
        foreach (var function in SamFunction.ReadAll(template))
        {
            if (!function.Events.Any(e => e.Type is "ScheduleV2" or "Schedule")) continue;
            var (handler, reason) = LocalHandlerFactory.Create(function, resolver, endpoints, logger, null);
            if (handler is null)
            {
                logger.LogWarning("{Function}: its schedule does not run locally ({Reason})", function.LogicalId, reason);
                continue;
            }
            targets.Add((function.LogicalId, handler, function.Timeout));
        }
        return new LocalSchedules(targets, logger);
    }

    public void Start() => _loop ??= Task.Run(async () =>
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token)) await RunAllAsync(_stop.Token);
        }
        catch (OperationCanceledException) { }
    });

    /// <summary>Invokes every scheduled function once, one run at a time; returns how many ran without failing.</summary>
    public async Task<int> RunAllAsync(CancellationToken ct)
    {
        await _running.WaitAsync(ct);
        try
        {
            var ok = 0;
            foreach (var (function, handler, timeout) in _targets)
            {
                try
                {
                    var output = await handler.HandleAsync("{}"u8.ToArray(), LambdaInvocation.Local(timeout), ct);
                    LastOutputs[function] = System.Text.Encoding.UTF8.GetString(output);
                    ok++;
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    _logger.LogError(error, "{Function}: the scheduled run failed", function);
                }
            }
            return ok;
        }
        finally
        {
            _running.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null) await _loop;
        _stop.Dispose();
    }
}
