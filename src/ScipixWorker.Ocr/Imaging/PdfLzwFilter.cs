using UglyToad.PdfPig.Filters;
using UglyToad.PdfPig.Tokens;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// PDF's LZWDecode with the engine's LZW tables (<see cref="TiffStrips.LzwTables"/>) into an array of the decoded size,
/// counted beforehand (<see cref="DecodedSize.Lzw"/>, which <see cref="BoundedPdfFilters"/> checks against the limit):
/// PdfPig 0.1's filter made an array for every code it read: an 8.7-megapixel LZW scan's load allocated 410 MB and took
/// 0.7-0.9 s with it, 81 MB and 0.6 s with this (docs/benchmarks.md, "LZW scans in PDFs"). /EarlyChange 0 or 1, and the
/// predictors PDF borrows (<see cref="PdfPredictor"/>) are undone in place. Other parameters (TIFF's predictor on samples
/// of other depths) go to PdfPig's own filter.
/// </summary>
internal sealed class PdfLzwFilter : IFilter, BoundedPdfFilters.ISizedFilter
{
    private readonly LzwFilter _pdfPig = new();

    public bool IsSupported => true;

    public Memory<byte> Decode(Memory<byte> input, DictionaryToken streamDictionary, IFilterProvider filterProvider, int filterIndex) =>
        Decode(input, streamDictionary, filterProvider, filterIndex, DecodedSize.Lzw(input, streamDictionary, filterIndex, long.MaxValue));

    public Memory<byte> Decode(Memory<byte> input, DictionaryToken streamDictionary, IFilterProvider filterProvider, int filterIndex, long decodedSize)
    {
        var parameters = DecodeParameterResolver.GetFilterParameters(streamDictionary, filterIndex);
        var earlyChange = parameters.TryGet(NameToken.EarlyChange, out NumericToken early) && early is not null ? early.Int : 1;
        var predictor = PdfPredictor.Of(streamDictionary, filterIndex);
        if (earlyChange is not (0 or 1) || !predictor.IsHandled || decodedSize > int.MaxValue)
        {
            return _pdfPig.Decode(input, streamDictionary, filterProvider, filterIndex);
        }

        var output = new byte[decodedSize];
        var written = new TiffStrips.LzwTables(earlyChange).Decode(input.Span, output, strip: 0, stopAtInvalid: true);
        return output.AsMemory(0, predictor.Undo(output.AsSpan(0, written)));
    }
}
