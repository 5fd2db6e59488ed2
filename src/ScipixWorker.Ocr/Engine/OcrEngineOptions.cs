using System.ComponentModel.DataAnnotations;
using ScipixWorker.Ocr.Batching;
using ScipixWorker.Ocr.Precision;

namespace ScipixWorker.Ocr.Engine;

/// <summary>Where the ONNX Runtime work runs.</summary>
public enum ExecutionProvider
{
    /// <summary>CPU execution provider.</summary>
    Cpu = 0,

    /// <summary>CUDA execution provider; falls back to the CPU (with a warning) when CUDA cannot load.</summary>
    Cuda = 1,
}

/// <summary>Severity of ONNX Runtime's own log messages (<see cref="OcrEngineOptions.OrtLogLevel"/>).</summary>
public enum OrtLogLevel
{
    /// <summary>Everything, node placement included.</summary>
    Verbose = 0,

    /// <summary>Informational messages and above.</summary>
    Info = 1,

    /// <summary>Warnings (for example a convolution running in a slow fallback mode) and above.</summary>
    Warning = 2,

    /// <summary>Errors only.</summary>
    Error = 3,
}

/// <summary>How ONNX Runtime's CUDA provider picks a cuDNN convolution algorithm for a new input shape.</summary>
public enum CudnnConvAlgoSearch
{
    /// <summary>cuDNN's heuristics: no timing runs, so a shape seen for the first time costs little.</summary>
    Heuristic = 0,

    /// <summary>Times every algorithm on the first run of each shape (ONNX Runtime's default): about a second per new shape here.</summary>
    Exhaustive = 1,

    /// <summary>cuDNN's default algorithm, no search at all.</summary>
    Default = 2,
}

