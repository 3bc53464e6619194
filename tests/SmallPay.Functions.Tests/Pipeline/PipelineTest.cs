using SmallPay.Functions.Tests.Infrastructure;

namespace SmallPay.Functions.Tests.Pipeline;

/// <summary>A test that needs the documents pipeline running (stream → pipe → queue → worker) for its duration.</summary>
[Collection(LocalStackCollection.Name)]
public abstract class PipelineTest(LocalStackFixture stack) : IAsyncLifetime
{
    private IAsyncDisposable? _pipeline;

    protected LocalStackFixture Stack { get; } = stack;

    public async Task InitializeAsync() => _pipeline = await Stack.RunPipelineAsync();

    public async Task DisposeAsync()
    {
        if (_pipeline is not null) await _pipeline.DisposeAsync();
    }
}
