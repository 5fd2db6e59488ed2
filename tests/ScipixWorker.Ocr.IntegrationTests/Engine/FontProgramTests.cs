using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.IntegrationTests.Support;
using static ScipixWorker.Ocr.IntegrationTests.Support.HandMadeFonts;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// Embedded Type 1 and CFF font programs whose glyph programs call themselves: PdfPig ran a Type 1 subroutine that calls
/// itself, or an accented glyph built from itself, until its stack overflowed and the process ended (so did a Type 1 clear
/// text of 30,000 nested dictionaries), and read a CFF subroutine that calls itself for ever (a 1.3-KB PDF held a core for
/// as long as the process lived). The font programs of a page are checked before PdfPig parses it (<see cref="Type1Programs"/>, <see cref="CffPrograms"/>, <see cref="PdfPageResources"/>).
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class FontProgramTests(EngineFixture fixture)
{
    private const string Text = "Total due 876.60";

    // Subroutines as Type 1 fonts have them: flex (0-2), hint replacement (3, 4), and a piece of outline (5).
    private static readonly byte[][] StandardSubrs =
    [
        Type1CharString(3, 0, "callothersubr", "pop", "pop", "setcurrentpoint", "return"),
        Type1CharString(0, 1, "callothersubr", "return"),
        Type1CharString(0, 2, "callothersubr", "return"),
        Type1CharString("return"),
        Type1CharString(3, 1, 3, "callothersubr", "pop", "callsubr", "return"),
        Type1CharString(0, 100, "rlineto", "return"),
    ];

    [Fact]
    public void A_type1_font_using_flex_hint_replacement_shared_outlines_and_accents_is_not_refused_in_any_form()
    {
        foreach (var form in Enum.GetValues<Type1Form>())
        {
            Assert.Null(Type1Programs.Damage(Type1(StandardSubrs, SoundGlyphs(), form)));
        }
    }

    [Fact]
    public void A_type1_subroutine_or_accented_glyph_that_calls_itself_directly_or_through_another_is_refused_in_every_form()
    {
        var calledBack = (byte[][])[.. StandardSubrs, Type1CharString(7, "callsubr", "return"), Type1CharString(6, "callsubr", "return")];
        var cases = new (byte[][] Subrs, (string, byte[])[] Glyphs)[]
        {
            (WithSubr(3, Type1CharString(3, "callsubr", "return")), SoundGlyphs()), // the hint-replacement subroutine calls itself
            (calledBack, [.. SoundGlyphs(), ("B", Type1CharString(0, 600, "hsbw", 6, "callsubr", "endchar"))]),
            (StandardSubrs, WithGlyph(("AE", Type1CharString(0, 600, "hsbw", 0, 0, 0, 225, 194, "seac", "endchar")))), // AE (225) built from AE
            (StandardSubrs, WithGlyph(("AE", Type1CharString(0, 600, "hsbw", 0, 0, 0, 234, 194, "seac", "endchar")), ("OE", Type1CharString(0, 600, "hsbw", 0, 0, 0, 225, 194, "seac", "endchar")))),
        };

        foreach (var (subrs, glyphs) in cases)
        {
            foreach (var form in Enum.GetValues<Type1Form>())
            {
                Assert.Contains("nested more than 64 deep (calling themselves)", Type1Programs.Damage(Type1(subrs, glyphs, form)), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Type1_subroutines_nested_as_deep_as_the_format_allows_pass_and_past_the_limit_or_doubling_each_time_are_refused()
    {
        // Subroutine i calls i + 1 (once, or twice); the last draws.
        static byte[] Chain(int length, int calls) => Type1(
            [.. Enumerable.Range(0, length).Select(i => i == length - 1
                ? Type1CharString(0, 10, "rlineto", "return")
                : Type1CharString([.. Enumerable.Repeat<object[]>([i + 1, "callsubr"], calls).SelectMany(c => c), "return"]))],
            [(".notdef", Type1CharString(0, 600, "hsbw", "endchar")), ("A", Type1CharString(0, 600, "hsbw", 0, "callsubr", "endchar"))]);

        Assert.Null(Type1Programs.Damage(Chain(10, 1)));
        Assert.Contains("nested more than 64 deep", Type1Programs.Damage(Chain(Type1Programs.MaxDepth + 2, 1)), StringComparison.Ordinal);
        Assert.Null(Type1Programs.Damage(Chain(12, 2))); // 4,096 drawings: a heavy glyph, under the limit
        Assert.Contains($"runs more than {Type1Programs.MaxGlyphSteps:N0} steps", Type1Programs.Damage(Chain(30, 2)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_type1_clear_text_with_dictionaries_nested_past_the_limit_is_refused()
    {
        // PdfPig reads a dictionary inside a dictionary by recursion: 30,000 nested ended the process.
        static string Nested(int depth) => $"/Extra {string.Concat(Enumerable.Repeat("1 dict dup begin /Extra ", depth))}0 def{string.Concat(Enumerable.Repeat(" end def", depth))}\n";

        Assert.Null(Type1Programs.Damage(Type1(StandardSubrs, SoundGlyphs(), clearTextEntry: Nested(Type1Programs.MaxClearTextDicts - 2))));
        foreach (var form in Enum.GetValues<Type1Form>())
        {
            Assert.Equal(
                $"its clear text holds more than {Type1Programs.MaxClearTextDicts} dictionaries (nested, they would be read by recursion)",
                Type1Programs.Damage(Type1(StandardSubrs, SoundGlyphs(), form, Nested(Type1Programs.MaxClearTextDicts))));
        }
    }

    [Fact]
    public void A_type1_call_whose_number_is_computed_is_refused_and_a_program_cut_short_is_not_judged()
    {
        // The subroutine number popped from the flex start's results: a position, not a number the program gives.
        var computed = Type1(StandardSubrs, [.. SoundGlyphs(), ("B", Type1CharString(0, 600, "hsbw", 0, 1, "callothersubr", "pop", "callsubr", "endchar"))]);
        var sound = Type1(StandardSubrs, SoundGlyphs());

        Assert.Contains("calls a subroutine or glyph by a computed number", Type1Programs.Damage(computed), StringComparison.Ordinal);
        Assert.Null(Type1Programs.Damage(sound.AsSpan(0, sound.Length / 2)));
        Assert.Null(Type1Programs.Damage("not a font"u8));
    }

    [Fact]
    public void A_cff_font_with_global_and_local_subroutines_and_hint_masks_is_not_refused_bare_or_in_opentype()
    {
        var cff = Cff(SoundGlobals, SoundLocals, SoundCharStrings());

        Assert.Null(CffPrograms.Damage(cff));
        Assert.Null(CffPrograms.Damage(OpenType(cff)));
    }

    [Fact]
    public void A_cff_subroutine_that_calls_itself_directly_or_through_another_is_refused_bare_or_in_opentype()
    {
        var globalLoop = Cff([.. SoundGlobals, Type2CharString(Biased(1, 2), "callgsubr", "return")], SoundLocals, [.. SoundCharStrings(), Type2CharString(Biased(1, 2), "callgsubr", "endchar")]);
        var localPair = Cff(SoundGlobals, [.. SoundLocals, Type2CharString(Biased(2, 3), "callsubr", "return"), Type2CharString(Biased(1, 3), "callsubr", "return")],
            [.. SoundCharStrings(), Type2CharString(Biased(1, 3), "callsubr", "endchar")]);

        foreach (var damaged in new[] { globalLoop, localPair, OpenType(globalLoop) })
        {
            Assert.Equal(
                $"glyph 2 of its program calls subroutines that copy past {CffPrograms.MaxGlyphBytes:N0} bytes (subroutines calling themselves)",
                CffPrograms.Damage(damaged));
        }
    }

    [Fact]
    public void Cff_subroutines_doubling_each_time_are_refused_and_nested_as_deep_as_the_format_allows_pass()
    {
        // Local subroutine i calls i - 1 (once, or twice); subroutine 0 draws; the glyph calls the last.
        static byte[] Chain(int length, int calls) => Cff(
            [],
            [.. Enumerable.Range(0, length).Select(i => i == 0
                ? Type2CharString(10, 0, "rlineto", "return")
                : Type2CharString([.. Enumerable.Repeat<object[]>([Biased(i - 1, length), "callsubr"], calls).SelectMany(c => c), "return"]))],
            [Type2CharString("endchar"), Type2CharString(0, 0, "rmoveto", Biased(length - 1, length), "callsubr", "endchar")]);

        Assert.Null(CffPrograms.Damage(Chain(10, 1)));
        Assert.Null(CffPrograms.Damage(Chain(10, 2)));
        Assert.StartsWith("glyph 1 of its program calls subroutines that copy past", CffPrograms.Damage(Chain(24, 2)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_hint_masks_bytes_are_skipped_as_PdfPig_counts_the_stems_before_it()
    {
        // Local subroutine 0 calls itself, and no glyph calls it, unless a mask byte (10: callsubr) is read as an operator
        // after the last value, -107 (subroutine 0).
        var looping = (byte[][])[Type2CharString(Biased(0, 1), "callsubr", "return")];
        var twoStems = Type2CharString(10, 20, 30, -107, "hstemhm", "hintmask", new byte[] { 10 }, 0, 0, "rmoveto", "endchar");
        var noStems = Type2CharString(-107, "hintmask", new byte[] { 10 }, 0, 0, "rmoveto", "endchar");

        Assert.Null(CffPrograms.Damage(Cff([], looping, [Type2CharString("endchar"), twoStems]))); // one mask byte, skipped
        Assert.NotNull(CffPrograms.Damage(Cff([], looping, [Type2CharString("endchar"), noStems]))); // none: 10 is read as callsubr
    }

    [Fact]
    public void A_cid_fonts_glyphs_use_the_subroutines_of_the_font_dict_their_fdselect_names()
    {
        var sound = SoundLocals;
        var looping = (byte[][])[Type2CharString(Biased(0, 1), "callsubr", "return")];
        var glyphs = (byte[][])[Type2CharString("endchar"), Type2CharString(0, 0, "rmoveto", Biased(0, 1), "callsubr", "endchar"), Type2CharString(0, 0, "rmoveto", Biased(0, 1), "callsubr", "endchar")];

        Assert.Null(CffPrograms.Damage(Cff(SoundGlobals, [sound, looping], [0, 0, 0], glyphs))); // the looping FD's subroutine is called by no glyph
        Assert.StartsWith("glyph 2 of its program", CffPrograms.Damage(Cff(SoundGlobals, [sound, looping], [0, 0, 1], glyphs)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_cff_charstring_PdfPig_cannot_read_ends_the_reading_as_it_ends_PdfPigs()
    {
        // PdfPig reads the charstrings in order and gives the font up at the first it cannot read (a call with no number
        // before it): the looping glyph after it is never read.
        var looping = (byte[][])[Type2CharString(Biased(0, 1), "callsubr", "return")];
        var glyphs = (byte[][])[Type2CharString("endchar"), Type2CharString(Biased(0, 1), "callsubr", "endchar")];

        Assert.NotNull(CffPrograms.Damage(Cff([], looping, glyphs)));
        Assert.Null(CffPrograms.Damage(Cff([], looping, [Type2CharString("callsubr", "endchar"), .. glyphs])));
        Assert.Null(CffPrograms.Damage(Cff([], looping, glyphs).AsSpan(0, 20)));
    }

    [Fact]
    public async Task Pages_in_fonts_whose_glyph_programs_call_themselves_are_refused_as_corrupt_not_ended_or_held()
    {
        var type1 = HandMadePdf.EmbeddedFontText(Type1(WithSubr(3, Type1CharString(3, "callsubr", "return")), SoundGlyphs()), "FontFile", null, Text);
        var cff = HandMadePdf.EmbeddedFontText(
            Cff([.. SoundGlobals, Type2CharString(Biased(1, 2), "callgsubr", "return")], SoundLocals, [.. SoundCharStrings(), Type2CharString(Biased(1, 2), "callgsubr", "endchar")]),
            "FontFile3", "Type1C", Text);

        var nested = HandMadePdf.EmbeddedFontText(
            Type1(StandardSubrs, SoundGlyphs(), clearTextEntry: $"/Extra {string.Concat(Enumerable.Repeat("1 dict dup begin /Extra ", 30_000))}0 def\n"), "FontFile", null, Text);

        var type1Refused = Assert.Throws<OcrException>(() => fixture.Engine.Recognize(type1, OcrMode.Full, TestContext.Current.CancellationToken));
        var nestedRefused = Assert.Throws<OcrException>(() => fixture.Engine.Recognize(nested, OcrMode.Full, TestContext.Current.CancellationToken));
        var cffRefused = await Assert.ThrowsAsync<OcrException>(() => fixture.Engine.RecognizeAsync(cff, OcrMode.Full, TestContext.Current.CancellationToken));

        Assert.Equal((OcrErrorCode.CorruptImage, OcrErrorCode.CorruptImage, OcrErrorCode.CorruptImage), (type1Refused.Code, cffRefused.Code, nestedRefused.Code));
        Assert.Contains("the font HandMade: its clear text holds more than 64 dictionaries", nestedRefused.Message, StringComparison.Ordinal);
        Assert.Contains("The PDF is damaged (page 1): the font HandMade: the glyph /A of its program calls subroutines or glyphs nested", type1Refused.Message, StringComparison.Ordinal);
        Assert.Contains("the font HandMade: glyph 2 of its program calls subroutines that copy past", cffRefused.Message, StringComparison.Ordinal);

        // The same pages in the sound fonts are read from their text.
        foreach (var sound in new[]
        {
            HandMadePdf.EmbeddedFontText(Type1(StandardSubrs, SoundGlyphs()), "FontFile", null, Text),
            HandMadePdf.EmbeddedFontText(Cff(SoundGlobals, SoundLocals, SoundCharStrings()), "FontFile3", "Type1C", Text),
        })
        {
            Assert.Equal(Text, Assert.Single(fixture.Engine.Recognize(sound, OcrMode.Full, TestContext.Current.CancellationToken).Pages).Text);
        }
    }

    private static byte[][] SoundGlobals => [Type2CharString(100, 0, "rlineto", "return")];

    private static byte[][] SoundLocals => [Type2CharString(0, 100, "rlineto", Biased(0, 1), "callgsubr", "return")];

    // .notdef, then a glyph with stem hints, a hint mask and both kinds of subroutine.
    private static byte[][] SoundCharStrings() =>
    [
        Type2CharString("endchar"),
        Type2CharString(10, 20, 30, 40, "hstemhm", 50, 60, "hintmask", new byte[] { 0b1100_0000 }, 50, 0, "rmoveto", Biased(0, 1), "callsubr", "endchar"),
    ];

    // .notdef; A drawn with a shared piece of outline and hint replacement; B with flex; acute; Aacute built from A and acute.
    private static (string, byte[])[] SoundGlyphs() =>
    [
        (".notdef", Type1CharString(0, 600, "hsbw", "endchar")),
        ("A", Type1CharString(0, 600, "hsbw", 50, 0, "rmoveto", 500, 0, "rlineto", 5, "callsubr", "closepath", 4, "callsubr", "endchar")),
        ("B", Type1CharString([0, 600, "hsbw", 50, 0, "rmoveto", 1, "callsubr",
            .. Enumerable.Range(0, 7).SelectMany(_ => (object[])[10, 5, "rmoveto", 2, "callsubr"]), 50, 120, 35, 0, "callsubr", "closepath", "endchar"])),
        ("acute", Type1CharString(0, 600, "hsbw", 200, 600, "rmoveto", 100, 100, "rlineto", "closepath", "endchar")),
        ("Aacute", Type1CharString(0, 600, "hsbw", 0, 0, 0, 65, 194, "seac", "endchar")),
        ("AE", Type1CharString(0, 600, "hsbw", 0, 0, 0, 65, 194, "seac", "endchar")),
    ];

    // The sound glyphs with these in place of those of their names, or added.
    private static (string, byte[])[] WithGlyph(params (string Name, byte[] Program)[] glyphs) =>
        [.. SoundGlyphs().Where(g => glyphs.All(n => n.Name != g.Item1)), .. glyphs];

    private static byte[][] WithSubr(int index, byte[] program)
    {
        var subrs = (byte[][])StandardSubrs.Clone();
        subrs[index] = program;
        return subrs;
    }
}
