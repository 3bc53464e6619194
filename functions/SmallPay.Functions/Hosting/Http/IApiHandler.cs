namespace SmallPay.Functions.Hosting.Http;

/// <summary>One API route's logic: parse and validate → call the domain → map to a response.</summary>
public interface IApiHandler
{
    Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken cancellationToken);
}
