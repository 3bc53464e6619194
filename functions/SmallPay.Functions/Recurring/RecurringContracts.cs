using System.Text.Json.Serialization;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Recurring;
using SmallPay.Domain.Settings;
using SmallPay.Domain.Validation;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Invoices;

namespace SmallPay.Functions.Recurring;

/// <summary>The body of POST /recurring and PUT /recurring/{profileId}.</summary>
public sealed class RecurringProfileInput
{
    public string? Name { get; set; }
    /// <summary>The invoice each run makes: as POST /invoices, without issueDate (each period's date) and dueDate (the terms decide).</summary>
    public InvoiceInput? Invoice { get; set; }
    public RecurringScheduleInput? Schedule { get; set; }
    [JsonConverter(typeof(NamesOnlyEnumConverter<RecurringAction>))]
    public RecurringAction? Action { get; set; }

    /// <summary>The content and schedule, with every missing or malformed field reported at once (paths from the body's root).</summary>
    public (InvoiceContent Content, RecurringSchedule Schedule, RecurringAction Action) Read(BusinessSettings defaults, DateOnly today)
    {
        var errors = new ValidationErrors();
        if (Invoice is null) errors.Add("invoice", "is required");
        if (Schedule is null) errors.Add("schedule", "is required");
        else
        {
            if (Schedule.Unit is null) errors.Add("schedule/unit", "is required: Week, Month, Quarter or Year");
            if (Schedule.End is { Kind: null }) errors.Add("schedule/end/kind", "is required: Never, AfterCount or OnDate");
        }
        if (Invoice is { IssueDate: not null }) errors.Add("invoice/issueDate", "is each period's date: leave it out");
        InvoiceContent? content = null;
        if (Invoice is not null)
        {
            try { content = Invoice.ToContent(defaults, Schedule?.StartDate ?? today); }
            catch (DomainValidationException e)
            {
                foreach (var error in e.Errors) errors.Add("invoice/" + error.Path.TrimStart('/'), error.Message);
            }
        }
        errors.ThrowIfAny("The recurring profile is not valid.");
        var schedule = new RecurringSchedule(Schedule!.Unit!.Value, Schedule.Interval ?? 1, Schedule.StartDate ?? today, Schedule.DayOfMonth,
            Schedule.LastDayOfMonth ?? false, Schedule.End?.Kind ?? RecurringEndKind.Never, Schedule.End?.Count, Schedule.End?.Date);
        return (content!, schedule, Action ?? RecurringAction.Draft);
    }
}

public sealed class RecurringScheduleInput
{
    [JsonConverter(typeof(NamesOnlyEnumConverter<RecurrenceUnit>))]
    public RecurrenceUnit? Unit { get; set; }
    public int? Interval { get; set; }
    public DateOnly? StartDate { get; set; }
    public int? DayOfMonth { get; set; }
    public bool? LastDayOfMonth { get; set; }
    public RecurringEndInput? End { get; set; }
}

public sealed class RecurringEndInput
{
    [JsonConverter(typeof(NamesOnlyEnumConverter<RecurringEndKind>))]
    public RecurringEndKind? Kind { get; set; }
    public int? Count { get; set; }
    public DateOnly? Date { get; set; }
}

public sealed record RecurringEndView(RecurringEndKind Kind, int? Count, DateOnly? Date);

public sealed record RecurringScheduleView(RecurrenceUnit Unit, int Interval, DateOnly StartDate, int? DayOfMonth, bool LastDayOfMonth, RecurringEndView End)
{
    public static RecurringScheduleView From(RecurringSchedule s) =>
        new(s.Unit, s.Interval, s.StartDate, s.DayOfMonth, s.LastDayOfMonth, new RecurringEndView(s.End, s.EndAfterCount, s.EndDate));
}

/// <summary>The invoice each run makes, with its lines' amounts and total as the next invoice would have them.</summary>
public sealed record RecurringInvoiceView(string CustomerId, string Currency, int? PaymentTermsDays, IReadOnlyList<InvoiceLineView> Lines,
    InvoiceDiscount Discount, string? Notes, decimal Total)
{
    public static RecurringInvoiceView From(InvoiceContent c)
    {
        var totals = InvoiceCalculator.Calculate(SmallPay.Domain.Money.Currencies.Get(c.Currency), c.Lines, c.Discount, 0m);
        return new(c.CustomerId, c.Currency, c.PaymentTermsDays,
            c.Lines.Select((l, i) => new InvoiceLineView(l.Description, l.Quantity, l.UnitPrice, l.DiscountPercent, l.TaxRatePercent, totals.LineAmounts[i])).ToList(),
            c.Discount, c.Notes, totals.Total);
    }
}

/// <summary>One period: the invoice made for it (its number and status when it still exists), or skipped.</summary>
public sealed record RecurringRunView(DateOnly Period, bool Skipped, string? InvoiceId, string? Number, InvoiceStatus? Status);

public sealed record RecurringProfileView(
    string Id, string? Name, RecurringStatus Status, RecurringAction Action, RecurringInvoiceView Invoice, RecurringScheduleView Schedule,
    DateOnly? NextRunDate, IReadOnlyList<DateOnly> NextRuns, int InvoicesMade, IReadOnlyList<RecurringRunView> Runs, string? PausedReason,
    long Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public const int NextRunsShown = 6;

    public static RecurringProfileView From(RecurringProfile p, IReadOnlyList<RecurringRunView>? runs = null) =>
        new(p.Id, p.Name, p.Status, p.Action, RecurringInvoiceView.From(p.Content), RecurringScheduleView.From(p.Schedule), p.NextRun,
            p.UpcomingRuns(NextRunsShown), p.InvoicesMade,
            runs ?? p.Runs.Select(r => new RecurringRunView(r.Period, r.Skipped, r.InvoiceId, null, null)).ToList(),
            p.PausedReason, p.Version, p.CreatedAt, p.UpdatedAt);
}

public sealed record RecurringProfileSummaryView(string Id, string? Name, RecurringStatus Status, RecurringAction Action, string CustomerId,
    string Currency, decimal Total, RecurringScheduleView Schedule, DateOnly? NextRunDate, int InvoicesMade, long Version)
{
    public static RecurringProfileSummaryView From(RecurringProfile p) =>
        new(p.Id, p.Name, p.Status, p.Action, p.Content.CustomerId, p.Content.Currency, RecurringInvoiceView.From(p.Content).Total,
            RecurringScheduleView.From(p.Schedule), p.NextRun, p.InvoicesMade, p.Version);
}

public sealed record RecurringProfileListView(IReadOnlyList<RecurringProfileSummaryView> Items);

/// <summary>What one RunRecurring invocation did.</summary>
public sealed record RecurringRunReport(int Due, int Invoiced, int Skipped, int Sent, int Lost, int Failed, int Pages, bool More);
