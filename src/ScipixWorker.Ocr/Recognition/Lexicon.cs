using System.IO.Compression;

namespace ScipixWorker.Ocr.Recognition;

/// <summary>
/// A word list held as a trie, searched for the entries within a few edits of a reading. It holds words, which a
/// misreading may be put right to, and names, which are known (a reading that spells one is left alone) and which
/// <see cref="LexiconCorrection"/> writes only on stronger evidence. The bundled list (Recognition/Lexicon/, its README
/// and licences): 65,407 lower-case English words from SCOWL's size-50 American and British lists (Debian's
/// <c>wamerican</c> and <c>wbritish</c>, 2020.12.07), ASCII letters only, without possessives; and as names 29,899
/// entries that are not English words: SCOWL's names and abbreviations and Indonesian/Malay words and names
/// (<c>@zxcvbn-ts/language-id</c>).
/// </summary>
internal sealed class Lexicon
{
    private const string Resource = "ScipixWorker.Ocr.Recognition.Lexicon.lexicon.txt.gz";

    private static readonly Lazy<Lexicon> s_english = new(LoadEnglish);

    /// <summary>Every letter, a to z, as <see cref="Near"/>'s letters.</summary>
    public const int AllLetters = (1 << 26) - 1;

    private const int Unreachable = 1000;

    // The trie, flattened: node 0 is the root; a node's children are a run of nodes in letter order.
    private readonly char[] _letter;
    private readonly int[] _firstChild;
    private readonly int[] _childCount;
    private readonly Entry[] _terminal;

    /// <param name="words">Lower-case ASCII words; others are skipped.</param>
    /// <param name="names">ASCII names in any case, which <see cref="Near"/> marks as names; a word listed as both is a word.</param>
    public Lexicon(IEnumerable<string> words, IEnumerable<string> names)
    {
        var kinds = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var name in names.Where(n => n.Length > 0 && n.All(char.IsAsciiLetter)))
        {
            kinds[name.ToLowerInvariant()] = Entry.Name;
        }

        foreach (var word in words.Where(w => w.Length > 0 && w.All(char.IsAsciiLetterLower)))
        {
            kinds[word] = Entry.Word;
        }

        var sorted = kinds.Keys.Order(StringComparer.Ordinal).ToArray();
        Count = sorted.Length;

        // Build nodes breadth first so each node's children sit together.
        var letters = new List<char> { '\0' };
        var first = new List<int> { 0 };
        var counts = new List<int> { 0 };
        var terminal = new List<Entry> { Entry.None };
        var queue = new Queue<(int Node, int From, int To, int Depth)>();
        queue.Enqueue((0, 0, sorted.Length, 0));
        while (queue.Count > 0)
        {
            var (node, from, to, depth) = queue.Dequeue();
            var start = from;
            if (start < to && sorted[start].Length == depth)
            {
                terminal[node] = kinds[sorted[start]];
                start++;
            }

            first[node] = letters.Count;
            var i = start;
            while (i < to)
            {
                var letter = sorted[i][depth];
                var j = i;
                while (j < to && sorted[j][depth] == letter)
                {
                    j++;
                }

                letters.Add(letter);
                first.Add(0);
                counts.Add(0);
                terminal.Add(Entry.None);
                counts[node]++;
                queue.Enqueue((letters.Count - 1, i, j, depth + 1));
                i = j;
            }
        }

