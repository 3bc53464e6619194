using System.Text.Json.Nodes;
using SmallPay.Local.Pipeline;

namespace SmallPay.Functions.Tests.Local.Pipeline;

/// <summary>EventBridge pattern matching as Pipes applies FilterCriteria (cases from EventBridge's documentation).</summary>
public sealed class EventPatternTests
{
    private static bool Matches(string pattern, string eventJson) => EventPattern.Parse(pattern).Matches(JsonNode.Parse(eventJson));

    [Theory]
    [InlineData("""{"a": ["x"]}""", """{"a": "x"}""", true)]
    [InlineData("""{"a": ["x"]}""", """{"a": "y"}""", false)]
    [InlineData("""{"a": ["x"]}""", """{"a": "X"}""", false)]
    [InlineData("""{"a": ["x", "y"]}""", """{"a": "y"}""", true)]
    [InlineData("""{"a": ["x"]}""", """{"b": "x"}""", false)]
    [InlineData("""{"a": ["x"]}""", """{}""", false)]
    [InlineData("""{"a": [true]}""", """{"a": true}""", true)]
    [InlineData("""{"a": [true]}""", """{"a": false}""", false)]
    [InlineData("""{"a": [true]}""", """{"a": "true"}""", false)]
    [InlineData("""{"a": [null]}""", """{"a": null}""", true)]
    [InlineData("""{"a": [null]}""", """{}""", false)]
    [InlineData("""{"a": [""]}""", """{"a": ""}""", true)]
    public void Exact_values_match_by_value_and_type(string pattern, string eventJson, bool expected) =>
        Assert.Equal(expected, Matches(pattern, eventJson));

    [Theory]
    [InlineData("""{"n": [5]}""", """{"n": 5}""", true)]
    [InlineData("""{"n": [5]}""", """{"n": 5.0}""", true)]
    [InlineData("""{"n": [5]}""", """{"n": "5"}""", false)]
    [InlineData("""{"n": ["5"]}""", """{"n": 5}""", false)]
    [InlineData("""{"version": {"N": ["5"]}}""", """{"version": {"N": "5"}}""", true)]
    public void Numbers_and_strings_never_match_each_other(string pattern, string eventJson, bool expected) =>
        Assert.Equal(expected, Matches(pattern, eventJson));

    [Theory]
    [InlineData("""{"tags": ["b"]}""", """{"tags": ["a", "b"]}""", true)]
    [InlineData("""{"tags": ["c"]}""", """{"tags": ["a", "b"]}""", false)]
    [InlineData("""{"tags": ["c"]}""", """{"tags": []}""", false)]
    [InlineData("""{"items": {"sku": ["B"]}}""", """{"items": [{"sku": "A"}, {"sku": "B"}]}""", true)]
    [InlineData("""{"items": {"sku": ["B"], "qty": [1]}}""", """{"items": [{"sku": "A", "qty": 1}, {"sku": "B", "qty": 2}]}""", false)]
    [InlineData("""{"items": {"sku": ["B"], "qty": [2]}}""", """{"items": [{"sku": "A", "qty": 1}, {"sku": "B", "qty": 2}]}""", true)]
    public void An_array_in_the_event_matches_when_one_element_does(string pattern, string eventJson, bool expected) =>
        Assert.Equal(expected, Matches(pattern, eventJson));

    [Theory]
    [InlineData("""{"a": ["x"], "b": ["y"]}""", """{"a": "x", "b": "y"}""", true)]
    [InlineData("""{"a": ["x"], "b": ["y"]}""", """{"a": "x", "b": "z"}""", false)]
    [InlineData("""{"a": ["x"], "b": ["y"]}""", """{"a": "x"}""", false)]
    [InlineData("""{"d": {"e": {"f": ["1"]}}}""", """{"d": {"e": {"f": "1", "g": "2"}}}""", true)]
    [InlineData("""{"d": {"e": {"f": ["1"]}}}""", """{"d": {"e": "f"}}""", false)]
    [InlineData("""{"d": {"e": {"f": ["1"]}}}""", """{"d": "e"}""", false)]
    public void Fields_of_a_pattern_must_all_match(string pattern, string eventJson, bool expected) =>
        Assert.Equal(expected, Matches(pattern, eventJson));

