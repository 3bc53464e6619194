using SmallPay.Domain.Documents;
using SmallPay.Functions.Storage;

namespace SmallPay.Bench.Scenarios;

/// <summary>
/// Where a benchmark's data lives: the DynamoDB stores on the local emulator, or the in-memory fakes. Seeding and the
/// per-iteration targets go through the same store interfaces the functions use, so both hold the same data.
/// </summary>
public sealed class BenchStores(IInvoiceStore invoices, ICustomerStore customers, ISettingsStore settings, Func<string, StoredDocument, CancellationToken, Task> recordDocument,
    ITeamStore? teams = null)
{
    /// <summary>Memberships (the reader business gets a member, whose requests read their role on every call).</summary>
    public ITeamStore? Teams { get; } = teams;

    public IInvoiceStore Invoices { get; } = invoices;
    public ICustomerStore Customers { get; } = customers;
    public ISettingsStore Settings { get; } = settings;

    /// <summary>What the document worker records after rendering (GetInvoicePdf needs it).</summary>
    public Task RecordDocumentAsync(string invoiceId, StoredDocument document, CancellationToken ct) => recordDocument(invoiceId, document, ct);
}

/// <summary>A tenant (a Cognito <c>sub</c>) and, for the one that takes the writes, the customer its invoices bill.</summary>
public sealed record BenchTenant(string Sub, string CustomerId, string CustomerEmail);
