using System.Security.Cryptography;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Ocr.Engine;

/// <summary>
/// Readings of pictures on born-digital PDF pages, kept so that the same picture is read by the models once: a letterhead
/// logo on every page of a document and on every document a system sends, a signature or stamp pasted again and again.
/// A picture is known by the SHA-256 of its encoded image as the PDF stores it (and its soft mask), the turn it is shown at
/// and what was read from it (<see cref="OcrExtras"/>); its reading, in its own pixels, does not depend on where it lies.
/// Bounded by the readings' estimated size (<see cref="OcrEngineOptions.PictureCacheBytes"/>), the least recently used
/// dropped first. Thread-safe.
/// </summary>
internal sealed class PictureReadings(long capacityBytes)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<PictureKey, LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recent = new(); // most recently used first
    private long _bytes;

    /// <summary>Whether readings are kept at all (a capacity above 0).</summary>
    public bool Enabled => capacityBytes > 0;

    /// <summary>The readings kept.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Their estimated size together, in bytes.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <summary>The key of a picture's encoded image or samples <paramref name="scan"/> (with its soft mask) read for <paramref name="extras"/>.</summary>
    public static PictureKey Key(PageScan scan, OcrExtras extras)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(scan.Encoded.Span);
        scan.Samples?.AppendTo(hash);
        hash.AppendData(scan.SoftMask.Span);
        return new(Convert.ToHexString(hash.GetHashAndReset()), scan.ClockwiseTurn, extras);
    }

    /// <summary>The reading kept for <paramref name="key"/>, or null; a hit makes it the most recently used.</summary>
    public OcrPage? Find(PictureKey key)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var node))
            {
                return null;
            }

            _recent.Remove(node);
            _recent.AddFirst(node);
            return node.Value.Reading;
        }
    }

    /// <summary>
    /// Keeps <paramref name="reading"/> for <paramref name="key"/> (replacing one kept before), dropping the least recently
    /// used until all fit; a reading larger than the whole capacity is not kept.
    /// </summary>
    public void Keep(PictureKey key, OcrPage reading)
    {
        var size = EstimatedBytes(reading);
        if (size > capacityBytes)
        {
            return;
        }

        lock (_lock)
        {
            if (_entries.Remove(key, out var old))
            {
                _recent.Remove(old);
                _bytes -= old.Value.Bytes;
            }

            while (_bytes + size > capacityBytes && _recent.Last is { } last)
            {
                _recent.RemoveLast();
                _entries.Remove(last.Value.Key);
                _bytes -= last.Value.Bytes;
            }

            _entries[key] = _recent.AddFirst(new Entry(key, reading, size));
            _bytes += size;
        }
    }

    /// <summary>
    /// About what a reading holds on the managed heap: the page, each line with its box, text and words, each barcode with
    /// its text (UTF-16, object headers and boxes counted as a round figure).
    /// </summary>
    public static long EstimatedBytes(OcrPage reading) =>
        512 + (2L * reading.Text.Length)
        + reading.Lines.Sum(l => 160 + (2L * l.Text.Length) + l.Words.Sum(w => 120 + (2L * w.Text.Length)))
        + reading.Barcodes.Sum(b => 200 + (2L * b.Text.Length));

    private sealed record Entry(PictureKey Key, OcrPage Reading, long Bytes);
}

/// <summary>A picture as <see cref="PictureReadings"/> knows it: its encoded image's SHA-256 (hex), its turn and what was read.</summary>
internal readonly record struct PictureKey(string Sha256, int ClockwiseTurn, OcrExtras Extras);
