using UglyToad.PdfPig.Parser.Parts;
using UglyToad.PdfPig.Tokenization.Scanner;
using UglyToad.PdfPig.Tokens;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// A CIDFont's glyph widths (<c>/W</c>) and vertical metrics (<c>/W2</c>), checked before PdfPig reads them. PdfPig adds
/// every CID of a range (<c>c_first c_last w</c>) to a dictionary, one by one, with no limit: <c>/W [0 2000000000 500]</c>
/// in a 1-KB file filled 5 GB in 12 s (and <c>/W2</c> 7.5 GB). A CID font has at most 65,536 CIDs, so a range or a list
/// past that, or metrics past four times that in all, is damage.
/// </summary>
internal static class CidFontMetrics
{
    /// <summary>The most CIDs one range or list may give.</summary>
    public const long MaxPerEntry = 65_536;

    /// <summary>The most CIDs the metrics may give in all.</summary>
    public const long MaxInAll = 4 * MaxPerEntry;

    private static readonly NameToken W2 = NameToken.Create("W2");

    /// <summary>What is wrong with the metrics of <paramref name="cidFont"/>; null when nothing is.</summary>
    public static string? Damage(DictionaryToken cidFont, IPdfTokenScanner scanner)
    {
        foreach (var (key, valuesPerCid) in (ReadOnlySpan<(NameToken, int)>)[(NameToken.W, 1), (W2, 3)])
        {
            if (!cidFont.TryGet(key, out var token) || !DirectObjectFinder.TryGet(token, scanner, out ArrayToken? metrics))
            {
                continue;
            }

            // Entries as PdfPig reads them: a CID and a list of values, or a first and a last CID and one set of values.
            long total = 0;
            var items = metrics!.Data;
            for (var i = 0; i + 1 < items.Count;)
            {
                long cids;
                if (items[i + 1] is ArrayToken list)
                {
                    cids = list.Data.Count / valuesPerCid;
                    i += 2;
                }
                else
                {
                    cids = items[i] is NumericToken first && items[i + 1] is NumericToken last ? Math.Max(0, (long)last.Int - first.Int + 1) : 0;
                    i += 2 + valuesPerCid;
                }

                total += cids;
                if (cids > MaxPerEntry || total > MaxInAll)
                {
                    return $"its /{key.Data} metrics give {(cids > MaxPerEntry ? $"one range {cids:N0}" : $"more than {MaxInAll:N0}")} CIDs (a CID font has at most {MaxPerEntry:N0})";
                }
            }
        }

        return null;
    }
}
