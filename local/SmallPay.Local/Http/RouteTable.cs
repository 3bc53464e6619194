namespace SmallPay.Local.Http;

/// <summary>
/// Matches a request to a route the way an HTTP API does: the most specific path wins (literal segments
/// over <c>{param}</c>, over a greedy <c>{proxy+}</c>), an exact method over <c>ANY</c>, and
/// <c>$default</c> catches the rest.
/// </summary>
public sealed class RouteTable<TRoute>
{
    private readonly List<Entry> _entries;

    public RouteTable(IEnumerable<(string Method, string Path, TRoute Route)> routes) =>
        _entries = routes.Select(route => new Entry(route.Method.ToUpperInvariant(), route.Path, Segments(route.Path), route.Route)).ToList();

    public int Count => _entries.Count;

    public IEnumerable<TRoute> All => _entries.Select(entry => entry.Route);

    public RouteMatch<TRoute>? Match(string method, string path)
    {
        var requestSegments = Segments(path);
        Entry? best = null;
        Dictionary<string, string>? bestParameters = null;
        var bestScore = long.MinValue;
        foreach (var entry in _entries)
        {
            if (entry.Method != "ANY" && entry.Method != method) continue;
            long score;
            Dictionary<string, string>? parameters;
            if (entry.Path is "/$default" or "$default")
            {
                (score, parameters) = (long.MinValue + 1, null);
            }
            else if (!TryMatch(entry.PathSegments, requestSegments, out score, out parameters))
            {
                continue;
            }
            score = score * 2 + (entry.Method == "ANY" ? 0 : 1);
            if (score > bestScore)
            {
                (best, bestScore, bestParameters) = (entry, score, parameters);
            }
        }
        return best is null ? null : new RouteMatch<TRoute>(best.Route, best.Path, bestParameters);
    }

    private static bool TryMatch(string[] template, string[] request, out long score, out Dictionary<string, string>? parameters)
    {
        score = 0;
        parameters = null;
        for (var i = 0; i < template.Length; i++)
        {
            var segment = template[i];
            if (segment.StartsWith('{') && segment.EndsWith("+}", StringComparison.Ordinal))
            {
                // Greedy: one or more remaining segments; least specific of all.
                if (i >= request.Length || i != template.Length - 1) return false;
                (parameters ??= [])[segment[1..^2]] = string.Join('/', request[i..].Select(Uri.UnescapeDataString));
                score -= 1;
                return true;
            }
            if (i >= request.Length) return false;
            if (segment.StartsWith('{') && segment.EndsWith('}'))
            {
                (parameters ??= [])[segment[1..^1]] = Uri.UnescapeDataString(request[i]);
                score += 1;
            }
            else if (segment == request[i])
            {
                score += 1000;
            }
            else
            {
                return false;
            }
        }
        return template.Length == request.Length;
    }

    private static string[] Segments(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    private sealed record Entry(string Method, string Path, string[] PathSegments, TRoute Route);
}

/// <summary>A matched route and its path parameters (decoded), null when the path has none.</summary>
public sealed record RouteMatch<TRoute>(TRoute Route, string PathTemplate, IReadOnlyDictionary<string, string>? PathParameters);
