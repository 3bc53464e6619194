using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Reminders;
using SmallPay.Domain.Settings;
using SmallPay.Functions.Documents.Localization;

namespace SmallPay.Functions.Reminders;

/// <summary>
/// The words of a reminder: a plan step's subject and message with the invoice's values filled in, formatted in the
/// invoice's language (its customer's, else the business's) as the PDF formats them.
/// </summary>
public static class ReminderWords
{
    public static ReminderValues ValuesFor(Invoice invoice, BusinessSettings business, DateOnly today)
    {
        var l = DocumentLanguage.For(invoice, business);
        return new ReminderValues(l.Number(invoice), l.Money(invoice.Totals.BalanceDue, invoice.Currency), l.Date(invoice.DueDate),
            Math.Max(0, today.DayNumber - invoice.DueDate.DayNumber), business.BusinessName.Trim(), invoice.Customer.Name.Trim());
    }

    /// <summary>The step's e-mail for this invoice (its subject cut to the limit of a delivery's subject).</summary>
    public static DeliveryInput For(ReminderStep step, Invoice invoice, BusinessSettings business, DateOnly today, string to)
    {
        var values = ValuesFor(invoice, business, today);
        var subject = OneLine(ReminderText.Fill(step.Subject, values));
        return new DeliveryInput([to], Subject: subject.Length <= InvoiceDeliveries.MaxSubjectLength ? subject : subject[..InvoiceDeliveries.MaxSubjectLength],
            Message: Cut(ReminderText.Fill(step.Message, values), InvoiceDeliveries.MaxMessageLength));
    }

    /// <summary>
    /// The step a reminder sent by hand takes its words from when the owner writes none: the plan's latest step that has
    /// fallen for this invoice, else its first step after the due date, else its first step at all.
    /// </summary>
    public static ReminderStep StepForNow(ReminderPlan plan, DateOnly dueDate, DateOnly today)
    {
        var fallen = ReminderSchedule.Occurrences(plan, dueDate).LastOrDefault(o => o.Date <= today);
        return fallen?.Step
            ?? plan.Steps.FirstOrDefault(s => s.Timing == ReminderTiming.AfterDue)
            ?? plan.Steps.FirstOrDefault()
            ?? ReminderPlan.Default.Steps[^1];
    }

    private static string OneLine(string text) => string.Join(' ', text.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];
}
