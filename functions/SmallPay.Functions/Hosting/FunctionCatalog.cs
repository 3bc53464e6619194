using SmallPay.Functions.Changes;
using SmallPay.Functions.CreditNotes;
using SmallPay.Functions.CustomerPage;
using SmallPay.Functions.Customers;
using SmallPay.Functions.Dashboard;
using SmallPay.Functions.Documents;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Hosting.Idempotency;
using SmallPay.Functions.Hosting.Logging;
using SmallPay.Functions.Hosting.Sqs;
using SmallPay.Functions.Hosting.Streams;
using SmallPay.Functions.Invoices;
using SmallPay.Functions.Payments;
using SmallPay.Functions.Quotes;
using SmallPay.Functions.Recurring;
using SmallPay.Functions.Reminders;
using SmallPay.Functions.Settings;
using SmallPay.Functions.Team;
using SmallPay.Functions.Webhooks;
using SmallPay.Domain.Teams;

namespace SmallPay.Functions.Hosting;

/// <summary>Every Lambda function this assembly serves, by the name template.yaml puts in SMALLPAY_FUNCTION.</summary>
public static class FunctionCatalog
{
    public const string SelectorVariable = "SMALLPAY_FUNCTION";

    private static readonly Dictionary<string, (Permission Permission, Func<IFunctionServices, ILambdaHandler> Build)> Factories = new(StringComparer.Ordinal)
    {
        ["CreateInvoice"] = Api("CreateInvoice", Permission.Write, s => Idempotent(s, new CreateInvoice(s.Invoices, s.Customers, s.Settings))),
        ["ListInvoices"] = Api("ListInvoices", Permission.Read, s => new ListInvoices(s.Invoices)),
        ["GetInvoice"] = Api("GetInvoice", Permission.Read, s => new GetInvoice(s.Invoices, s.Settings, s.Customers, s.Reminders)),
        ["UpdateInvoice"] = Api("UpdateInvoice", Permission.Write, s => new UpdateInvoice(s.Invoices, s.Customers, s.Settings)),
        ["DeleteInvoice"] = Api("DeleteInvoice", Permission.Write, s => new DeleteInvoice(s.Invoices)),
        ["FinalizeInvoice"] = Api("FinalizeInvoice", Permission.Write, s => new FinalizeInvoice(Allocator(s))),
        ["VoidInvoice"] = Api("VoidInvoice", Permission.Write, s => new VoidInvoice(s.Invoices)),
        ["RecordPayment"] = Api("RecordPayment", Permission.Write, s => Idempotent(s, new RecordPayment(s.Invoices))),
        ["CreateCustomer"] = Api("CreateCustomer", Permission.Write, s => Idempotent(s, new CreateCustomer(s.Customers))),
        ["ListCustomers"] = Api("ListCustomers", Permission.Read, s => new ListCustomers(s.Customers)),
        ["GetCustomer"] = Api("GetCustomer", Permission.Read, s => new GetCustomer(s.Customers)),
        ["UpdateCustomer"] = Api("UpdateCustomer", Permission.Write, s => new UpdateCustomer(s.Customers)),
        ["DeleteCustomer"] = Api("DeleteCustomer", Permission.Write, s => new DeleteCustomer(s.Customers)),
        ["GetDashboard"] = Api("GetDashboard", Permission.Read, s => new GetDashboard(s.Invoices, s.Recurring)),
        ["GetSettings"] = Api("GetSettings", Permission.Read, s => new GetSettings(s.Settings, s.MailPolicy, s.SendingPolicy)),
        ["UpdateSettings"] = Api("UpdateSettings", Permission.ManageSettings, s => new UpdateSettings(s.Settings, s.Reminders)),
        ["RequestEmailVerification"] = Api("RequestEmailVerification", Permission.ManageSettings, s => Idempotent(s, new RequestEmailVerification(s.Settings, s.EmailCodes, s.MailPolicy, s.SendingPolicy, emailConfigured: s.Environment.Get("SMTP_SENDER") is { Length: > 0 }))),
        ["ConfirmEmailVerification"] = Api("ConfirmEmailVerification", Permission.ManageSettings, s => new ConfirmEmailVerification(s.Settings, s.EmailCodes)),
        ["SendInvoice"] = Api("SendInvoice", Permission.Write, s => Idempotent(s, new SendInvoice(s.Invoices, s.Customers, s.Settings, Allocator(s), s.MailPolicy, s.SendingPolicy, emailConfigured: s.Environment.Get("SMTP_SENDER") is { Length: > 0 }))),
        ["GetInvoicePdf"] = Api("GetInvoicePdf", Permission.Read, s => new GetInvoicePdf(s.Invoices, s.Documents, s.DocumentLinkLifetime)),
        ["GetMe"] = Api("GetMe", Permission.Self, s => new GetMe(s.Teams, s.Settings)),
        ["GetTeam"] = Api("GetTeam", Permission.Read, s => new GetTeam(s.Teams)),
        ["InviteMember"] = Api("InviteMember", Permission.ManageTeam, s => Idempotent(s, new InviteMember(s.Teams, s.MailPolicy, s.SendingPolicy, s.Environment.Get("APP_URL") ?? "http://localhost:3000"))),
        ["RevokeInvitation"] = Api("RevokeInvitation", Permission.ManageTeam, s => new RevokeInvitation(s.Teams)),
        ["ChangeMemberRole"] = Api("ChangeMemberRole", Permission.ManageTeam, s => new ChangeMemberRole(s.Teams)),
        // Any member may leave; removing someone else needs ManageTeam, checked by the handler.
        ["RemoveMember"] = Api("RemoveMember", Permission.Read, s => new RemoveMember(s.Teams)),
        ["AcceptInvitation"] = Api("AcceptInvitation", Permission.Self, s => new AcceptInvitation(s.Teams, s.Settings)),
        ["CreateRecurringProfile"] = Api("CreateRecurringProfile", Permission.Write, s => Idempotent(s, new CreateRecurringProfile(s.Recurring, s.Invoices, s.Customers, s.Settings))),
        ["ListRecurringProfiles"] = Api("ListRecurringProfiles", Permission.Read, s => new ListRecurringProfiles(s.Recurring)),
        ["GetRecurringProfile"] = Api("GetRecurringProfile", Permission.Read, s => new GetRecurringProfile(s.Recurring, s.Invoices)),
        ["UpdateRecurringProfile"] = Api("UpdateRecurringProfile", Permission.Write, s => new UpdateRecurringProfile(s.Recurring, s.Invoices, s.Customers, s.Settings)),
        ["PauseRecurringProfile"] = Api("PauseRecurringProfile", Permission.Write, s => new PauseRecurringProfile(s.Recurring, s.Invoices)),
        ["ResumeRecurringProfile"] = Api("ResumeRecurringProfile", Permission.Write, s => new ResumeRecurringProfile(s.Recurring, s.Invoices)),
        ["RevokeInvoiceLinks"] = Api("RevokeInvoiceLinks", Permission.Write, s => new RevokeInvoiceLinks(s.Invoices, s.Links)),
        ["CreateQuote"] = Api("CreateQuote", Permission.Write, s => Idempotent(s, new CreateQuote(s.Quotes, s.Customers, s.Settings))),
        ["ListQuotes"] = Api("ListQuotes", Permission.Read, s => new ListQuotes(s.Quotes)),
        ["GetQuote"] = Api("GetQuote", Permission.Read, s => new GetQuote(s.Quotes)),
        ["UpdateQuote"] = Api("UpdateQuote", Permission.Write, s => new UpdateQuote(s.Quotes, s.Customers, s.Settings)),
        ["DeleteQuote"] = Api("DeleteQuote", Permission.Write, s => new DeleteQuote(s.Quotes)),
        ["SendQuote"] = Api("SendQuote", Permission.Write, s => Idempotent(s, new SendQuote(s.Quotes, s.Customers, s.Settings, s.MailPolicy, s.SendingPolicy, s.Clock, emailConfigured: s.Environment.Get("SMTP_SENDER") is { Length: > 0 }))),
        ["ConvertQuote"] = Api("ConvertQuote", Permission.Write, s => new ConvertQuote(s.Quotes, s.Customers)),
        ["RevokeQuoteLinks"] = Api("RevokeQuoteLinks", Permission.Write, s => new RevokeQuoteLinks(s.Quotes, s.Links)),
        ["IssueCreditNote"] = Api("IssueCreditNote", Permission.Write, s => Idempotent(s, new IssueCreditNote(s.Invoices, s.CreditNotes, s.Settings, s.Clock, s.MailPolicy, s.SendingPolicy, emailConfigured: s.Environment.Get("SMTP_SENDER") is { Length: > 0 }))),
        ["ListCreditNotes"] = Api("ListCreditNotes", Permission.Read, s => new ListCreditNotes(s.CreditNotes)),
        ["GetCreditNote"] = Api("GetCreditNote", Permission.Read, s => new GetCreditNote(s.CreditNotes)),
        ["SendCreditNote"] = Api("SendCreditNote", Permission.Write, s => Idempotent(s, new SendCreditNote(s.CreditNotes, s.Settings, s.MailPolicy, s.SendingPolicy, emailConfigured: s.Environment.Get("SMTP_SENDER") is { Length: > 0 }))),
        ["GetCreditNotePdf"] = Api("GetCreditNotePdf", Permission.Read, s => new GetCreditNotePdf(s.CreditNotes, s.Documents, s.DocumentLinkLifetime)),
        ["RecordCreditNoteRefund"] = Api("RecordCreditNoteRefund", Permission.Write, s => Idempotent(s, new RecordCreditNoteRefund(s.CreditNotes, s.Invoices))),
        // The customer's page: anonymous routes (no JWT), the signed link in the path decides what they show.
        ["ViewDocumentPage"] = Public("ViewDocumentPage", s => new ViewDocumentPage(Resolver(s), s.Links, s.Settings)),
        ["GetDocumentPagePdf"] = Public("GetDocumentPagePdf", s => new GetDocumentPagePdf(Resolver(s), s.Documents)),
        ["RespondToQuote"] = Public("RespondToQuote", s => new RespondToQuote(Resolver(s), s.Quotes, s.Settings)),
        // Scheduled (no route): EventBridge Scheduler in AWS, the local host's schedules locally.
        ["RunRecurring"] = (Permission.Self, s => new RunRecurring(s.Recurring, s.Customers, s.Settings, Allocator(s), s.MailPolicy, s.SendingPolicy,
            emailConfigured: s.Environment.Get("SMTP_SENDER") is { Length: > 0 }, s.Clock, Log("RunRecurring", s))),
        ["SendReminder"] = Api("SendReminder", Permission.Write, s => Idempotent(s, new SendReminder(s.Invoices, s.Customers, s.Settings, s.MailPolicy, s.SendingPolicy, emailConfigured: s.Environment.Get("SMTP_SENDER") is { Length: > 0 }))),
        ["SetInvoiceReminders"] = Api("SetInvoiceReminders", Permission.Write, s => new SetInvoiceReminders(s.Invoices)),
        ["RunReminders"] = (Permission.Self, s => new RunReminders(s.Reminders, s.Invoices, s.Customers, s.Settings, s.MailPolicy, s.SendingPolicy,
            emailConfigured: s.Environment.Get("SMTP_SENDER") is { Length: > 0 }, s.Clock, Log("RunReminders", s))),
        ["ExportCsv"] = Api("ExportCsv", Permission.Read, s => new SmallPay.Functions.Exports.ExportCsv(s.Invoices, s.Customers, s.Documents, s.DocumentLinkLifetime, s.CreditNotes)),
        ["PreviewCustomerImport"] = Api("PreviewCustomerImport", Permission.Write, s => new PreviewCustomerImport(s.Customers)),
        ["ImportCustomers"] = Api("ImportCustomers", Permission.Write, s => Idempotent(s, new ImportCustomers(s.Customers))),
        ["CreateWebhook"] = Api("CreateWebhook", Permission.ManageSettings, s => Idempotent(s, new CreateWebhook(s.Webhooks, Vetting(s)))),
        ["ListWebhooks"] = Api("ListWebhooks", Permission.ManageSettings, s => new ListWebhooks(s.Webhooks)),
        ["GetWebhook"] = Api("GetWebhook", Permission.ManageSettings, s => new GetWebhook(s.Webhooks)),
        ["UpdateWebhook"] = Api("UpdateWebhook", Permission.ManageSettings, s => new UpdateWebhook(s.Webhooks, Vetting(s))),
        ["DeleteWebhook"] = Api("DeleteWebhook", Permission.ManageSettings, s => new DeleteWebhook(s.Webhooks)),
        ["RotateWebhookSecret"] = Api("RotateWebhookSecret", Permission.ManageSettings, s => new RotateWebhookSecret(s.Webhooks)),
        ["ListWebhookDeliveries"] = Api("ListWebhookDeliveries", Permission.ManageSettings, s => new ListWebhookDeliveries(s.Webhooks)),
        ["ResendWebhookDelivery"] = Api("ResendWebhookDelivery", Permission.ManageSettings, s => new ResendWebhookDelivery(s.Webhooks, Dispatcher(s))),
        ["DeliverWebhooks"] = Queue("DeliverWebhooks", s => new DeliverWebhooks(Dispatcher(s))),
        ["RetryWebhooks"] = (Permission.Self, s => new RetryWebhooks(s.Webhooks, Dispatcher(s), s.Clock, Log("RetryWebhooks", s))),
        ["ListInvoiceActivity"] = Api("ListInvoiceActivity", Permission.Read, s => new ListInvoiceActivity(s.Invoices, s.Activity)),
        ["ListCustomerActivity"] = Api("ListCustomerActivity", Permission.Read, s => new ListCustomerActivity(s.Customers, s.Activity)),
        // The change feed: a DynamoDB stream consumer (the invoices' and customers' streams), no route.
        ["RecordChanges"] = Stream("RecordChanges", s => new RecordChanges(s.Activity, s.DomainEvents)),
        ["DocumentWorker"] = Queue("DocumentWorker", s => DocumentWorkerSetup.Create(s.Environment, s)),
        ["MailEvents"] = Queue("MailEvents", s => new MailEventHandler(s.WorkerInvoices, s.MailPolicy, s.Clock)),
    };