    [Theory]
    [InlineData("""{"a": [{"exists": true}]}""", """{"a": "x"}""", true)]
    [InlineData("""{"a": [{"exists": true}]}""", """{"a": null}""", true)]
    [InlineData("""{"a": [{"exists": true}]}""", """{"b": "x"}""", false)]
    [InlineData("""{"a": [{"exists": false}]}""", """{"b": "x"}""", true)]
    [InlineData("""{"a": [{"exists": false}]}""", """{"a": "x"}""", false)]
    [InlineData("""{"a": {"b": [{"exists": false}]}}""", """{}""", true)]
    [InlineData("""{"a": {"b": [{"exists": false}]}}""", """{"a": {"b": 1}}""", false)]
    // Exists is about leaves: a field holding an object does not "exist" for it.
    [InlineData("""{"a": [{"exists": true}]}""", """{"a": {"b": 1}}""", false)]
    [InlineData("""{"a": [{"exists": false}]}""", """{"a": {"b": 1}}""", true)]
    [InlineData("""{"a": [{"exists": false}]}""", """{"a": []}""", true)]
    [InlineData("""{"a": ["x", {"exists": false}]}""", """{}""", true)]
    public void Exists_looks_at_leaf_values(string pattern, string eventJson, bool expected) =>
        Assert.Equal(expected, Matches(pattern, eventJson));

    [Theory]
    [InlineData("""{"s": [{"anything-but": "Draft"}]}""", """{"s": "Open"}""", true)]
    [InlineData("""{"s": [{"anything-but": "Draft"}]}""", """{"s": "Draft"}""", false)]
    [InlineData("""{"s": [{"anything-but": ["Draft", "Void"]}]}""", """{"s": "Void"}""", false)]
    [InlineData("""{"s": [{"anything-but": ["Draft", "Void"]}]}""", """{"s": "Paid"}""", true)]
    [InlineData("""{"s": [{"anything-but": ["Draft"]}]}""", """{}""", false)]
    [InlineData("""{"s": [{"anything-but": ["Draft"]}]}""", """{"s": ["Draft", "Open"]}""", true)]
    [InlineData("""{"s": [{"anything-but": ["Draft"]}]}""", """{"s": ["Draft"]}""", false)]
    [InlineData("""{"n": [{"anything-but": [1, 2]}]}""", """{"n": 3}""", true)]
    [InlineData("""{"n": [{"anything-but": [1, 2]}]}""", """{"n": 2}""", false)]
    [InlineData("""{"s": [{"anything-but": {"prefix": "inv_"}}]}""", """{"s": "settings#t"}""", true)]
    [InlineData("""{"s": [{"anything-but": {"prefix": "inv_"}}]}""", """{"s": "inv_1"}""", false)]
    [InlineData("""{"s": [{"anything-but": {"suffix": ".pdf"}}]}""", """{"s": "a.pdf"}""", false)]
    [InlineData("""{"s": [{"anything-but": {"equals-ignore-case": ["draft"]}}]}""", """{"s": "DRAFT"}""", false)]
    [InlineData("""{"s": [{"anything-but": {"wildcard": "number#*"}}]}""", """{"s": "number#t#1"}""", false)]
    public void Anything_but_needs_the_field_and_excludes_values(string pattern, string eventJson, bool expected) =>
        Assert.Equal(expected, Matches(pattern, eventJson));

    [Theory]
    [InlineData("""{"id": [{"prefix": "inv_"}]}""", """{"id": "inv_123"}""", true)]
    [InlineData("""{"id": [{"prefix": "inv_"}]}""", """{"id": "cus_123"}""", false)]
    [InlineData("""{"id": [{"prefix": "inv_"}]}""", """{"id": 5}""", false)]
    [InlineData("""{"id": [{"prefix": {"equals-ignore-case": "INV_"}}]}""", """{"id": "inv_123"}""", true)]
    [InlineData("""{"f": [{"suffix": ".pdf"}]}""", """{"f": "a.pdf"}""", true)]
    [InlineData("""{"f": [{"suffix": ".pdf"}]}""", """{"f": "a.PDF"}""", false)]
    [InlineData("""{"f": [{"equals-ignore-case": "OPEN"}]}""", """{"f": "Open"}""", true)]
    [InlineData("""{"f": [{"wildcard": "idem#*#send#*"}]}""", """{"f": "idem#t1#send#k"}""", true)]
    [InlineData("""{"f": [{"wildcard": "idem#*#send#*"}]}""", """{"f": "idem#t1#pay#k"}""", false)]
    [InlineData("""{"ip": [{"cidr": "10.0.0.0/24"}]}""", """{"ip": "10.0.0.42"}""", true)]
    [InlineData("""{"ip": [{"cidr": "10.0.0.0/24"}]}""", """{"ip": "10.0.1.42"}""", false)]
    public void String_operators_match_strings_only(string pattern, string eventJson, bool expected) =>
        Assert.Equal(expected, Matches(pattern, eventJson));

