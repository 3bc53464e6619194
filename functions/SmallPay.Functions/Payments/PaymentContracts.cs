using System.Text.Json.Serialization;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Validation;
using SmallPay.Functions.Hosting.Http;

namespace SmallPay.Functions.Payments;

/// <summary>The body of POST /invoices/{id}/payments.</summary>
public sealed class PaymentInput
{
    public const int MaxNoteLength = 500;

    public decimal? Amount { get; set; }
    public DateOnly? Date { get; set; }
    [JsonConverter(typeof(NamesOnlyEnumConverter<PaymentMethod>))]
    public PaymentMethod? Method { get; set; }
    public string? Note { get; set; }

    public Payment ToPayment(string id, DateOnly today, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        if (Amount is null) errors.Add("amount", "is required");
        InvoiceRules.CheckText(errors, "note", Note, MaxNoteLength);
        if (Date is { } date) InvoiceRules.CheckDate(errors, "date", date);
        errors.ThrowIfAny("The payment has invalid fields.");
        return new Payment(id, Amount!.Value, Date ?? today, Method ?? PaymentMethod.BankTransfer, PlainText.Clean(Note), now);
    }
}