    /// <summary>What the route of an API function needs of the caller's role (the role matrix; null for the queue consumers and the scheduled function).</summary>
    public static Permission? PermissionOf(string name) =>
        Factories.TryGetValue(name, out var entry) && name is not ("DocumentWorker" or "MailEvents" or "RunRecurring" or "RunReminders" or "DeliverWebhooks" or "RetryWebhooks" or "RecordChanges") && !PublicFunctions.Contains(name) ? entry.Permission : null;

    /// <summary>The functions of routes without the JWT authorizer (template.yaml: <c>Auth.Authorizer: NONE</c>).</summary>
    public static readonly IReadOnlySet<string> PublicFunctions = new HashSet<string>(StringComparer.Ordinal) { "ViewDocumentPage", "GetDocumentPagePdf", "RespondToQuote" };

    public static IReadOnlyCollection<string> Names => Factories.Keys;

    public static bool Contains(string name) => Factories.ContainsKey(name);

    /// <summary>Builds the handler once per execution environment (SDK clients, config).</summary>
    public static ILambdaHandler Create(string name, FunctionEnvironment environment) => Create(name, new FunctionServices(environment));

    /// <summary>Builds the handler over the given stores (in-memory ones in unit tests and the warm benchmark).</summary>
    public static ILambdaHandler Create(string name, IFunctionServices services) =>
        Factories.TryGetValue(name, out var factory)
            ? factory.Build(services)
            : throw new ArgumentException($"Unknown function '{name}'. Known: {string.Join(", ", Factories.Keys)}", nameof(name));