    [Theory]
    [InlineData("""{"n": [{"numeric": [">", 0]}]}""", """{"n": 0.5}""", true)]
    [InlineData("""{"n": [{"numeric": [">", 0]}]}""", """{"n": 0}""", false)]
    [InlineData("""{"n": [{"numeric": [">=", 0, "<", 10]}]}""", """{"n": 0}""", true)]
    [InlineData("""{"n": [{"numeric": [">=", 0, "<", 10]}]}""", """{"n": 10}""", false)]
    [InlineData("""{"n": [{"numeric": ["=", 3.5]}]}""", """{"n": 3.5}""", true)]
    [InlineData("""{"n": [{"numeric": ["<=", 3]}]}""", """{"n": 3}""", true)]
    [InlineData("""{"n": [{"numeric": [">", 0]}]}""", """{"n": "5"}""", false)]
    [InlineData("""{"n": [{"numeric": [">", 0]}]}""", """{}""", false)]
    [InlineData("""{"version": {"N": [{"numeric": [">", 0]}]}}""", """{"version": {"N": "5"}}""", false)]
    public void Numeric_compares_JSON_numbers_only(string pattern, string eventJson, bool expected) =>
        Assert.Equal(expected, Matches(pattern, eventJson));

    [Theory]
    [InlineData("""{"$or": [{"a": ["x"]}, {"b": ["y"]}]}""", """{"b": "y"}""", true)]
    [InlineData("""{"$or": [{"a": ["x"]}, {"b": ["y"]}]}""", """{"a": "y", "b": "x"}""", false)]
    [InlineData("""{"c": ["z"], "$or": [{"a": ["x"]}, {"b": ["y"]}]}""", """{"a": "x", "c": "q"}""", false)]
    [InlineData("""{"c": ["z"], "$or": [{"a": ["x"]}, {"b": ["y"]}]}""", """{"a": "x", "c": "z"}""", true)]
    public void Or_takes_any_of_its_patterns(string pattern, string eventJson, bool expected) =>
        Assert.Equal(expected, Matches(pattern, eventJson));

    [Theory]
    [InlineData("""["x"]""")]
    [InlineData("""{"a": "x"}""")]
    [InlineData("""{"a": 5}""")]
    [InlineData("""{"a": [["x"]]}""")]
    [InlineData("""{"a": [{"nope": 1}]}""")]
    [InlineData("""{"a": [{"prefix": 1}]}""")]
    [InlineData("""{"a": [{"prefix": "x", "suffix": "y"}]}""")]
    [InlineData("""{"a": [{"numeric": [">"]}]}""")]
    [InlineData("""{"a": [{"numeric": ["~", 1]}]}""")]
    [InlineData("""{"a": [{"numeric": [">", "1"]}]}""")]
    [InlineData("""{"a": [{"exists": "yes"}]}""")]
    [InlineData("""{"a": [{"anything-but": {"exists": true}}]}""")]
    [InlineData("""{"a": [{"cidr": "not-a-network"}]}""")]
    [InlineData("""{"$or": [{"a": ["x"]}]}""")]
    [InlineData("""not json""")]
    public void Patterns_EventBridge_refuses_are_refused(string pattern) =>
        Assert.Throws<InvalidDataException>(() => EventPattern.Parse(pattern));

    [Fact]
    public void A_filter_passes_an_event_any_of_its_patterns_matches()
    {
        var filter = PipeFilter.FromCriteria(JsonNode.Parse("""
            {"Filters": [{"Pattern": "{\"a\": [\"x\"]}"}, {"Pattern": "{\"b\": [\"y\"]}"}]}
            """));

        Assert.True(filter.Passes(JsonNode.Parse("""{"a": "x"}""")));
        Assert.True(filter.Passes(JsonNode.Parse("""{"b": "y"}""")));
        Assert.False(filter.Passes(JsonNode.Parse("""{"a": "y"}""")));
    }

    [Fact]
    public void Without_filters_everything_passes()
    {
        Assert.True(PipeFilter.FromCriteria(null).Passes(JsonNode.Parse("{}")));
        Assert.True(PipeFilter.FromCriteria(JsonNode.Parse("""{"Filters": []}""")).Passes(JsonNode.Parse("{}")));
    }

    [Fact]
    public void A_filter_with_a_bad_pattern_is_refused_with_where_it_is()
    {
        var error = Assert.Throws<InvalidDataException>(() =>
            PipeFilter.FromCriteria(JsonNode.Parse("""{"Filters": [{"Pattern": "{\"dynamodb\": {\"NewImage\": \"x\"}}"}]}""")));

        Assert.Contains("dynamodb.NewImage", error.Message);
    }
}
