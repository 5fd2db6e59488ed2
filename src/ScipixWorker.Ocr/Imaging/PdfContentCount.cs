using ScipixWorker.Ocr.Engine;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Filters;
using UglyToad.PdfPig.Parser.Parts;
using UglyToad.PdfPig.Tokenization.Scanner;
using UglyToad.PdfPig.Tokens;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// How much a PDF page draws, counted before PdfPig parses the page: characters at most (every byte inside a string
/// operand of its content streams: a character code is at least one byte) and operators, with each form XObject counted
/// as many times as the page draws it. PdfPig builds an object per character and per path segment when it parses a page,
/// and a few kilobytes of deflated <c>(aaaa…) Tj</c>, of <c>10 10 m 20 20 l S</c>, or one form drawn a thousand times
/// ask it for millions (a million segments: 7 s and 840 MB; a million characters did not finish in ten minutes with the
/// layout analysis): pages past the limits are refused before that. So is a page whose form XObjects are nested more
/// than <see cref="MaxFormDepth"/> deep: PdfPig draws a form inside the one that draws it by recursion, and 30,000 forms
/// each drawing the next (a 5.8-MB file) overflowed its stack, which ended the process.
/// </summary>
internal static class PdfContentCount
{
    /// <summary>The deepest form XObjects may be nested on a page (documents nest a few; 64 is far from PdfPig's stack's end).</summary>
    public const int MaxFormDepth = 64;

    /// <summary>
    /// The count for page <paramref name="pageNumber"/> (1-based), or one past <paramref name="limit"/> as soon as it
    /// passes it. Streams are decoded through the document's own filters (bounded in size: <see cref="BoundedPdfFilters"/>).
    /// </summary>
    public static PageContent Of(PdfDocument document, int pageNumber, PageContent limit)
    {
        var scanner = document.Structure.TokenScanner;
        var filters = document.Structure.FilterProvider;
        if (Page(document.Structure.Catalog.CatalogDictionary, pageNumber, scanner) is not var (page, resources)
            || !page.TryGet(NameToken.Contents, out var contents))
        {
            return default;
        }

        var streams = new List<StreamToken>();
        if (DirectObjectFinder.TryGet(contents, scanner, out StreamToken? single))
        {
            streams.Add(single!);
        }
        else if (DirectObjectFinder.TryGet(contents, scanner, out ArrayToken? array))
        {
            foreach (var item in array!.Data)
            {
                if (DirectObjectFinder.TryGet(item, scanner, out StreamToken? part))
                {
                    streams.Add(part!);
                }
            }
        }

        var counter = new Counter(scanner, filters, limit, pageNumber);
        PageContent total = default;
        foreach (var stream in streams)
        {
            total += counter.Content(stream.Decode(filters, scanner).Span, resources, 0);
            if (!total.Within(limit))
            {
                break;
            }
        }

        return total;
    }

    /// <summary>
    /// Counts the bytes inside string operands of a content stream (literal strings with their nesting and escapes, hex
    /// strings at two digits a byte) and its operators, skipping comments and inline image data, and reports each
    /// <c>Do</c> with the name drawn to <paramref name="drawn"/>, which returns that XObject's own count. Stops once past
    /// <paramref name="limit"/>.
    /// </summary>
    public static PageContent Scan(ReadOnlySpan<byte> content, Func<string, PageContent> drawn, PageContent limit)
    {
        long characters = 0;
        long operators = 0;
        string? lastName = null;
        var i = 0;
        while (i < content.Length && characters <= limit.Characters && operators <= limit.Operators)
        {
            var c = content[i];
            switch (c)
            {
                case (byte)'%':
                    while (i < content.Length && content[i] is not ((byte)'\n' or (byte)'\r'))
                    {
                        i++;
                    }

                    break;
                case (byte)'(':
                    i = LiteralString(content, i + 1, ref characters);
                    break;
                case (byte)'<' when i + 1 < content.Length && content[i + 1] == (byte)'<':
                    i += 2;
                    break;
                case (byte)'<':
                    i = HexString(content, i + 1, ref characters);
                    break;
                case (byte)'/':
                    var start = ++i;
                    while (i < content.Length && !PdfSyntax.IsDelimiterOrSpace(content[i]))
                    {
                        i++;
                    }

                    lastName = System.Text.Encoding.Latin1.GetString(content[start..i]);
                    break;
                default:
                    if (PdfSyntax.IsDelimiterOrSpace(c))
                    {
                        i++;
                        break;
                    }

                    var word = i;
                    while (i < content.Length && !PdfSyntax.IsDelimiterOrSpace(content[i]))
                    {
                        i++;
                    }

                    if (c is (>= (byte)'0' and <= (byte)'9') or (byte)'+' or (byte)'-' or (byte)'.')
                    {
                        break; // a number: an operand
                    }

                    operators++;
                    var op = content[word..i];
                    if (op.SequenceEqual("Do"u8) && lastName is not null)
                    {
                        var form = drawn(lastName);
                        characters += form.Characters;
                        operators += form.Operators;
                    }
                    else if (op.SequenceEqual("ID"u8))
                    {
                        i = AfterInlineImage(content, i);
                    }

                    break;
            }
        }

        return new PageContent(characters, operators);
    }