    /// <summary>An HTTP API function: the shared adapter around one route handler.</summary>
    private static (Permission, Func<IFunctionServices, ILambdaHandler>) Api(string name, Permission permission, Func<IFunctionServices, IApiHandler> build) =>
        (permission, services => new HttpApiFunction(build(services), Log(name, services), services.Clock, permission, services.Teams,
            services.TenantRequestsPerMinute is { } limit ? new TenantRateLimit(services.RateLimits, limit) : null));

    /// <summary>An anonymous route: the public adapter (per-client rate limit, HTML pages) around one handler.</summary>
    private static (Permission, Func<IFunctionServices, ILambdaHandler>) Public(string name, Func<IFunctionServices, IPublicHandler> build) =>
        (Permission.Self, services => new PublicHttpFunction(build(services), Log(name, services), services.Clock,
            services.PublicRequestsPerMinute is { } limit ? new ClientRateLimit(services.RateLimits, limit) : null));

    private static LinkResolver Resolver(IFunctionServices services) =>
        new(services.Links, services.Invoices, DocumentLinkSigner.FromEnvironment(services.Environment)
            ?? throw new InvalidOperationException($"Environment variable {DocumentLinkSigner.SecretVariable} is not set (at least 32 characters)."), services.Quotes);

    /// <summary>An SQS consumer: the shared batch adapter (batchItemFailures) around one record handler.</summary>
    /// <remarks>The adapter judges the time left against Lambda's deadline (wall-clock time), not the business clock.</remarks>
    private static (Permission, Func<IFunctionServices, ILambdaHandler>) Queue(string name, Func<IFunctionServices, ISqsRecordHandler> build) =>
        (Permission.Self, services => new SqsBatchFunction(build(services), Log(name, services), TimeProvider.System));

    /// <summary>A DynamoDB stream consumer: the shared stream batch adapter (batchItemFailures by SequenceNumber) around one record handler.</summary>
    private static (Permission, Func<IFunctionServices, ILambdaHandler>) Stream(string name, Func<IFunctionServices, IStreamRecordHandler> build) =>
        (Permission.Self, services => new StreamBatchFunction(build(services), Log(name, services), TimeProvider.System));

    private static JsonLog Log(string name, IFunctionServices services) =>
        new(name, services.LogOutput, services.Environment.Get(JsonLog.LevelVariable));

    private static IdempotentHandler Idempotent(IFunctionServices services, IApiHandler inner) => new(inner, services.Idempotency);

    private static WebhookDispatcher Dispatcher(IFunctionServices services) => new(services.Webhooks, services.WebhookNetwork, services.Clock);

    private static WebhookUrlVetting Vetting(IFunctionServices services) =>
        new(services.WebhookNetwork, services.Environment.Get(HttpWebhookNetwork.TestReceiverVariable));

    private static InvoiceNumberAllocator Allocator(IFunctionServices services) =>
        new(services.Invoices, services.Customers, services.Settings, services.Clock);
}
