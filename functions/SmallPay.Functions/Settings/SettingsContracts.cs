using SmallPay.Domain.Reminders;
using SmallPay.Domain.Settings;
using SmallPay.Domain.Validation;
using SmallPay.Functions.Customers;

namespace SmallPay.Functions.Settings;

/// <summary>The body of PUT /settings: the whole profile (absent optional fields are cleared).</summary>
public sealed class SettingsInput
{
    public string? BusinessName { get; set; }
    public AddressInput? Address { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? TaxId { get; set; }
    public string? DefaultCurrency { get; set; }
    public int? PaymentTermsDays { get; set; }
    public string? NumberPrefix { get; set; }
    public long? NextNumber { get; set; }
    /// <summary>The quotes' number prefix and next sequence; absent: unchanged.</summary>
    public string? QuoteNumberPrefix { get; set; }
    public long? QuoteNextNumber { get; set; }
    /// <summary>The credit notes' number prefix and next sequence; absent: unchanged.</summary>
    public string? CreditNotePrefix { get; set; }
    public long? CreditNoteNextNumber { get; set; }
    /// <summary>The language of invoices to customers without one of their own; absent: unchanged.</summary>
    public string? Language { get; set; }
    /// <summary>The payment reminder plan; absent: unchanged.</summary>
    public ReminderPlanInput? Reminders { get; set; }

    public BusinessSettings ApplyTo(BusinessSettings current)
    {
        var updated = BusinessSettings.Normalize(current with
        {
            BusinessName = BusinessName ?? "",
            Address = Address?.ToAddress(),
            Email = Email,
            Phone = Phone,
            TaxId = TaxId,
            DefaultCurrency = DefaultCurrency ?? current.DefaultCurrency,
            PaymentTermsDays = PaymentTermsDays ?? current.PaymentTermsDays,
            NumberPrefix = NumberPrefix ?? current.NumberPrefix,
            NextNumber = NextNumber ?? current.NextNumber,
            QuoteNumberPrefix = QuoteNumberPrefix ?? current.QuoteNumberPrefix,
            QuoteNextNumber = QuoteNextNumber ?? current.QuoteNextNumber,
            CreditNotePrefix = CreditNotePrefix ?? current.CreditNotePrefix,
            CreditNoteNextNumber = CreditNoteNextNumber ?? current.CreditNoteNextNumber,
            Language = Language?.Trim() ?? current.Language,
            Reminders = Reminders?.ToPlan() ?? current.Reminders,
            Version = current.Version + 1,
        });
        BusinessSettings.Validate(updated);
        return updated;
    }
}

public sealed class ReminderPlanInput
{
    public bool? Enabled { get; set; }
    public List<ReminderStepInput?>? Steps { get; set; }