    // A literal string from just after its '(': balanced parentheses nest, a backslash escapes the next byte.
    private static int LiteralString(ReadOnlySpan<byte> content, int i, ref long count)
    {
        var depth = 1;
        for (; i < content.Length; i++)
        {
            var c = content[i];
            if (c == (byte)'\\')
            {
                i++;
                count++;
                continue;
            }

            if (c == (byte)'(')
            {
                depth++;
            }
            else if (c == (byte)')' && --depth == 0)
            {
                return i + 1;
            }

            count++;
        }

        return i;
    }

    private static int HexString(ReadOnlySpan<byte> content, int i, ref long count)
    {
        var digits = 0;
        for (; i < content.Length && content[i] != (byte)'>'; i++)
        {
            if (char.IsAsciiHexDigit((char)content[i]))
            {
                digits++;
            }
        }

        count += (digits + 1) / 2;
        return i + 1;
    }

    // Inline image data runs from one byte after ID to the EI operator (whitespace, "EI", whitespace or the end).
    private static int AfterInlineImage(ReadOnlySpan<byte> content, int i)
    {
        for (i++; i + 2 <= content.Length; i++)
        {
            if (content[i] == (byte)'E' && content[i + 1] == (byte)'I' && i > 0 && PdfSyntax.IsSpace(content[i - 1])
                && (i + 2 == content.Length || PdfSyntax.IsDelimiterOrSpace(content[i + 2])))
            {
                return i + 2;
            }
        }

        return content.Length;
    }

    // The page's dictionary and its resources (set on the page or inherited from the nearest page tree node that sets
    // them), found by walking the page tree in order from the catalogue's /Pages; null when there is no such page.
    internal static (DictionaryToken Page, DictionaryToken? Resources)? Page(DictionaryToken catalog, int pageNumber, IPdfTokenScanner scanner)
    {
        if (!catalog.TryGet(NameToken.Pages, out var root) || !DirectObjectFinder.TryGet(root, scanner, out DictionaryToken? rootNode))
        {
            return null;
        }

        var seen = new HashSet<DictionaryToken>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<(DictionaryToken Node, DictionaryToken? Resources)>([(rootNode!, null)]);
        var number = 0;
        while (pending.TryPop(out var item))
        {
            var (node, inherited) = item;
            if (!seen.Add(node))
            {
                continue; // a damaged tree that loops
            }

            var resources = node.TryGet(NameToken.Resources, out var own) && DirectObjectFinder.TryGet(own, scanner, out DictionaryToken? direct) ? direct : inherited;
            if (!node.TryGet(NameToken.Kids, out var kidsToken) || !DirectObjectFinder.TryGet(kidsToken, scanner, out ArrayToken? kids))
            {
                if (++number == pageNumber)
                {
                    return (node, resources);
                }

                continue;
            }

            for (var k = kids!.Data.Count - 1; k >= 0; k--)
            {
                if (DirectObjectFinder.TryGet(kids.Data[k], scanner, out DictionaryToken? kid))
                {
                    pending.Push((kid!, resources));
                }
            }
        }

        return null;
    }

    // Counts content streams, and form XObjects each time they are drawn (a form's own count is computed once).
    private sealed class Counter(IPdfTokenScanner scanner, ILookupFilterProvider filters, PageContent limit, int pageNumber)
    {
        private readonly Dictionary<IndirectReference, PageContent> _forms = [];

        public PageContent Content(ReadOnlySpan<byte> content, DictionaryToken? resources, int depth) =>
            Scan(content, name => Form(name, resources, depth), limit);

        private PageContent Form(string name, DictionaryToken? resources, int depth)
        {
            if (depth >= MaxFormDepth)
            {
                throw new OcrException(OcrErrorCode.ImageTooLarge,
                    $"Page {pageNumber} of the PDF draws form XObjects nested more than {MaxFormDepth} deep; documents nest a few.");
            }

            if (resources is null
                || !resources.TryGet(NameToken.Xobject, out var xobjects) || !DirectObjectFinder.TryGet(xobjects, scanner, out DictionaryToken? named)
                || !named!.TryGet(NameToken.Create(name), out var entry))
            {
                return default;
            }

            var key = entry is IndirectReferenceToken reference ? reference.Data : (IndirectReference?)null;
            if (key is { } known && _forms.TryGetValue(known, out var counted))
            {
                return counted;
            }

            if (!DirectObjectFinder.TryGet(entry, scanner, out StreamToken? stream)
                || !stream!.StreamDictionary.TryGet(NameToken.Subtype, out var subtype) || !NameToken.Form.Equals(subtype))
            {
                return default;
            }

            if (key is { } pending)
            {
                _forms[pending] = limit + new PageContent(1, 1); // a form that draws itself counts as past the limits
            }

            var own = stream.StreamDictionary.TryGet(NameToken.Resources, out var formResources) && DirectObjectFinder.TryGet(formResources, scanner, out DictionaryToken? direct)
                ? direct!
                : resources;
            var total = Content(stream.Decode(filters, scanner).Span, own, depth + 1);
            if (key is { } done)
            {
                _forms[done] = total;
            }

            return total;
        }
    }
}

/// <summary>What a PDF page draws: characters (at most) and operators.</summary>
internal readonly record struct PageContent(long Characters, long Operators)
{
    public static PageContent operator +(PageContent a, PageContent b) => new(a.Characters + b.Characters, a.Operators + b.Operators);

    /// <summary>True when neither count is past <paramref name="limit"/>'s.</summary>
    public bool Within(PageContent limit) => Characters <= limit.Characters && Operators <= limit.Operators;
}
