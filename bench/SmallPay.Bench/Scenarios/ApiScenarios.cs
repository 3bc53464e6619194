using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SmallPay.Functions.Hosting;

namespace SmallPay.Bench.Scenarios;

/// <summary>What every scenario needs: the stores (emulator or fakes), the two tenants, the sample events.</summary>
public sealed record ScenarioContext(BenchStores Stores, BenchTenant Reader, BenchTenant Writer, EventTemplates Events);

/// <summary>
/// One function's benchmark call: <see cref="PrepareAsync"/> makes what iteration i needs (outside any timing) and
/// returns the event to send. <see cref="Name"/> is the row; <see cref="Function"/> the FunctionCatalog name.
/// </summary>
public sealed record Scenario(string Name, string Function, bool Writes, Func<ScenarioContext, int, CancellationToken, Task<byte[]>> PrepareAsync)
{
    public bool IsWorker => Function == "DocumentWorker";
}

/// <summary>The sample event of every function, made repeatable: reads hit the reader tenant's fixed data, writes get a fresh target each.</summary>
public static class ApiScenarios
{
    public const string WorkerWithoutMail = "DocumentWorker (no mail)";
    public const string MemberRead = "GetInvoice (as a member)";

    public static IReadOnlyList<Scenario> All { get; } =
    [
        Read("GetInvoice"),
        Read("ListInvoices"),
        Read("GetCustomer"),
        Read("ListCustomers"),
        // The histories: the reader's invoice and customer exist (their activity may be empty: the bench runs no change feed).
        Read("ListInvoiceActivity"),
        Read("ListCustomerActivity"),
        Read("GetDashboard"),
        Read("GetSettings"),
        Read("GetInvoicePdf"),
        // The same read by a member of the business (X-SmallPay-Business): one consistent GetItem of their membership
        // more than the founder's request, which needs none. The row's difference is what teams cost per request.
        new Scenario(MemberRead, "GetInvoice", false, (c, i, ct) => Task.FromResult(c.Events.Build("GetInvoice", c.Reader, [], e =>
        {
            e["requestContext"]!["authorizer"]!["jwt"]!["claims"]!["sub"] = TenantSeeder.ReaderMember;
            EventTemplates.SetHeader(e, "x-smallpay-business", c.Reader.Sub);
        }))),
        Read("GetMe"),
        Read("GetTeam"),
        Write("CreateInvoice", (c, i, ct) => Task.FromResult(c.Events.Build("CreateInvoice", c.Writer, [(SampleEventIds.CustomerWithInvoices, c.Writer.CustomerId)],
            e => EventTemplates.SetHeader(e, "idempotency-key", Guid.NewGuid().ToString())))),
        Write("UpdateInvoice", async (c, i, ct) =>
        {
            var draft = await TenantSeeder.NewDraftAsync(c.Stores, c.Writer, ct);
            return c.Events.Build("UpdateInvoice", c.Writer, [(SampleEventIds.Draft, draft.Id), (SampleEventIds.CustomerWithInvoices, c.Writer.CustomerId)]);
        }),
        Write("DeleteInvoice", async (c, i, ct) =>
        {
            var draft = await TenantSeeder.NewDraftAsync(c.Stores, c.Writer, ct);
            return c.Events.Build("DeleteInvoice", c.Writer, [(SampleEventIds.DraftToDelete, draft.Id)]);
        }),
        Write("FinalizeInvoice", async (c, i, ct) =>
        {
            var draft = await TenantSeeder.NewDraftAsync(c.Stores, c.Writer, ct);
            return c.Events.Build("FinalizeInvoice", c.Writer, [(SampleEventIds.DraftToFinalize, draft.Id)]);
        }),
        Write("VoidInvoice", async (c, i, ct) =>
        {
            var open = await TenantSeeder.NewOpenAsync(c.Stores, c.Writer, withDelivery: false, ct);
            return c.Events.Build("VoidInvoice", c.Writer, [(SampleEventIds.OpenInvoiceToVoid, open.Id)]);
        }),
        Write("RecordPayment", async (c, i, ct) =>
        {
            var open = await TenantSeeder.NewOpenAsync(c.Stores, c.Writer, withDelivery: false, ct);
            return c.Events.Build("RecordPayment", c.Writer, [(SampleEventIds.OpenInvoice, open.Id)],
                e => EventTemplates.SetHeader(e, "idempotency-key", Guid.NewGuid().ToString()));
        }),
        Write("SendInvoice", async (c, i, ct) =>
        {
            var open = await TenantSeeder.NewOpenAsync(c.Stores, c.Writer, withDelivery: false, ct);
            return c.Events.Build("SendInvoice", c.Writer, [(SampleEventIds.OpenInvoiceToSend, open.Id)], e =>
            {
                EventTemplates.SetHeader(e, "idempotency-key", Guid.NewGuid().ToString());
                EventTemplates.EditBody(e, body => body["to"] = new JsonArray(c.Writer.CustomerEmail));
            });
        }),
        Write("CreateCustomer", (c, i, ct) => Task.FromResult(c.Events.Build("CreateCustomer", c.Writer, [], e =>
        {
            EventTemplates.SetHeader(e, "idempotency-key", Guid.NewGuid().ToString());
            EventTemplates.EditBody(e, body => body["email"] = $"buchhaltung+{Guid.NewGuid():N}@nordlicht-verlag.example");
        }))),
        Write("UpdateCustomer", async (c, i, ct) =>
        {
            var customer = await TenantSeeder.NewCustomerAsync(c.Stores, c.Writer, ct);
            // Keep its own address: e-mails are unique per tenant, and every iteration updates another customer.
            return c.Events.Build("UpdateCustomer", c.Writer, [(SampleEventIds.CustomerWithInvoices, customer.Id)],
                e => EventTemplates.EditBody(e, body => body["email"] = customer.Details.Email));
        }),
        Write("DeleteCustomer", async (c, i, ct) =>
        {
            var customer = await TenantSeeder.NewCustomerAsync(c.Stores, c.Writer, ct);
            return c.Events.Build("DeleteCustomer", c.Writer, [(SampleEventIds.CustomerWithoutInvoices, customer.Id)]);
        }),
        Write("UpdateSettings", async (c, i, ct) =>
        {
            // The current version, and the counter left where finalizing put it (setting it back would make later finalizations skip numbers).
            var current = await c.Stores.Settings.GetAsync(c.Writer.Sub, ct);
            return c.Events.Build("UpdateSettings", c.Writer, [], e =>
            {
                EventTemplates.SetHeader(e, "if-match", $"\"{current.Version.ToString(CultureInfo.InvariantCulture)}\"");
                EventTemplates.EditBody(e, body => body["nextNumber"] = current.NextNumber);
            });
        }),
        new Scenario("DocumentWorker", "DocumentWorker", true, async (c, i, ct) =>
        {
            var sent = await TenantSeeder.NewOpenAsync(c.Stores, c.Writer, withDelivery: true, ct);
            return c.Events.Build("DocumentWorker", c.Writer, [(SampleEventIds.SentInvoice, sent.Id), (SampleEventIds.CustomerWithInvoices, c.Writer.CustomerId)],
                e => EventTemplates.SetStreamRecordVersion(e, sent.Version));
        }),
        new Scenario(WorkerWithoutMail, "DocumentWorker", true, async (c, i, ct) =>
        {
            var open = await TenantSeeder.NewOpenAsync(c.Stores, c.Writer, withDelivery: false, ct);
            return c.Events.Build("DocumentWorker", c.Writer, [(SampleEventIds.SentInvoice, open.Id), (SampleEventIds.CustomerWithInvoices, c.Writer.CustomerId)],
                e => EventTemplates.SetStreamRecordVersion(e, open.Version));
        }),
    ];

