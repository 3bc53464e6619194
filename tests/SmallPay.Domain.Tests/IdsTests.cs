namespace SmallPay.Domain.Tests;

public class IdsTests
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    [Fact]
    public void Id_is_the_prefix_an_underscore_and_26_Crockford_characters()
    {
        var id = Ids.New("inv");

        Assert.Matches("^inv_[0-9A-HJKMNP-TV-Z]{26}$", id);
        Assert.True(Ids.IsWellFormed(id, "inv"));
    }

    [Fact]
    public void Ten_thousand_ids_are_all_different_even_in_the_same_millisecond()
    {
        var now = DateTimeOffset.UtcNow;

        var ids = Enumerable.Range(0, 10_000).Select(_ => Ids.New("cus", now)).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(10_000, ids.Count);
    }

    [Fact]
    public void First_ten_characters_encode_the_millisecond_timestamp()
    {
        Assert.StartsWith("inv_0000000000", Ids.New("inv", DateTimeOffset.UnixEpoch), StringComparison.Ordinal);
        Assert.StartsWith("inv_0000000001", Ids.New("inv", DateTimeOffset.UnixEpoch.AddMilliseconds(1)), StringComparison.Ordinal);
        Assert.StartsWith("inv_000000000Z", Ids.New("inv", DateTimeOffset.UnixEpoch.AddMilliseconds(31)), StringComparison.Ordinal);
        Assert.StartsWith("inv_0000000010", Ids.New("inv", DateTimeOffset.UnixEpoch.AddMilliseconds(32)), StringComparison.Ordinal);
    }

    [Fact]
    public void Ids_sort_by_creation_time_across_milliseconds()
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var times = new double[] { 0, 1, 2, 999, 1000, 60_000, 86_400_000, 31_536_000_000, 315_360_000_000 }.Select(start.AddMilliseconds);

        var ids = times.Select(t => Ids.New("inv", t)).ToList();

        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Ids_of_the_same_millisecond_share_the_time_part()
    {
        var now = new DateTimeOffset(2026, 5, 17, 8, 30, 0, 123, TimeSpan.Zero);

        var (a, b) = (Ids.New("inv", now), Ids.New("inv", now));

        Assert.Equal(a[..14], b[..14]);
        Assert.NotEqual(a, b);
    }

    [Theory]
    [InlineData("cus_01ARZ3NDEKTSV4RRFFQ69G5FAV")]  // other entity's prefix
    [InlineData("INV_01ARZ3NDEKTSV4RRFFQ69G5FAV")]  // prefix case
    [InlineData("inv-01ARZ3NDEKTSV4RRFFQ69G5FAV")]  // separator
    [InlineData("inv01ARZ3NDEKTSV4RRFFQ69G5FAVX")]  // no separator, right length
    [InlineData("inv_01ARZ3NDEKTSV4RRFFQ69G5FA")]   // 25 characters
    [InlineData("inv_01ARZ3NDEKTSV4RRFFQ69G5FAVV")] // 27 characters
    [InlineData("inv_01arz3ndektsv4rrffq69g5fav")]  // lower case
    [InlineData("inv_01ARZ3NDEKTSV4RRFFQ69G5FAI")]  // I is not Crockford
    [InlineData("inv_01ARZ3NDEKTSV4RRFFQ69G5FAL")]  // L is not Crockford
    [InlineData("inv_01ARZ3NDEKTSV4RRFFQ69G5FAO")]  // O is not Crockford
    [InlineData("inv_01ARZ3NDEKTSV4RRFFQ69G5FAU")]  // U is not Crockford
    [InlineData("inv_01ARZ3NDEKTSV4RRFFQ69G5FA-")]
    [InlineData("inv_")]
    [InlineData("")]
    [InlineData(null)]
    public void Malformed_id_is_rejected(string? id) => Assert.False(Ids.IsWellFormed(id, "inv"));

    [Fact]
    public void Well_formed_id_from_elsewhere_is_accepted() =>
        Assert.True(Ids.IsWellFormed("inv_01ARZ3NDEKTSV4RRFFQ69G5FAV", "inv"));

    [Fact]
    public void Generated_ids_use_only_the_Crockford_alphabet()
    {
        var chars = Enumerable.Range(0, 2_000).SelectMany(_ => Ids.New("x")[2..]).ToHashSet();

        Assert.Subset(Crockford.ToHashSet(), chars);
        Assert.True(chars.Count > 28, "random part should use nearly the whole alphabet");
    }
}
