using System.Globalization;
using SmallPay.Domain;
using SmallPay.Domain.Customers;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Settings;

namespace SmallPay.Bench.Scenarios;

/// <summary>
/// The data the benchmarks run on. The reader tenant holds what the sample events read (their ids) plus a year of
/// invoices, so lists and the dashboard do real work; the writer tenant takes every write, each on a fresh target
/// made here before the timed call (a draft to delete, an open invoice to void, ...), so no iteration sees another's.
/// </summary>
public static class TenantSeeder
{
    public static readonly DateTimeOffset Seeded = new(2026, 11, 2, 8, 40, 11, TimeSpan.Zero);

    public static readonly InvoiceLine DesignWork = new("Design work (hours)", 10m, 95.50m, 0m, 19m);
    public static readonly InvoiceLine Proofs = new("Printed proofs", 1m, 120.00m, 0m, 7m);
    public static readonly InvoiceLine Licence = new("Logo licence (print)", 1m, 400.00m, 0m, 19m);

    public static readonly BusinessSettings Business = Shared.BenchInvoices.Business;

    private static readonly CustomerDetails Mueller = new("Müller GmbH", "billing@mueller-gmbh.example", "+49 30 1234567",
        new PostalAddress("Hauptstraße 5", null, "Berlin", null, "10115", "DE"), "DE123456789");

    private static readonly CustomerDetails CafeRosa = new("Café Rosa", "hallo@cafe-rosa.example", null,
        new PostalAddress("Kastanienallee 7", null, "Berlin", null, "10435", "DE"), null);

    private static readonly string[] Work =
    [
        "Design work (hours)", "Printed proofs", "Logo licence (print)", "Photography, half day", "Copy editing",
        "Brand guidelines, 24 pages, including colour and typography sections", "Website illustrations", "Travel costs",
    ];

    /// <summary>The sample events' data under <paramref name="sub"/>, and <paramref name="moreInvoices"/> invoices spread over the last year.</summary>
    /// <summary>A user who is a member (not the founder) of the reader's business: their requests read their role each time.</summary>
    public const string ReaderMember = "00000000-0000-4000-8000-0000000b0b0b";

