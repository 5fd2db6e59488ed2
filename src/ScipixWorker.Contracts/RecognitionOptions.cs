namespace ScipixWorker.Contracts;

/// <summary>How a document is recognized and how much of the result is returned.</summary>
/// <param name="RecognitionOnly">
/// The image is a single text line (a crop): skip detection and recognize it whole. Faster, and right only
/// for crops of one line.
/// </param>
/// <param name="DetailLevel">What the result's pages carry.</param>
/// <param name="FirstPage">
/// The first page to read, 1-based; <c>null</c>: the first. With <paramref name="LastPage"/>, a long document can be
/// sent as several jobs of a few pages each, read by several replicas at once (the result's <c>pageCount</c> says how
/// many pages the file has). A first page past the end fails the job with <c>page-out-of-range</c>.
/// </param>
/// <param name="LastPage">The last page to read, 1-based and inclusive; <c>null</c>, or past the end: the last.</param>
/// <param name="Outputs">
/// Documents to write beside the result, whatever <paramref name="DetailLevel"/> is: each is stored in the worker's result
/// container and named in the result's <c>outputs</c>. <c>null</c> or empty: none.
/// </param>
/// <param name="Barcodes">
/// Read the barcodes and QR codes on each page too (each page's <c>barcodes</c>: format, text, box), whatever
/// <paramref name="DetailLevel"/> is. Costs 70-200 ms a receipt page; a born-digital PDF page read from its text has none.
/// </param>
public sealed record RecognitionOptions(
    bool RecognitionOnly = false, DetailLevel DetailLevel = DetailLevel.Lines, int? FirstPage = null, int? LastPage = null,
    IReadOnlyList<OutputFormat>? Outputs = null, bool Barcodes = false);

/// <summary>A document a job can ask for beside its result (<see cref="RecognitionOptions.Outputs"/>). Serialized as a camelCase string.</summary>
public enum OutputFormat
{
    /// <summary>
    /// hOCR 1.2 (XHTML): pages, lines and words with their boxes and confidences, the format Tesseract writes and tools such
    /// as OCRmyPDF and hocr-tools read to make searchable PDFs. Stored as <c>&lt;jobId&gt;.hocr</c>, content type <c>text/html</c>.
    /// </summary>
    Hocr = 0,

    /// <summary>
    /// A searchable PDF: each page the image that was read, with its words as invisible text over them where they are
    /// printed (a viewer finds, selects and copies them). Stored as <c>&lt;jobId&gt;.pdf</c>, content type
    /// <c>application/pdf</c>. Born-digital PDF pages (searchable already) go in as the file has them.
    /// </summary>
    Pdf = 1,

    /// <summary>
    /// ALTO 4.4 XML: pages, lines with their baselines and words with their boxes and confidences, the layout-and-text
    /// format of libraries, archives and digitisation pipelines. Stored as <c>&lt;jobId&gt;.alto.xml</c>, content type
    /// <c>application/xml</c>.
    /// </summary>
    Alto = 2,

    /// <summary>
    /// Markdown (CommonMark): the text as a reader takes it in, paragraph by paragraph, headings, list items and running
    /// text flowed (a hyphenated word joined again), other rows (a receipt's) as they are; for search indexes and language
    /// models. Stored as <c>&lt;jobId&gt;.md</c>, content type <c>text/markdown</c>.
    /// </summary>
    Markdown = 3,
}

/// <summary>How much detail a <see cref="DocumentRecognized"/> carries per page. Serialized as a camelCase string.</summary>
public enum DetailLevel
{
    /// <summary>The text of each page only; no lines.</summary>
    Text = 0,

    /// <summary>Also each line's text and confidence, and the page's paragraphs (the lines each holds).</summary>
    Lines = 1,

    /// <summary>Also each line's and each paragraph's box (four corners).</summary>
    Full = 2,

    /// <summary>Also each line's words, with their confidences and boxes (four corners each).</summary>
    Words = 3,
}
