using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SmallPay.Local.Aws;

namespace SmallPay.Local.Pipeline;

/// <summary>
/// Reads a DynamoDB stream the way a Pipe's poller does: every shard, parents before their children, records in
/// order, one GetRecords after another while there are records and every <c>interval</c> when there are none.
/// The shards present at start begin at the pipe's StartingPosition; shards that appear later (a shard rolls over,
/// or splits) are read from their start. An expired iterator resumes after the last record read.
/// </summary>
public sealed class StreamPoller : IAsyncDisposable
{
    private const int RecordsPerCall = 1000;
    private static readonly TimeSpan ShardRefresh = TimeSpan.FromSeconds(1);

    private readonly DynamoDbStreamsClient _streams;
    private readonly string _streamArn;
    private readonly string _startingPosition;
    private readonly Func<string, IReadOnlyList<JsonObject>, CancellationToken, Task> _deliver;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private readonly Dictionary<string, ShardReader> _shards = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;
    private DateTime _shardsListedAt;
    private bool _shardFinished;

    /// <param name="startingPosition">TRIM_HORIZON or LATEST, for the shards there at start.</param>
    /// <param name="deliver">
    /// Gets each batch of records (one GetRecords answer) with its shard id, in order; a failure is retried with the same
    /// records after the interval.
    /// </param>
    public StreamPoller(DynamoDbStreamsClient streams, string streamArn, string startingPosition,
        Func<string, IReadOnlyList<JsonObject>, CancellationToken, Task> deliver, TimeSpan interval, ILogger logger)
    {
        _streams = streams;
        _streamArn = streamArn;
        _startingPosition = startingPosition;
        _deliver = deliver;
        _interval = interval;
        _logger = logger;
    }

    public string StreamArn => _streamArn;

    /// <summary>Positions on the shards there now (so nothing written after this returns is missed) and starts polling.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await RefreshShardsAsync(initial: true, cancellationToken);
        _running = Task.Run(() => PollAsync(_stopping.Token), CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _running;
        _stopping.Dispose();
    }

    private async Task PollAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                if (_shardFinished || DateTime.UtcNow - _shardsListedAt > ShardRefresh)
                {
                    _shardFinished = false;
                    await RefreshShardsAsync(initial: false, stopping);
                }
                foreach (var shard in _shards.Values.Where(shard => !shard.Finished && ParentDone(shard)).ToList())
                    busy |= await ReadAsync(shard, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                // Whatever went wrong (the emulator restarting, a delivery failing), the same records are read again.
                _logger.LogWarning("stream {Stream}: {Error}; retrying", _streamArn, error.Message);
                busy = false;
            }
            if (!busy)
            {
                try { await Task.Delay(_interval, stopping); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    // True when records came back (read again at once).
    private async Task<bool> ReadAsync(ShardReader shard, CancellationToken stopping)
    {
        if (shard.Iterator is null) await PositionAsync(shard, stopping);
        if (shard.Iterator is null)
        {
            shard.Finished = _shardFinished = true;
            return false;
        }

        IReadOnlyList<JsonObject> records;
        string? next;
        try
        {
            (records, next) = await _streams.GetRecordsAsync(shard.Iterator, RecordsPerCall, stopping);
        }
        catch (AwsServiceException error) when (error.ErrorCode is "ExpiredIteratorException" or "TrimmedDataAccessException")
        {
            if (error.ErrorCode == "TrimmedDataAccessException") shard.LastSequenceNumber = null;
            shard.Iterator = null;
            shard.StartAt = "TRIM_HORIZON";
            return true;
        }

        if (records.Count > 0)
        {
            foreach (var record in records) record["eventSourceARN"] ??= _streamArn;
            await _deliver(shard.ShardId, records, stopping);
            shard.LastSequenceNumber = records[^1]["dynamodb"]?["SequenceNumber"]?.GetValue<string>() ?? shard.LastSequenceNumber;
        }
        shard.Iterator = next;
        if (next is null) shard.Finished = _shardFinished = true;
        return records.Count > 0;
    }

    private async Task PositionAsync(ShardReader shard, CancellationToken cancellationToken)
    {
        try
        {
            shard.Iterator = shard.LastSequenceNumber is { } sequence
                ? await _streams.GetShardIteratorAsync(_streamArn, shard.ShardId, "AFTER_SEQUENCE_NUMBER", sequence, cancellationToken)
                : await _streams.GetShardIteratorAsync(_streamArn, shard.ShardId, shard.StartAt, null, cancellationToken);
        }
        catch (AwsServiceException error) when (error.ErrorCode == "ResourceNotFoundException")
        {
            // The shard is gone (trimmed after 24 h): nothing left to read in it.
            shard.Iterator = null;
        }
    }

    private async Task RefreshShardsAsync(bool initial, CancellationToken cancellationToken)
    {
        var shards = await _streams.ListShardsAsync(_streamArn, cancellationToken);
        _shardsListedAt = DateTime.UtcNow;
        foreach (var shard in shards)
        {
            if (_shards.ContainsKey(shard.ShardId)) continue;
            // At start with LATEST, closed shards hold only the past: skip them.
            if (initial && _startingPosition == "LATEST" && shard.Closed) continue;
            var reader = new ShardReader(shard.ShardId, shard.ParentShardId) { StartAt = initial ? _startingPosition : "TRIM_HORIZON" };
            _shards[shard.ShardId] = reader;
            // LATEST is a position at the time of asking: take it now, not when the poller first gets round to it.
            if (initial) await PositionAsync(reader, cancellationToken);
        }
        // A finished shard stays known (so it is not read again) but costs nothing.
    }

    private bool ParentDone(ShardReader shard) =>
        shard.ParentShardId is null || !_shards.TryGetValue(shard.ParentShardId, out var parent) || parent.Finished;

    private sealed class ShardReader(string shardId, string? parentShardId)
    {
        public string ShardId { get; } = shardId;
        public string? ParentShardId { get; } = parentShardId;
        public string StartAt { get; set; } = "TRIM_HORIZON";
        public string? Iterator { get; set; }
        public string? LastSequenceNumber { get; set; }
        public bool Finished { get; set; }
    }
}
