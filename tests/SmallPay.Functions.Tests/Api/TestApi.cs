using SmallPay.Functions.Tests.Infrastructure;

namespace SmallPay.Functions.Tests.Api;

public static class TestApi
{
    /// <summary>A brand-new tenant calling the in-memory API (the same handlers over the in-memory stores).</summary>
    public static Task<ApiClient> ForNewUserAsync(SmallPay.Testing.InMemoryApi api) =>
        Task.FromResult(new ApiClient(api.CreateClient(), SmallPay.Testing.InMemoryApi.TokenPrefix + Guid.NewGuid().ToString()));

    /// <summary>A brand-new Cognito user (so a brand-new tenant) talking to the local HTTP API with its ID token.</summary>
    public static async Task<ApiClient> ForNewUserAsync(LocalStackFixture stack)
    {
        var user = await stack.CreateUserAsync();
        return new ApiClient(stack.CreateHttpClient(), user.IdToken);
    }
}
