using SmallPay.Domain.Money;
using SmallPay.Domain.Validation;

namespace SmallPay.Domain.Invoices;

/// <summary>Limits that keep every invoice printable, storable in one DynamoDB item and free of absurd figures.</summary>
public static class InvoiceRules
{
    public const int MaxLines = 300;
    public const int MaxDescriptionLength = 500;
    public const int MaxNotesLength = 2000;
    public const decimal MaxQuantity = 1_000_000m;
    public const decimal MaxUnitPrice = 1_000_000_000m;
    public const int MaxQuantityDecimals = 4;
    public const int MaxUnitPriceDecimals = 4;
    public const int MaxPaymentTermsDays = 365;
    public static readonly DateOnly EarliestDate = new(2000, 1, 1);
    public static readonly DateOnly LatestDate = new(2100, 12, 31);

    /// <summary>
    /// The content as it is kept: descriptions and notes without bidirectional controls (<see cref="PlainText"/>) and
    /// trimmed; notes that say nothing are none. The API, the PDF and the e-mail all show this text.
    /// </summary>
    public static InvoiceContent Normalize(InvoiceContent content) => content with
    {
        CustomerId = content.CustomerId.Trim(),
        Currency = content.Currency.Trim(),
        Lines = content.Lines.Select(line => line with { Description = PlainText.CleanRequired(line.Description) }).ToList(),
        Notes = PlainText.Clean(content.Notes),
    };

    public static void Validate(InvoiceContent content)
    {
        var errors = new ValidationErrors();
        if (!Currencies.TryGet(content.Currency, out var currency))
            errors.Add("currency", "is not an ISO 4217 currency code (e.g. EUR, USD, JPY)");

        CheckDate(errors, "issueDate", content.IssueDate);
        if (content.DueDate is { } due)
        {
            CheckDate(errors, "dueDate", due);
            if (due < content.IssueDate) errors.Add("dueDate", "must not be before the issue date");
        }
        if (content.PaymentTermsDays is { } terms && (terms < 0 || terms > MaxPaymentTermsDays))
            errors.Add("paymentTermsDays", $"must be between 0 and {MaxPaymentTermsDays}");

        if (content.Lines.Count > MaxLines) errors.Add("lines", $"at most {MaxLines} lines per invoice");
        for (var i = 0; i < content.Lines.Count && i < MaxLines; i++) CheckLine(errors, $"lines/{i}", content.Lines[i]);

        CheckDiscount(errors, content.Discount, currency);
        CheckText(errors, "notes", content.Notes, MaxNotesLength);
        errors.ThrowIfAny("The invoice has invalid fields.");

        // Only once every figure is sane can the discount be compared with the subtotal.
        if (content.Discount.Kind == DiscountKind.Amount && content.Discount.Value > 0m)
        {
            var subtotal = InvoiceCalculator.Calculate(currency!, content.Lines, InvoiceDiscount.None).Subtotal;
            if (content.Discount.Value > subtotal) errors.Add("discount/value", "must not exceed the subtotal");
            errors.ThrowIfAny("The invoice has invalid fields.");
        }
    }

    private static void CheckLine(ValidationErrors errors, string path, InvoiceLine line)
    {
        if (string.IsNullOrWhiteSpace(line.Description)) errors.Add($"{path}/description", "is required");
        CheckText(errors, $"{path}/description", line.Description, MaxDescriptionLength);
        CheckAmount(errors, $"{path}/quantity", line.Quantity, exclusiveMin: 0m, MaxQuantity, MaxQuantityDecimals);
        CheckAmount(errors, $"{path}/unitPrice", line.UnitPrice, exclusiveMin: null, MaxUnitPrice, MaxUnitPriceDecimals);
        CheckPercent(errors, $"{path}/discountPercent", line.DiscountPercent);
        CheckPercent(errors, $"{path}/taxRatePercent", line.TaxRatePercent);
    }

    private static void CheckDiscount(ValidationErrors errors, InvoiceDiscount discount, Currency? currency)
    {
        if (discount.Kind == DiscountKind.Percent) CheckPercent(errors, "discount/value", discount.Value);
        else if (discount.Value < 0m) errors.Add("discount/value", "must not be negative");
        else if (currency is not null && !currency.HasAtMostMinorDigits(discount.Value))
            errors.Add("discount/value", $"{currency.Code} amounts have at most {currency.MinorDigits} decimal places");
    }

    private static void CheckAmount(ValidationErrors errors, string path, decimal value, decimal? exclusiveMin, decimal max, int maxDecimals)
    {
        if (exclusiveMin is { } min && value <= min) errors.Add(path, $"must be greater than {min}");
        else if (value < 0m) errors.Add(path, "must not be negative");
        else if (value > max) errors.Add(path, $"must not exceed {max:#,0}");
        else if (Decimals.Scale(value) > maxDecimals) errors.Add(path, $"at most {maxDecimals} decimal places");
    }

    public static void CheckPercent(ValidationErrors errors, string path, decimal value)
    {
        if (value < 0m || value > 100m) errors.Add(path, "must be between 0 and 100");
        else if (Decimals.Scale(value) > 3) errors.Add(path, "at most 3 decimal places");
    }

    public static void CheckDate(ValidationErrors errors, string path, DateOnly date)
    {
        if (date < EarliestDate || date > LatestDate) errors.Add(path, $"must be between {EarliestDate:yyyy-MM-dd} and {LatestDate:yyyy-MM-dd}");
    }

    public static void CheckText(ValidationErrors errors, string path, string? text, int maxLength)
    {
        if (text is not null && text.Length > maxLength) errors.Add(path, $"must be at most {maxLength} characters");
    }
}
