using SmallPay.Functions.Tests.Infrastructure;

namespace SmallPay.Functions.Tests.Api;

public static class TestApi
{
    /// <summary>A brand-new Cognito user (so a brand-new tenant) talking to the local HTTP API with its ID token.</summary>
    public static async Task<ApiClient> ForNewUserAsync(LocalStackFixture stack)
    {
        var user = await stack.CreateUserAsync();
        return new ApiClient(stack.CreateHttpClient(), user.IdToken);
    }
}