    /// <summary>The catalogue's functions that have no scenario here yet (a new function): reported, never silently skipped.</summary>
    public static IReadOnlyList<string> Missing() =>
        FunctionCatalog.Names.Where(name => All.All(s => s.Function != name)).Order(StringComparer.Ordinal).ToList();

    /// <summary>Null if the function answered as it should (a 2xx; for the worker, no failed record); else what it said.</summary>
    public static string? Failure(Scenario scenario, ReadOnlySpan<byte> response)
    {
        try
        {
            using var json = JsonDocument.Parse(response.ToArray());
            var root = json.RootElement;
            if (scenario.IsWorker)
                return root.TryGetProperty("batchItemFailures", out var failures) && failures.GetArrayLength() == 0 ? null : Truncate(root.GetRawText());
            if (root.TryGetProperty("statusCode", out var status) && status.GetInt32() is >= 200 and < 300) return null;
            return Truncate(root.GetRawText());
        }
        catch (JsonException)
        {
            return "not JSON: " + Truncate(System.Text.Encoding.UTF8.GetString(response));
        }
    }

    private static Scenario Read(string function) =>
        new(function, function, false, (c, i, ct) => Task.FromResult(c.Events.Build(function, c.Reader, [])));

    private static Scenario Write(string function, Func<ScenarioContext, int, CancellationToken, Task<byte[]>> prepare) => new(function, function, true, prepare);

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
