using Amazon.Runtime;
using Amazon.S3;
using SmallPay.Functions.Customers;
using SmallPay.Functions.Dashboard;
using SmallPay.Functions.Documents;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Hosting.Idempotency;
using SmallPay.Functions.Hosting.Logging;
using SmallPay.Functions.Invoices;
using SmallPay.Functions.Payments;
using SmallPay.Functions.Settings;
using SmallPay.Functions.Storage;

namespace SmallPay.Bench.Warm;

/// <summary>
/// The API functions as FunctionCatalog builds them (the same handler classes behind the same HttpApiFunction adapter),
/// over the in-memory stores: what is left of a call without the emulator's I/O. Keep in step with FunctionCatalog.
/// </summary>
public static class FakeWiring
{
    // Presigning is CPU work (SigV4), not I/O: GetInvoicePdf keeps the real S3 signer, pointed nowhere it would call.
    private static readonly IAmazonS3 Signer = new AmazonS3Client(new BasicAWSCredentials("bench", "bench"),
        new AmazonS3Config { ServiceURL = "http://127.0.0.1:9", ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

    /// <summary>The handler, or null for a function without an in-memory wiring (the worker: its work is PDF, S3 and SMTP).</summary>
    public static ILambdaHandler? Create(string function, InMemoryStores stores, TextWriter log)
    {
        var invoices = stores.Invoices;
        var customers = stores.Customers;
        var settings = stores.Settings;
        IApiHandler Idempotent(IApiHandler inner) => new IdempotentHandler(inner, stores.Idempotency);
        InvoiceNumberAllocator Allocator() => new(invoices, customers, settings);
        IApiHandler? handler = function switch
        {
            "CreateInvoice" => Idempotent(new CreateInvoice(invoices, customers, settings)),
            "ListInvoices" => new ListInvoices(invoices),
            "GetInvoice" => new GetInvoice(invoices),
            "UpdateInvoice" => new UpdateInvoice(invoices, customers, settings),
            "DeleteInvoice" => new DeleteInvoice(invoices),
            "FinalizeInvoice" => new FinalizeInvoice(Allocator()),
            "VoidInvoice" => new VoidInvoice(invoices),
            "RecordPayment" => Idempotent(new RecordPayment(invoices)),
            "CreateCustomer" => Idempotent(new CreateCustomer(customers)),
            "ListCustomers" => new ListCustomers(customers),
            "GetCustomer" => new GetCustomer(customers),
            "UpdateCustomer" => new UpdateCustomer(customers),
            "DeleteCustomer" => new DeleteCustomer(customers),
            "GetDashboard" => new GetDashboard(invoices),
            "GetSettings" => new GetSettings(settings),
            "UpdateSettings" => new UpdateSettings(settings),
            "SendInvoice" => Idempotent(new SendInvoice(invoices, settings, Allocator())),
            "GetInvoicePdf" => new GetInvoicePdf(invoices, new S3DocumentStorage(Signer, "bench-documents", plainHttp: true), GetInvoicePdf.DefaultLinkLifetime),
            _ => null,
        };
        // INFO, as in Lambda (the template sets no AWS_LAMBDA_LOG_LEVEL): each request line is formatted, then discarded.
        return handler is null ? null : new HttpApiFunction(handler, new JsonLog(function, log, "INFO"), TimeProvider.System);
    }
}
