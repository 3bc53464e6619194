using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SmallPay.Functions.Tests.Api;

/// <summary>A signed-in user's view of the HTTP API: sends JSON, returns status, parsed body and headers.</summary>
public sealed class ApiClient(HttpClient http, string? bearerToken)
{
    public async Task<ApiResult> SendAsync(HttpMethod method, string path, object? body = null, IDictionary<string, string>? headers = null,
        string? rawBody = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (bearerToken is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        var text = rawBody ?? (body is null ? null : body as string ?? JsonSerializer.Serialize(body, TestJson.Options));
        if (text is not null) request.Content = new StringContent(text, Encoding.UTF8, contentType);
        if (headers is not null)
            foreach (var (name, value) in headers)
                if (!request.Headers.TryAddWithoutValidation(name, value)) request.Content?.Headers.TryAddWithoutValidation(name, value);
        using var response = await http.SendAsync(request);
        var responseText = await response.Content.ReadAsStringAsync();
        var responseHeaders = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value));
        JsonNode? json = null;
        if (responseText.Length > 0 && (responseHeaders.GetValueOrDefault("content-type") ?? "").Contains("json", StringComparison.Ordinal))
            json = JsonNode.Parse(responseText);
        return new ApiResult(response.StatusCode, json, responseHeaders, responseText) { Bytes = await response.Content.ReadAsByteArrayAsync() };
    }

    public Task<ApiResult> GetAsync(string path) => SendAsync(HttpMethod.Get, path);
    public Task<ApiResult> PostAsync(string path, object? body = null, IDictionary<string, string>? headers = null) => SendAsync(HttpMethod.Post, path, body, headers);
    public Task<ApiResult> PutAsync(string path, object body, string? etag) =>
        SendAsync(HttpMethod.Put, path, body, etag is null ? null : new Dictionary<string, string> { ["If-Match"] = etag });
    public Task<ApiResult> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path);
}

public sealed record ApiResult(HttpStatusCode Status, JsonNode? Json, IReadOnlyDictionary<string, string> Headers, string Text)
{
    public int Code => (int)Status;
    /// <summary>The body's bytes as sent (a CSV's byte order mark included; <see cref="Text"/> drops it).</summary>
    public byte[] Bytes { get; init; } = [];
    public JsonNode Body => Json ?? throw new InvalidOperationException($"No JSON body (status {Code}): {Text}");
    public string? ETag => Headers.GetValueOrDefault("etag");
    public string Id => Body["id"]!.GetValue<string>();

    public ApiResult Expect(int status)
    {
        Assert.True(Code == status, $"expected {status}, got {Code}: {Text}");
        return this;
    }

    public decimal Money(string path) => Navigate(path)!.GetValue<decimal>();

    public JsonNode? Navigate(string path)
    {
        JsonNode? node = Body;
        foreach (var part in path.Split('.'))
            node = int.TryParse(part, out var index) ? node?[index] : node?[part];
        return node;
    }

    /// <summary>The JSON pointers a problem response names.</summary>
    public IReadOnlyList<string> ErrorPointers() =>
        Body["errors"]?.AsArray().Select(e => e!["pointer"]!.GetValue<string>()).ToList() ?? [];
}

public static class TestJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
