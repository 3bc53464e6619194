using SmallPay.Bench;

// The benchmark harness of docs/BENCHMARKS.md. `make bench` runs it through bench/run.sh (which installs hey and the
// Node peers and publishes SmallPay.Functions first); `--quick` is the smoke run the test suite makes.
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
    // The benchmark's tenants make thousands of writes a minute: the per-business request limit would answer 429s.
    Environment.SetEnvironmentVariable(SmallPay.Local.LocalResourceNames.OverridesVariable,
        $"TenantRequestsPerMinute=1000000 {Environment.GetEnvironmentVariable(SmallPay.Local.LocalResourceNames.OverridesVariable)}");
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
return await new BenchHarness(options).RunAsync(stop.Token);
