namespace SmallPay.Functions.Storage;

/// <summary>The item's version is not the one the write was based on: someone else wrote first.</summary>
public sealed class StaleVersionException(string message = "The item changed since it was read.") : Exception(message);

/// <summary>The customer an invoice points at does not exist (for this tenant).</summary>
public sealed class CustomerMissingException() : Exception("The referenced customer does not exist.");

/// <summary>The customer still has invoices and cannot be deleted.</summary>
public sealed class CustomerInUseException(int invoiceCount) : Exception($"The customer has {invoiceCount} invoice(s).")
{
    public int InvoiceCount { get; } = invoiceCount;
}

/// <summary>Another customer of the tenant already uses the e-mail address.</summary>
public sealed class DuplicateEmailException() : Exception("Another customer already uses this e-mail address.");

/// <summary>An item with this id exists already (a create repeated under the same idempotency key).</summary>
public sealed class AlreadyExistsException() : Exception("An item with this id exists already.");
