using UglyToad.PdfPig;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Parser.Parts;
using UglyToad.PdfPig.Tokens;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// The resources a PDF page uses (its own, its forms' and its Type 3 fonts'), checked before PdfPig parses the page for
/// what PdfPig would recurse through until the process ended, or read for ever:
/// <list type="bullet">
/// <item>the font programs (<c>/FontFile</c>, <c>/FontFile2</c> and <c>/FontFile3</c> of its fonts and of the descendant
/// fonts of its composite fonts): a TrueType program whose composite glyphs loop (<see cref="TrueTypeComposites"/>), a
/// Type 1 program whose subroutines or accented glyphs call themselves (<see cref="Type1Programs"/>), a CFF program whose
/// subroutines call themselves (<see cref="CffPrograms"/>: read for ever);</item>
/// <item>the fonts' ToUnicode maps and embedded encoding CMaps, and the CID fonts' metrics: a range PdfPig cannot
/// enumerate in bounds (<see cref="CMapRanges"/>, <see cref="CidFontMetrics"/>: the memory filled until the process is
/// killed);</item>
/// <item>the images' dictionaries, which PdfPig resolves whole: one that refers to itself through arrays (<see cref="PdfDeepResolve"/>);</item>
/// <item>the stitching functions of its colour spaces, shadings, patterns and graphics states: one made of itself
/// (<see cref="PdfStitchedFunctions"/>).</item>
/// </list>
/// Each font program, map, image and resource given by reference is checked once a document.
/// </summary>
internal sealed class PdfPageResources(PdfDocument document)
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
    /// What is wrong with a resource of page <paramref name="pageNumber"/> (1-based), naming it: a font's program or
    /// ToUnicode map, an image's dictionary, a stitching function; null when nothing is.
    /// </summary>
    public string? Damage(int pageNumber)
    {
        var scanner = document.Structure.TokenScanner;
        _resourcesSeen.Clear();
        return PdfContentCount.Page(document.Structure.Catalog.CatalogDictionary, pageNumber, scanner) is var (_, resources)
            ? InResources(resources, 0)
            : null;
    }

    private string? InResources(DictionaryToken? resources, int depth) =>
        resources is null || depth > MaxDepth ? null : InFonts(resources, depth) ?? InXObjects(resources, depth) ?? InFunctions(resources);

    private string? InFonts(DictionaryToken resources, int depth)
    {
        var scanner = document.Structure.TokenScanner;
        if (!resources.TryGet(Font, out var fontsToken) || !DirectObjectFinder.TryGet(fontsToken, scanner, out DictionaryToken? fonts))
        {
            return null;
        }

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

        return null;
    }

    // Images (their dictionaries as PdfPig resolves them) and forms (their resources).
    private string? InXObjects(DictionaryToken resources, int depth)
    {
        var scanner = document.Structure.TokenScanner;
        if (!resources.TryGet(NameToken.Xobject, out var xobjectsToken) || !DirectObjectFinder.TryGet(xobjectsToken, scanner, out DictionaryToken? xobjects))
        {
            return null;
        }

        foreach (var entry in xobjects!.Data.Values)
        {
            if (entry is IndirectReferenceToken reference && !_resourcesSeen.Add(reference.Data))
            {
                continue; // a form seen before on this page, or drawing itself
            }

            if (!DirectObjectFinder.TryGet(entry, scanner, out StreamToken? xobject) || !xobject!.StreamDictionary.TryGet(NameToken.Subtype, out var subtype))
            {
                continue;
            }

            if (NameToken.Image.Equals(subtype)
                && Once(entry, () => PdfDeepResolve.Runaway(xobject.StreamDictionary, scanner)
                    ? $"the dictionary of an image ({Object(entry)}) refers to itself through arrays, or nests or repeats past {PdfDeepResolve.MaxSteps:N0} values"
                    : null) is { } runaway)
            {
                return runaway;
            }

            if (NameToken.Form.Equals(subtype)
                && xobject.StreamDictionary.TryGet(NameToken.Resources, out var own) && DirectObjectFinder.TryGet(own, scanner, out DictionaryToken? formResources)
                && InResources(formResources, depth + 1) is { } looping)
            {
                return looping;
            }
        }

        return null;
    }

    // The stitching functions of the colour spaces, shadings, patterns and graphics states.
    private string? InFunctions(DictionaryToken resources)
    {
        var scanner = document.Structure.TokenScanner;
        foreach (var kind in (ReadOnlySpan<NameToken>)[NameToken.ColorSpace, NameToken.Shading, NameToken.Pattern, NameToken.ExtGState])
        {
            if (!resources.TryGet(kind, out var kindToken) || !DirectObjectFinder.TryGet(kindToken, scanner, out DictionaryToken? entries))
            {
                continue;
            }

            foreach (var (name, entry) in entries!.Data)
            {
                if (Once(entry, () => PdfStitchedFunctions.Damage(entry, scanner) is { } damage ? $"/{kind.Data} /{name}: {damage}" : null) is { } functions)
                {
                    return functions;
                }
            }
        }

        return null;
    }

    private static string Object(IToken token) => token is IndirectReferenceToken reference ? $"object {reference.Data}" : "inline in the resources";

    // A font: its own program, its descendant's (a composite font), and a Type 3 font's resources.
    private string? InFont(DictionaryToken font, int depth)
    {
        var scanner = document.Structure.TokenScanner;
        if (font.TryGet(DescendantFonts, out var descendantsToken) && DirectObjectFinder.TryGet(descendantsToken, scanner, out ArrayToken? descendants))
        {
            foreach (var item in descendants!.Data)
            {
                if (!DirectObjectFinder.TryGet(item, scanner, out DictionaryToken? descendant))
                {
                    continue;
                }

                if (Program(descendant!) is { } looping)
                {
                    return looping;
                }

                if (Once(item, () => CidFontMetrics.Damage(descendant!, scanner) is { } damage ? $"the font {Name(descendant!, "without a name")}: {damage}" : null) is { } metrics)
                {
                    return metrics;
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

    // What is wrong with the font's ToUnicode map, or the CMap it embeds as its encoding (a composite font's /Encoding
    // stream: PdfPig reads its ranges the same way), when one of its ranges cannot be enumerated in bounds; null else.
    private string? Map(DictionaryToken font)
    {
        foreach (var key in (ReadOnlySpan<NameToken>)[ToUnicode, NameToken.Encoding])
        {
            if (font.TryGet(key, out var mapToken) && mapToken is IndirectReferenceToken reference
                && Once(reference, map => CMapRanges.Unbounded(map.Span) is { } range
                    ? $"the {(key.Equals(ToUnicode) ? "ToUnicode map" : "encoding CMap")} (object {reference.Data}) of the font {Name(font, "without a name")} has a range, {range}, of more than {CMapRanges.MaxCodes} codes"
                    : null) is { } unbounded)
            {
                return unbounded;
            }
        }

        return null;
    }

    // What `check` finds wrong with the stream `reference` names, decoded, found once a document (null: nothing, or no stream).
    private string? Once(IndirectReferenceToken reference, Func<ReadOnlyMemory<byte>, string?> check) =>
        Once(reference, () => DirectObjectFinder.TryGet(reference, document.Structure.TokenScanner, out StreamToken? stream)
            ? check(stream!.Decode(document.Structure.FilterProvider, document.Structure.TokenScanner))
            : null);

    // What `check` finds wrong with the object `token` is, found once a document where it is a reference (each time where
    // it is a direct object).
    private string? Once(IToken token, Func<string?> check)
    {
        if (token is not IndirectReferenceToken reference)
        {
            return check();
        }

        if (!_checked.TryGetValue(reference.Data, out var damage))
        {
            damage = check();
            _checked[reference.Data] = damage;
        }

        return damage;
    }

    private static string Name(DictionaryToken font, string unnamed) =>
        font.TryGet(BaseFont, out var baseFont) && baseFont is NameToken named ? named.Data : unnamed;
}
