using SmallPay.Bench;

// The benchmark harness of docs/BENCHMARKS.md. `make bench` runs it through bench/run.sh (which installs hey and the
// Node peers and publishes SmallPay.Functions first); `--quick` is the smoke run the test suite makes.
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
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