    public static async Task<BenchTenant> SeedReaderAsync(BenchStores stores, string sub, int moreInvoices, DateOnly today, CancellationToken ct)
    {
        await stores.Settings.SaveAsync(sub, Business, ct);
        if (stores.Teams is { } teams)
        {
            var now = DateTimeOffset.UtcNow;
            var invitation = new SmallPay.Domain.Teams.Invitation($"bench-{Guid.NewGuid():N}", sub, "member@bench.example", SmallPay.Domain.Teams.Role.Member, now, now.AddDays(7), sub);
            await teams.CreateInvitationAsync(invitation, Guid.NewGuid().ToString("N"), ct);
            await teams.AcceptInvitationAsync(invitation,
                new SmallPay.Domain.Teams.Membership(sub, ReaderMember, SmallPay.Domain.Teams.Role.Member, "member@bench.example", now, sub), now, ct);
        }
        await stores.Customers.CreateAsync(NewCustomer(SampleEventIds.CustomerWithInvoices, sub, Mueller), ct);
        await stores.Customers.CreateAsync(NewCustomer(SampleEventIds.CustomerWithoutInvoices, sub, CafeRosa), ct);
        var mueller = new BenchTenant(sub, SampleEventIds.CustomerWithInvoices, Mueller.Email!);
        var snapshot = NewCustomer(SampleEventIds.CustomerWithInvoices, sub, Mueller).Snapshot();

        await stores.Invoices.CreateAsync(Draft(SampleEventIds.Draft, mueller, snapshot, new DateOnly(2026, 11, 18), [DesignWork]), ct);
        await stores.Invoices.CreateAsync(Draft(SampleEventIds.DraftToDelete, mueller, snapshot, new DateOnly(2026, 11, 19), []), ct);
        await stores.Invoices.CreateAsync(Draft(SampleEventIds.DraftToFinalize, mueller, snapshot, new DateOnly(2026, 11, 19), [DesignWork, Proofs]), ct);
        await OpenAsync(stores, Draft(SampleEventIds.OpenInvoice, mueller, snapshot, new DateOnly(2026, 11, 2), [DesignWork, Proofs], 5m), "INV-000006", snapshot, ct);
        await OpenAsync(stores, Draft(SampleEventIds.OpenInvoiceToVoid, mueller, snapshot, new DateOnly(2026, 11, 10), [Licence]), "INV-000007", snapshot, ct);
        await OpenAsync(stores, Draft(SampleEventIds.OpenInvoiceToSend, mueller, snapshot, new DateOnly(2026, 11, 4), [Licence]), "INV-000005", snapshot, ct);
        var sent = await OpenAsync(stores, Draft(SampleEventIds.SentInvoice, mueller, snapshot, new DateOnly(2026, 11, 3), [DesignWork]), "INV-000004", snapshot, ct);
        await stores.RecordDocumentAsync(SampleEventIds.OpenInvoice,
            new StoredDocument($"invoices/{sub}/{SampleEventIds.OpenInvoice}/v2.pdf", 2, Seeded.AddMinutes(5), 41613), ct);
        var withDelivery = InvoiceDeliveries.Request(sent, new DeliveryInput(), SampleEventIds.PendingDelivery, Business.BusinessName, Seeded.AddDays(18))
            with { Version = sent.Version + 1 };
        await stores.Invoices.UpdateAsync(sent, withDelivery, ct);

        // A year of business with twenty more customers: drafts, open, partly paid, paid and void invoices.
        var customers = new List<Customer>();
        for (var c = 0; c < Math.Min(20, Math.Max(1, moreInvoices)); c++)
        {
            var customer = NewCustomer(Ids.New("cus"), sub, new CustomerDetails($"Customer {c + 1:00} {Work[c % Work.Length].Split(' ')[0]} AG",
                $"accounts{c + 1}@customer{c + 1}.example", null, new PostalAddress($"Street {c + 1}", null, "Hamburg", null, "20095", "DE"), null));
            await stores.Customers.CreateAsync(customer, ct);
            customers.Add(customer);
        }
        for (var i = 0; i < moreInvoices; i++)
        {
            var customer = customers[i % customers.Count];
            var issued = today.AddDays(-(int)((long)i * 365 / Math.Max(1, moreInvoices)) - 1);
            var lines = Enumerable.Range(0, 1 + i % 8)
                .Select(k => new InvoiceLine(Work[(i + k) % Work.Length], 1m + (i + k) % 12, 35m + (i * 7 + k * 13) % 400, k % 3 == 0 ? 5m : 0m, k % 4 == 0 ? 7m : 19m))
                .ToList();
            var draft = InvoiceLifecycle.CreateDraft(Ids.New("inv"), sub,
                new InvoiceContent(customer.Id, "EUR", issued, null, 14, lines, InvoiceDiscount.None, null), customer.Snapshot(), Seeded);
            if (i % 10 < 2)
            {
                await stores.Invoices.CreateAsync(draft, ct);
                continue;
            }
            var open = await OpenAsync(stores, draft, string.Create(CultureInfo.InvariantCulture, $"INV-1{i:00000}"), customer.Snapshot(), ct);
            switch (i % 10)
            {
                case 6:
                    await PayAsync(stores, open, Math.Round(open.Totals.BalanceDue / 2, 2), issued.AddDays(10), ct);
                    break;
                case 7 or 8:
                    await PayAsync(stores, open, open.Totals.BalanceDue, issued.AddDays(12), ct);
                    break;
                case 9:
                    var voided = InvoiceLifecycle.Void(open, "Issued twice", Seeded) with { Version = open.Version + 1 };
                    await stores.Invoices.UpdateAsync(open, voided, ct);
                    break;
            }
        }
        return mueller;
    }

