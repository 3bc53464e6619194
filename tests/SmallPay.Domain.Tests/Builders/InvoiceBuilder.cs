using SmallPay.Domain.Invoices;

namespace SmallPay.Domain.Tests.Builders;

/// <summary>
/// A valid EUR invoice by default. Invoices past Draft are reached through <see cref="InvoiceLifecycle"/>,
/// so every built invoice is one the domain itself could have produced.
/// </summary>
public sealed class InvoiceBuilder
{
    public static readonly DateTimeOffset CreatedAt = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    public static readonly DateOnly DefaultIssueDate = new(2026, 3, 1);

    private string _id = Ids.New("inv", CreatedAt);
    private string _tenant = "tenant-a";
    private string _customerId = "cus_01ARZ3NDEKTSV4RRFFQ69G5FAV";
    private CustomerSnapshot _customer = new("Acme GmbH", "billing@acme.example", null, "DE123456789");
    private string _currency = "EUR";
    private DateOnly _issueDate = DefaultIssueDate;
    private DateOnly? _dueDate;
    private int? _paymentTermsDays = 14;
    private readonly List<InvoiceLine> _lines = [];
    private InvoiceDiscount _discount = InvoiceDiscount.None;
    private string? _notes;

    public InvoiceBuilder WithId(string id) { _id = id; return this; }
    public InvoiceBuilder ForTenant(string tenant) { _tenant = tenant; return this; }

    public InvoiceBuilder ForCustomer(string customerId, string name)
    {
        _customerId = customerId;
        _customer = _customer with { Name = name };
        return this;
    }

    public InvoiceBuilder InCurrency(string currency) { _currency = currency; return this; }
    public InvoiceBuilder IssuedOn(DateOnly date) { _issueDate = date; return this; }
    public InvoiceBuilder DueOn(DateOnly date) { _dueDate = date; return this; }
    public InvoiceBuilder WithPaymentTerms(int? days) { _paymentTermsDays = days; _dueDate = null; return this; }
    public InvoiceBuilder WithNotes(string? notes) { _notes = notes; return this; }
    public InvoiceBuilder WithPercentDiscount(decimal percent) { _discount = new InvoiceDiscount(DiscountKind.Percent, percent); return this; }
    public InvoiceBuilder WithAmountDiscount(decimal amount) { _discount = new InvoiceDiscount(DiscountKind.Amount, amount); return this; }

    public InvoiceBuilder WithLine(decimal quantity = 1m, decimal unitPrice = 100m, decimal discountPercent = 0m, decimal taxRatePercent = 0m, string description = "Consulting")
    {
        _lines.Add(new InvoiceLine(description, quantity, unitPrice, discountPercent, taxRatePercent));
        return this;
    }

    /// <summary>One untaxed line whose total is exactly <paramref name="total"/>.</summary>
    public InvoiceBuilder Totalling(decimal total)
    {
        _lines.Clear();
        return WithLine(1m, total);
    }

    public InvoiceBuilder WithoutLines() { _lines.Clear(); return this; }

    public CustomerSnapshot Customer => _customer;

    public InvoiceContent Content() =>
        new(_customerId, _currency, _issueDate, _dueDate, _paymentTermsDays, [.. _lines], _discount, _notes);

    public Invoice Draft() => InvoiceLifecycle.CreateDraft(_id, _tenant, Content(), _customer, CreatedAt);

    public Invoice Open(string number = "INV-000001") =>
        InvoiceLifecycle.Finalize(Draft(), number, _customer, CreatedAt.AddHours(1));

    /// <summary>Open, then each payment recorded in turn (each on its own date, so none is "in the future").</summary>
    public Invoice WithPayments(params (decimal Amount, DateOnly Date)[] payments)
    {
        var invoice = Open();
        foreach (var (amount, date) in payments)
            invoice = InvoiceLifecycle.RecordPayment(invoice, Payments.Of(amount, date), date);
        return invoice;
    }

    public Invoice Paid(DateOnly date) => WithPayments((Open().Totals.Total, date));

    public Invoice Void(string? reason = "Issued by mistake") =>
        InvoiceLifecycle.Void(Open(), reason, CreatedAt.AddHours(2));
}

public static class Payments
{
    public static Payment Of(decimal amount, DateOnly date, PaymentMethod method = PaymentMethod.BankTransfer) =>
        new(Ids.New("pay"), amount, date, method, null, new DateTimeOffset(date.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero));
}
