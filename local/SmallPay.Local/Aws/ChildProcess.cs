using System.Diagnostics;

namespace SmallPay.Local.Aws;

/// <summary>
/// A helper process of the local stack (moto, DynamoDB Local, maildev): started with its output captured, so a failed
/// start can say what the process printed, and stopped with its whole process tree.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private const int RememberedLines = 40;

    private readonly Process _process;
    private readonly Queue<string> _recentOutput = new();
    private int _disposed;

    private ChildProcess(Process process) => _process = process;

    /// <summary>Starts the process; <see cref="System.ComponentModel.Win32Exception"/> when the program cannot be run.</summary>
    public static ChildProcess Start(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, line) => child.Remember(line.Data);
        process.ErrorDataReceived += (_, line) => child.Remember(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Completes when the process exits, for whatever reason.</summary>
    public Task Completion => _process.WaitForExitAsync();

    /// <summary>The last lines the process printed (stdout and stderr).</summary>
    public string RecentOutput
    {
        get
        {
            lock (_recentOutput) return string.Join(Environment.NewLine, _recentOutput);
        }
    }

    private void Remember(string? line)
    {
        if (line is null) return;
        lock (_recentOutput)
        {
            _recentOutput.Enqueue(line);
            while (_recentOutput.Count > RememberedLines) _recentOutput.Dequeue();
        }
    }

    /// <summary>Kills the process tree and waits up to 5 s for it to go.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _process.WaitForExitAsync(patience.Token);
            }
        }
        catch (Exception error) when (error is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            // Already gone, or refusing to die within 5 s: nothing more we can do here.
        }
        _process.Dispose();
    }
}
