namespace SmallPay.Functions.Storage;

/// <summary>The item's version is not the one the write was based on: someone else wrote first.</summary>
/// <param name="what">The item as the owner knows it ("Invoice INV-000007", "Customer Café Rosa").</param>
public sealed class StaleVersionException(string what = "The item") : Exception($"{what} changed since it was read.")
{
    public string What { get; } = what;
}

/// <summary>No such item for this tenant (another tenant's reads the same).</summary>
public sealed class NotFoundException(string what) : Exception($"{what} does not exist.")
{
    public string What { get; } = what;
}

/// <summary>Too much contention to finish before the function's deadline; nothing was changed.</summary>
public sealed class BusyException(string detail) : Exception(detail);

/// <summary>The customer an invoice points at does not exist (for this tenant).</summary>
public sealed class CustomerMissingException() : Exception("The referenced customer does not exist.");

/// <summary>The customer still has invoices and cannot be deleted.</summary>
public sealed class CustomerInUseException(int invoiceCount) : Exception($"The customer has {invoiceCount} invoice(s).")
{
    public int InvoiceCount { get; } = invoiceCount;
}

/// <summary>Another customer of the tenant already uses the e-mail address.</summary>
public sealed class DuplicateEmailException() : Exception("Another customer already uses this e-mail address.");

/// <summary>E-mail to this many more recipients today would pass the business's daily sending limit; nothing was sent.</summary>
public sealed class SendingLimitException(int limit, int used, DateOnly day) : Exception($"The daily limit of {limit} recipients is reached ({used} today).")
{
    public int Limit { get; } = limit;
    public int Used { get; } = used;
    public DateOnly Day { get; } = day;
}

/// <summary>An item with this id exists already (a create repeated under the same idempotency key).</summary>
public sealed class AlreadyExistsException() : Exception("An item with this id exists already.");
