using SmallPay.Local.Pipeline;

namespace SmallPay.Functions.Tests.Local.Pipeline;

/// <summary>The filter docs/ARCHITECTURE.md specifies, through the local pipe's matcher (template.yaml's is tested in Pipeline/).</summary>
public sealed class ArchitectureFilterTests
{
    private static readonly PipeFilter Filter = PipeFilter.FromPatterns(DocumentsFilterCases.ArchitecturePattern);

    [Theory]
    [MemberData(nameof(DocumentsFilterCases.All), MemberType = typeof(DocumentsFilterCases))]
    public void The_documented_filter_passes_only_finalized_invoices_the_API_changed(string record, bool passes) =>
        Assert.Equal(passes, Filter.Passes(DocumentsFilterCases.Record(record)));
}