/// <summary>Configuration of the OCR engine (section <c>Ocr</c>). Defaults follow PaddleOCR's.</summary>
public sealed class OcrEngineOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Ocr";

    /// <summary>Folder that relative model paths are resolved against.</summary>
    public string ModelDirectory { get; set; } = "models";

    /// <summary>Text detector (DB) model.</summary>
    [Required]
    public string DetectorModel { get; set; } = "ch_PP-OCRv4_det_infer.onnx";

    /// <summary>Text recognizer (CTC) model.</summary>
    [Required]
    public string RecognizerModel { get; set; } = "ch_PP-OCRv4_rec_infer.onnx";

    /// <summary>Angle classifier (0/180) model; empty disables the classifier.</summary>
    public string ClassifierModel { get; set; } = "ch_ppocr_mobile_v2.0_cls_infer.onnx";

    /// <summary>Recognizer dictionary, one character per line, in the recognizer's class order.</summary>
    [Required]
    public string Dictionary { get; set; } = "ppocr_keys_v1.txt";

    /// <summary>Whether the recognizer has a space class after the dictionary (PaddleOCR's use_space_char).</summary>
    public bool UseSpaceCharacter { get; set; } = true;

    /// <summary>
    /// Insert spaces the recognizer left out where its alignment shows a word gap (PP-OCRv4's Chinese
    /// recognizer often runs Latin words together), and take out the spaces it set, or that were inferred, next to the
    /// periods and the <c>@</c> of a web or e-mail address (<c>www. kings. com. my</c>;
    /// <see cref="Recognition.WebAddresses"/>). False reproduces PaddleOCR's output exactly.
    /// </summary>
    public bool InferSpaces { get; set; } = true;

    /// <summary>
    /// Full-width punctuation and letters (U+FF01-U+FF5E) that the recognizer emits outside CJK text become ASCII:
    /// <c>（RM）：</c> in a Latin line is read as <c>(RM):</c>; next to Han, kana or hangul they stay
    /// (<see cref="Recognition.WidthNormalizer"/>). False reproduces PaddleOCR's output exactly.
    /// </summary>
    public bool HalfWidthOutsideCjk { get; set; } = true;

    /// <summary>
    /// A digit inside a word or a letter inside a number, where the recognizer gave the other kind at least a tenth,
    /// becomes that other kind: <c>N0</c>, <c>Te1</c>, <c>INV0ICE</c> are read <c>NO</c>, <c>Tel</c>, <c>INVOICE</c>, while
    /// codes the model was sure of (<c>CS00004040</c>) stay (<see cref="Recognition.LookalikeResolver"/>); a letter alone
    /// before a percent sign or a decimal point (<c>O%</c>, <c>O.00</c>) becomes the digit it gave a tenth, and an
    /// <c>S</c> before an amount (<c>S5.50</c>) the dollar sign; a letter only its size tells takes its word's case
    /// (<c>GsT</c>, <c>InVOice</c> are read <c>GST</c>, <c>Invoice</c>). With
    /// <see cref="LexiconCorrection"/>, digits in a word under which the model gave a letter 0.003 or more become those
    /// letters where they spell a listed word (<see cref="Recognition.LookalikeWords"/>). False reproduces PaddleOCR's
    /// output exactly.
    /// </summary>
    public bool ResolveLookalikes { get; set; } = true;

    /// <summary>
    /// A line whose characters the recognizer read packed tighter than it reads well (condensed print, small text in a
    /// tall crop) is read again stretched across (<see cref="Recognition.CondensedLines"/>). False reproduces PaddleOCR's
    /// output exactly.
    /// </summary>
    public bool CondensedLines { get; set; } = true;

    /// <summary>
    /// A period or comma that ends a line or a word and that the recognizer let go is read from the ink where the model
    /// gave it at least a hundredth (<see cref="Recognition.TrailingMarks"/>): <c>JOHOR BAHRU</c> is read
    /// <c>JOHOR BAHRU,</c>, <c>RETURNABLE THANK YOU</c> <c>RETURNABLE, THANK YOU</c>. False reproduces PaddleOCR's output
    /// exactly.
    /// </summary>
    public bool TrailingMarks { get; set; } = true;

    /// <summary>
    /// The point before an amount's two decimals is read where the recognizer let it go or read it as a space but gave the
    /// period a hundredth (<c>000</c> is read <c>0.00</c>, <c>327 00</c> <c>327.00</c>), and a space it set after one is dropped
    /// (<c>2. 83</c> is read <c>2.83</c>; <see cref="Recognition.DecimalPoints"/>). False reproduces PaddleOCR's output
    /// exactly.
    /// </summary>
    public bool DecimalPoints { get; set; } = true;

    /// <summary>
    /// A word read as no English word is put right where an English word within an edit or two scores at least a
    /// hundredth of the reading in the model's own output (<c>INVOLCE</c> is read <c>INVOICE</c>, <c>usuaily</c>
    /// <c>usually</c>), and two English words run together are split where the model gave the space a hundredth
    /// (<c>TAXINVOICE</c>) and a word an inferred space parted is read whole (<c>AD JUSTMENT</c>); letters the print ran
    /// together are read apart on a tenth of the evidence (<c>retums</c>, <c>ITERN</c> are read <c>returns</c>, <c>ITEM</c>;
    /// <see cref="Recognition.LexiconCorrection"/>). False reproduces PaddleOCR's output exactly.
    /// </summary>
    public bool LexiconCorrection { get; set; } = true;

    /// <summary>
    /// A file of words the lexicon correction may write besides the bundled English ones: a domain's terms, product and
    /// place names (UTF-8, one word of ASCII letters a line, any case, blank lines and lines starting with <c>#</c>
    /// skipped). Empty: the bundled list alone. A relative path is taken from the working directory; a missing file or a
    /// line that is not a word fails the engine's start.
    /// </summary>
    public string? LexiconWordsFile { get; set; }

    /// <summary>CPU or CUDA.</summary>
    public ExecutionProvider ExecutionProvider { get; set; } = ExecutionProvider.Cpu;

    /// <summary>
    /// How the CUDA provider picks convolution algorithms for a new input shape. Recognition batches vary in size and
    /// width bucket, so each new shape would otherwise pay an exhaustive timing search on its first run
    /// (docs/benchmarks.md, "On the GPU").
    /// </summary>
    public CudnnConvAlgoSearch CudnnConvAlgoSearch { get; set; } = CudnnConvAlgoSearch.Heuristic;

    /// <summary>
    /// Lets cuDNN's convolution algorithms use as much GPU memory for their workspace as they ask (ONNX Runtime's default
    /// since 1.14); <c>false</c> caps it, which ONNX Runtime's maintainers advise where that default made convolution
    /// networks slower (onnxruntime issue 20712).
    /// </summary>
    public bool CudnnConvUseMaxWorkspace { get; set; } = true;

    /// <summary>CUDA device id.</summary>
    [Range(0, 64)]
    public int DeviceId { get; set; }

    /// <summary>ONNX Runtime intra-op threads per session; 0 = the number of cores available to the process.</summary>
    [Range(0, 256)]
    public int IntraOpThreads { get; set; }

    /// <summary>
    /// Unless <see cref="IntraOpThreads"/> is configured, gives each session cores / <paramref name="executors"/> threads
    /// (Batching:Executors recognitions run at once), so concurrent runs do not oversubscribe the CPU: small OCR inputs
    /// scale poorly across threads (docs/benchmarks.md).
    /// </summary>
    public void ShareCoresAmong(int executors)
    {
        if (IntraOpThreads == 0)
        {
            IntraOpThreads = Math.Max(1, Environment.ProcessorCount / Math.Max(1, executors));
        }
    }

    /// <summary>
    /// ONNX Runtime's CPU memory arena and memory patterns: off by default, since the varying input shapes
    /// of OCR make the arena hold on to peak-sized blocks (resident memory) for little speed.
    /// </summary>
    public bool CpuMemoryArena { get; set; }

    /// <summary>
    /// Memory that concurrent model runs (a page's decoding and detection, a recognizer batch) may hold at once,
    /// in MiB: a run waits until its estimated size fits (<see cref="MemoryBudget"/>), and recognizer batches are
    /// sized to share it. Unset: 224 on the CPU, no limit on CUDA (activations live in GPU memory there);
    /// 0: no limit. Resident memory is roughly the idle worker (about 180 MiB) plus this.
    /// </summary>
    [Range(0, 1_048_576)]
    public int? MemoryBudgetMegabytes { get; set; }

    /// <summary>The default of <see cref="MemoryBudgetMegabytes"/> on the CPU.</summary>
    /// <remarks>
    /// 224 keeps bursts of receipt pages under the design's 500 MB (peaks 434-454 MiB at 224 and 192, 467-498 MiB at
    /// 256, 60-page bursts) for about 8 % of their throughput; single lines never reach it (docs/benchmarks.md,
    /// "Page bursts under 500 MB").
    /// </remarks>
    public const int DefaultCpuMemoryBudgetMegabytes = 224;

    /// <summary>The memory budget in bytes for models running on <paramref name="provider"/>; 0 = no limit.</summary>
    public long MemoryBudgetBytes(ExecutionProvider provider) =>
        (MemoryBudgetMegabytes ?? (provider == ExecutionProvider.Cuda ? 0 : DefaultCpuMemoryBudgetMegabytes)) * 1024L * 1024L;

    /// <summary>
    /// Simplify each model's graph before ONNX Runtime loads it: the scalar scale-and-shift pairs and four-node HardSwish
    /// activations paddle2onnx writes, which ONNX Runtime does not fuse, folded into the convolutions and written as two
    /// nodes (<see cref="Graph.GraphSimplifier"/>). The same arithmetic up to float rounding; the recognizer runs about a
    /// third faster on the CPU. False loads the files as they are.
    /// </summary>
    public bool SimplifyGraphs { get; set; } = true;

    /// <summary>Let idle ONNX Runtime threads spin (lower latency for one caller, worse under concurrency).</summary>
    public bool AllowSpinning { get; set; }

    /// <summary>
    /// The least severe of ONNX Runtime's own messages written to standard error. <see cref="OrtLogLevel.Verbose"/> shows,
    /// among much else, which execution provider each node of a model was placed on when a session is created: the first
    /// thing to read when CUDA runs slower than it should.
    /// </summary>
    public OrtLogLevel OrtLogLevel { get; set; } = OrtLogLevel.Error;

    /// <summary>
    /// Where ONNX Runtime writes a profile of every model run (a Chrome trace per session, <c>PREFIX_DATE.json</c>, with each
    /// node's execution provider and time), written when the session closes. Empty: no profiling. For diagnosis only: it
    /// grows with every run.
    /// </summary>
    public string? OrtProfilePrefix { get; set; }

    /// <summary>PaddleOCR's det_db_unclip_ratio.</summary>
    public const float PaddleDetectorUnclipRatio = 1.5f;

    /// <summary>PaddleOCR's det_db_box_thresh.</summary>
    public const float PaddleDetectorBoxThreshold = 0.6f;

    /// <summary>The detector's input is resized so that its longest side is at most this (multiple of 32; PaddleOCR: 960).</summary>
    [Range(32, 4096)]
    public int DetectorLimitSide { get; set; } = 960;

    /// <summary>
    /// A page that <see cref="DetectorLimitSide"/> would leave with fewer than this squared pixels is scaled to that area
    /// instead (never enlarged): 736 x 736 = 541,696 pixels. Pages more elongated than about 1.7:1 (receipts, strips),
    /// which the longest-side rule shrinks most, get more resolution (a 932 x 2172 receipt 480 x 1120 instead of 416 x 960);
    /// A4 and 3:4 pages are unchanged. At most <see cref="DetectorLimitSide"/> (checked at start), so no page gets more
    /// pixels than a square one at the limit. 0 = PaddleOCR's rule alone.
    /// </summary>
    [Range(0, 4096)]
    public int DetectorMinAreaSide { get; set; } = 736;

    /// <summary>
    /// Pixels of the page's edge colour added around the detector's input on every side (then each side rounded up to a
    /// multiple of 32), so that text touching the image's edge (a line cropped tight, a label photographed edge to edge)
    /// is seen with room around it, as the detector was trained. 0 = PaddleOCR's input, no margin.
    /// </summary>
    [Range(0, 256)]
    public int DetectorMargin { get; set; } = 16;

    /// <summary>Probability above which a detector pixel is text (PaddleOCR det_db_thresh).</summary>
    [Range(0.0, 1.0)]
    public float DetectorThreshold { get; set; } = 0.3f;

    /// <summary>
    /// Mean probability inside a box below which the box is dropped (det_db_box_thresh). 0.5 where PaddleOCR has 0.6:
    /// faded thermal print leaves whole lines between the two, and a box kept wrongly is still dropped after
    /// recognition by <see cref="DropScore"/>.
    /// </summary>
    [Range(0.0, 1.0)]
    public float DetectorBoxThreshold { get; set; } = 0.5f;

    /// <summary>
    /// How far boxes are expanded (det_db_unclip_ratio). 1.6 where PaddleOCR has 1.5: at the finer detector scale that
    /// <see cref="DetectorMinAreaSide"/> gives receipts the probability map is sharper and its boxes tighter, clipping the ends of lines.
    /// </summary>
    [Range(0.5, 5.0)]
    public float DetectorUnclipRatio { get; set; } = 1.6f;

    /// <summary>At most this many candidate regions per page.</summary>
    [Range(1, 10000)]
    public int DetectorMaxCandidates { get; set; } = 1000;

    /// <summary>Rotate a line by 180 degrees when the classifier says so with at least this probability.</summary>
    [Range(0.0, 1.0)]
    public float ClassifierThreshold { get; set; } = 0.9f;

    /// <summary>
    /// Decide 0 or 180 degrees for a whole page, by its lines' votes weighted by their length, instead of for each line
    /// on its own (PaddleOCR): on upright pages the classifier turns a few short lines upside down, garbling them.
    /// </summary>
    public bool OrientationPerPage { get; set; } = true;

    /// <summary>
    /// Read a page set in columns (a report, a journal) one column after the other, instead of joining its rows across
    /// the page (PaddleOCR): a vertical gutter with prose on both sides (long lines: a price list's prices are short)
    /// separates columns.
    /// Pages without such a gutter (receipts, tables, forms) read as before.
    /// </summary>
    public bool ColumnLayout { get; set; } = true;

    /// <summary>
    /// Recognize an image that holds one line of text (its detected boxes form one row filling at least half of its
    /// height: a crop, a label, a strip) whole, as a single-line job, instead of from the detector's boxes inside it
    /// (PaddleOCR), which cut it tighter than the recognizer was trained on.
    /// </summary>
    public bool WholeLineImages { get; set; } = true;

    /// <summary>
    /// Read the pictures on a born-digital PDF page (a pasted screenshot, a photo of a document, a chart's labels, a logo)
    /// with the models too, beside the page's own text: their lines join the page's, in points, in reading order. Off: such a
    /// page is its text alone, and a page of pictures without text is refused.
    /// </summary>
    public bool PdfPictures { get; set; } = true;

    /// <summary>
    /// Read text drawn as shapes on a born-digital PDF page (fonts converted to outlines by a design tool, a print driver
    /// or a converter; a vector logo's lettering), which carries no text of its own: each block of glyph-sized filled
    /// shapes is rendered and read by the models as a picture, its lines joining the page's in points. Text in fonts that
    /// name no text (a subset font without its ToUnicode map) is drawn from the glyph outlines the file embeds and read
    /// the same way. Off: such text is not read (a page drawn only so comes back empty; a page of text in fonts that name
    /// no text is refused).
    /// </summary>
    public bool PdfDrawnText { get; set; } = true;

    /// <summary>
    /// Bytes of readings of pictures on born-digital PDF pages kept so that the same picture is read by the models once (a
    /// letterhead logo on every page and in every document from one sender, a stamp, a signature): a picture whose encoded
    /// image, turn and extras match one read before takes that reading, its lines placed where it lies this time. Known by
    /// the SHA-256 of its image as stored; the least recently used reading goes first. A reading takes about 1 KB plus 200
    /// bytes a word; 0 = every picture is read every time.
    /// </summary>
    [Range(0, 1L << 32)]
    public long PictureCacheBytes { get; set; } = 8L * 1024 * 1024;

    /// <summary>
    /// Read colons set apart in a column of their own (<c>Sub Total   :   RM 68.87</c>), which the detector's size filter
    /// drops as specks (PaddleOCR): small regions beside a row of text are read as well, and kept when they read as a
    /// colon (<see cref="Detection.LoneMarks"/>).
    /// </summary>
    public bool LoneColons { get; set; } = true;

    /// <summary>
    /// Read faint colons between a label and its value (<c>Rounding   :   0.00</c>), which the detector does not see or
    /// the recognizer lets go: the gap after each line is searched in the page's pixels for two dots one above the other,
    /// and what is found is kept when it reads as a colon (<see cref="Detection.GapColons"/>). False reproduces PaddleOCR's
    /// output exactly.
    /// </summary>
    public bool GapColons { get; set; } = true;

    /// <summary>
    /// Read a character standing alone (a quantity's <c>1</c>, a tax code, a <c>*</c>) from a crop fitted to its ink where
    /// the detector's box for it read below <see cref="DropScore"/>: at the detector's scale such a glyph is a few map
    /// pixels, and its box cuts into it or sits loose round it (<see cref="Detection.LoneGlyphs"/>). False reproduces
    /// PaddleOCR's output exactly.
    /// </summary>
    public bool LoneGlyphs { get; set; } = true;

    /// <summary>
    /// Read the lines of a page of pure black and white (a fax, a JBIG2 or CCITT scan, a 1-bit image) smoothed: each line,
    /// resized to the models' height, is blurred before they see it (<see cref="Imaging.BilevelSmoothing"/>). False
    /// reproduces PaddleOCR's output exactly.
    /// </summary>
    public bool SmoothBilevel { get; set; } = true;

    /// <summary>Lines recognized with a lower confidence are dropped from full-page results (drop_score).</summary>
    [Range(0.0, 1.0)]
    public float DropScore { get; set; } = 0.5f;

    /// <summary>Crops per recognizer call; crops are sorted by width so that a batch pads little.</summary>
    [Range(1, 128)]
    public int RecognizerBatchSize { get; set; } = 6;

    /// <summary>
    /// The narrowest recognizer tensor, in pixels at height 48: shorter crops are padded to it. PaddleOCR uses
    /// 320; 224 reads as accurately on receipt lines, receipt pages and printed lines and computes about 17 %
    /// less on receipt lines (docs/benchmarks.md, "The recognizer's narrowest tensor").
    /// </summary>
    [Range(48, 2048)]
    public int RecognizerMinWidth { get; set; } = WidthBuckets.DefaultMinWidth;

    /// <summary>Largest accepted file, in bytes.</summary>
    [Range(1, long.MaxValue)]
    public long MaxImageBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>Largest accepted page, in pixels (width x height).</summary>
    [Range(1, long.MaxValue)]
    public long MaxPixels { get; set; } = 60_000_000;

    /// <summary>Longest accepted side, in pixels.</summary>
    [Range(1, 100_000)]
    public int MaxSide { get; set; } = 16_384;

    /// <summary>Most pages (frames) accepted in one file.</summary>
    [Range(1, 10_000)]
    public int MaxPages { get; set; } = 100;

    /// <summary>
    /// Most characters one PDF page may draw, counted from its content before it is parsed (a dense page of text draws
    /// 5,000-20,000; the PDF parser holds an object per character): a page past it fails as too large.
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxPdfPageCharacters { get; set; } = 100_000;

    /// <summary>
    /// Most drawing operations (content stream operators) one PDF page may have, counted before it is parsed (a dense page
    /// of text has 5,000-50,000; the PDF parser holds an object per path segment): a page past it fails as too large.
    /// </summary>
    [Range(1, 100_000_000)]
    public int MaxPdfPageOperations { get; set; } = 300_000;

    /// <summary>
    /// Numeric precision of every model: <c>auto</c> (default), <c>fp32</c>, <c>int8</c> or <c>fp16</c>. Auto runs a
    /// quantized variant only where one passed the accuracy gate (models/variants.json) and, on the CPU, is faster
    /// on this machine; int8/fp16 require such a variant of every model and refuse to start otherwise.
    /// The per-model settings below override this one (docs/quantization.md).
    /// </summary>
    public ModelPrecision Precision { get; set; } = ModelPrecision.Auto;

    /// <summary>Precision of the detector; unset follows <see cref="Precision"/>.</summary>
    public ModelPrecision? DetectorPrecision { get; set; }

    /// <summary>Precision of the recognizer; unset follows <see cref="Precision"/>.</summary>
    public ModelPrecision? RecognizerPrecision { get; set; }

    /// <summary>Precision of the angle classifier; unset follows <see cref="Precision"/>.</summary>
    public ModelPrecision? ClassifierPrecision { get; set; }

    /// <summary>The list of quantized variants and their gate results, relative to <see cref="ModelDirectory"/>.</summary>
    public string VariantsFile { get; set; } = "variants.json";

    /// <summary>
    /// Let an explicit int8/fp16 setting run a variant that has not passed the gate. Only for measuring
    /// variants (<c>scipix eval</c> sets it); never in production.
    /// </summary>
    public bool AllowUngatedVariants { get; set; }

    /// <summary>With auto on the CPU, INT8 is kept only if FP32 takes at least this many times as long (start-up timing).</summary>
    [Range(1.0, 10.0)]
    public double AutoMinSpeedup { get; set; } = 1.15;

    /// <summary>With auto on the CPU, timed runs of each of FP32 and INT8 at start-up (the medians are compared).</summary>
    [Range(1, 50)]
    public int AutoTimingRuns { get; set; } = 7;

    /// <summary>Run every model on representative shapes before reporting ready.</summary>
    public bool WarmUp { get; set; } = true;

    /// <summary>The precision requested for a model and the setting it comes from (for messages).</summary>
    public (ModelPrecision Precision, string Setting) PrecisionFor(ModelRole role)
    {
        var specific = role switch
        {
            ModelRole.Detector => DetectorPrecision,
            ModelRole.Recognizer => RecognizerPrecision,
            _ => ClassifierPrecision,
        };
        return specific is { } value
            ? (value, ModelPrecisionNames.SettingName(role))
            : (Precision, $"{SectionName}:{nameof(Precision)}");
    }

    /// <summary>A shallow copy (every property is a value or a string), to derive settings for a side-by-side run.</summary>
    public OcrEngineOptions Copy() => (OcrEngineOptions)MemberwiseClone();

    /// <summary>Resolves a model path against <see cref="ModelDirectory"/>.</summary>
    public string Resolve(string path) =>
        string.IsNullOrEmpty(path) || Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(ModelDirectory, path));
}
