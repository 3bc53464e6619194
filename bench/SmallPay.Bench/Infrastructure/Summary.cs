using System.Globalization;

namespace SmallPay.Bench.Infrastructure;

/// <summary>Order statistics of one set of samples (nearest-rank percentiles: every figure is a value that was measured).</summary>
public sealed record Summary(int Count, double Median, double P90, double P99, double Min, double Max)
{
    public static Summary? Of(IEnumerable<double> samples)
    {
        var sorted = samples.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0) return null;
        return new Summary(sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.90), Percentile(sorted, 0.99), sorted[0], sorted[^1]);
    }

    public static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>Milliseconds with a precision that suits their size: 0.012, 0.85, 4.2, 412.</summary>
    public static string Ms(double ms) => ms switch
    {
        < 0.1 => ms.ToString("0.000", CultureInfo.InvariantCulture),
        < 10 => ms.ToString("0.00", CultureInfo.InvariantCulture),
        < 100 => ms.ToString("0.0", CultureInfo.InvariantCulture),
        _ => ms.ToString("0", CultureInfo.InvariantCulture),
    };

    public static string Ratio(double ratio) => ratio.ToString("0.00", CultureInfo.InvariantCulture) + "×";

    public static string Number(double value, string format = "0") => value.ToString(format, CultureInfo.InvariantCulture);
}
