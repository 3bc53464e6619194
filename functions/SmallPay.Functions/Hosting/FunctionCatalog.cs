using SmallPay.Functions.Customers;
using SmallPay.Functions.Dashboard;
using SmallPay.Functions.Documents;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Hosting.Idempotency;
using SmallPay.Functions.Hosting.Logging;
using SmallPay.Functions.Hosting.Sqs;
using SmallPay.Functions.Invoices;
using SmallPay.Functions.Payments;
using SmallPay.Functions.Settings;

namespace SmallPay.Functions.Hosting;

/// <summary>Every Lambda function this assembly serves, by the name template.yaml puts in SMALLPAY_FUNCTION.</summary>
public static class FunctionCatalog
{
    public const string SelectorVariable = "SMALLPAY_FUNCTION";

    private static readonly Dictionary<string, Func<IFunctionServices, ILambdaHandler>> Factories = new(StringComparer.Ordinal)
    {
        ["CreateInvoice"] = Api("CreateInvoice", s => Idempotent(s, new CreateInvoice(s.Invoices, s.Customers, s.Settings))),
        ["ListInvoices"] = Api("ListInvoices", s => new ListInvoices(s.Invoices)),
        ["GetInvoice"] = Api("GetInvoice", s => new GetInvoice(s.Invoices)),
        ["UpdateInvoice"] = Api("UpdateInvoice", s => new UpdateInvoice(s.Invoices, s.Customers, s.Settings)),
        ["DeleteInvoice"] = Api("DeleteInvoice", s => new DeleteInvoice(s.Invoices)),
        ["FinalizeInvoice"] = Api("FinalizeInvoice", s => new FinalizeInvoice(Allocator(s))),
        ["VoidInvoice"] = Api("VoidInvoice", s => new VoidInvoice(s.Invoices)),
        ["RecordPayment"] = Api("RecordPayment", s => Idempotent(s, new RecordPayment(s.Invoices))),
        ["CreateCustomer"] = Api("CreateCustomer", s => Idempotent(s, new CreateCustomer(s.Customers))),
        ["ListCustomers"] = Api("ListCustomers", s => new ListCustomers(s.Customers)),
        ["GetCustomer"] = Api("GetCustomer", s => new GetCustomer(s.Customers)),
        ["UpdateCustomer"] = Api("UpdateCustomer", s => new UpdateCustomer(s.Customers)),
        ["DeleteCustomer"] = Api("DeleteCustomer", s => new DeleteCustomer(s.Customers)),
        ["GetDashboard"] = Api("GetDashboard", s => new GetDashboard(s.Invoices)),
        ["GetSettings"] = Api("GetSettings", s => new GetSettings(s.Settings)),
        ["UpdateSettings"] = Api("UpdateSettings", s => new UpdateSettings(s.Settings)),
        ["SendInvoice"] = Api("SendInvoice", s => Idempotent(s, new SendInvoice(s.Invoices, s.Settings, Allocator(s), emailConfigured: s.Environment.Get("SMTP_SENDER") is { Length: > 0 }))),
        ["GetInvoicePdf"] = Api("GetInvoicePdf", s => new GetInvoicePdf(s.Invoices, s.Documents, s.DocumentLinkLifetime)),
        ["DocumentWorker"] = Queue("DocumentWorker", s => DocumentWorkerSetup.Create(s.Environment, s)),
    };

    public static IReadOnlyCollection<string> Names => Factories.Keys;

    public static bool Contains(string name) => Factories.ContainsKey(name);

    /// <summary>Builds the handler once per execution environment (SDK clients, config).</summary>
    public static ILambdaHandler Create(string name, FunctionEnvironment environment) => Create(name, new FunctionServices(environment));

    /// <summary>Builds the handler over the given stores (in-memory ones in unit tests and the warm benchmark).</summary>
    public static ILambdaHandler Create(string name, IFunctionServices services) =>
        Factories.TryGetValue(name, out var factory)
            ? factory(services)
            : throw new ArgumentException($"Unknown function '{name}'. Known: {string.Join(", ", Factories.Keys)}", nameof(name));

    /// <summary>An HTTP API function: the shared adapter around one route handler.</summary>
    private static Func<IFunctionServices, ILambdaHandler> Api(string name, Func<IFunctionServices, IApiHandler> build) =>
        services => new HttpApiFunction(build(services), Log(name, services), services.Clock);

    /// <summary>An SQS consumer: the shared batch adapter (batchItemFailures) around one record handler.</summary>
    private static Func<IFunctionServices, ILambdaHandler> Queue(string name, Func<IFunctionServices, ISqsRecordHandler> build) =>
        services => new SqsBatchFunction(build(services), Log(name, services), services.Clock);

    private static JsonLog Log(string name, IFunctionServices services) =>
        new(name, services.LogOutput, services.Environment.Get(JsonLog.LevelVariable));

    private static IdempotentHandler Idempotent(IFunctionServices services, IApiHandler inner) => new(inner, services.Idempotency);

    private static InvoiceNumberAllocator Allocator(IFunctionServices services) =>
        new(services.Invoices, services.Customers, services.Settings, services.Clock);
}
