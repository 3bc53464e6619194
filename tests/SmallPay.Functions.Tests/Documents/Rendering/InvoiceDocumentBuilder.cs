using SmallPay.Domain;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Settings;

namespace SmallPay.Functions.Tests.Documents.Rendering;

/// <summary>
/// Invoices to render: a realistic EUR invoice by default (two tax rates, a discount). Invoices past Draft are reached
/// through <see cref="InvoiceLifecycle"/>, so every one is an invoice the domain itself could have produced.
/// </summary>
public sealed class InvoiceDocumentBuilder
{
    public static readonly DateTimeOffset CreatedAt = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    public static readonly DateOnly IssueDate = new(2026, 3, 2);
    /// <summary>Issue date + the default 14 days' terms.</summary>
    public static readonly DateOnly DueDate = new(2026, 3, 16);
    public static readonly DateOnly BeforeDue = new(2026, 3, 10);
    public static readonly DateOnly AfterDue = new(2026, 3, 30);

    private CustomerSnapshot _customer = new("Müller & Söhne Logistik AG", "accounts@mueller-logistik.example",
        new PostalAddress("ul. Piotrkowska 104", null, "Łódź", null, "90-006", "Poland"), "PL 7251234567");
    private string _currency = "EUR";
    private DateOnly? _dueDate;
    private int? _paymentTermsDays = 14;
    private List<InvoiceLine> _lines =
    [
        new("Brand identity workshop", 2m, 1250m, 0m, 19m),
        new("Logo design, three concepts", 1m, 2400m, 10m, 19m),
        new("Business card print run", 3m, 89.90m, 0m, 7m),
    ];
    private InvoiceDiscount _discount = new(DiscountKind.Percent, 5m);
    private string? _notes = "Bank transfer to IBAN DE89 3704 0044 0532 0130 00.";

    public InvoiceDocumentBuilder ForCustomer(CustomerSnapshot customer) { _customer = customer; return this; }
    public InvoiceDocumentBuilder ForCustomerNamed(string name) { _customer = _customer with { Name = name }; return this; }
    public InvoiceDocumentBuilder InCurrency(string currency) { _currency = currency; return this; }
    public InvoiceDocumentBuilder DueOn(DateOnly date) { _dueDate = date; _paymentTermsDays = null; return this; }
    public InvoiceDocumentBuilder WithPaymentTerms(int days) { _paymentTermsDays = days; _dueDate = null; return this; }
    public InvoiceDocumentBuilder WithNotes(string? notes) { _notes = notes; return this; }
    public InvoiceDocumentBuilder WithDiscount(InvoiceDiscount discount) { _discount = discount; return this; }
    public InvoiceDocumentBuilder WithoutDiscount() => WithDiscount(InvoiceDiscount.None);
    public InvoiceDocumentBuilder WithLines(params InvoiceLine[] lines) { _lines = [.. lines]; return this; }

    /// <summary><paramref name="count"/> numbered lines ("Line item 1" …), alternating 19% and 7% tax.</summary>
    public InvoiceDocumentBuilder WithNumberedLines(int count)
    {
        _lines = [.. Enumerable.Range(1, count).Select(i => new InvoiceLine($"Line item {i}", i % 3 + 1, 10m * i + 0.5m, 0m, i % 2 == 0 ? 7m : 19m))];
        return this;
    }

    public InvoiceContent Content() => new("cus_1", _currency, IssueDate, _dueDate, _paymentTermsDays, [.. _lines], _discount, _notes);

    public Invoice Draft() => InvoiceLifecycle.CreateDraft(Ids.New("inv", CreatedAt), "tenant-a", Content(), _customer, CreatedAt);

    public Invoice Open(string number = "INV-000042") => InvoiceLifecycle.Finalize(Draft(), number, _customer, CreatedAt.AddHours(1));

    public Invoice PartlyPaid(decimal amount, DateOnly? date = null) => Pay(Open(), amount, date ?? IssueDate.AddDays(3));

    public Invoice Paid(DateOnly date)
    {
        var open = Open();
        return Pay(open, open.Totals.BalanceDue, date);
    }

    public Invoice Void() => InvoiceLifecycle.Void(Open(), "Issued by mistake", CreatedAt.AddDays(1));

    private static Invoice Pay(Invoice invoice, decimal amount, DateOnly date) =>
        InvoiceLifecycle.RecordPayment(invoice,
            new Payment(Ids.New("pay"), amount, date, PaymentMethod.BankTransfer, null, new DateTimeOffset(date.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero)),
            date);
}

public static class TestBusinesses
{
    public static BusinessSettings Nordlicht => new()
    {
        BusinessName = "Nordlicht Design Studio GmbH",
        Address = new PostalAddress("Schanzenstraße 41", null, "Hamburg", null, "20357", "Germany"),
        Email = "billing@nordlicht.example",
        Phone = "+49 40 1234 5678",
        TaxId = "DE298765432",
    };
}
