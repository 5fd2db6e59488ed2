using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Geometry;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Ocr.UnitTests.Engine;

/// <summary>Readings of pictures kept by the picture's image, turn and extras, within a byte budget, least recently used out first.</summary>
public sealed class PictureReadingsTests
{
    private static readonly byte[] Logo = [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3];

    // A picture's reading of one line of this text (one word a space-separated part).
    private static OcrPage Reading(string text)
    {
        var box = Quad.FromRectangle(0, 0, 100, 20);
        var words = text.Split(' ').Select(w => new RecognizedWord(w, 0.9f, box)).ToList();
        return new OcrPage(1, 100, 20, [new RecognizedLine(text, 0.9f, box) { Words = words }], text, new OcrTimings(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero));
    }

    private static PictureKey Key(byte[] image, int turn = 0, OcrExtras extras = OcrExtras.None) =>
        PictureReadings.Key(new PageScan(image, turn), extras);

    [Fact]
    public void A_picture_is_known_by_its_image_its_turn_and_what_was_read_from_it()
    {
        var readings = new PictureReadings(1 << 20);
        var reading = Reading("ACME SUPPLIES");
        readings.Keep(Key(Logo), reading);

        Assert.Same(reading, readings.Find(Key([.. Logo]))); // the same bytes, another array
        Assert.Null(readings.Find(Key([.. Logo[..^1], 4])));
        Assert.Null(readings.Find(Key(Logo, turn: 90)));
        Assert.Null(readings.Find(Key(Logo, extras: OcrExtras.Barcodes)));
        Assert.Null(readings.Find(PictureReadings.Key(new PageScan(Logo, 0) { SoftMask = new byte[] { 1, 2 } }, OcrExtras.None))); // another mask
        Assert.Equal(64, Key(Logo).Sha256.Length);
    }

    [Fact]
    public void The_least_recently_used_reading_goes_first_when_the_next_would_not_fit()
    {
        var size = PictureReadings.EstimatedBytes(Reading("LOGO 1"));
        var readings = new PictureReadings((3 * size) + (size / 2)); // room for three
        byte[][] images = [[1], [2], [3], [4]];
        for (var i = 0; i < 3; i++)
        {
            readings.Keep(Key(images[i]), Reading($"LOGO {i + 1}"));
        }

        Assert.NotNull(readings.Find(Key(images[0]))); // the first used again: the second is now the least recent
        readings.Keep(Key(images[3]), Reading("LOGO 4"));

        Assert.Equal(3, readings.Count);
        Assert.Null(readings.Find(Key(images[1])));
        Assert.Equal(["LOGO 1", "LOGO 3", "LOGO 4"], new[] { images[0], images[2], images[3] }.Select(i => readings.Find(Key(i))!.Text));
        Assert.Equal(3 * size, readings.Bytes);
    }

    [Fact]
    public void A_reading_kept_again_replaces_the_one_before_and_is_counted_once()
    {
        var readings = new PictureReadings(1 << 20);
        readings.Keep(Key(Logo), Reading("OLD"));
        readings.Keep(Key(Logo), Reading("NEW READING"));

        Assert.Equal(1, readings.Count);
        Assert.Equal("NEW READING", readings.Find(Key(Logo))!.Text);
        Assert.Equal(PictureReadings.EstimatedBytes(Reading("NEW READING")), readings.Bytes);
    }

    [Fact]
    public void A_reading_larger_than_the_whole_budget_is_not_kept_and_keeps_the_others()
    {
        var small = Reading("LOGO");
        var readings = new PictureReadings(PictureReadings.EstimatedBytes(small) * 2);
        readings.Keep(Key([1]), small);

        readings.Keep(Key([2]), Reading(string.Join(' ', Enumerable.Repeat("WORD", 100))));

        Assert.Null(readings.Find(Key([2])));
        Assert.Same(small, readings.Find(Key([1])));
    }

    [Fact]
    public void Estimated_size_grows_with_the_words_and_text_and_nothing_is_kept_without_a_budget()
    {
        Assert.True(PictureReadings.EstimatedBytes(Reading("A B C D")) > PictureReadings.EstimatedBytes(Reading("ABCD")));
        Assert.True(PictureReadings.EstimatedBytes(Reading("ABCDEFGH")) > PictureReadings.EstimatedBytes(Reading("ABCD")));

        var off = new PictureReadings(0);
        off.Keep(Key(Logo), Reading("LOGO"));

        Assert.False(off.Enabled);
        Assert.Equal(0, off.Count);
    }

    [Fact]
    public async Task Readings_kept_and_found_from_many_threads_stay_within_the_budget()
    {
        var size = PictureReadings.EstimatedBytes(Reading("LOGO 00"));
        var readings = new PictureReadings(size * 10);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                var key = Key([(byte)((i * 7) + t)]);
                if (readings.Find(key) is null)
                {
                    readings.Keep(key, Reading($"LOGO {i % 100:00}"));
                }
            }
        }, TestContext.Current.CancellationToken)));

        Assert.Equal(10, readings.Count);
        Assert.Equal(10 * size, readings.Bytes);
    }
}
