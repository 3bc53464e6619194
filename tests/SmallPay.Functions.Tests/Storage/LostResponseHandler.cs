using System.Net.Http.Headers;

namespace SmallPay.Functions.Tests.Storage;

/// <summary>
/// The network under the SDK clients, with one fault: for the requests <see cref="Drop"/> picks, DynamoDB receives and
/// applies the request, but its answer never arrives (the connection breaks while the response is on its way, as
/// SocketsHttpHandler reports it). This is the ambiguous failure a retry must survive.
/// </summary>
public sealed class LostResponseHandler(Func<string, string, bool> drop) : DelegatingHandler(new SocketsHttpHandler())
{
    private int _dropped;
    private readonly List<string> _operations = [];

    /// <summary>Decides per request, from its X-Amz-Target ("DynamoDB_20120810.UpdateItem") and JSON body.</summary>
    public Func<string, string, bool> Drop { get; set; } = drop;

    public int Dropped => Volatile.Read(ref _dropped);

    /// <summary>Every operation sent, in order (short names: "UpdateItem", "GetItem", …).</summary>
    public IReadOnlyList<string> Operations
    {
        get { lock (_operations) return [.. _operations]; }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        if (request.Content is not null)
        {
            // Reading consumed the SDK's content: send an identical copy.
            var copy = new StringContent(body);
            copy.Headers.Clear();
            foreach (var header in request.Content.Headers) copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
            request.Content = copy;
        }
        var target = request.Headers.TryGetValues("X-Amz-Target", out var values) ? values.First() : "";
        lock (_operations) _operations.Add(target[(target.IndexOf('.') + 1)..]);

        var response = await base.SendAsync(request, cancellationToken);
        if (!Drop(target, body)) return response;
        await response.Content.ReadAsByteArrayAsync(cancellationToken); // DynamoDB has answered: the write is applied
        response.Dispose();
        Interlocked.Increment(ref _dropped);
        throw new HttpRequestException("The response was lost: the connection was reset by the peer (injected).",
            new IOException("Connection reset by peer"));
    }
}
