using SmallPay.Domain;
using SmallPay.Domain.Customers;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Customers;

internal static class CustomerAccess
{
    public static async Task<Customer> LoadAsync(ICustomerStore customers, ApiRequest request, CancellationToken ct)
    {
        var id = request.PathParameter("customerId");
        if (!Ids.IsWellFormed(id, "cus")) throw Problems.NotFound($"Customer {id}");
        var customer = await customers.GetAsync(request.Tenant, id, ct) ?? throw Problems.NotFound($"Customer {id}");
        if (request.IfMatchVersion() is { } expected && expected != customer.Version) throw Problems.PreconditionFailed($"Customer {customer.Details.Name}");
        return customer;
    }
}

public sealed class CreateCustomer(ICustomerStore customers) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var details = request.ReadJson(ApiJsonContext.Default.CustomerInput).ToDetails();
        var customer = new Customer { Id = request.NewId("cus"), Tenant = request.Tenant, Details = details, CreatedAt = request.ReceivedAt, UpdatedAt = request.ReceivedAt, UpdatedBy = request.Actor };
        try { await customers.CreateAsync(customer, ct); }
        catch (AlreadyExistsException)
        {
            // This request, repeated after its first attempt created the customer without an answer.
            customer = await customers.GetAsync(request.Tenant, customer.Id, ct) ?? throw new NotFoundException($"Customer {customer.Id}");
        }
        return ApiResponse.Created(CustomerView.From(customer), ApiViewJsonContext.Default.CustomerView, $"/customers/{customer.Id}", ETags.Format(customer.Version));
    }
}

public sealed class GetCustomer(ICustomerStore customers) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var customer = await CustomerAccess.LoadAsync(customers, request, ct);
        return ApiResponse.OkWithETag(CustomerView.From(customer), ApiViewJsonContext.Default.CustomerView, customer.Version);
    }
}

public sealed class ListCustomers(ICustomerStore customers) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var search = request.Query("q")?.Trim();
        if (search is { Length: > 100 }) throw Problems.BadRequest("q must be at most 100 characters.", "/query/q");
        var page = await customers.ListAsync(request.Tenant, search is { Length: > 0 } ? search : null, request.QueryInt("limit", 25, 1, 100), request.Query("cursor"), ct);
        return ApiResponse.Ok(new CustomerListView(page.Items.Select(CustomerView.From).ToList(), page.NextCursor), ApiViewJsonContext.Default.CustomerListView);
    }
}

public sealed class UpdateCustomer(ICustomerStore customers) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var expected = request.RequireIfMatchVersion();
        var details = request.ReadJson(ApiJsonContext.Default.CustomerInput).ToDetails();
        var current = await CustomerAccess.LoadAsync(customers, request, ct);
        var updated = current with { Details = details, Version = expected + 1, UpdatedAt = request.ReceivedAt, UpdatedBy = request.Actor };
        await customers.UpdateAsync(updated, current.Details.Email, ct);
        return ApiResponse.OkWithETag(CustomerView.From(updated), ApiViewJsonContext.Default.CustomerView, updated.Version);
    }
}

public sealed class DeleteCustomer(ICustomerStore customers) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var customer = await CustomerAccess.LoadAsync(customers, request, ct);
        if (customer.InvoiceCount > 0) throw new CustomerInUseException(customer.InvoiceCount);
        await customers.DeleteAsync(customer, ct);
        return ApiResponse.NoContent();
    }
}
