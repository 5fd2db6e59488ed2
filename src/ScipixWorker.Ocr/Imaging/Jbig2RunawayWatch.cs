namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// Watches jbig2dec's debug messages while it decodes one page for the loops that allocate nothing and that garbage
/// drives from inside the arithmetic-coded data, past its end (jbig2dec 0.19 reads there 0xFF bytes without end), so
/// that neither the memory limit nor the segment headers (<see cref="Jbig2Segments"/>) bound them:
/// <list type="bullet">
/// <item>a symbol dictionary opening height class after height class with no symbol in any, each a few pixels taller
/// than the last, until the height overflows (35 s of a core for one damaged receipt) or, where the garbage adds nothing,
/// for ever: a class taller than any symbol can be (the page's longer side, or <see cref="TallSymbol"/> on a small page,
/// whose dictionary may be shared with larger pages), or more classes than <see cref="MaxHeightClasses"/>;</item>
/// <item>an aggregate symbol (refinement/aggregate coding) claiming more placements than the page has pixels, each
/// decoded one at a time as a text region's are.</item>
/// </list>
/// </summary>
internal sealed class Jbig2RunawayWatch(int width, int height)
{
    /// <summary>The most height classes a dictionary may open: a class per symbol height, symbols a few hundred pixels tall.</summary>
    public const int MaxHeightClasses = 65_536;

    /// <summary>The tallest symbol allowed on a page smaller than this.</summary>
    public const int TallSymbol = 4096;

    private readonly long _tallestSymbol = Math.Max(TallSymbol, Math.Max(width, height));
    private readonly long _pageArea = Math.Max(1L, (long)Math.Max(0, width) * Math.Max(0, height));

    /// <summary>Height classes opened so far, in all of the page's dictionaries.</summary>
    public long HeightClasses { get; private set; }

    // jbig2dec's debug messages as a symbol dictionary opens a height class (T.88 6.5.5 4b) and as it codes an aggregate
    // symbol (6.5.8.2).
    private static ReadOnlySpan<byte> HeightClass => "decoding height class "u8;

    private static ReadOnlySpan<byte> Aggregate => "aggregate symbol coding ("u8;

    /// <summary>Why the decode that said <paramref name="message"/> has run away, or null while it has not.</summary>
    public string? Observe(ReadOnlySpan<byte> message)
    {
        if (message.StartsWith(HeightClass))
        {
            var classHeight = Number(message[HeightClass.Length..]);
            return ++HeightClasses > MaxHeightClasses || classHeight > _tallestSymbol
                ? $"its symbol dictionary opened {HeightClasses} height classes, the last {classHeight} pixels tall: a runaway decode, stopped"
                : null;
        }

        if (message.StartsWith(Aggregate))
        {
            var placements = Number(message[Aggregate.Length..]);
            return placements > _pageArea
                ? $"an aggregate symbol of its dictionary claims {placements} placements: a runaway decode, stopped"
                : null;
        }

        return null;
    }

    // The decimal number at the start of `text` (saturating; 0 for none).
    private static long Number(ReadOnlySpan<byte> text)
    {
        long value = 0;
        for (var i = 0; i < text.Length && text[i] is >= (byte)'0' and <= (byte)'9'; i++)
        {
            value = Math.Min(long.MaxValue / 20, (value * 10) + (text[i] - '0'));
        }

        return value;
    }
}
