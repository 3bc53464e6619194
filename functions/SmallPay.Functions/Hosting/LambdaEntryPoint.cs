namespace SmallPay.Functions.Hosting;

public static class LambdaEntryPoint
{
    public static Task<int> RunAsync(Func<string, string?> environment)
    {
        Console.Error.WriteLine("SmallPay: runtime loop not wired yet");
        return Task.FromResult(1);
    }
}
