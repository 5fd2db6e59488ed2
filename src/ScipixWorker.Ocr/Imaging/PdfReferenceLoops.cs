using UglyToad.PdfPig;
using UglyToad.PdfPig.Core;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// Objects of a PDF that are only a reference to another object (<c>6 0 obj 7 0 R endobj</c>, or a one-element array of
/// one), found in a loop. PdfPig 0.1.16 follows such a chain by recursion wherever it resolves a value on a page (the
/// page's resources, a font, its media box: <c>DirectObjectFinder</c>), so a loop of them overflows the stack, which no
/// catch can stop: a 700-byte file ended the process. No legitimate file holds one. Read once, when the document opens,
/// from the objects' bytes at their cross-reference offsets (a few bytes each, nothing parsed by PdfPig). Objects in
/// object streams need no reading: PdfPig 0.1.16 reads a bare reference there as the number it starts with, so they
/// chain nowhere.
/// </summary>
internal static class PdfReferenceLoops
{
    /// <summary>The objects of the first loop found, in order (empty when there is none).</summary>
    public static IReadOnlyList<IndirectReference> Find(PdfDocument document, ReadOnlySpan<byte> file)
    {
        var links = new Dictionary<IndirectReference, IndirectReference>();
        foreach (var (reference, location) in document.Structure.CrossReferenceTable.ObjectOffsets)
        {
            if (location.Type == XrefEntryType.File && InFile(file, location.Value1) is { } next)
            {
                links[reference] = next;
            }
        }

        // Each chain followed once: a node met again on the chain being followed closes a loop.
        var done = new HashSet<IndirectReference>();
        foreach (var start in links.Keys)
        {
            var chain = new List<IndirectReference>();
            var onChain = new HashSet<IndirectReference>();
            var node = start;
            while (!done.Contains(node) && links.TryGetValue(node, out var next))
            {
                if (!onChain.Add(node))
                {
                    return chain[chain.IndexOf(node)..];
                }

                chain.Add(node);
                node = next;
            }

            done.UnionWith(chain);
        }

        return [];
    }

    // The object at `offset` ("N G obj", then "M H R" or "[ M H R ]", then "endobj"): the reference it is, or null.
    internal static IndirectReference? InFile(ReadOnlySpan<byte> file, long offset)
    {
        if (offset < 0 || offset >= file.Length)
        {
            return null;
        }

        var at = (int)offset;
        if (Number(file, ref at) is null || Number(file, ref at) is null || !Word(file, ref at, "obj"u8))
        {
            return null;
        }

        var bracket = Word(file, ref at, "["u8);
        if (Number(file, ref at) is not { } number || Number(file, ref at) is not { } generation || !Word(file, ref at, "R"u8)
            || (bracket && !Word(file, ref at, "]"u8)) || !Word(file, ref at, "endobj"u8))
        {
            return null;
        }

        return new IndirectReference(number, (int)Math.Min(generation, int.MaxValue));
    }

    // White space and comments skipped, then a non-negative integer (at most 10 digits), followed by a delimiter.
    private static long? Number(ReadOnlySpan<byte> file, ref int at)
    {
        PdfSyntax.SkipSpaceAndComments(file, ref at);
        var start = at;
        long value = 0;
        while (at < file.Length && at - start < 10 && file[at] is >= (byte)'0' and <= (byte)'9')
        {
            value = (value * 10) + (file[at++] - '0');
        }

        return at > start && (at == file.Length || PdfSyntax.IsDelimiterOrSpace(file[at])) ? value : null;
    }

    // White space and comments skipped, then the word (a keyword followed by a delimiter, or a delimiter itself).
    private static bool Word(ReadOnlySpan<byte> file, ref int at, ReadOnlySpan<byte> word)
    {
        PdfSyntax.SkipSpaceAndComments(file, ref at);
        if (!file[at..].StartsWith(word))
        {
            return false;
        }

        var end = at + word.Length;
        if (!PdfSyntax.IsDelimiterOrSpace(word[0]) && end < file.Length && !PdfSyntax.IsDelimiterOrSpace(file[end]))
        {
            return false;
        }

        at = end;
        return true;
    }
}
