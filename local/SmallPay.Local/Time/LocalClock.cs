namespace SmallPay.Local.Time;

/// <summary>
/// The time every function of the local stack sees (their <c>FunctionEnvironment.Clock</c>): the machine's time plus an
/// offset a developer or a test moves forward with <c>POST /_local/clock</c>, to watch a month of recurring invoices in
/// seconds. Local only: in AWS the functions read the system clock. One per process (the local stack is one per process).
/// </summary>
public sealed class LocalClock : TimeProvider
{
    public static readonly LocalClock Shared = new();

    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;

    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), "the local clock only moves forward");
        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }

    public void Reset() => Interlocked.Exchange(ref _offsetTicks, 0);
}
