using System.Buffers.Binary;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.IntegrationTests.Support;
using UglyToad.PdfPig.Fonts.TrueType;
using UglyToad.PdfPig.Fonts.TrueType.Parser;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// A damaged TrueType font whose composite glyphs nest thousands deep overflowed PdfPig's stack and ended the test
/// process (found by <c>DamagedFileTests</c>, layout "pdf glyph-numbered font"): the font programs of a page are checked
/// before PdfPig parses it (<see cref="TrueTypeComposites"/>, <see cref="PdfPageResources"/>).
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class TrueTypeCompositesTests(EngineFixture fixture)
{
    private static readonly byte[] DejaVu = Fixtures.Bytes("fonts", "DejaVuSans.ttf");

    [Fact]
    public void A_real_fonts_composites_do_not_loop_and_one_built_from_itself_or_nested_past_the_limit_does()
    {
        var chain = Composites(DejaVu).Take(TrueTypeComposites.MaxDepth + 1).ToList();

        Assert.False(TrueTypeComposites.Loop(DejaVu));
        Assert.True(TrueTypeComposites.Loop(WithFirstComponent(DejaVu, (chain[0], chain[0]))));
        Assert.True(TrueTypeComposites.Loop(WithFirstComponent(DejaVu, (chain[0], chain[1]), (chain[1], chain[0]))));
        // Each composite's first component the next composite: a chain one past the limit, no loop.
        Assert.True(TrueTypeComposites.Loop(WithFirstComponent(DejaVu, [.. chain.Zip(chain.Skip(1))])));
        Assert.False(TrueTypeComposites.Loop(WithFirstComponent(DejaVu, [.. chain.Take(TrueTypeComposites.MaxDepth - 2).Zip(chain.Skip(1))])));
        Assert.False(TrueTypeComposites.Loop(DejaVu.AsSpan(0, 200))); // cut short: not judged here
    }

    [Fact]
    public async Task A_page_whose_font_nests_composites_deeper_than_the_stack_is_refused_as_corrupt_not_ended()
    {
        // 1,500 composites each built from the next: PdfPig's recursion overflows the stack (the test process ended
        // before the check; a loop of composites it reads without harm, but the check refuses that too: the font is damaged).
        var chain = Composites(DejaVu).Take(1_500).ToList();
        var damaged = WithFirstComponent(DejaVu, [.. chain.Zip(chain.Skip(1))]);
        var pdf = HandMadePdf.GlyphNumberedText(damaged, ["Total due 876.60"]);
        var inForm = HandMadePdf.GlyphNumberedText(damaged, ["Total due 876.60"], inForm: true); // the font among a form's resources

        var refused = Assert.Throws<OcrException>(() => fixture.Engine.Recognize(pdf, OcrMode.Full, TestContext.Current.CancellationToken));
        var pipelined = await Assert.ThrowsAsync<OcrException>(() => fixture.Engine.RecognizeAsync(pdf, OcrMode.Full, TestContext.Current.CancellationToken));
        var fromForm = Assert.Throws<OcrException>(() => fixture.Engine.Recognize(inForm, OcrMode.Full, TestContext.Current.CancellationToken));

        Assert.Equal((OcrErrorCode.CorruptImage, OcrErrorCode.CorruptImage, OcrErrorCode.CorruptImage), (refused.Code, pipelined.Code, fromForm.Code));
        Assert.Contains("the font DejaVuSans: its composite glyphs are built from themselves or nested", refused.Message, StringComparison.Ordinal);
        // The same pages with the font as it is read as before.
        foreach (var sound in new[] { HandMadePdf.GlyphNumberedText("Total due 876.60"), HandMadePdf.GlyphNumberedText(DejaVu, ["Total due 876.60"], inForm: true) })
        {
            Assert.Equal("Total due 876.60", Assert.Single(fixture.Engine.Recognize(sound, OcrMode.Full, TestContext.Current.CancellationToken).Pages).Text);
        }
    }

    // The composite glyphs of a font, by number.
    private static IEnumerable<int> Composites(byte[] file)
    {
        var (glyf, offsets) = Tables(file);
        for (var g = 0; g + 1 < offsets.Count; g++)
        {
            if (offsets[g + 1] > offsets[g] && BinaryPrimitives.ReadInt16BigEndian(file.AsSpan(glyf + (int)offsets[g])) < 0)
            {
                yield return g;
            }
        }
    }

    // A copy of the font with each named composite's first component pointed at another glyph.
    private static byte[] WithFirstComponent(byte[] file, params (int Composite, int Component)[] changes)
    {
        var copy = (byte[])file.Clone();
        var (glyf, offsets) = Tables(file);
        foreach (var (composite, component) in changes)
        {
            BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(glyf + (int)offsets[composite] + 10 + 2), (ushort)component);
        }

        return copy;
    }

    private static (int Glyf, IReadOnlyList<uint> Offsets) Tables(byte[] file)
    {
        var font = TrueTypeFontParser.Parse(new TrueTypeDataBytes(file));
        return ((int)font.TableHeaders["glyf"].Offset, font.TableRegister.IndexToLocationTable.GlyphOffsets);
    }
}
