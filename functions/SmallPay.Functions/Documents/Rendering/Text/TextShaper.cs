using HarfBuzzSharp;
using Buffer = HarfBuzzSharp.Buffer;

namespace SmallPay.Functions.Documents.Rendering.Text;

/// <summary>One glyph as HarfBuzz placed it, in font units; <see cref="Cluster"/> is the UTF-16 index of the text it comes from.</summary>
internal readonly record struct ShapedGlyph(uint Glyph, int Advance, int XOffset, int YOffset, int Cluster);

/// <summary>Glyphs of one font and one direction, in visual order (left to right), covering [Start, End) of the line's text.</summary>
internal sealed record GlyphRun(FontFace Face, ShapedGlyph[] Glyphs, int Start, int End, bool RightToLeft)
{
    public int AdvanceUnits { get; } = Glyphs.Sum(g => g.Advance);
}

/// <summary>A line of text ready to draw: its runs in visual order and its width in points.</summary>
internal sealed record ShapedLine(string Text, double Size, IReadOnlyList<GlyphRun> Runs, int ParagraphLevel)
{
    public double Width { get; } = Runs.Sum(r => r.AdvanceUnits * Size / r.Face.UnitsPerEm);
}

/// <summary>
/// Turns a line of text into positioned glyphs: the bidi algorithm gives each character its level (paragraph direction
/// from the first strong character, as HTML's dir="auto", else the document's), each character gets a font from the
/// fallback chain (marks, digits, spaces and punctuation stay with their neighbours' font where it has them, so a
/// script's run is shaped whole), HarfBuzz shapes each run of one font and level (joining, reordering, conjuncts,
/// ligatures, mark positioning, kerning; mirrored brackets in right-to-left runs), and the runs are put in visual order
/// by rule L2. Safe for concurrent use: the HarfBuzz buffer is per thread.
/// </summary>
internal sealed class TextShaper(FontCatalog fonts)
{
    public static readonly TextShaper Default = new(FontCatalog.Default);

    [ThreadStatic] private static Buffer? t_buffer;
    private static readonly Dictionary<string, Language> Languages = new(StringComparer.Ordinal);

    /// <param name="language">BCP 47 tag of the document's language (selects e.g. the Chinese or Japanese forms of Han characters).</param>
    /// <param name="documentLevel">0 for a left-to-right document, 1 for right to left: the direction of text without strong characters.</param>
    public ShapedLine Shape(string text, double size, bool bold, string language, int documentLevel)
    {
        if (text.Length == 0)
            return new ShapedLine(text, size, [], documentLevel);

        var paragraph = 0;
        var levels = NeedsBidi(text) ? UnicodeBidi.Levels(text, null, out paragraph, documentLevel) : null;
        var families = Families(text, bold);

        var runs = new List<GlyphRun>();
        var runLevels = new List<byte>();
        for (var start = 0; start < text.Length;)
        {
            var end = start + 1;
            var level = levels?[start] ?? 0;
            while (end < text.Length && families[end] == families[start] && (levels?[end] ?? 0) == level) end++;
            runs.Add(ShapeRun(text, start, end, fonts.Face(families[start], bold), (level & 1) == 1, language));
            runLevels.Add(level);
            start = end;
        }
        if (levels is not null && runs.Count > 1)
        {
            var order = UnicodeBidi.VisualOrder(runLevels.ToArray());
            runs = order.Select(i => runs[i]).ToList();
        }
        return new ShapedLine(text, size, runs, paragraph);
    }

    /// <summary>Only text with right-to-left characters or bidi controls needs the algorithm; all else is one level-0 run.</summary>
    private static bool NeedsBidi(string text)
    {
        foreach (var c in text)
        {
            if (c >= '\u0590' && (c <= '\u08FF' || c is >= '\u200E' and <= '\u200F' or >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069'
                || c is >= '\uFB1D' and <= '\uFDFF' or >= '\uFE70' and <= '\uFEFF' || char.IsSurrogate(c)))
                return true;
        }
        return false;
    }

    /// <summary>The font family of every UTF-16 unit (both halves of a pair alike).</summary>
    private FontCatalog.Family[] Families(string text, bool bold)
    {
        var families = new FontCatalog.Family[text.Length];
        var resolved = new bool[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            var cp = CodePointAt(text, i, out var units);
            var script = UnicodeFunctions.Default.GetScript(cp);
            if (script != Script.Common && script != Script.Inherited && script != Script.Unknown)
            {
                families[i] = fonts.FamilyFor(cp, bold);
                resolved[i] = true;
            }
            if (units == 2)
            {
                families[i + 1] = families[i];
                resolved[i + 1] = resolved[i];
                i++;
            }
        }
        // Characters of no script of their own (spaces, digits, punctuation, marks) join the run before them, else the one
        // after, when that font has them.
        for (var i = 0; i < text.Length; i++)
        {
            if (resolved[i]) continue;
            var cp = CodePointAt(text, i, out var units);
            FontCatalog.Family? family = null;
            if (i > 0 && fonts.Face(families[i - 1], bold).Covers(cp))
                family = families[i - 1];
            else
            {
                for (var j = i + units; j < text.Length; j++)
                {
                    if (!resolved[j]) continue;
                    if (fonts.Face(families[j], bold).Covers(cp)) family = families[j];
                    break;
                }
            }
            families[i] = family ?? fonts.FamilyFor(cp, bold);
            if (units == 2) families[++i] = families[i - 1];
        }
        return families;
    }

    private static int CodePointAt(string text, int i, out int units)
    {
        if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            units = 2;
            return char.ConvertToUtf32(text[i], text[i + 1]);
        }
        units = 1;
        return text[i];
    }

    private static GlyphRun ShapeRun(string text, int start, int end, FontFace face, bool rightToLeft, string language)
    {
        var buffer = t_buffer ??= new Buffer();
        buffer.ClearContents();
        buffer.AddUtf16(text, start, end - start);
        buffer.Direction = rightToLeft ? Direction.RightToLeft : Direction.LeftToRight;
        buffer.Language = LanguageOf(language);
        buffer.GuessSegmentProperties();
        face.Font.Shape(buffer);

        var infos = buffer.GetGlyphInfoSpan();
        var positions = buffer.GetGlyphPositionSpan();
        var glyphs = new ShapedGlyph[infos.Length];
        for (var i = 0; i < infos.Length; i++)
            glyphs[i] = new ShapedGlyph(infos[i].Codepoint, positions[i].XAdvance, positions[i].XOffset, positions[i].YOffset, (int)infos[i].Cluster);
        return new GlyphRun(face, glyphs, start, end, rightToLeft);
    }

    private static Language LanguageOf(string tag)
    {
        lock (Languages)
        {
            if (!Languages.TryGetValue(tag, out var language))
                Languages[tag] = language = new Language(tag);
            return language;
        }
    }
}
