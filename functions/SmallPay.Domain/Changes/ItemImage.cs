using System.Globalization;

namespace SmallPay.Domain.Changes;

/// <summary>
/// One attribute value of a stored item, as the change feed sees it (no storage types here): exactly one of a string, a
/// number (its text, so no precision is lost), a boolean, null, a list or a map.
/// </summary>
public sealed record ImageValue(
    string? S = null, string? N = null, bool? Bool = null, bool IsNull = false,
    IReadOnlyList<ImageValue>? L = null, IReadOnlyDictionary<string, ImageValue>? M = null)
{
    /// <summary>The value as one short line of text (what "before" and "after" of an edit show).</summary>
    public string? Display() =>
        S ?? N ?? (Bool is { } b ? (b ? "true" : "false") : null)
        ?? (L is { } list ? string.Join(", ", list.Select(v => v.Display()).Where(v => v is not null)) : null)
        ?? (M is { } map ? string.Join(", ", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value.Display()).Where(v => !string.IsNullOrEmpty(v))) : null);
}

/// <summary>A stored item before or after a change: its attributes by name.</summary>
public sealed class ItemImage(IReadOnlyDictionary<string, ImageValue> attributes)
{
    public IReadOnlyDictionary<string, ImageValue> Attributes { get; } = attributes;

    public bool Has(string name) => Attributes.ContainsKey(name);

    public ImageValue? Value(string name) => Attributes.GetValueOrDefault(name);

    public string? Text(string name) => Attributes.GetValueOrDefault(name)?.S;

    public decimal? Number(string name) =>
        Attributes.GetValueOrDefault(name)?.N is { } n && decimal.TryParse(n, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    public long? Long(string name) =>
        Attributes.GetValueOrDefault(name)?.N is { } n && long.TryParse(n, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    public DateTimeOffset? Time(string name) =>
        Text(name) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value) ? value : null;

    public IReadOnlyList<ImageValue> List(string name) => Attributes.GetValueOrDefault(name)?.L ?? [];

    public ItemImage? Map(string name) => Attributes.GetValueOrDefault(name)?.M is { } map ? new ItemImage(map) : null;

    public IReadOnlyList<string> Strings(string name) => List(name).Select(v => v.S).OfType<string>().ToList();
}

public enum ChangeKind { Insert, Modify, Remove }

/// <summary>
/// One change of one item, as its table's stream reports it. <paramref name="Sequence"/> identifies the change (the
/// stream record's sequence number: a redelivered record has the same one); <paramref name="Table"/> names the table.
/// </summary>
public sealed record ItemChange(string Table, ChangeKind Kind, ItemImage? Old, ItemImage? New, string Sequence, DateTimeOffset At)
{
    /// <summary>The image that says what the item is: the new one, or the old one of a removal.</summary>
    public ItemImage? Current => New ?? Old;

    public string? Entity => Current?.Text("entity");

    public string? ItemId => Current?.Text("id");
}
