namespace SmallPay.Functions.Documents.Rendering.Text;

/// <summary>The Bidi_Class values of UAX #9, in the order of <see cref="UnicodeBidiData"/>'s table.</summary>
internal enum BidiClass : byte
{
    L, R, AL, EN, ES, ET, AN, CS, NSM, BN, B, S, WS, ON, LRE, LRO, RLE, RLO, PDF, LRI, RLI, FSI, PDI,
}

/// <summary>
/// The Unicode Bidirectional Algorithm (UAX #9, Unicode 15): the embedding level of every character of one paragraph,
/// and the visual order of a line. No package served to this build implements it (ICU4N's alpha carries the bidi
/// properties but not the algorithm), so it is written here after the standard's rules, with their numbers, and tested
/// against every case of Unicode's own conformance file BidiCharacterTest.txt (UnicodeBidiConformanceTests).
/// </summary>
/// <remarks>
/// Characters removed by rule X9 (embedding and override controls, BN) get the level of the character before them (the
/// paragraph level at the start): they have no glyph, and giving them a neighbour's level keeps them inside its run.
/// </remarks>
internal static class UnicodeBidi
{
    private const int MaxDepth = 125;

    /// <summary>Levels of <paramref name="text"/>, one per UTF-16 code unit (both halves of a pair alike).</summary>
    /// <param name="direction">0 left to right, 1 right to left, null: from the first strong character (P2, P3), else <paramref name="fallbackLevel"/>.</param>
    public static byte[] Levels(string text, int? direction, out int paragraphLevel, int fallbackLevel = 0)
    {
        var codePoints = new List<int>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                codePoints.Add(char.ConvertToUtf32(text[i], text[i + 1]));
                i++;
            }
            else codePoints.Add(text[i]);
        }
        var levels = Resolve(codePoints.ToArray(), direction, out paragraphLevel, fallbackLevel, out _);
        var perUnit = new byte[text.Length];
        for (int i = 0, k = 0; i < text.Length; i++, k++)
        {
            perUnit[i] = levels[k];
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                perUnit[++i] = levels[k];
        }
        return perUnit;
    }

    /// <summary>
    /// The resolved levels of a paragraph of code points after rules P2–I2 and L1 (for one line holding the whole
    /// paragraph). <paramref name="removed"/> marks the characters rule X9 takes out.
    /// </summary>
    public static byte[] Resolve(int[] text, int? direction, out int paragraphLevel, int fallbackLevel, out bool[] removed)
    {
        var n = text.Length;
        var original = new BidiClass[n];
        for (var i = 0; i < n; i++)
            original[i] = UnicodeBidiData.ClassOf(text[i]);
        var types = (BidiClass[])original.Clone();
        var matchingPdi = MatchIsolates(original, out var matchingInitiator);

        paragraphLevel = direction ?? FirstStrong(original, 0, n, matchingPdi) ?? fallbackLevel;
        var levels = new byte[n];
        removed = new bool[n];

        Explicit(original, types, levels, removed, paragraphLevel, matchingPdi);

        foreach (var sequence in IsolatingRunSequences(original, levels, removed, paragraphLevel, matchingPdi, matchingInitiator))
            sequence.Resolve(text, original, types, levels);

        // L1: separators, and whitespace before them or at the end of the line, go back to the paragraph level.
        var trailing = true;
        for (var i = n - 1; i >= 0; i--)
        {
            var t = original[i];
            if (t is BidiClass.S or BidiClass.B)
            {
                levels[i] = (byte)paragraphLevel;
                trailing = true;
            }
            else if (t is BidiClass.WS or BidiClass.LRI or BidiClass.RLI or BidiClass.FSI or BidiClass.PDI || removed[i])
            {
                if (trailing) levels[i] = (byte)paragraphLevel;
            }
            else trailing = false;
        }

        // Removed characters take their neighbour's level (see the remarks).
        for (var i = 0; i < n; i++)
            if (removed[i])
                levels[i] = i == 0 ? (byte)paragraphLevel : levels[i - 1];
        return levels;
    }

    /// <summary>
    /// Rule L2: the visual order of a line, as indexes into <paramref name="levels"/> from left to right: from the
    /// highest level down to the lowest odd one, every run at that level or above is reversed.
    /// </summary>
    public static int[] VisualOrder(ReadOnlySpan<byte> levels)
    {
        var order = new int[levels.Length];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        if (levels.Length == 0) return order;
        byte highest = 0, lowestOdd = byte.MaxValue;
        foreach (var level in levels)
        {
            highest = Math.Max(highest, level);
            if ((level & 1) == 1) lowestOdd = Math.Min(lowestOdd, level);
        }
        for (int level = highest; level >= lowestOdd && level > 0; level--)
        {
            for (var i = 0; i < order.Length;)
            {
                if (levels[order[i]] < level)
                {
                    i++;
                    continue;
                }
                var end = i;
                while (end < order.Length && levels[order[end]] >= level) end++;
                Array.Reverse(order, i, end - i);
                i = end;
            }
        }
        return order;
    }

    // ---- P2, P3 and BD9 ----

    /// <summary>BD9: the matching PDI of every isolate initiator (or -1), and the reverse.</summary>
    private static int[] MatchIsolates(BidiClass[] types, out int[] matchingInitiator)
    {
        var matchingPdi = new int[types.Length];
        matchingInitiator = new int[types.Length];
        Array.Fill(matchingPdi, -1);
        Array.Fill(matchingInitiator, -1);
        var open = new Stack<int>();
        for (var i = 0; i < types.Length; i++)
        {
            if (types[i] is BidiClass.LRI or BidiClass.RLI or BidiClass.FSI) open.Push(i);
            else if (types[i] == BidiClass.PDI && open.Count > 0)
            {
                var initiator = open.Pop();
                matchingPdi[initiator] = i;
                matchingInitiator[i] = initiator;
            }
            else if (types[i] == BidiClass.B) open.Clear();
        }
        return matchingPdi;
    }

    /// <summary>P2, P3: 0 or 1 from the first L, R or AL outside isolates in [from, to); null when there is none.</summary>
    private static int? FirstStrong(BidiClass[] types, int from, int to, int[] matchingPdi)
    {
        for (var i = from; i < to; i++)
        {
            switch (types[i])
            {
                case BidiClass.L: return 0;
                case BidiClass.R or BidiClass.AL: return 1;
                case BidiClass.LRI or BidiClass.RLI or BidiClass.FSI:
                    if (matchingPdi[i] < 0) return null;
                    i = matchingPdi[i];
                    break;
                case BidiClass.B: return null;
            }
        }
        return null;
    }

    // ---- X1–X9 ----

    private readonly record struct Status(byte Level, BidiClass Override, bool Isolate);

    private static void Explicit(BidiClass[] original, BidiClass[] types, byte[] levels, bool[] removed, int paragraphLevel, int[] matchingPdi)
    {
        var stack = new Stack<Status>();
        stack.Push(new Status((byte)paragraphLevel, BidiClass.ON, false));
        int overflowIsolates = 0, overflowEmbeddings = 0, validIsolates = 0;
        for (var i = 0; i < original.Length; i++)
        {
            var t = original[i];
            var top = stack.Peek();
            switch (t)
            {
                case BidiClass.RLE or BidiClass.LRE or BidiClass.RLO or BidiClass.LRO:
                {
                    var rtl = t is BidiClass.RLE or BidiClass.RLO;
                    var level = rtl ? (top.Level + 1) | 1 : (top.Level + 2) & ~1;
                    if (level <= MaxDepth && overflowIsolates == 0 && overflowEmbeddings == 0)
                        stack.Push(new Status((byte)level, t switch { BidiClass.RLO => BidiClass.R, BidiClass.LRO => BidiClass.L, _ => BidiClass.ON }, false));
                    else if (overflowIsolates == 0)
                        overflowEmbeddings++;
                    levels[i] = top.Level;
                    removed[i] = true;
                    break;
                }
                case BidiClass.RLI or BidiClass.LRI or BidiClass.FSI:
                {
                    levels[i] = top.Level;
                    if (top.Override != BidiClass.ON) types[i] = top.Override;
                    var rtl = t == BidiClass.RLI
                        || t == BidiClass.FSI && FirstStrong(original, i + 1, matchingPdi[i] < 0 ? original.Length : matchingPdi[i], matchingPdi) == 1;
                    var level = rtl ? (top.Level + 1) | 1 : (top.Level + 2) & ~1;
                    if (level <= MaxDepth && overflowIsolates == 0 && overflowEmbeddings == 0)
                    {
                        validIsolates++;
                        stack.Push(new Status((byte)level, BidiClass.ON, true));
                    }
                    else overflowIsolates++;
                    break;
                }
                case BidiClass.PDI:
                    if (overflowIsolates > 0) overflowIsolates--;
                    else if (validIsolates > 0)
                    {
                        overflowEmbeddings = 0;
                        while (!stack.Peek().Isolate) stack.Pop();
                        stack.Pop();
                        validIsolates--;
                    }
                    top = stack.Peek();
                    levels[i] = top.Level;
                    if (top.Override != BidiClass.ON) types[i] = top.Override;
                    break;
                case BidiClass.PDF:
                    if (overflowIsolates > 0) { }
                    else if (overflowEmbeddings > 0) overflowEmbeddings--;
                    else if (!top.Isolate && stack.Count >= 2) stack.Pop();
                    levels[i] = top.Level;
                    removed[i] = true;
                    break;
                case BidiClass.B:
                    levels[i] = (byte)paragraphLevel;
                    break;
                case BidiClass.BN:
                    levels[i] = top.Level;
                    removed[i] = true;
                    break;
                default:
                    levels[i] = top.Level;
                    if (top.Override != BidiClass.ON) types[i] = top.Override;
                    break;
            }
        }
    }

    // ---- X10 ----

    private static List<IsolatingRunSequence> IsolatingRunSequences(BidiClass[] original, byte[] levels, bool[] removed, int paragraphLevel,
        int[] matchingPdi, int[] matchingInitiator)
    {
        // Level runs over the characters X9 keeps.
        var runs = new List<List<int>>();
        var runOf = new int[original.Length];
        List<int>? current = null;
        var lastLevel = -1;
        for (var i = 0; i < original.Length; i++)
        {
            if (removed[i]) continue;
            if (current is null || levels[i] != lastLevel)
            {
                current = [];
                runs.Add(current);
                lastLevel = levels[i];
            }
            current.Add(i);
            runOf[i] = runs.Count - 1;
        }

        var sequences = new List<IsolatingRunSequence>();
        foreach (var run in runs)
        {
            var first = run[0];
            if (original[first] == BidiClass.PDI && matchingInitiator[first] >= 0 && !removed[matchingInitiator[first]])
                continue; // continues the sequence of its initiator
            var indexes = new List<int>();
            var r = run;
            while (true)
            {
                indexes.AddRange(r);
                var last = r[^1];
                if (original[last] is BidiClass.LRI or BidiClass.RLI or BidiClass.FSI && matchingPdi[last] >= 0)
                    r = runs[runOf[matchingPdi[last]]];
                else break;
            }
            sequences.Add(new IsolatingRunSequence(indexes.ToArray(), original, levels, removed, paragraphLevel, matchingPdi));
        }
        return sequences;
    }

    private sealed class IsolatingRunSequence
    {
        private readonly int[] _indexes;
        private readonly int _level;
        private readonly BidiClass _sos, _eos;

        public IsolatingRunSequence(int[] indexes, BidiClass[] original, byte[] levels, bool[] removed, int paragraphLevel, int[] matchingPdi)
        {
            _indexes = indexes;
            _level = levels[indexes[0]];
            var before = indexes[0] - 1;
            while (before >= 0 && removed[before]) before--;
            var beforeLevel = before >= 0 ? levels[before] : paragraphLevel;
            var lastIndex = indexes[^1];
            int afterLevel;
            if (original[lastIndex] is BidiClass.LRI or BidiClass.RLI or BidiClass.FSI && matchingPdi[lastIndex] < 0)
                afterLevel = paragraphLevel;
            else
            {
                var after = lastIndex + 1;
                while (after < original.Length && removed[after]) after++;
                afterLevel = after < original.Length ? levels[after] : paragraphLevel;
            }
            _sos = (Math.Max(beforeLevel, _level) & 1) == 1 ? BidiClass.R : BidiClass.L;
            _eos = (Math.Max(afterLevel, _level) & 1) == 1 ? BidiClass.R : BidiClass.L;
        }

        private static bool IsIsolateControl(BidiClass t) => t is BidiClass.LRI or BidiClass.RLI or BidiClass.FSI or BidiClass.PDI;

        private static bool IsNeutral(BidiClass t) =>
            t is BidiClass.B or BidiClass.S or BidiClass.WS or BidiClass.ON or BidiClass.LRI or BidiClass.RLI or BidiClass.FSI or BidiClass.PDI;

        public void Resolve(int[] text, BidiClass[] original, BidiClass[] allTypes, byte[] levels)
        {
            var n = _indexes.Length;
            var t = new BidiClass[n];
            for (var k = 0; k < n; k++) t[k] = allTypes[_indexes[k]];

            // W1: NSM takes the type before it (ON after an isolate control).
            for (var k = 0; k < n; k++)
                if (t[k] == BidiClass.NSM)
                    t[k] = k == 0 ? _sos : IsIsolateControl(t[k - 1]) ? BidiClass.ON : t[k - 1];

            // W2: EN after AL is AN. W3: AL is R.
            var lastStrong = _sos;
            for (var k = 0; k < n; k++)
            {
                if (t[k] is BidiClass.L or BidiClass.R or BidiClass.AL) lastStrong = t[k];
                else if (t[k] == BidiClass.EN && lastStrong == BidiClass.AL) t[k] = BidiClass.AN;
            }
            for (var k = 0; k < n; k++)
                if (t[k] == BidiClass.AL) t[k] = BidiClass.R;

            // W4: one separator between two numbers of a kind.
            for (var k = 1; k < n - 1; k++)
            {
                if (t[k] == BidiClass.ES && t[k - 1] == BidiClass.EN && t[k + 1] == BidiClass.EN) t[k] = BidiClass.EN;
                else if (t[k] == BidiClass.CS && t[k - 1] == t[k + 1] && t[k - 1] is BidiClass.EN or BidiClass.AN) t[k] = t[k - 1];
            }

            // W5: terminators next to European numbers are European numbers.
            for (var k = 0; k < n; k++)
            {
                if (t[k] != BidiClass.ET) continue;
                var end = k;
                while (end < n && t[end] == BidiClass.ET) end++;
                if (k > 0 && t[k - 1] == BidiClass.EN || end < n && t[end] == BidiClass.EN)
                    for (var j = k; j < end; j++) t[j] = BidiClass.EN;
                k = end - 1;
            }

            // W6: the separators and terminators left are neutral.
            for (var k = 0; k < n; k++)
                if (t[k] is BidiClass.ES or BidiClass.ET or BidiClass.CS) t[k] = BidiClass.ON;

            // W7: European numbers after L are L.
            lastStrong = _sos;
            for (var k = 0; k < n; k++)
            {
                if (t[k] is BidiClass.L or BidiClass.R) lastStrong = t[k];
                else if (t[k] == BidiClass.EN && lastStrong == BidiClass.L) t[k] = BidiClass.L;
            }

            var embedding = (_level & 1) == 1 ? BidiClass.R : BidiClass.L;
            PairedBrackets(text, original, t, embedding);

            // N1, N2: neutrals between two of one direction take it (numbers count as R); the others take the embedding's.
            for (var k = 0; k < n; k++)
            {
                if (!IsNeutral(t[k])) continue;
                var end = k;
                while (end < n && IsNeutral(t[end])) end++;
                var before = k == 0 ? _sos : Strength(t[k - 1]);
                var after = end == n ? _eos : Strength(t[end]);
                var resolved = before == after ? before : embedding;
                for (var j = k; j < end; j++) t[j] = resolved;
                k = end - 1;
            }

            // I1, I2.
            for (var k = 0; k < n; k++)
            {
                var level = _level;
                if ((level & 1) == 0)
                    level += t[k] == BidiClass.R ? 1 : t[k] is BidiClass.AN or BidiClass.EN ? 2 : 0;
                else if (t[k] is BidiClass.L or BidiClass.EN or BidiClass.AN)
                    level++;
                levels[_indexes[k]] = (byte)level;
            }
        }

        private static BidiClass Strength(BidiClass t) => t is BidiClass.EN or BidiClass.AN ? BidiClass.R : t;

        /// <summary>BD16 and N0.</summary>
        private void PairedBrackets(int[] text, BidiClass[] original, BidiClass[] t, BidiClass embedding)
        {
            var n = t.Length;
            var pairs = new List<(int Open, int Close)>();
            var stack = new List<(int Bracket, int Position)>();
            for (var k = 0; k < n; k++)
            {
                if (t[k] != BidiClass.ON) continue;
                var cp = text[_indexes[k]];
                var kind = UnicodeBidiData.BracketOf(cp, out var paired);
                if (kind == 1)
                {
                    if (stack.Count == 63) break;
                    stack.Add((Canonical(paired), k));
                }
                else if (kind == 2)
                {
                    var c = Canonical(cp);
                    for (var s = stack.Count - 1; s >= 0; s--)
                    {
                        if (stack[s].Bracket != c) continue;
                        pairs.Add((stack[s].Position, k));
                        stack.RemoveRange(s, stack.Count - s);
                        break;
                    }
                }
            }
            pairs.Sort((a, b) => a.Open.CompareTo(b.Open));

            var opposite = embedding == BidiClass.L ? BidiClass.R : BidiClass.L;
            foreach (var (open, close) in pairs)
            {
                var foundEmbedding = false;
                var foundOpposite = false;
                for (var k = open + 1; k < close; k++)
                {
                    var s = Strength(t[k]);
                    if (s == embedding) { foundEmbedding = true; break; }
                    if (s == opposite) foundOpposite = true;
                }
                BidiClass resolved;
                if (foundEmbedding) resolved = embedding;
                else if (foundOpposite)
                {
                    var context = _sos;
                    for (var k = open - 1; k >= 0; k--)
                    {
                        var s = Strength(t[k]);
                        if (s is BidiClass.L or BidiClass.R) { context = s; break; }
                    }
                    resolved = context == opposite ? opposite : embedding;
                }
                else continue;

                t[open] = t[close] = resolved;
                // Marks on a bracket follow it.
                for (var k = open + 1; k < n && original[_indexes[k]] == BidiClass.NSM; k++) t[k] = resolved;
                for (var k = close + 1; k < n && original[_indexes[k]] == BidiClass.NSM; k++) t[k] = resolved;
            }
        }

        /// <summary>The two brackets with a canonical decomposition (U+2329, U+232A) compare as their decompositions.</summary>
        private static int Canonical(int cp) => cp switch { 0x2329 => 0x3008, 0x232A => 0x3009, _ => cp };
    }
}
