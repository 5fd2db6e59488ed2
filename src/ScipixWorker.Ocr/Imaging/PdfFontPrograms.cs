using UglyToad.PdfPig;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Parser.Parts;
using UglyToad.PdfPig.Tokens;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// The font programs a PDF page uses (<c>/FontFile</c>, <c>/FontFile2</c> and <c>/FontFile3</c> of its fonts, of the
/// descendant fonts of its composite fonts, and of the fonts of the forms and Type 3 fonts it draws), checked before
/// PdfPig parses the page: a TrueType program whose composite glyphs loop (<see cref="TrueTypeComposites"/>), a Type 1
/// program whose subroutines or accented glyphs call themselves (<see cref="Type1Programs"/>) would overflow PdfPig's
/// stack and end the process; a CFF program whose subroutines call themselves (<see cref="CffPrograms"/>) would hold a
/// core for ever. Their ToUnicode maps too: a range PdfPig cannot enumerate in bounds (<see cref="CMapRanges"/>) would fill
/// the memory until the process is killed. Each program and map is checked once a document.
/// </summary>
internal sealed class PdfFontPrograms(PdfDocument document)
{
    private const int MaxDepth = 12;

    private static readonly NameToken Font = NameToken.Create("Font");
    private static readonly NameToken DescendantFonts = NameToken.Create("DescendantFonts");
    private static readonly NameToken FontDescriptor = NameToken.Create("FontDescriptor");
    private static readonly NameToken FontFile = NameToken.Create("FontFile");
    private static readonly NameToken FontFile2 = NameToken.Create("FontFile2");
    private static readonly NameToken FontFile3 = NameToken.Create("FontFile3");
    private static readonly NameToken BaseFont = NameToken.Create("BaseFont");
    private static readonly NameToken ToUnicode = NameToken.Create("ToUnicode");

    private readonly Dictionary<IndirectReference, string?> _checked = [];
    private readonly HashSet<IndirectReference> _resourcesSeen = [];

    /// <summary>
    /// What is wrong with a font of page <paramref name="pageNumber"/> (1-based), naming the font: its program's glyphs
    /// loop, or its ToUnicode map holds a range that cannot be enumerated in bounds; null when nothing is.
    /// </summary>
    public string? Damage(int pageNumber)
    {
        var scanner = document.Structure.TokenScanner;
        _resourcesSeen.Clear();
        return PdfContentCount.Page(document.Structure.Catalog.CatalogDictionary, pageNumber, scanner) is var (_, resources)
            ? InResources(resources, 0)
            : null;
    }

    private string? InResources(DictionaryToken? resources, int depth)
    {
        var scanner = document.Structure.TokenScanner;
        if (resources is null || depth > MaxDepth)
        {
            return null;
        }

        if (resources.TryGet(Font, out var fontsToken) && DirectObjectFinder.TryGet(fontsToken, scanner, out DictionaryToken? fonts))
        {
            foreach (var entry in fonts!.Data.Values)
            {
                // Each font once a page: Type 3 fonts whose resources name one another would otherwise be walked again and again.
                if (entry is IndirectReferenceToken reference && !_resourcesSeen.Add(reference.Data))
                {
                    continue;
                }

                if (DirectObjectFinder.TryGet(entry, scanner, out DictionaryToken? font) && InFont(font!, depth) is { } looping)
                {
                    return looping;
                }
            }
        }

        if (resources.TryGet(NameToken.Xobject, out var xobjectsToken) && DirectObjectFinder.TryGet(xobjectsToken, scanner, out DictionaryToken? xobjects))
        {
            foreach (var entry in xobjects!.Data.Values)
            {
                if (entry is IndirectReferenceToken reference && !_resourcesSeen.Add(reference.Data))
                {
                    continue; // a form seen before on this page, or drawing itself
                }

                if (DirectObjectFinder.TryGet(entry, scanner, out StreamToken? form)
                    && form!.StreamDictionary.TryGet(NameToken.Subtype, out var subtype) && NameToken.Form.Equals(subtype)
                    && form.StreamDictionary.TryGet(NameToken.Resources, out var own) && DirectObjectFinder.TryGet(own, scanner, out DictionaryToken? formResources)
                    && InResources(formResources, depth + 1) is { } looping)
                {
                    return looping;
                }
            }
        }

        return null;
    }

