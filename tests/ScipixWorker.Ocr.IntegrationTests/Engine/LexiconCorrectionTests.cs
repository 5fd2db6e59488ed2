using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.IntegrationTests.Support;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// Ocr:LexiconCorrection on real receipt lines (fixtures/sroie/lexicon): words the recognizer misreads into non-words
/// (<c>Involce</c>, <c>Prlce</c>, <c>Sumimary</c>, <c>Arnount</c>) where it gave the word nearly as much, and a Malay
/// word (<c>TALI</c>, rope) that an English word one letter away (<c>TALL</c>) scores three hundredths of, which the
/// list knows and leaves alone; two words run together (<c>TAXINVOICE</c>) where the model gave the space a twentieth;
/// and a word parted by an inferred space and misread (<c>adjus tients</c>).
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class LexiconCorrectionTests(EngineFixture fixture)
{
    public static TheoryData<string, string, string> Lines => new()
    {
        { "015_009", "Invoice No.:", "Involce No.:" },
        { "261_012", "Price", "Prlce" },
        { "075_035", "GST Summary", "GST Sumimary" },
        { "183_022", "Amount", "Arnount" },
        { "345_071", "input tax claims, on the basic of the", "input tax clains, on the basic of the" },
        { "483_037", "Goods sold are not Returnable & Refundable", "Goods sold are not Returnable & Refundabie" },
        { "531_065", "Please Come Again!", "Plaase Come Again!" },
        { "006_063", "STARTER TALI", "STARTER TALI" },
        { "051_005", "TAX INVOICE", "TAXINVOICE" },
        { "333_096", "adjustments shown in this Tax Invoice /", "adjus tients shown in this Tax Invoice /" },
    };

    [Fact]
    public void Words_whose_letters_the_print_ran_together_are_read_as_the_listed_words()
    {
        // samples/scanned-bitonal-jbig2.pdf: a black-and-white scan at 100 dpi, where rn prints as m and the fi ligature
        // as h; the recognizer reads retums and hnishes.
        var pdf = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "samples", "scanned-bitonal-jbig2.pdf"));
        using var engine = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, LexiconCorrection = false });
        var raw = engine.Recognize(pdf, OcrMode.Full, TestContext.Current.CancellationToken).Text;
        var text = fixture.Engine.Recognize(pdf, OcrMode.Full, TestContext.Current.CancellationToken).Text;

        Assert.Contains("retums", raw, StringComparison.Ordinal);
        Assert.Contains("hnishes", raw, StringComparison.Ordinal);
        Assert.Contains("returns cannot be searched", text, StringComparison.Ordinal);
        Assert.Contains("Its reader finishes the whole", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Lines))]
    public void A_misread_word_is_read_as_the_word_the_model_also_saw(string crop, string expected, string asEmitted)
    {
        using var engine = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, LexiconCorrection = false });

        Assert.Equal(expected, Read(fixture.Engine, crop, OcrMode.SingleLine));
        Assert.Equal(asEmitted, Read(engine, crop, OcrMode.SingleLine));
    }

    [Fact]
    public async Task The_pipelined_path_and_a_page_read_it_too()
    {
        var document = await fixture.Engine.RecognizeAsync(Fixtures.Bytes("sroie", "lexicon", "483_037.png"), OcrMode.SingleLine, TestContext.Current.CancellationToken);

        Assert.Equal("Goods sold are not Returnable & Refundable", document.Text);
        Assert.Equal("GST Summary", Read(fixture.Engine, "075_035", OcrMode.Full));
    }

    [Fact]
    public void A_words_file_adds_the_words_a_misreading_may_become()
    {
        var file = Path.Combine(Path.GetTempPath(), $"scipix-words-{Guid.NewGuid():N}.txt");
        File.WriteAllLines(file, ["# street names of the deployment", "Tampoi", string.Empty, "Kulai"]);
        try
        {
            using var engine = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, LexiconWordsFile = file });
            var crop = Fixtures.Bytes("sroie", "vocabulary", "045_003.png");

            Assert.Equal("12, Jalan Tampoi 7/4,Kawasan Perindustrian", engine.Recognize(crop, OcrMode.SingleLine, TestContext.Current.CancellationToken).Text);
            Assert.Equal("12, Jalan Tampci 7/4,Kawasan Perindustrian", fixture.Engine.Recognize(crop, OcrMode.SingleLine, TestContext.Current.CancellationToken).Text);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string Read(OcrEngine engine, string crop, OcrMode mode) =>
        engine.Recognize(Fixtures.Bytes("sroie", "lexicon", crop + ".png"), mode, TestContext.Current.CancellationToken).Text;
}
