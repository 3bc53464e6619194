using System.Globalization;
using SmallPay.Domain.Documents;
using SmallPay.Functions.Documents;
using SmallPay.Functions.Hosting.Idempotency;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Hosting;

/// <summary>
/// What a function's handler is built from: its stores, its clock and its configuration. In Lambda and on the local
/// stack, <see cref="FunctionServices"/> (DynamoDB, S3); in unit tests and the warm benchmark, the in-memory stores of
/// tests/SmallPay.Testing. <see cref="FunctionCatalog"/> wires the same handlers over either.
/// </summary>
public interface IFunctionServices
{
    FunctionEnvironment Environment { get; }
    TimeProvider Clock => Environment.Clock;
    /// <summary>Where the JSON log lines go: stdout in Lambda (CloudWatch Logs).</summary>
    TextWriter LogOutput => Console.Out;
    IInvoiceStore Invoices { get; }
    ICustomerStore Customers { get; }
    ISettingsStore Settings { get; }
    IIdempotencyStore Idempotency { get; }
    IWorkerInvoiceStore WorkerInvoices { get; }
    IDocumentStorage Documents { get; }
    ITeamStore Teams { get; }
    IMailPolicyStore MailPolicy { get; }
    /// <summary>The codes that verify a business's e-mail address.</summary>
    IEmailVerificationStore EmailCodes { get; }
    /// <summary>Recurring profiles and their due index.</summary>
    IRecurringStore Recurring { get; }
    /// <summary>The markers of invoices awaiting payment that the reminder schedule looks at.</summary>
    IReminderStore Reminders { get; }
    /// <summary>The customers' links to their documents (the customer's page).</summary>
    IDocumentLinkStore Links { get; }
    /// <summary>Quotes (in the invoices table).</summary>
    IQuoteStore Quotes { get; }
    /// <summary>Webhook endpoints, their deliveries and retry markers.</summary>
    IWebhookStore Webhooks { get; }
    /// <summary>Where webhooks go: DNS and HTTPS to public addresses only (the local stack's test receiver aside).</summary>
    SmallPay.Functions.Webhooks.IWebhookNetwork WebhookNetwork { get; }

    /// <summary>Credit notes (in the invoices table).</summary>
    ICreditNoteStore CreditNotes { get; }
    IActivityStore Activity { get; }

    /// <summary>The change feed's domain events (DomainEventsQueue).</summary>
    SmallPay.Functions.Changes.IDomainEventPublisher DomainEvents { get; }
    /// <summary>Per-business counters of the expensive requests; none by default (the in-memory services).</summary>
    IRateLimitStore RateLimits => UnlimitedRateLimitStore.Instance;

