using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;

namespace SmallPay.Functions.Storage;

/// <summary>Putting an invoice's e-mails, stored as their own items, back on the invoice the domain and the API see.</summary>
internal static class Deliveries
{
    public static Invoice Merge(Invoice invoice, IEnumerable<(DeliveryRequest Request, DeliveryResult? Result)> stored)
    {
        var requests = invoice.DeliveryRequests.ToList();
        var results = new Dictionary<string, DeliveryResult>(invoice.DeliveryResults, StringComparer.Ordinal);
        foreach (var (request, result) in stored.OrderBy(d => d.Request.RequestedAt))
        {
            if (requests.All(r => r.RequestId != request.RequestId)) requests.Add(request);
            if (result is not null) results[request.RequestId] = result;
        }
        return invoice with { DeliveryRequests = requests, DeliveryResults = results };
    }
}
