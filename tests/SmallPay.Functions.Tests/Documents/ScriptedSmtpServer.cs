using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SmallPay.Functions.Tests.Documents;

/// <summary>
/// A minimal SMTP server on 127.0.0.1 that answers every command as scripted, so System.Net.Mail's real behaviour
/// (what it throws for which answer) can be tested. Plain SMTP only (no STARTTLS), one session at a time.
/// </summary>
internal sealed class ScriptedSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <param name="rcptReply">The answer to RCPT TO for an address (default 250).</param>
    public ScriptedSmtpServer(Func<string, string>? rcptReply = null, string greeting = "220 scripted ESMTP")
    {
        RcptReply = rcptReply ?? (_ => "250 OK");
        Greeting = greeting;
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public Func<string, string> RcptReply { get; }
    public string Greeting { get; }
    public List<string> Messages { get; } = [];
    public List<string> Commands { get; } = [];

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            using (client) await SessionAsync(client);
        }
    }

    private async Task SessionAsync(TcpClient client)
    {
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync(Greeting);
        if (!Greeting.StartsWith("220", StringComparison.Ordinal)) return;
        while (await reader.ReadLineAsync(_stop.Token) is { } line)
        {
            lock (Commands) Commands.Add(line);
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    await writer.WriteLineAsync("250-scripted");
                    await writer.WriteLineAsync("250 8BITMIME");
                    break;
                case "HELO": await writer.WriteLineAsync("250 scripted"); break;
                case "MAIL": await writer.WriteLineAsync("250 OK"); break;
                case "RCPT":
                    var address = line[(line.IndexOf('<') + 1)..line.IndexOf('>')];
                    await writer.WriteLineAsync(RcptReply(address));
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 go ahead");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync(_stop.Token) is { } dataLine && dataLine != ".") data.AppendLine(dataLine);
                    lock (Messages) Messages.Add(data.ToString());
                    await writer.WriteLineAsync("250 queued");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 bye");
                    return;
                default: await writer.WriteLineAsync("250 OK"); break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _loop; } catch (Exception e) when (e is OperationCanceledException or SocketException or IOException) { }
        _stop.Dispose();
    }
}