    /// <summary>
    /// How many creates, finalizations and sends one business may make per minute, all functions together:
    /// TENANT_REQUESTS_PER_MINUTE (the TenantRequestsPerMinute parameter) on those functions; absent or 0: no limit.
    /// </summary>
    int? TenantRequestsPerMinute =>
        int.TryParse(Environment.Get("TENANT_REQUESTS_PER_MINUTE"), NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0 ? limit : null;

    /// <summary>The daily sending limits: SENDING_LIMIT_NEW and SENDING_LIMIT (template parameters), else 50 and 1000.</summary>
    SendingPolicy SendingPolicy => new(
        int.TryParse(Environment.Get("SENDING_LIMIT_NEW"), NumberStyles.None, CultureInfo.InvariantCulture, out var fresh) ? fresh : SendingPolicy.Default.NewAccountDaily,
        int.TryParse(Environment.Get("SENDING_LIMIT"), NumberStyles.None, CultureInfo.InvariantCulture, out var established) ? established : SendingPolicy.Default.EstablishedDaily);

    /// <summary>How many requests one client may make of the customer's page per minute: PUBLIC_REQUESTS_PER_MINUTE, default 60; 0 = no limit.</summary>
    int? PublicRequestsPerMinute =>
        int.TryParse(Environment.Get("PUBLIC_REQUESTS_PER_MINUTE"), NumberStyles.None, CultureInfo.InvariantCulture, out var limit) ? (limit > 0 ? limit : null) : 60;

    /// <summary>How long a presigned PDF link works: DOCUMENT_URL_TTL_SECONDS, default 300.</summary>
    TimeSpan DocumentLinkLifetime =>
        int.TryParse(Environment.Get("DOCUMENT_URL_TTL_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= 604_800
            ? TimeSpan.FromSeconds(seconds)
            : GetInvoicePdf.DefaultLinkLifetime;
}

/// <summary>The DynamoDB and S3 stores of one execution environment, created on first use and then reused for every invocation.</summary>
public sealed class FunctionServices(FunctionEnvironment environment, AwsClients? clients = null) : IFunctionServices
{
    private readonly AwsClients _clients = clients ?? new(environment);
    private string InvoicesTable => environment.Require("INVOICES_TABLE");
    private string CustomersTable => environment.Require("CUSTOMERS_TABLE");

    public FunctionEnvironment Environment => environment;
    public IInvoiceStore Invoices => field ??= new DynamoDbInvoiceStore(_clients.DynamoDb, InvoicesTable, CustomersTable);
    public ICustomerStore Customers => field ??= new DynamoDbCustomerStore(_clients.DynamoDb, CustomersTable);
    public ISettingsStore Settings => field ??= new DynamoDbSettingsStore(_clients.DynamoDb, InvoicesTable);
    public IIdempotencyStore Idempotency => field ??= new DynamoDbIdempotencyStore(_clients.DynamoDb, InvoicesTable);
    public IWorkerInvoiceStore WorkerInvoices => field ??= new DynamoDbWorkerInvoiceStore(_clients.DynamoDb, InvoicesTable);
    public ITeamStore Teams => field ??= new DynamoDbTeamStore(_clients.DynamoDb, InvoicesTable);
    public IMailPolicyStore MailPolicy => field ??= new DynamoDbMailPolicyStore(_clients.DynamoDb, InvoicesTable);
    public IRateLimitStore RateLimits => field ??= new DynamoDbRateLimitStore(_clients.DynamoDb, InvoicesTable);
    public IEmailVerificationStore EmailCodes => field ??= new DynamoDbEmailVerificationStore(_clients.DynamoDb, InvoicesTable);
    public IRecurringStore Recurring => field ??= new DynamoDbRecurringStore(_clients.DynamoDb, InvoicesTable, CustomersTable);
    public IReminderStore Reminders => field ??= new DynamoDbReminderStore(_clients.DynamoDb, InvoicesTable);
    public IDocumentLinkStore Links => field ??= new DynamoDbDocumentLinkStore(_clients.DynamoDb, InvoicesTable);
    public IQuoteStore Quotes => field ??= new DynamoDbQuoteStore(_clients.DynamoDb, InvoicesTable, CustomersTable);
    public IWebhookStore Webhooks => field ??= new DynamoDbWebhookStore(_clients.DynamoDb, InvoicesTable);
    public SmallPay.Functions.Webhooks.IWebhookNetwork WebhookNetwork => field ??=
        new SmallPay.Functions.Webhooks.HttpWebhookNetwork(environment.Get(SmallPay.Functions.Webhooks.HttpWebhookNetwork.TestReceiverVariable));

    public ICreditNoteStore CreditNotes => field ??= new DynamoDbCreditNoteStore(_clients.DynamoDb, InvoicesTable, CustomersTable);
    public IActivityStore Activity => field ??= new DynamoDbActivityStore(_clients.DynamoDb, InvoicesTable);
    public SmallPay.Functions.Changes.IDomainEventPublisher DomainEvents => field ??= new SmallPay.Functions.Changes.SqsDomainEventPublisher(
        _clients.Sqs, environment.Require(SmallPay.Functions.Changes.SqsDomainEventPublisher.QueueUrlVariable));
    public IDocumentStorage Documents => field ??= new S3DocumentStorage(_clients.S3, environment.Require("DOCUMENTS_BUCKET"), _clients.S3IsPlainHttp);
}
