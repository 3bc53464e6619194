namespace SmallPay.Local.Demo;

/// <summary>
/// Sample customers and invoices for the demo account, created through the API like the SPA would.
/// Called on every <c>serve</c> start (unless --no-demo), after the demo user exists.
/// </summary>
public static class DemoData
{
    /// <param name="api">Base address = the local API; sends the demo user's ID token as Authorization.</param>
    public static Task SeedAsync(HttpClient api, CancellationToken cancellationToken)
    {
        // TODO(lead): seed customers, invoices (drafts, sent, paid, overdue) and settings — only when the
        // demo tenant has no data yet (e.g. GET /customers is empty), so restarts against a running moto add nothing.
        _ = api;
        _ = cancellationToken;
        return Task.CompletedTask;
    }
}
