using BenchmarkDotNet.Attributes;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Benchmarks.Preprocessing;

/// <summary>
/// What <c>options.barcodes</c> costs a page (<see cref="BarcodeScanner"/>, on top of reading its text): receipt 060
/// (789 x 1772, a Code 128 at its foot and a line of print ZXing takes for an EAN-13, which the strips across it turn
/// down) and receipt 000 (463 x 1013, no code), decoded once in the setup.
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class BarcodeBenchmarks
{
    private RgbBuffer _withCode = null!;
    private RgbBuffer _withoutCode = null!;

    [GlobalSetup]
    public void Setup()
    {
        _withCode = Assets.Decode(Assets.Bytes(Path.Combine("barcodes", "receipt_060.jpg")));
        _withoutCode = Assets.Decode(Assets.Bytes(Assets.ReceiptFile));
    }

    [Benchmark]
    public IReadOnlyList<RecognizedBarcode> ReceiptWithACode128() => BarcodeScanner.Scan(_withCode);

    [Benchmark]
    public IReadOnlyList<RecognizedBarcode> ReceiptWithoutCodes() => BarcodeScanner.Scan(_withoutCode);
}
