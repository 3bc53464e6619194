using System.Net;
using System.Net.Sockets;
using System.Text;
using SmallPay.Functions.Webhooks;

namespace SmallPay.Functions.Tests.Webhooks;

/// <summary>
/// The real HTTP client of webhooks against a listener on loopback: the address is vetted when connecting (a name
/// that resolves inside is never connected to, whatever it resolved to before), no redirect is followed, at most 1 KiB
/// of the answer is kept, and only the exact test-receiver origin is let through.
/// </summary>
public sealed class HttpWebhookNetworkTests : IAsyncLifetime
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private int _connections;
    private string _answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
    private Task? _loop;

    private int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Task InitializeAsync()
    {
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            while (true)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(); }
                catch (Exception) { return; }
                Interlocked.Increment(ref _connections);
                using (client)
                {
                    var stream = client.GetStream();
                    var buffer = new byte[8192];
                    var read = 0;
                    while (!Encoding.ASCII.GetString(buffer, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal) && read < buffer.Length)
                        read += await stream.ReadAsync(buffer.AsMemory(read));
                    await stream.WriteAsync(Encoding.UTF8.GetBytes(_answer));
                }
            }
        });
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _listener.Stop();
        return _loop ?? Task.CompletedTask;
    }

    private static WebhookRequest Request(string url) => new(new Uri(url), "{}", new Dictionary<string, string> { ["SmallPay-Event-Id"] = "evt_1" });

    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_refused_at_connect_time_and_nothing_is_connected()
    {
        // A public address at registration, loopback now: DNS rebinding.
        var network = new HttpWebhookNetwork(resolve: (_, _) => Task.FromResult(new[] { IPAddress.Loopback }));

        var attempt = await network.PostAsync(Request($"https://hooks.rebind.example.test:{Port}/in"), DateTimeOffset.UnixEpoch, CancellationToken.None);

        Assert.Null(attempt.StatusCode);
        Assert.StartsWith("refused", attempt.Error, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", attempt.Error, StringComparison.Ordinal);
        Assert.Equal(0, _connections);
    }

    [Theory]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://[::ffff:127.0.0.1]/x")]
    [InlineData("http://hooks.example.test/x")]
    public async Task Literal_inside_addresses_and_http_are_refused_before_any_connection(string url)
    {
        var attempt = await new HttpWebhookNetwork().PostAsync(Request(url), DateTimeOffset.UnixEpoch, CancellationToken.None);
        Assert.StartsWith("refused", attempt.Error, StringComparison.Ordinal);
        Assert.Equal(0, _connections);
    }

    [Fact]
    public async Task The_test_receiver_origin_is_let_through_redirects_are_not_followed_and_one_KiB_is_kept()
    {
        var origin = $"http://127.0.0.1:{Port}";
        _answer = "HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/\r\nContent-Length: 3000\r\nConnection: close\r\n\r\n" + new string('x', 3000);
        var network = new HttpWebhookNetwork(origin);

        var attempt = await network.PostAsync(Request($"{origin}/_local/webhook-receiver/a"), DateTimeOffset.UnixEpoch, CancellationToken.None);

        Assert.Equal(302, attempt.StatusCode); // not followed: a 3xx is a failed try
        Assert.Equal(1024, attempt.Response!.Length);
        Assert.Equal(1, _connections);
        // Another path, or another port, of loopback is not the receiver.
        Assert.StartsWith("refused", (await network.PostAsync(Request($"{origin}/settings"), DateTimeOffset.UnixEpoch, CancellationToken.None)).Error, StringComparison.Ordinal);
        Assert.Equal(1, _connections);
    }
}
