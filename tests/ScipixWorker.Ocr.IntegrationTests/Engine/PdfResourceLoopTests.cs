using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.IntegrationTests.Support;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// Page resources PdfPig recursed through until the process ended: an image whose dictionary refers to itself through an
/// array (its colour space an Indexed space based on itself: PdfPig resolves an image's dictionary whole, and an array's
/// references every time), and stitching functions made of themselves or nested 20,000 deep (a Separation colour space's
/// tint transform, a shading's function, a soft mask's transfer function). Each file is a few hundred bytes; each ended
/// the process through the build before (docs/benchmarks.md). Checked before PdfPig parses the page
/// (<see cref="PdfDeepResolve"/>, <see cref="PdfStitchedFunctions"/>, <see cref="PdfPageResources"/>).
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class PdfResourceLoopTests(EngineFixture fixture)
{
    private const string SelfStitched = "<< /FunctionType 3 /Domain [0 1] /Functions [7 0 R] /Bounds [] /Encode [0 1] >>";
    private const string Text = "BT /F1 12 Tf 72 700 Td (Total due 876.60) Tj ET";
    private const string Square = "q 100 0 0 100 72 500 cm /Im1 Do Q ";

    [Theory]
    [InlineData("[/Indexed 7 0 R 1 <000000FFFFFF>]")] // an Indexed space based on itself
    [InlineData("[/Separation /Spot /DeviceRGB 7 0 R]")] // only through arrays: the space holds itself where its function goes
    public void An_image_whose_dictionary_refers_to_itself_through_arrays_is_refused(string colourSpace)
    {
        var error = Assert.Throws<OcrException>(() => Read(Page("/XObject << /Im1 6 0 R >>", Square + Text, Image("7 0 R"), (colourSpace, null))));

        Assert.Equal(OcrErrorCode.CorruptImage, error.Code);
        Assert.Contains("the dictionary of an image (object 6 0) refers to itself through arrays", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_image_whose_colour_space_arrays_each_hold_the_next_twice_is_refused_and_a_short_chain_is_read()
    {
        // Arrays 7, 8, ... each holding the next twice: PdfPig resolves 2^n of them.
        static (string, string?)[] Chain(int length) =>
            [.. Enumerable.Range(0, length).Select(i => (i == length - 1 ? "/DeviceGray" : $"[{8 + i} 0 R {8 + i} 0 R]", (string?)null))];

        var error = Assert.Throws<OcrException>(() => Read(Page("/XObject << /Im1 6 0 R >>", Square + Text, [Image("/DeviceGray /Unused 7 0 R"), .. Chain(40)])));

        Assert.Contains($"nests or repeats past {PdfDeepResolve.MaxSteps:N0} values", error.Message, StringComparison.Ordinal);
        Assert.Equal("Total due 876.60", TextOf(Read(Page("/XObject << /Im1 6 0 R >>", Square + Text, [Image("/DeviceGray /Unused 7 0 R"), .. Chain(8)]))));
    }

    [Theory]
    [InlineData("/ColorSpace << /CS0 [/Separation /Spot /DeviceRGB 7 0 R] >>", "/CS0 cs 0.5 sc 0 0 100 100 re f ", "/ColorSpace /CS0")]
    [InlineData("/ColorSpace << /CS0 [/DeviceN [/A] /DeviceRGB 7 0 R] >>", "", "/ColorSpace /CS0")] // not even drawn
    [InlineData("/Shading << /Sh0 << /ShadingType 2 /ColorSpace /DeviceRGB /Coords [0 0 1 1] /Function 7 0 R >> >>", "", "/Shading /Sh0")]
    [InlineData("/Pattern << /P0 << /PatternType 2 /Shading << /ShadingType 2 /ColorSpace /DeviceRGB /Coords [0 0 1 1] /Function 7 0 R >> >> >>", "", "/Pattern /P0")]
    [InlineData("/ExtGState << /GS0 << /SMask << /S /Luminosity /G 8 0 R /TR 7 0 R >> >> >>", "/GS0 gs ", "/ExtGState /GS0")]
    public void A_stitching_function_made_of_itself_is_refused_wherever_the_page_keeps_it(string resources, string drawing, string where)
    {
        var error = Assert.Throws<OcrException>(() => Read(Page(resources, drawing + Text, Empty, (SelfStitched, null), Form)));

        Assert.Equal(OcrErrorCode.CorruptImage, error.Code);
        Assert.Contains($"{where}: a stitching function (object 7 0) is made of itself", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stitching_functions_nested_past_the_limit_are_refused_and_a_gradients_are_read()
    {
        // Functions 7, 8, ... each made of the next: 20,000 of them overflowed PdfPig's stack.
        static (string, string?)[] Chain(int length) =>
            [.. Enumerable.Range(0, length).Select(i => (i == length - 1
                ? "<< /FunctionType 2 /Domain [0 1] /C0 [0] /C1 [1] /N 1 >>"
                : $"<< /FunctionType 3 /Domain [0 1] /Functions [{8 + i} 0 R] /Bounds [] /Encode [0 1] >>", (string?)null))];
        const string separation = "/ColorSpace << /CS0 [/Separation /Spot /DeviceGray 7 0 R] >>";

        var error = Assert.Throws<OcrException>(() => Read(Page(separation, "/CS0 cs 0.5 sc 0 0 100 100 re f " + Text, [Empty, .. Chain(PdfStitchedFunctions.MaxDepth + 2)])));

        Assert.Contains($"/ColorSpace /CS0: its stitching functions nest more than {PdfStitchedFunctions.MaxDepth} deep", error.Message, StringComparison.Ordinal);

        // A two-stop gradient as producers write one (a stitching function of two exponential ones) in a shading and a
        // Separation space, and an image in an Indexed space: read as before.
        var gradient = "<< /FunctionType 3 /Domain [0 1] /Functions [8 0 R 8 0 R] /Bounds [0.5] /Encode [0 1 0 1] >>";
        var sound = Page(
            "/ColorSpace << /CS0 [/Separation /Spot /DeviceGray 7 0 R] >> /Shading << /Sh0 << /ShadingType 2 /ColorSpace /DeviceGray /Coords [0 0 1 1] /Function 7 0 R >> >> /XObject << /Im1 9 0 R >>",
            "/CS0 cs 0.5 sc 0 0 100 100 re f /Sh0 sh " + Square + Text,
            Empty,
            (gradient, null),
            ("<< /FunctionType 2 /Domain [0 1] /C0 [0] /C1 [1] /N 1 >>", null),
            Image("[/Indexed /DeviceRGB 1 <000000FFFFFF>]"));
        Assert.Equal("Total due 876.60", TextOf(Read(sound)));
    }

    private static (string, string?) Empty => ("<< >>", null);

    private static (string, string?) Form => ("<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] >>", string.Empty);

    // An 8 x 8 image of one byte a sample in the colour space given (and any other entries after it).
    private static (string, string?) Image(string colourSpace) =>
        ($"<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /BitsPerComponent 8 /ColorSpace {colourSpace} >>", new string('\u0001', 64));

    // A page (objects 1-5: catalogue, pages, page, content, Helvetica) with these resources beside its font, then the
    // objects given, numbered from 6.
    private static byte[] Page(string resources, string content, params (string Text, string? Stream)[] objects) =>
        HandMadePdf.Objects([
            ("<< /Type /Catalog /Pages 2 0 R >>", null),
            ("<< /Type /Pages /Kids [3 0 R] /Count 1 >>", null),
            ($"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> {resources} >> /Contents 4 0 R >>", null),
            ("<< >>", content),
            ("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", null),
            .. objects]);

    private static string TextOf(OcrDocument document) => Assert.Single(document.Pages).Text;

    private OcrDocument Read(byte[] pdf) => fixture.Engine.Recognize(pdf, OcrMode.Full, TestContext.Current.CancellationToken);
}
