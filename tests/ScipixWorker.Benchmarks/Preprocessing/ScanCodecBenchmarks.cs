using BenchmarkDotNet.Attributes;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Benchmarks.Preprocessing;

/// <summary>
/// One scanned page decoded to RGB as the engine does (<see cref="ImageLoader"/>), in each form a scan reaches it: SROIE
/// receipt 000 (463 x 1013) as its JPEG file, as a scanner's PDF of that JPEG, as a JPEG 2000 codestream (OpenJPEG,
/// <see cref="Jpeg2000Codec"/>), and thresholded to black and white as a 1-bit PNG and as the JBIG2 scan of a PDF, its
/// symbols in /JBIG2Globals (jbig2dec, <see cref="Jbig2Codec"/>). The fixtures of tests/fixtures (README there).
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class ScanCodecBenchmarks
{
    private readonly ImageLoader _loader = new(new OcrEngineOptions());
    private byte[] _jpeg = [], _jpegPdf = [], _jpeg2000 = [], _bitonalPng = [], _jbig2Pdf = [];

    [GlobalSetup]
    public void Setup()
    {
        _jpeg = Assets.Bytes("receipt_000.jpg");
        _jpegPdf = Assets.Pdf("scan_receipt_000.pdf");
        _jpeg2000 = Assets.Fixture("jpeg2000", "receipt_000.j2k");
        _bitonalPng = Assets.Fixture("jbig2", "receipt_000_bitonal.png");
        _jbig2Pdf = Assets.Pdf("scan_jbig2.pdf");
    }

    [Benchmark(Baseline = true)]
    public int Jpeg() => Decode(_jpeg);

    [Benchmark]
    public int JpegScanPdf() => Decode(_jpegPdf);

    [Benchmark]
    public int Jpeg2000() => Decode(_jpeg2000);

    [Benchmark]
    public int BitonalPng() => Decode(_bitonalPng);

    [Benchmark]
    public int Jbig2ScanPdf() => Decode(_jbig2Pdf);

    private int Decode(byte[] file) => Assets.LoadFirstPage(_loader, file);
}