    /// <summary>The writer tenant: its settings and the one customer its invoices bill.</summary>
    public static async Task<BenchTenant> SeedWriterAsync(BenchStores stores, string sub, CancellationToken ct)
    {
        await stores.Settings.SaveAsync(sub, Business with { BusinessName = "Bench Writer Studio" }, ct);
        var customer = NewCustomer(Ids.New("cus"), sub, Mueller with { Email = $"billing+{sub[..8]}@mueller-gmbh.example" });
        await stores.Customers.CreateAsync(customer, ct);
        return new BenchTenant(sub, customer.Id, customer.Details.Email!);
    }

    /// <summary>A draft with two lines (version 1).</summary>
    public static async Task<Invoice> NewDraftAsync(BenchStores stores, BenchTenant tenant, CancellationToken ct)
    {
        var draft = Draft(Ids.New("inv"), tenant, Snapshot(tenant), new DateOnly(2026, 11, 19), [DesignWork, Proofs]);
        await stores.Invoices.CreateAsync(draft, ct);
        return draft;
    }

    /// <summary>An open invoice of 1,201.61 EUR (version 2), or with a pending delivery request (version 3).</summary>
    public static async Task<Invoice> NewOpenAsync(BenchStores stores, BenchTenant tenant, bool withDelivery, CancellationToken ct, string? subject = null)
    {
        var draft = Draft(Ids.New("inv"), tenant, Snapshot(tenant), new DateOnly(2026, 11, 2), [DesignWork, Proofs], 5m);
        var open = await OpenAsync(stores, draft, "B-" + draft.Id[^10..], Snapshot(tenant), ct);
        if (!withDelivery) return open;
        var requested = InvoiceDeliveries.Request(open, new DeliveryInput(Subject: subject), Ids.New("dlv"), "Bench Writer Studio", DateTimeOffset.UtcNow)
            with { Version = open.Version + 1 };
        await stores.Invoices.UpdateAsync(open, requested, ct);
        return requested;
    }

    /// <summary>A customer without invoices (version 1) with an e-mail address of its own.</summary>
    public static async Task<Customer> NewCustomerAsync(BenchStores stores, BenchTenant tenant, CancellationToken ct)
    {
        var id = Ids.New("cus");
        var customer = NewCustomer(id, tenant.Sub, CafeRosa with { Email = $"{id.ToLowerInvariant()}@bench.example" });
        await stores.Customers.CreateAsync(customer, ct);
        return customer;
    }

    private static CustomerSnapshot Snapshot(BenchTenant tenant) =>
        new(Mueller.Name, tenant.CustomerEmail, Mueller.Address, Mueller.TaxId);

    private static Customer NewCustomer(string id, string sub, CustomerDetails details) =>
        new() { Id = id, Tenant = sub, Details = details, CreatedAt = Seeded, UpdatedAt = Seeded };

    private static Invoice Draft(string id, BenchTenant tenant, CustomerSnapshot customer, DateOnly issued, IReadOnlyList<InvoiceLine> lines, decimal discountPercent = 0m) =>
        InvoiceLifecycle.CreateDraft(id, tenant.Sub,
            new InvoiceContent(tenant.CustomerId, "EUR", issued, null, 14, lines,
                discountPercent == 0m ? InvoiceDiscount.None : new InvoiceDiscount(DiscountKind.Percent, discountPercent), null),
            customer, Seeded);

    /// <summary>A finalized invoice written directly (version 2), leaving the settings' counter alone.</summary>
    private static async Task<Invoice> OpenAsync(BenchStores stores, Invoice draft, string number, CustomerSnapshot customer, CancellationToken ct)
    {
        await stores.Invoices.CreateAsync(draft, ct);
        var open = InvoiceLifecycle.Finalize(draft, number, customer, Seeded.AddMinutes(5)) with { Version = draft.Version + 1 };
        await stores.Invoices.UpdateAsync(draft, open, ct);
        return open;
    }

    private static async Task PayAsync(BenchStores stores, Invoice invoice, decimal amount, DateOnly date, CancellationToken ct)
    {
        var payment = new Payment(Ids.New("pay"), amount, date, PaymentMethod.BankTransfer, null, Seeded);
        var paid = InvoiceLifecycle.RecordPayment(invoice, payment, date) with { Version = invoice.Version + 1 };
        await stores.Invoices.UpdateAsync(invoice, paid, ct);
    }
}
