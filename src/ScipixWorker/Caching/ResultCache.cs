using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using ScipixWorker.Jobs;
using ScipixWorker.Ocr.Engine;

namespace ScipixWorker.Caching;

/// <summary>
/// Recognition results by image content: the SHA-256 of the bytes, the mode (full page or single line) and
/// the model identity. The detail level is not part of the key: it only trims what is published, so the
/// full result is cached and trimmed per job.
/// </summary>
internal sealed class ResultCache(IOptions<WorkerOptions> options, TimeProvider time)
{
    private readonly BoundedLruCache<string, OcrDocument> _results = new(
        options.Value.ResultCacheEntries, options.Value.ResultCacheMaxBytes, options.Value.ResultCacheTtl, time);

    public bool Enabled => options.Value.ResultCacheEntries > 0;

    public static string KeyOf(ReadOnlySpan<byte> image, OcrMode mode, OcrModelInfo model, PageRange? pages = null, OcrExtras extras = OcrExtras.None)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(image, hash);
        var key = string.Join('|', Convert.ToHexStringLower(hash), mode, model.Detector, model.Recognizer, model.Classifier, model.Precision, model.ExecutionProvider);
        key = extras == OcrExtras.None ? key : $"{key}|{extras}";
        return pages is { } range && range != PageRange.All ? $"{key}|pages {range.First}+{range.Count}" : key;
    }

    public bool TryGet(string key, out OcrDocument document) => _results.TryGet(key, out document);

    public void Add(string key, OcrDocument document) => _results.Set(key, document, EstimateBytes(document));

    /// <summary>A rough managed-memory size: strings, line, word and page records.</summary>
    public static long EstimateBytes(OcrDocument document)
    {
        long bytes = 256;
        foreach (var page in document.Pages)
        {
            bytes += 128 + (2L * page.Text.Length);
            foreach (var line in page.Lines)
            {
                bytes += 96 + (2L * line.Text.Length);
                if (line.Words.Count > 0)
                {
                    bytes += 56; // the list
                    foreach (var word in line.Words)
                    {
                        bytes += 80 + (2L * word.Text.Length); // its record (text, confidence, four corners) and string
                    }
                }
            }
        }

        return bytes;
    }
}