    // A font: its own program, its descendant's (a composite font), and a Type 3 font's resources.
    private string? InFont(DictionaryToken font, int depth)
    {
        var scanner = document.Structure.TokenScanner;
        if (font.TryGet(DescendantFonts, out var descendantsToken) && DirectObjectFinder.TryGet(descendantsToken, scanner, out ArrayToken? descendants))
        {
            foreach (var item in descendants!.Data)
            {
                if (DirectObjectFinder.TryGet(item, scanner, out DictionaryToken? descendant) && Program(descendant!) is { } looping)
                {
                    return looping;
                }
            }
        }

        if (Program(font) is { } own)
        {
            return own;
        }

        if (Map(font) is { } map)
        {
            return map;
        }

        return font.TryGet(NameToken.Resources, out var type3Resources) && DirectObjectFinder.TryGet(type3Resources, scanner, out DictionaryToken? resources)
            ? InResources(resources, depth + 1)
            : null;
    }

    // What is wrong with the font's program (FontFile: Type 1; FontFile2: TrueType; FontFile3: CFF, or OpenType), when its
    // glyphs loop or run past the limits PdfPig can survive; null when it has none or they do not.
    private string? Program(DictionaryToken font)
    {
        var scanner = document.Structure.TokenScanner;
        if (!font.TryGet(FontDescriptor, out var descriptorToken) || !DirectObjectFinder.TryGet(descriptorToken, scanner, out DictionaryToken? descriptor))
        {
            return null;
        }

        foreach (var key in (ReadOnlySpan<NameToken>)[FontFile, FontFile2, FontFile3])
        {
            if (descriptor!.TryGet(key, out var programToken) && programToken is IndirectReferenceToken reference
                && Once(reference, program => ProgramDamage(key, program.Span) is { } damage ? $"the font {Name(font, reference.Data.ToString())}: {damage}" : null) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private static string? ProgramDamage(NameToken key, ReadOnlySpan<byte> program)
    {
        if (key.Equals(FontFile))
        {
            return Type1Programs.Damage(program);
        }

        // FontFile3 holds an OpenType font with TrueType outlines now and then.
        var trueType = key.Equals(FontFile2) || program.StartsWith((ReadOnlySpan<byte>)[0, 1, 0, 0]) || program.StartsWith("true"u8);
        return trueType
            ? TrueTypeComposites.Loop(program) ? $"its composite glyphs are built from themselves or nested more than {TrueTypeComposites.MaxDepth} deep" : null
            : CffPrograms.Damage(program);
    }

    // What is wrong with the font's ToUnicode map, when one of its ranges cannot be enumerated in bounds; null else.
    private string? Map(DictionaryToken font) =>
        font.TryGet(ToUnicode, out var mapToken) && mapToken is IndirectReferenceToken reference
            ? Once(reference, map => CMapRanges.Unbounded(map.Span) is { } range
                ? $"the ToUnicode map (object {reference.Data}) of the font {Name(font, "without a name")} has a range, {range}, of more than {CMapRanges.MaxCodes} codes"
                : null)
            : null;

    // What `check` finds wrong with the stream `reference` names, decoded, found once a document (null: nothing, or no stream).
    private string? Once(IndirectReferenceToken reference, Func<ReadOnlyMemory<byte>, string?> check)
    {
        var scanner = document.Structure.TokenScanner;
        if (!_checked.TryGetValue(reference.Data, out var damage))
        {
            damage = DirectObjectFinder.TryGet(reference, scanner, out StreamToken? stream)
                ? check(stream!.Decode(document.Structure.FilterProvider, scanner))
                : null;
            _checked[reference.Data] = damage;
        }

        return damage;
    }

    private static string Name(DictionaryToken font, string unnamed) =>
        font.TryGet(BaseFont, out var baseFont) && baseFont is NameToken named ? named.Data : unnamed;
}
