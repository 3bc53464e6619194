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

    private static readonly Dictionary<string, Func<FunctionEnvironment, ILambdaHandler>> Factories = new(StringComparer.Ordinal)
    {
        ["CreateInvoice"] = Api("CreateInvoice", s => Idempotent(s, new CreateInvoice(s.Invoices, s.Customers, s.Settings))),
        ["ListInvoices"] = Api("ListInvoices", s => new ListInvoices(s.Invoices)),
        ["GetInvoice"] = Api("GetInvoice", s => new GetInvoice(s.Invoices)),
        ["UpdateInvoice"] = Api("UpdateInvoice", s => new UpdateInvoice(s.Invoices, s.Customers, s.Settings)),
        ["DeleteInvoice"] = Api("DeleteInvoice", s => new DeleteInvoice(s.Invoices)),
        ["FinalizeInvoice"] = Api("FinalizeInvoice", s => new FinalizeInvoice(new InvoiceNumberAllocator(s.Invoices, s.Customers, s.Settings))),
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
        ["SendInvoice"] = Api("SendInvoice", s => Idempotent(s, new SendInvoice(s.Invoices, s.Settings, new InvoiceNumberAllocator(s.Invoices, s.Customers, s.Settings)))),
        ["GetInvoicePdf"] = Api("GetInvoicePdf", s => new GetInvoicePdf(s.Invoices, s.Documents, s.DocumentLinkLifetime)),
        ["DocumentWorker"] = Queue("DocumentWorker", (environment, s) => DocumentWorkerSetup.Create(environment, s)),
    };

    public static IReadOnlyCollection<string> Names => Factories.Keys;

    public static bool Contains(string name) => Factories.ContainsKey(name);

    /// <summary>Builds the handler once per execution environment (SDK clients, config).</summary>
    public static ILambdaHandler Create(string name, FunctionEnvironment environment) =>
        Factories.TryGetValue(name, out var factory)
            ? factory(environment)
            : throw new ArgumentException($"Unknown function '{name}'. Known: {string.Join(", ", Factories.Keys)}", nameof(name));

    /// <summary>An HTTP API function: the shared adapter around one route handler.</summary>
    private static Func<FunctionEnvironment, ILambdaHandler> Api(string name, Func<ApiServices, IApiHandler> build) =>
        environment => new HttpApiFunction(build(new ApiServices(environment)), new JsonLog(name, minimumLevel: environment.Get(JsonLog.LevelVariable)), environment.Clock);

    /// <summary>An SQS consumer: the shared batch adapter (batchItemFailures) around one record handler.</summary>
    private static Func<FunctionEnvironment, ILambdaHandler> Queue(string name, Func<FunctionEnvironment, ApiServices, ISqsRecordHandler> build) =>
        environment => new SqsBatchFunction(build(environment, new ApiServices(environment)), new JsonLog(name, minimumLevel: environment.Get(JsonLog.LevelVariable)), environment.Clock);

    private static IdempotentHandler Idempotent(ApiServices services, IApiHandler inner) => new(inner, services.Idempotency);
}
