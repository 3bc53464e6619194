using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SmallPay.Local.Mail;

/// <summary>
/// The SMTP port the functions are given locally. It relays each session to maildev byte for byte, with two
/// differences that make delivery failures reproducible:
/// <list type="bullet">
/// <item>a recipient on the reserved <c>.invalid</c> top-level domain (RFC 2606: it never exists) is refused with
/// <c>550 5.1.1</c>, as a real server refuses a mailbox that cannot exist — maildev itself accepts every recipient;</item>
/// <item><see cref="StopAsync"/> closes the port and cuts open sessions (a sender sees "connection refused", as with a
/// server that is down); <see cref="Start"/> opens the same port again. maildev keeps running, with its inbox.</item>
/// </list>
/// maildev runs with PIPELINING hidden, so clients send one command per reply and the gate's own answers stay in order.
/// </summary>
public sealed class SmtpGate : IAsyncDisposable
{
    private const int MaxCommandLine = 4096;

    private readonly Func<IPEndPoint> _upstream;
    private readonly object _sync = new();
    private TcpListener? _listener;
    private CancellationTokenSource? _sessions;
    private Task _acceptLoop = Task.CompletedTask;
    private int _sessionCount;
    private int _refusedCount;

    /// <param name="port">The port to listen on, 127.0.0.1; 0 picks a free one (kept for restarts).</param>
    /// <param name="upstream">Where the sessions go (maildev's SMTP port).</param>
    public SmtpGate(int port, Func<IPEndPoint> upstream)
    {
        Port = port;
        _upstream = upstream;
    }

    public int Port { get; private set; }

    public bool IsAccepting
    {
        get
        {
            lock (_sync) return _listener is not null;
        }
    }

    /// <summary>Sessions relayed so far.</summary>
    public int Sessions => Volatile.Read(ref _sessionCount);

    /// <summary>Recipients refused so far.</summary>
    public int RefusedRecipients => Volatile.Read(ref _refusedCount);

    /// <summary>True for a recipient the gate refuses: a domain under the reserved <c>.invalid</c> TLD.</summary>
    public static bool IsRefused(string address)
    {
        var at = address.LastIndexOf('@');
        var domain = (at < 0 ? "" : address[(at + 1)..]).TrimEnd('.').ToLowerInvariant();
        return domain == "invalid" || domain.EndsWith(".invalid", StringComparison.Ordinal);
    }

    /// <summary>Opens the port (again); does nothing when it is open.</summary>
    public void Start()
    {
        lock (_sync)
        {
            if (_listener is not null) return;
            var listener = new TcpListener(IPAddress.Loopback, Port);
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
            _listener = listener;
            _sessions = new CancellationTokenSource();
            _acceptLoop = AcceptAsync(listener, _sessions.Token);
        }
    }