    /// <summary>The plan; a missing part reads as what it cannot be (validation then names it, with its path).</summary>
    public ReminderPlan ToPlan()
    {
        var errors = new ValidationErrors();
        if (Enabled is null) errors.Add("reminders/enabled", "is required: true or false");
        if (Steps is null) errors.Add("reminders/steps", "is required (an empty list for none)");
        for (var i = 0; i < (Steps?.Count ?? 0); i++)
        {
            if (Steps![i] is not { } step) { errors.Add($"reminders/steps/{i}", "is required"); continue; }
            if (step.Timing is null) errors.Add($"reminders/steps/{i}/timing", "is required: BeforeDue, OnDueDate or AfterDue");
            if (step.Days is null && step.Timing != ReminderTiming.OnDueDate) errors.Add($"reminders/steps/{i}/days", "is required");
        }
        errors.ThrowIfAny("The reminder plan is not valid.");
        return new ReminderPlan(Enabled!.Value, Steps!.Select(s => new ReminderStep(s!.Timing!.Value, s.Days ?? 0, s.Subject ?? "", s.Message ?? "",
            s.RepeatEveryDays ?? 0, s.Repeats ?? 0)).ToList());
    }
}

public sealed class ReminderStepInput
{
    [System.Text.Json.Serialization.JsonConverter(typeof(SmallPay.Functions.Hosting.Http.NamesOnlyEnumConverter<ReminderTiming>))]
    public ReminderTiming? Timing { get; set; }
    public int? Days { get; set; }
    public int? RepeatEveryDays { get; set; }
    public int? Repeats { get; set; }
    public string? Subject { get; set; }
    public string? Message { get; set; }
}

public sealed record ReminderStepView(ReminderTiming Timing, int Days, int RepeatEveryDays, int Repeats, string Subject, string Message);

/// <param name="Placeholders">What the subject and message may name, in braces.</param>
public sealed record ReminderPlanView(bool Enabled, IReadOnlyList<ReminderStepView> Steps, IReadOnlyList<string> Placeholders)
{
    public static ReminderPlanView From(ReminderPlan plan) => new(plan.Enabled,
        plan.Steps.Select(s => new ReminderStepView(s.Timing, s.Days, s.RepeatEveryDays, s.Repeats, s.Subject, s.Message)).ToList(),
        ReminderText.Placeholders);
}

/// <param name="Established">The business has been paid (or the operator set its limit): the larger limit applies.</param>
public sealed record SendingView(int DailyLimit, int UsedToday, bool Established, DateTimeOffset ResetsAt);

public sealed record SettingsView(
    string BusinessName, AddressView? Address, string? Email, string? Phone, string? TaxId, string DefaultCurrency,
    int PaymentTermsDays, string NumberPrefix, long NextNumber, string NextInvoiceNumber, string Language, long Version)
{
    /// <summary>The business's daily sending limit and today's use (GET /settings).</summary>
    public SendingView? Sending { get; init; }

    /// <summary>The payment reminder plan (off until turned on).</summary>
    public ReminderPlanView? Reminders { get; init; }

    /// <summary>Whether <see cref="Email"/> has been confirmed with a code: only then is it the Reply-To of the business's e-mails.</summary>
    public bool EmailVerified { get; init; }

    /// <summary>The quotes' number series and the number the next quote sent gets.</summary>
    public string QuoteNumberPrefix { get; init; } = "QUO-";
    public long QuoteNextNumber { get; init; } = 1;
    public string NextQuoteNumber { get; init; } = "QUO-000001";

    /// <summary>The credit notes' number series and the number the next credit note issued gets.</summary>
    public string CreditNotePrefix { get; init; } = "CN-";
    public long CreditNoteNextNumber { get; init; } = 1;
    public string NextCreditNoteNumber { get; init; } = "CN-000001";

    public static SettingsView From(BusinessSettings s, SmallPay.Domain.Documents.SendingAllowance? sending) =>
        From(s) with { Sending = sending is null ? null : new SendingView(sending.DailyLimit, sending.UsedToday, sending.Established, sending.ResetsAt) };

    public static SettingsView From(BusinessSettings s) => new(s.BusinessName, AddressView.From(s.Address), s.Email, s.Phone, s.TaxId,
        s.DefaultCurrency, s.PaymentTermsDays, s.NumberPrefix, s.NextNumber,
        SmallPay.Domain.Invoices.InvoiceNumberFormat.Format(s.NumberPrefix, s.NextNumber), s.Language, s.Version)
    {
        EmailVerified = s.EmailVerified,
        Reminders = ReminderPlanView.From(s.Reminders),
        QuoteNumberPrefix = s.QuoteNumberPrefix,
        QuoteNextNumber = s.QuoteNextNumber,
        NextQuoteNumber = SmallPay.Domain.Invoices.InvoiceNumberFormat.Format(s.QuoteNumberPrefix, s.QuoteNextNumber),
        CreditNotePrefix = s.CreditNotePrefix,
        CreditNoteNextNumber = s.CreditNoteNextNumber,
        NextCreditNoteNumber = SmallPay.Domain.Invoices.InvoiceNumberFormat.Format(s.CreditNotePrefix, s.CreditNoteNextNumber),
    };
}
