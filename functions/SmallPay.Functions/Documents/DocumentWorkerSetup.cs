using SmallPay.Functions.Documents.Mail;
using SmallPay.Functions.Documents.Rendering;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Documents;

/// <summary>Builds the document worker once per execution environment from its variables (docs/ARCHITECTURE.md, Environment).</summary>
public static class DocumentWorkerSetup
{
    // One client for the secrets extension per process: it is only ever called on localhost.
    private static readonly HttpClient SecretsHttp = new() { Timeout = TimeSpan.FromSeconds(5) };

    public static DocumentWorker Create(FunctionEnvironment environment, IFunctionServices services)
    {
        var smtp = SmtpSettings.From(environment);
        ISmtpCredentialsSource credentials = smtp.SecretName is { } secret
            ? new SecretsExtensionCredentials(SecretsHttp, secret, environment.Get("AWS_SESSION_TOKEN"),
                int.TryParse(environment.Get(SecretsExtensionCredentials.PortVariable), out var port) ? port : SecretsExtensionCredentials.DefaultPort)
            : new NoSmtpCredentials();
        var mail = new SmtpMailSender(smtp, credentials);
        return new DocumentWorker(
            services.WorkerInvoices,
            services.Settings,
            services.Documents,
            new PdfSharpDocumentRenderer(new InvoicePdfRenderer()),
            new DeliveryEmailComposer(new InvoiceEmailComposer(smtp.Sender)),
            mail,
            environment.Clock,
            services.Teams is IInvitationOutbox outbox
                ? new InvitationMailer(outbox, services.Settings, mail, smtp.Sender, environment.Get("APP_URL") ?? "http://localhost:3000", environment.Clock)
                : null,
            services.MailPolicy,
            environment.Get("SES_CONFIGURATION_SET") is { Length: > 0 } set ? set : null,
            services.EmailCodes is IEmailCodeOutbox codes ? new EmailCodeMailer(codes, services.Settings, mail, smtp.Sender, environment.Clock) : null,
            CustomerPage.DocumentLinkIssuer.FromEnvironment(environment, services.Links),
            leaseClock: TimeProvider.System);
    }
}
