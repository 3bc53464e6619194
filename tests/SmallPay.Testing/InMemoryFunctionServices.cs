using SmallPay.Functions.Documents;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Hosting.Idempotency;
using SmallPay.Functions.Storage;

namespace SmallPay.Testing;

/// <summary>
/// <see cref="FunctionCatalog"/>'s handlers over the in-memory stores: the same handler classes behind the same
/// adapters as in Lambda, minus DynamoDB and S3. Unit tests and the warm benchmark build functions through this.
/// </summary>
public sealed class InMemoryFunctionServices(InMemoryStores? stores = null, TimeProvider? clock = null, TextWriter? log = null,
    IReadOnlyDictionary<string, string>? variables = null) : IFunctionServices
{
    public InMemoryStores Stores { get; } = stores ?? new InMemoryStores();
    public InMemoryDocumentStorage DocumentObjects { get; } = new();

    /// <summary>What every function gets unless the caller says otherwise: e-mail is set up (a sender address).</summary>
    public static readonly IReadOnlyDictionary<string, string> DefaultVariables = new Dictionary<string, string>
    {
        ["SMTP_SENDER"] = "invoices@smallpay.test",
        ["DOCUMENT_LINK_SECRET"] = TestLinkSecret,
        ["DOCUMENT_PAGE_URL"] = "https://app.smallpay.test",
    };

    /// <summary>The in-memory stack's secret for the customers' links (the tests sign and tamper with tokens themselves).</summary>
    public const string TestLinkSecret = "in-memory-link-secret-0123456789abcdef";

    public FunctionEnvironment Environment { get; } = FunctionEnvironment.From(variables ?? DefaultVariables, clock);
    public TextWriter LogOutput { get; } = log ?? TextWriter.Null;
    public IInvoiceStore Invoices => Stores.Invoices;
    public ICustomerStore Customers => Stores.Customers;
    public ISettingsStore Settings => Stores.Settings;
    public IIdempotencyStore Idempotency => Stores.Idempotency;
    public IWorkerInvoiceStore WorkerInvoices => Stores.WorkerInvoices;
    public IDocumentStorage Documents => DocumentObjects;
    public ITeamStore Teams => Stores.Teams;
    public IMailPolicyStore MailPolicy => Stores.MailPolicy;
    public IRateLimitStore RateLimits { get; } = new InMemoryRateLimitStore();
    public IEmailVerificationStore EmailCodes => Stores.EmailCodes;
    public IRecurringStore Recurring => Stores.Recurring;
    public IReminderStore Reminders => Stores.Reminders;
    public IDocumentLinkStore Links => Stores.Links;
    public IQuoteStore Quotes => Stores.Quotes;
    public IWebhookStore Webhooks => Stores.Webhooks;
    public SmallPay.Functions.Webhooks.IWebhookNetwork WebhookNetwork => Network;
    /// <summary>The in-memory network webhooks go to (DNS table, scripted receivers).</summary>
    public InMemoryWebhookNetwork Network { get; } = new();

    public ICreditNoteStore CreditNotes => Stores.CreditNotes;
    public IActivityStore Activity => Stores.Activity;
    public InMemoryDomainEventPublisher PublishedEvents { get; } = new();
    public SmallPay.Functions.Changes.IDomainEventPublisher DomainEvents => PublishedEvents;

    /// <summary>The named function (as template.yaml's SMALLPAY_FUNCTION names it), built over these stores.</summary>
    public ILambdaHandler Function(string name) => FunctionCatalog.Create(name, this);
}

/// <summary>The documents bucket in memory; presigned links are shaped like S3's but point nowhere.</summary>
public sealed class InMemoryDocumentStorage : IDocumentStorage
{
    private readonly Dictionary<string, byte[]> _objects = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, byte[]> Objects
    {
        get { lock (_objects) return new Dictionary<string, byte[]>(_objects); }
    }

    public Task PutPdfAsync(string key, byte[] pdf, string fileName, CancellationToken ct)
    {
        lock (_objects) _objects[key] = pdf;
        return Task.CompletedTask;
    }

    public Task PutExportAsync(string key, byte[] csv, string fileName, CancellationToken ct)
    {
        lock (_objects) _objects[key] = csv;
        return Task.CompletedTask;
    }

    public Task<Uri> PresignGetAsync(string key, DateTimeOffset expiresAt, CancellationToken ct) =>
        Task.FromResult(new Uri($"https://documents.invalid/{key}?X-Amz-Expires={expiresAt.ToUnixTimeSeconds()}"));
}

/// <summary>The per-business minute counters of <see cref="DynamoDbRateLimitStore"/>, with its rule: a refused request counts nothing.</summary>
public sealed class InMemoryRateLimitStore : IRateLimitStore
{
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    public Task<bool> TryTakeAsync(string business, int limit, DateTimeOffset now, CancellationToken ct)
    {
        lock (_counts)
        {
            var key = DynamoDbRateLimitStore.CounterId(business, now);
            var count = _counts.GetValueOrDefault(key);
            if (count >= limit) return Task.FromResult(false);
            _counts[key] = count + 1;
            return Task.FromResult(true);
        }
    }
}