        _letter = [.. letters];
        _firstChild = [.. first];
        _childCount = [.. counts];
        _terminal = [.. terminal];
    }

    /// <summary>The bundled English word list, loaded on first use.</summary>
    public static Lexicon English => s_english.Value;

    /// <summary>The number of words and names.</summary>
    public int Count { get; }

    /// <summary>Whether <paramref name="word"/> (lower case) is in the list, as a word or a name.</summary>
    public bool Contains(ReadOnlySpan<char> word) => Find(word) is >= 0 and var node && _terminal[node] != Entry.None;

    /// <summary>Whether <paramref name="word"/> (lower case) is in the list as a word, one a reading may become.</summary>
    public bool IsWord(ReadOnlySpan<char> word) => Find(word) is >= 0 and var node && _terminal[node] == Entry.Word;

    /// <summary>
    /// The entries within <paramref name="maxDistance"/> edits (insertions, deletions, substitutions) of
    /// <paramref name="word"/> (lower case), each with its distance and whether it is a name; <paramref name="word"/>
    /// itself when listed. Not those with a letter outside <paramref name="letters"/> (bit 0 for <c>a</c>), which spares
    /// the search the branches a caller knows to be in vain.
    /// </summary>
    public List<(string Word, int Distance, bool Name)> Near(string word, int maxDistance, int letters = AllLetters)
    {
        var found = new List<(string, int, bool)>();
        var prefix = new char[word.Length + maxDistance + 1];
        var rows = new int[word.Length + maxDistance + 2][];
        rows[0] = new int[word.Length + 1];
        for (var i = 1; i <= word.Length; i++)
        {
            rows[0][i] = rows[0][i - 1] + (CanDrop(word, i - 1) ? 1 : Unreachable);
        }

        Walk(0, 0, word, maxDistance, letters, prefix, rows, found);
        return found;
    }

    // Depth-first over the trie, one Levenshtein row per depth; a branch is cut once every cell of its row exceeds the
    // bound, as no longer word below it can come closer.
    private void Walk(int node, int depth, string word, int maxDistance, int letters, char[] prefix, int[][] rows, List<(string, int, bool)> found)
    {
        var row = rows[depth];
        if (_terminal[node] != Entry.None && depth > 0 && row[word.Length] <= maxDistance)
        {
            found.Add((new string(prefix, 0, depth), row[word.Length], _terminal[node] == Entry.Name));
        }

        if (depth + 1 >= rows.Length)
        {
            return;
        }

        var next = rows[depth + 1] ??= new int[word.Length + 1];
        for (var child = _firstChild[node]; child < _firstChild[node] + _childCount[node]; child++)
        {
            var c = _letter[child];
            if ((letters & (1 << (c - 'a'))) == 0)
            {
                continue;
            }

            next[0] = row[0] + Unreachable; // nothing goes before the word's first letter
            var least = next[0];
            for (var i = 1; i <= word.Length; i++)
            {
                var cost = word[i - 1] == c ? 0 : 1;
                var dropped = next[i - 1] + (CanDrop(word, i - 1) ? 1 : Unreachable);
                var added = row[i] + (i < word.Length ? 1 : Unreachable);
                next[i] = Math.Min(Math.Min(dropped, added), row[i - 1] + cost);
                least = Math.Min(least, next[i]);
            }

            if (least <= maxDistance)
            {
                prefix[depth] = c;
                Walk(child, depth + 1, word, maxDistance, letters, prefix, rows, found); // writes only the rows below next
            }
        }
    }

    // A letter of the reading a word may leave out: a narrow one inside the word, the stroke a broad letter splits into
    // (SUMIMARY, ARNOUNT) or a speck read as a letter. The first and last letters stay, as do broad letters: a letter
    // the model emitted at its edges or in full is rarely not there.
    private static bool CanDrop(string word, int index) =>
        index > 0 && index < word.Length - 1 && word[index] is 'i' or 'l' or 'j' or 't' or 'f' or 'r';

    // The node that spells word, or -1.
    private int Find(ReadOnlySpan<char> word)
    {
        var node = 0;
        foreach (var c in word)
        {
            node = Child(node, c);
            if (node < 0)
            {
                return -1;
            }
        }

        return node;
    }

    private int Child(int node, char c)
    {
        var lo = _firstChild[node];
        var hi = lo + _childCount[node] - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_letter[mid] == c)
            {
                return mid;
            }

            if (_letter[mid] < c)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return -1;
    }

    /// <summary>Reads and builds the bundled list (once, through <see cref="English"/>; benchmarks time it alone).</summary>
    internal static Lexicon LoadEnglish()
    {
        var (words, names) = ReadBundled();
        return new Lexicon(words, names);
    }

    /// <summary>
    /// The bundled list with the words of <paramref name="path"/> added (<c>Ocr:LexiconWordsFile</c>): one word of ASCII
    /// letters a line, any case, blank lines and lines starting with <c>#</c> skipped.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A line is not a word of ASCII letters.</exception>
    public static Lexicon WithWordsFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Ocr:LexiconWordsFile '{path}' does not exist (full path '{Path.GetFullPath(path)}').", path);
        }

        var (words, names) = ReadBundled();
        var number = 0;
        foreach (var raw in File.ReadLines(path))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (!line.All(char.IsAsciiLetter))
            {
                throw new InvalidDataException(
                    $"Ocr:LexiconWordsFile '{path}', line {number}: '{line}' is not a word of ASCII letters (one word a line; # starts a comment).");
            }

            words.Add(line.ToLowerInvariant());
        }

        return new Lexicon(words, names);
    }

    // The embedded list: lower-case words, and the entries with a capital first letter, known only.
    private static (List<string> Words, List<string> Names) ReadBundled()
    {
        using var stream = typeof(Lexicon).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"The word list '{Resource}' is not embedded in the assembly.");
        using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var words = new List<string>(70_000);
        var names = new List<string>(30_000);
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            (char.IsAsciiLetterUpper(line[0]) ? names : words).Add(line);
        }

        return (words, names);
    }

    private enum Entry : byte
    {
        None,
        Word,
        Name,
    }
}
