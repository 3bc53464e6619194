using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using SmallPay.Domain.Webhooks;

namespace SmallPay.Functions.Webhooks;

/// <summary>A webhook request: the signed JSON body and its headers.</summary>
public sealed record WebhookRequest(Uri Url, string Body, IReadOnlyDictionary<string, string> Headers);

/// <summary>Where webhooks go out: name resolution (checked at registration) and the POST of one delivery.</summary>
public interface IWebhookNetwork
{
    /// <summary>The addresses the host name resolves to (empty: it does not resolve).</summary>
    Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken ct);
    /// <summary>One try: the answer's status, the first KiB of its body and how long it took, or the error (never throws for the receiver's faults).</summary>
    Task<WebhookAttempt> PostAsync(WebhookRequest request, DateTimeOffset at, CancellationToken ct);
}

/// <summary>
/// The real network. The URL's host is resolved and every address it resolves to must be public; the connection goes to
/// the vetted address itself (<see cref="SocketsHttpHandler.ConnectCallback"/>), so a name that resolves differently a
/// moment later (DNS rebinding) cannot reach inside. No redirects, no proxy, no cookies; 10 s in all; at most 1 KiB of the
/// answer is read. <paramref name="testReceiverOrigin"/>: the local stack's test receiver, the one exception.
/// </summary>
public sealed class HttpWebhookNetwork : IWebhookNetwork
{
    public const string TestReceiverVariable = "WEBHOOK_TEST_RECEIVER_ORIGIN";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    public const int MaxResponseBytes = 1024;
    public const string UserAgent = "SmallPay-Webhooks/1.0";

    private readonly HttpClient _client;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;
    private readonly string? _testReceiverOrigin;

    public HttpWebhookNetwork(string? testReceiverOrigin = null, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        _testReceiverOrigin = testReceiverOrigin;
        _resolve = resolve ?? ((host, ct) => Dns.GetHostAddressesAsync(host, ct));
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false, UseProxy = false, UseCookies = false,
            ConnectTimeout = Timeout, PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = ConnectAsync,
        };
        _client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    public async Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken ct)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal)) return [literal];
        try { return await _resolve(host, ct); }
        catch (SocketException) { return []; }
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var endpoint = context.DnsEndPoint;
        var addresses = await ResolveAsync(endpoint.Host, ct);
        var testReceiver = context.InitialRequestMessage.RequestUri is { } uri && WebhookRules.IsTestReceiver(uri, _testReceiverOrigin);
        if (addresses.Count == 0) throw new WebhookRefusedException($"{endpoint.Host} does not resolve");
        if (!testReceiver && addresses.FirstOrDefault(a => !WebhookAddresses.IsPublic(a)) is { } inside)
            throw new WebhookRefusedException($"{endpoint.Host} resolves to {inside}, which is not a public address");
        // Every address was vetted above: try them in turn (an IPv6 address first may be unreachable from here).
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last!;
    }

    public async Task<WebhookAttempt> PostAsync(WebhookRequest request, DateTimeOffset at, CancellationToken ct)
    {
        if (WebhookRules.RefuseUrl(request.Url.OriginalString, _testReceiverOrigin) is { } refusal)
            return new WebhookAttempt(at, null, 0, null, $"refused: the URL {refusal}");
        var watch = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, request.Url) { Content = new StringContent(request.Body, Encoding.UTF8) };
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            message.Headers.UserAgent.ParseAdd(UserAgent);
            foreach (var (name, value) in request.Headers) message.Headers.TryAddWithoutValidation(name, value);
            using var response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var body = await ReadPrefixAsync(response, timeout.Token);
            return new WebhookAttempt(at, (int)response.StatusCode, (int)watch.ElapsedMilliseconds, body, null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new WebhookAttempt(at, null, (int)watch.ElapsedMilliseconds, null, $"no answer within {Timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            var refused = FindRefusal(e);
            return new WebhookAttempt(at, null, (int)watch.ElapsedMilliseconds, null, refused is not null ? $"refused: {refused.Message}" : Describe(e));
        }
    }

    private static WebhookRefusedException? FindRefusal(Exception? e)
    {
        for (; e is not null; e = e.InnerException) if (e is WebhookRefusedException refused) return refused;
        return null;
    }

    private static string Describe(HttpRequestException e) =>
        (e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message) is var text && text.Length > 300 ? text[..300] : text;

    private static async Task<string?> ReadPrefixAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[MaxResponseBytes];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), ct);
            if (n == 0) break;
            read += n;
        }
        return read == 0 ? null : Encoding.UTF8.GetString(buffer, 0, read);
    }
}

/// <summary>The host resolved to an address a webhook may not reach.</summary>
public sealed class WebhookRefusedException(string message) : Exception(message);
