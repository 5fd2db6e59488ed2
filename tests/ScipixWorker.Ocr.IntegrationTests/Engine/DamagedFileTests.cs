using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.IntegrationTests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using SkiaSharp;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// A damaged file is read or refused with an <see cref="OcrException"/> (corrupt-image, unsupported-format,
/// image-too-large), never another exception: bytes overwritten at random (half of them in the first and last
/// kilobytes, where headers, directories and a PDF's cross-references are) and files cut short, for each format the
/// worker reads and the PDF layouts it handles apart. Seeded: a failure names the trial that reproduces it. 40 trials a
/// file; SCIPIX_DAMAGE_TRIALS asks for more (a longer hunt by hand: 1,500 a file found PdfPig's InvalidCastException).
/// The benchmarks' <c>mutate</c> loop hunts by the ten thousand and names the slow cases too (docs/benchmarks.md, "Damaged
/// JBIG2 scans bounded by their own page": it found the JBIG2 decodes that ran for seconds to minutes, Jbig2Tests).
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class DamagedFileTests(EngineFixture fixture, ITestOutputHelper output)
{
    public static TheoryData<string> Files() =>
        ["pdf text", "pdf with pictures", "pdf masked picture", "pdf drawn text", "pdf unmapped font", "pdf glyph-numbered font", "pdf type 3 font", "pdf type 3 hex masks", "pdf scan", "pdf scan in strips", "pdf jpeg 2000 scan", "pdf jbig2 scan", "pdf mixed raster content", "tiff pages", "png", "jpeg", "jpeg 2000", "gif frames", "webp", "bmp"];

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Damaged_files_are_read_or_refused_with_an_ocr_error(string kind)
    {
        var file = File(kind);
        var random = new Random(20261206);
        var outcomes = new Dictionary<string, int>();
        var trials = int.TryParse(Environment.GetEnvironmentVariable("SCIPIX_DAMAGE_TRIALS"), out var asked) ? asked : 40;
        for (var trial = 0; trial < trials; trial++)
        {
            var damaged = (byte[])file.Clone();
            if (trial % 4 == 3)
            {
                damaged = damaged[..random.Next(damaged.Length / 4, damaged.Length)]; // cut short
            }
            else
            {
                for (var writes = random.Next(1, 9); writes > 0; writes--)
                {
                    var at = random.Next(2) == 0 ? random.Next(damaged.Length) : Ends(random, damaged.Length);
                    damaged[at] = (byte)random.Next(256);
                }
            }

            string outcome;
            try
            {
                var extras = kind == "pdf drawn text" ? OcrExtras.Barcodes : OcrExtras.None; // its drawn QR code read too
                var read = trial % 2 == 0
                    ? fixture.Engine.Recognize(damaged, OcrMode.Full, extras, TestContext.Current.CancellationToken)
                    : await fixture.Engine.RecognizeAsync(damaged, OcrMode.Full, PageRange.All, extras, TestContext.Current.CancellationToken);
                outcome = $"read {read.Pages.Count} page(s)";
            }
            catch (OcrException ex)
            {
                outcome = ex.Code.ToString();
            }
            catch (Exception ex)
            {
                Assert.Fail($"{kind}, trial {trial}: {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}");
                return;
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        output.WriteLine(string.Join(", ", outcomes.Select(o => $"{o.Key}: {o.Value}")));
        Assert.True(outcomes.Count > 1, "every trial ended alike: the damage did not reach the reading");
    }

    // A position in the first or the last kilobyte.
    private static int Ends(Random random, int length)
    {
        var span = Math.Min(1024, length);
        return random.Next(2) == 0 ? random.Next(span) : length - 1 - random.Next(span);
    }

    private static byte[] File(string kind)
    {
        var line = Fixtures.Bytes("sroie", "line_111_019.png");
        using var image = Image.Load<Rgb24>(line);
        using var encoded = new MemoryStream();
        switch (kind)
        {
            case "png":
                return line;
            case "jpeg":
                return Fixtures.Bytes("sroie", "receipt_012_top.jpg");
            case "jpeg 2000":
                // A JP2 file (boxes round a codestream), decoded by OpenJPEG.
                return Fixtures.Bytes("jpeg2000", "line_111_019_grey.jp2");
            case "pdf jbig2 scan":
                // A symbol-coded JBIG2 page, its symbol dictionary in /JBIG2Globals: both streams damaged alike, decoded by jbig2dec.
                return HandMadePdf.ScanPage(
                    Fixtures.Bytes("jbig2", "line_telephone_symbols.jbig2"), "JBIG2Decode", 235, 33, "DeviceGray", 1,
                    jbig2Globals: Fixtures.Bytes("jbig2", "line_telephone_symbols.globals.jbig2"));
            case "pdf mixed raster content":
                // A JPEG background with the text as a JBIG2 stencil mask over it: the two decoded and composed.
                using (var paper = new Image<Rgb24>(235, 33, new Rgb24(236, 230, 218)))
                {
                    paper.SaveAsJpeg(encoded);
                }

                return HandMadePdf.MixedRasterContent(encoded.ToArray(), Fixtures.Bytes("jbig2", "line_telephone_generic.jbig2"), "JBIG2Decode", 235, 33);
            case "pdf jpeg 2000 scan":
                return HandMadePdf.ScanPage(Fixtures.Bytes("jpeg2000", "line_111_019_grey.jp2"), "JPXDecode", 205, 52, "DeviceGray", 8);
            case "gif frames":
                using (var frames = image.Clone())
                {
                    frames.Frames.AddFrame(image.Frames.RootFrame);
                    frames.SaveAsGif(encoded, new GifEncoder());
                }

                return encoded.ToArray();
            case "webp":
                image.SaveAsWebp(encoded, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless });
                return encoded.ToArray();
            case "bmp":
                image.SaveAsBmp(encoded);
                return encoded.ToArray();
            case "pdf text":
                return Fixtures.Bytes("pdf", "digital_two_columns.pdf");
            case "pdf masked picture":
                // A JPEG picture with a soft mask (applied before it is read), the mask half opaque.
                image.SaveAsJpeg(encoded);
                return HandMadePdf.TextAndSoftMaskedJpeg(
                    encoded.ToArray(), image.Width, image.Height, [.. Enumerable.Range(0, image.Width * image.Height).Select(i => (byte)(i % image.Width < image.Width / 2 ? 255 : 0))]);
            case "pdf unmapped font":
                // A line in a subset font without its ToUnicode map: drawn from the embedded glyph outlines (PdfUnmappedGlyphs).
                return UnmappedFontPdf.OneLine("Total due 876.60 by 1 December 2026");
            case "pdf glyph-numbered font":
                // A whole TrueType font, coded by glyph numbers without a map: its glyph program parsed for the outlines.
                return HandMadePdf.GlyphNumberedText("Total due 876.60", "Harbour Lights");
            case "pdf type 3 font":
                // Bitmap glyphs (CCITT G4 masks) and glyphs drawn as paths, whose names read as dingbats: drawn (PdfType3Glyphs).
                return Fixtures.Bytes("pdf", "type3_bitmap_font.pdf");
            case "pdf type 3 hex masks":
                // A hand-written Type 3 font of bitmap glyphs in ASCII hex, coded 1, 2, 3, ... without a map (PdfType3Glyphs).
                return HandMadePdf.Type3Bitmaps("Total due 876.60", "Harbour Lights");
            case "tiff pages":
                using (var page = SKBitmap.Decode(line))
                {
                    return MultiPageTiff.Encode([page, page, page]);
                }

            default:
                return Pdf(kind, line);
        }
    }

    private static byte[] Pdf(string kind, byte[] line)
    {
        var builder = new PdfDocumentBuilder();
        switch (kind)
        {
            case "pdf with pictures":
                var page = builder.AddPage(PageSize.A4);
                page.AddText("A page with pictures", 12, new PdfPoint(50, 780), builder.AddStandard14Font(Standard14Font.Helvetica));
                page.AddPng(line, new PdfRectangle(50, 600, 152.5, 626));
                page.AddJpeg(Fixtures.Bytes("sroie", "receipt_012_top.jpg"), new PdfRectangle(50, 300, 237, 380));
                break;
            case "pdf scan":
                builder.AddPage(205, 52).AddPng(line, new PdfRectangle(0, 0, 205, 52));
                break;
            case "pdf drawn text":
                // Glyph-sized shapes of several kinds in two rows, beside a line of text: rendered and read (PdfDrawnText); and a
                // QR code drawn a module a rectangle (PdfDrawnCodes).
                var drawn = builder.AddPage(300, 200);
                var qr = new ZXing.QrCode.QRCodeWriter().encode("INVOICE 2026-0042", ZXing.BarcodeFormat.QR_CODE, 0, 0);
                for (var y = 0; y < qr.Height; y++)
                {
                    for (var x = 0; x < qr.Width; x++)
                    {
                        if (qr[x, y])
                        {
                            drawn.DrawRectangle(new PdfPoint(200 + (x * 2), 130 + ((qr.Height - 1 - y) * 2)), 2, 2, 0, fill: true);
                        }
                    }
                }

                drawn.AddText("Drawn beside", 10, new PdfPoint(20, 170), builder.AddStandard14Font(Standard14Font.Helvetica));
                for (var row = 0; row < 2; row++)
                {
                    for (var x = 20; x < 260; x += 45)
                    {
                        var y = 100 - (30 * row);
                        drawn.DrawCircle(new PdfPoint(x + 5, y + 5), 10, 1, fill: row == 0); // the second row drawn with a pen only
                        drawn.DrawTriangle(new PdfPoint(x + 12, y), new PdfPoint(x + 20, y), new PdfPoint(x + 16, y + 10), 1, fill: row == 0);
                        drawn.DrawEllipsis(new PdfPoint(x + 26, y + 5), 7, 10, 1, fill: row == 0);
                    }
                }

                break;
            default:
                var strips = builder.AddPage(747, 322);
                var jpeg = Fixtures.Bytes("sroie", "receipt_012_top.jpg");
                strips.AddJpeg(jpeg, new PdfRectangle(0, 161, 747, 322));
                strips.AddJpeg(jpeg, new PdfRectangle(0, 0, 747, 161));
                break;
        }

        return builder.Build();
    }
}
