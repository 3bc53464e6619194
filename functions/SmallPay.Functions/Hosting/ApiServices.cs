using SmallPay.Functions.Hosting.Idempotency;
using SmallPay.Functions.Documents;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Hosting;

/// <summary>The stores one execution environment uses, created on first use and then reused for every invocation.</summary>
public sealed class ApiServices(FunctionEnvironment environment, AwsClients? clients = null)
{
    private readonly AwsClients _clients = clients ?? new(environment);
    private string InvoicesTable => environment.Require("INVOICES_TABLE");
    private string CustomersTable => environment.Require("CUSTOMERS_TABLE");

    public IInvoiceStore Invoices => field ??= new DynamoDbInvoiceStore(_clients.DynamoDb, InvoicesTable, CustomersTable);
    public ICustomerStore Customers => field ??= new DynamoDbCustomerStore(_clients.DynamoDb, CustomersTable);
    public ISettingsStore Settings => field ??= new DynamoDbSettingsStore(_clients.DynamoDb, InvoicesTable);
    public IIdempotencyStore Idempotency => field ??= new DynamoDbIdempotencyStore(_clients.DynamoDb, InvoicesTable);
    public IWorkerInvoiceStore WorkerInvoices => field ??= new DynamoDbWorkerInvoiceStore(_clients.DynamoDb, InvoicesTable);
    public IDocumentStorage Documents => field ??= new S3DocumentStorage(_clients.S3, environment.Require("DOCUMENTS_BUCKET"), _clients.S3IsPlainHttp);

    /// <summary>How long a presigned PDF link works: DOCUMENT_URL_TTL_SECONDS, default 300.</summary>
    public TimeSpan DocumentLinkLifetime =>
        int.TryParse(environment.Get("DOCUMENT_URL_TTL_SECONDS"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= 604_800
            ? TimeSpan.FromSeconds(seconds)
            : GetInvoicePdf.DefaultLinkLifetime;
}
