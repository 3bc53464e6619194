using System.Text;

namespace SmallPay.Domain.Reminders;

/// <summary>The values a reminder's words may name, already formatted in the invoice's language.</summary>
public sealed record ReminderValues(string Number, string AmountDue, string DueDate, int DaysOverdue, string BusinessName, string CustomerName);

/// <summary>
/// A reminder's subject and message with their placeholders filled: <c>{number}</c>, <c>{amountDue}</c>,
/// <c>{dueDate}</c>, <c>{daysOverdue}</c>, <c>{businessName}</c>, <c>{customerName}</c>. A brace that does not open a
/// placeholder stays as typed; an unknown name in braces is refused when the plan is saved (a typo would reach customers).
/// </summary>
public static class ReminderText
{
    public static readonly IReadOnlyList<string> Placeholders = ["number", "amountDue", "dueDate", "daysOverdue", "businessName", "customerName"];

    public static string Describe => string.Join(", ", Placeholders.Select(p => $"{{{p}}}"));

    public static string Fill(string template, ReminderValues values)
    {
        var text = new StringBuilder(template.Length + 32);
        var i = 0;
        while (i < template.Length)
        {
            if (template[i] == '{' && NameAt(template, i) is { } name && Value(name, values) is { } value)
            {
                text.Append(value);
                i += name.Length + 2;
                continue;
            }
            text.Append(template[i++]);
        }
        return text.ToString();
    }

    /// <summary>Names in braces (letters only, like the placeholders) that are not placeholders.</summary>
    public static IEnumerable<string> UnknownPlaceholders(string template)
    {
        for (var i = 0; i < template.Length; i++)
            if (template[i] == '{' && NameAt(template, i) is { } name && !Placeholders.Contains(name, StringComparer.Ordinal))
                yield return name;
    }

    private static string? Value(string name, ReminderValues v) => name switch
    {
        "number" => v.Number,
        "amountDue" => v.AmountDue,
        "dueDate" => v.DueDate,
        "daysOverdue" => v.DaysOverdue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "businessName" => v.BusinessName,
        "customerName" => v.CustomerName,
        _ => null,
    };

    // "{name}" at position open: the name between the braces when it is 1–32 ASCII letters.
    private static string? NameAt(string text, int open)
    {
        var close = text.IndexOf('}', open + 1);
        if (close < 0 || close - open - 1 is < 1 or > 32) return null;
        var name = text.AsSpan(open + 1, close - open - 1);
        foreach (var c in name) if (!char.IsAsciiLetter(c)) return null;
        return name.ToString();
    }
}