    /// <summary>Closes the port and cuts every open session: senders see a server that is down.</summary>
    public async Task StopAsync()
    {
        Task acceptLoop;
        CancellationTokenSource sessions;
        lock (_sync)
        {
            if (_listener is null) return;
            _listener.Stop();
            sessions = _sessions!;
            sessions.Cancel();
            acceptLoop = _acceptLoop;
            _listener = null;
            _sessions = null;
        }
        await acceptLoop;
        sessions.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task AcceptAsync(TcpListener listener, CancellationToken stopping)
    {
        var sessions = new List<Task>();
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync(stopping);
                Interlocked.Increment(ref _sessionCount);
                sessions.RemoveAll(task => task.IsCompleted);
                sessions.Add(RelayAsync(client, stopping));
            }
        }
        catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        await Task.WhenAll(sessions);
    }

    private async Task RelayAsync(TcpClient client, CancellationToken stopping)
    {
        using var _ = client;
        using var upstream = new TcpClient { NoDelay = true };
        client.NoDelay = true;
        using var session = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        // Cutting a session closes both sockets: pending reads end at once.
        using var closeOnCancel = session.Token.Register(() =>
        {
            client.Client.Close(0);
            upstream.Client.Close(0);
        });
        var toClient = client.GetStream();
        try
        {
            await upstream.ConnectAsync(_upstream(), session.Token);
        }
        catch (Exception error) when (error is SocketException or OperationCanceledException)
        {
            await TryWriteAsync(toClient, "421 4.3.0 local SMTP sink (maildev) is not answering\r\n");
            return;
        }

        var state = new SessionState(toClient);
        try
        {
            var replies = PumpRepliesAsync(upstream.GetStream(), state, session.Token);
            var commands = PumpCommandsAsync(toClient, upstream.GetStream(), state, session.Token);
            await Task.WhenAny(replies, commands);
        }
        catch (Exception error) when (error is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            await session.CancelAsync();
        }
    }

    // maildev → sender, as it comes; a 3xx reply to DATA switches the command pump to message mode.
    private static async Task PumpRepliesAsync(NetworkStream upstream, SessionState state, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await upstream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (state.AwaitingDataReply)
            {
                state.InData = buffer[0] == (byte)'3';
                state.AwaitingDataReply = false;
            }
            await state.WriteToClientAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }

    // sender → maildev: commands line by line (RCPT TO may be answered here), the message itself in bulk.
    private async Task PumpCommandsAsync(NetworkStream client, NetworkStream upstream, SessionState state, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var line = new MemoryStream();
        var endOfData = new EndOfDataDetector();
        int read;
        while ((read = await client.ReadAsync(buffer, cancellationToken)) > 0)
        {
            var offset = 0;
            while (offset < read)
            {
                if (state.InData)
                {
                    var end = endOfData.Scan(buffer.AsSpan(offset, read - offset));
                    var take = end < 0 ? read - offset : end;
                    await upstream.WriteAsync(buffer.AsMemory(offset, take), cancellationToken);
                    offset += take;
                    if (end >= 0)
                    {
                        state.InData = false;
                        endOfData.Reset();
                    }
                    continue;
                }

                var newline = Array.IndexOf(buffer, (byte)'\n', offset, read - offset);
                var stop = newline < 0 ? read : newline + 1;
                line.Write(buffer, offset, stop - offset);
                offset = stop;
                if (newline < 0 && line.Length < MaxCommandLine) continue;

                var command = line.ToArray();
                line.SetLength(0);
                if (RefusedRecipient(command) is { } refused)
                {
                    Interlocked.Increment(ref _refusedCount);
                    await state.WriteToClientAsync(Encoding.UTF8.GetBytes(
                        $"550 5.1.1 <{refused}>: recipient address rejected: the .invalid domain never exists (local SMTP sink)\r\n"), cancellationToken);
                    continue;
                }
                if (IsDataCommand(command)) state.AwaitingDataReply = true;
                await upstream.WriteAsync(command, cancellationToken);
            }
        }
    }

    private static string? RefusedRecipient(byte[] command)
    {
        var text = Encoding.UTF8.GetString(command).TrimEnd('\r', '\n');
        if (!text.StartsWith("RCPT TO:", StringComparison.OrdinalIgnoreCase)) return null;
        var open = text.IndexOf('<');
        var close = open < 0 ? -1 : text.IndexOf('>', open + 1);
        var address = open >= 0 && close > open ? text[(open + 1)..close] : text["RCPT TO:".Length..].Trim().Split(' ')[0];
        return IsRefused(address) ? address : null;
    }

    private static bool IsDataCommand(byte[] command) =>
        Encoding.ASCII.GetString(command).Trim().Equals("DATA", StringComparison.OrdinalIgnoreCase);

    private static async Task TryWriteAsync(NetworkStream stream, string text)
    {
        try { await stream.WriteAsync(Encoding.ASCII.GetBytes(text)); }
        catch (Exception error) when (error is IOException or SocketException or ObjectDisposedException) { }
    }

    private sealed class SessionState(NetworkStream client)
    {
        private readonly SemaphoreSlim _write = new(1, 1);
        private volatile bool _awaitingDataReply;
        private volatile bool _inData;

        public bool AwaitingDataReply { get => _awaitingDataReply; set => _awaitingDataReply = value; }

        public bool InData { get => _inData; set => _inData = value; }

        public async Task WriteToClientAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
        {
            await _write.WaitAsync(cancellationToken);
            try { await client.WriteAsync(bytes, cancellationToken); }
            finally { _write.Release(); }
        }
    }

    /// <summary>Finds the end of a message, CRLF "." CRLF, across reads (the CRLF ending the DATA command counts).</summary>
    internal sealed class EndOfDataDetector
    {
        private static readonly byte[] Terminator = "\r\n.\r\n"u8.ToArray();
        private int _matched = 2;

        public void Reset() => _matched = 2;

        /// <summary>The number of bytes of <paramref name="data"/> up to and including the terminator, or -1.</summary>
        public int Scan(ReadOnlySpan<byte> data)
        {
            for (var i = 0; i < data.Length; i++)
            {
                var b = data[i];
                if (b == Terminator[_matched])
                {
                    if (++_matched == Terminator.Length) return i + 1;
                }
                else
                {
                    _matched = b == (byte)'\r' ? 1 : 0;
                }
            }
            return -1;
        }
    }
}
