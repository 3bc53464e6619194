using SmallPay.Domain.Invoices;
using SmallPay.Domain.Validation;

namespace SmallPay.Domain.Reminders;

/// <summary>When a reminder step falls, relative to the invoice's due date.</summary>
public enum ReminderTiming { BeforeDue, OnDueDate, AfterDue }

/// <summary>
/// One step of a business's reminder plan. <see cref="Days"/>: before or after the due date (0 for
/// <see cref="ReminderTiming.OnDueDate"/>). An after-due step may repeat every <see cref="RepeatEveryDays"/> days,
/// <see cref="Repeats"/> more times. <see cref="Subject"/> and <see cref="Message"/> may hold placeholders
/// (<see cref="ReminderText.Placeholders"/>).
/// </summary>
public sealed record ReminderStep(ReminderTiming Timing, int Days, string Subject, string Message, int RepeatEveryDays = 0, int Repeats = 0)
{
    /// <summary>What identifies the step across edits of its words: a step is sent at most once per invoice under this key.</summary>
    public string Key => Timing switch
    {
        ReminderTiming.BeforeDue => $"before-{Days}",
        ReminderTiming.OnDueDate => "due",
        _ => $"after-{Days}",
    };
}

/// <summary>
/// The business's reminder plan (Settings → Reminders): off until the owner turns it on. Changes apply to the reminders
/// not yet due: what has been sent stays sent.
/// </summary>
public sealed record ReminderPlan(bool Enabled, IReadOnlyList<ReminderStep> Steps)
{
    public const int MaxSteps = 8;
    public const int MaxDaysBefore = 60;
    public const int MaxDaysAfter = 365;
    public const int MaxRepeats = 10;
    public const int MaxRepeatEveryDays = 90;
    public const int MaxSubjectLength = 200;
    public const int MaxMessageLength = 5000;

    /// <summary>What a new business starts from: off, with a sensible plan ready to turn on (and to edit).</summary>
    public static readonly ReminderPlan Default = new(false,
    [
        // The e-mail around the words greets the customer, shows the amount due and signs with the business's name.
        new ReminderStep(ReminderTiming.BeforeDue, 3, "Invoice {number} is due on {dueDate}",
            "A friendly reminder that invoice {number} for {amountDue} is due on {dueDate}."),
        new ReminderStep(ReminderTiming.OnDueDate, 0, "Invoice {number} is due today",
            "Invoice {number} for {amountDue} is due today. If you have paid already, thank you, and please ignore this message."),
        new ReminderStep(ReminderTiming.AfterDue, 7, "Invoice {number} is overdue",
            "Invoice {number} was due on {dueDate} and {amountDue} is still open ({daysOverdue} days overdue). Please pay at your earliest convenience; if something about the invoice is wrong, let us know.",
            RepeatEveryDays: 14, Repeats: 2),
    ]);

    /// <summary>The plan as kept: words without bidirectional controls, trimmed.</summary>
    public static ReminderPlan Normalize(ReminderPlan plan) => plan with
    {
        Steps = plan.Steps.Select(s => s with { Subject = PlainText.CleanRequired(s.Subject), Message = PlainText.CleanRequired(s.Message).ReplaceLineEndings("\n") }).ToList(),
    };

    public static void Validate(ReminderPlan plan, ValidationErrors errors, string path)
    {
        if (plan.Steps.Count > MaxSteps) { errors.Add($"{path}/steps", $"at most {MaxSteps} steps"); return; }
        if (plan.Enabled && plan.Steps.Count == 0) errors.Add($"{path}/steps", "a plan that is on needs at least one step");
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            var step = plan.Steps[i];
            var at = $"{path}/steps/{i}";
            switch (step.Timing)
            {
                case ReminderTiming.BeforeDue when step.Days is < 1 or > MaxDaysBefore:
                    errors.Add($"{at}/days", $"must be between 1 and {MaxDaysBefore} days before the due date"); break;
                case ReminderTiming.OnDueDate when step.Days != 0:
                    errors.Add($"{at}/days", "must be 0 on the due date"); break;
                case ReminderTiming.AfterDue when step.Days is < 1 or > MaxDaysAfter:
                    errors.Add($"{at}/days", $"must be between 1 and {MaxDaysAfter} days after the due date"); break;
            }
            if (step.Timing != ReminderTiming.AfterDue && (step.Repeats != 0 || step.RepeatEveryDays != 0))
                errors.Add($"{at}/repeats", "only a step after the due date repeats");
            if (step.Repeats is < 0 or > MaxRepeats) errors.Add($"{at}/repeats", $"must be between 0 and {MaxRepeats}");
            if (step.Repeats > 0 && step.RepeatEveryDays is < 1 or > MaxRepeatEveryDays)
                errors.Add($"{at}/repeatEveryDays", $"must be between 1 and {MaxRepeatEveryDays} days when the step repeats");
            if (step.Repeats == 0 && step.RepeatEveryDays != 0) errors.Add($"{at}/repeatEveryDays", "is only for a step that repeats (repeats above 0)");
            if (!keys.Add(step.Key)) errors.Add($"{at}/days", "another step falls on the same day");
            CheckWords(errors, $"{at}/subject", step.Subject, MaxSubjectLength);
            if (step.Subject.AsSpan().IndexOfAny('\r', '\n') >= 0) errors.Add($"{at}/subject", "must be a single line");
            CheckWords(errors, $"{at}/message", step.Message, MaxMessageLength);
        }
    }

    private static void CheckWords(ValidationErrors errors, string path, string text, int maxLength)
    {
        if (text.Length == 0) { errors.Add(path, "is required"); return; }
        InvoiceRules.CheckText(errors, path, text, maxLength);
        foreach (var unknown in ReminderText.UnknownPlaceholders(text))
            errors.Add(path, $"{{{unknown}}} is not a placeholder: use {ReminderText.Describe}");
    }
}
