using SmallPay.Domain;
using SmallPay.Domain.Invoices;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Customers;

public static class CustomerStoreExtensions
{
    /// <summary>The customer an invoice names, as printed on it; an unknown (or another tenant's) customer is a field error.</summary>
    public static async Task<CustomerSnapshot> SnapshotForInvoiceAsync(this ICustomerStore customers, string tenant, string customerId, CancellationToken ct)
    {
        if (!Ids.IsWellFormed(customerId, "cus")) throw MissingCustomer();
        var customer = await customers.GetAsync(tenant, customerId, ct) ?? throw MissingCustomer();
        return customer.Snapshot();
    }

    private static CustomerMissingException MissingCustomer() => new();
}
