namespace SmallPay.Domain.Invoices;

/// <summary>A tenant's invoice numbers: prefix + zero-padded sequence, e.g. INV-000042.</summary>
public static class InvoiceNumberFormat
{
    public const int Padding = 6;

    public static string Format(string prefix, long sequence) =>
        sequence < 1 ? throw new ArgumentOutOfRangeException(nameof(sequence), "Invoice sequences start at 1.")
                     : prefix + sequence.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(Padding, '0');
}
