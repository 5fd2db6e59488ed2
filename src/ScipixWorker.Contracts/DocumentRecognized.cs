using System.Text.Json.Serialization;

namespace ScipixWorker.Contracts;

/// <summary>
/// Event: a job's image was recognized. When the serialized pages exceed the worker's inline limit
/// (<c>Worker:InlineResultMaxBytes</c>) they are written to a result blob (claim check):
/// <see cref="Pages"/> is then empty, <see cref="Text"/> is <c>null</c>, and <see cref="ResultLocation"/>
/// points to a JSON blob holding this event in full.
/// </summary>
/// <param name="JobId">The job's id.</param>
/// <param name="CorrelationId">The job's correlation id, if it had one.</param>
/// <param name="Pages">The pages, in order; empty when <see cref="ResultLocation"/> is set.</param>
/// <param name="Text">All pages' text, pages separated by a blank line; <c>null</c> when <see cref="ResultLocation"/> is set.</param>
/// <param name="Model">Which models produced the result.</param>
/// <param name="Timings">Time spent per stage.</param>
/// <param name="FromCache">True when the result was served from the worker's result cache (same image, options and model).</param>
/// <param name="ResultLocation">The result blob, when the result was too large for the message.</param>
/// <param name="PageCount">
/// Pages in the file: more than the result holds when the job chose some (<see cref="RecognitionOptions.FirstPage"/>,
/// <see cref="RecognitionOptions.LastPage"/>); <c>null</c> from a worker before this field.
/// </param>
/// <param name="Outputs">
/// The documents the job asked for (<see cref="RecognitionOptions.Outputs"/>), written before this event was published;
/// <c>null</c>, and left out of the message, when it asked for none.
/// </param>
public sealed record DocumentRecognized(
    Guid JobId,
    string? CorrelationId,
    IReadOnlyList<RecognizedPage> Pages,
    string? Text,
    ModelIdentity Model,
    StageTimings Timings,
    bool FromCache = false,
    ImageLocation? ResultLocation = null,
    int? PageCount = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<OutputDocument>? Outputs = null);

/// <summary>A document written beside a result (<see cref="DocumentRecognized.Outputs"/>).</summary>
/// <param name="Format">What it is.</param>
/// <param name="Location">Its blob, in the worker's result container (container, name and URI).</param>
/// <param name="Bytes">Its size.</param>
public sealed record OutputDocument(OutputFormat Format, ImageLocation Location, long Bytes);

/// <summary>One recognized page (one frame of the image).</summary>
/// <param name="PageNumber">1-based page number.</param>
/// <param name="Width">Width in pixels; in points (1/72 inch) when <paramref name="Source"/> is <see cref="PageSource.TextLayer"/>.</param>
/// <param name="Height">Height in pixels; in points when <paramref name="Source"/> is <see cref="PageSource.TextLayer"/>.</param>
/// <param name="Text">The page's text: lines on one visual row joined by a space, rows by newlines (a text layer: one line a row).</param>
/// <param name="Lines">The lines in reading order; empty at <see cref="DetailLevel.Text"/>.</param>
/// <param name="Source">Where the text came from: the page's pixels, or a born-digital PDF page's own text.</param>
/// <param name="Rotation">
/// Degrees clockwise (0, 90, 180 or 270) the image was turned to read it: 180 for a page scanned upside down, 90 or 270
/// for one scanned or photographed sideways. Width, height and boxes stay those of the image as stored (boxes with their
/// corners named as the text reads); 0 for a text layer.
/// </param>
/// <param name="Barcodes">
/// The page's barcodes and QR codes in reading order when the job asked for them (<see cref="RecognitionOptions.Barcodes"/>),
/// possibly none; <c>null</c>, and left out of the message, when it did not.
/// </param>
/// <param name="Paragraphs">
/// The page's paragraphs: runs of <paramref name="Lines"/> in reading order that a reader sees as one block of text (a
/// paragraph of prose, a heading, a list item, a receipt's address or totals), covering every line once; <c>null</c>,
/// and left out of the message, at <see cref="DetailLevel.Text"/> (and from a worker before this field).
/// </param>
public sealed record RecognizedPage(
    int PageNumber,
    int Width,
    int Height,
    string Text,
    IReadOnlyList<RecognizedTextLine> Lines,
    PageSource Source = PageSource.Image,
    int Rotation = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<RecognizedBarcode>? Barcodes = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<RecognizedParagraph>? Paragraphs = null);

/// <summary>A paragraph of a page (<see cref="RecognizedPage.Paragraphs"/>): a run of its lines.</summary>
/// <param name="FirstLine">The index of its first line in <see cref="RecognizedPage.Lines"/> (0-based).</param>
/// <param name="LineCount">How many lines it holds, at least one; its text is theirs, joined as the page's text joins them.</param>
/// <param name="Box">
/// At <see cref="DetailLevel.Full"/> and <see cref="DetailLevel.Words"/>: the rectangle round its lines along the page's
/// text, as x0,y0,x1,y1,x2,y2,x3,y3 clockwise from the top-left as the text reads (as a line's box); otherwise <c>null</c>.
/// </param>
/// <param name="Role">
/// What it is: <see cref="ParagraphRole.Text"/> (prose, or rows such as a receipt's), <see cref="ParagraphRole.Heading"/>
/// or <see cref="ParagraphRole.ListItem"/>.
/// </param>
public sealed record RecognizedParagraph(int FirstLine, int LineCount, IReadOnlyList<float>? Box, ParagraphRole Role = ParagraphRole.Text);

/// <summary>What a paragraph is on its page. Serialized as a camelCase string.</summary>
public enum ParagraphRole
{
    /// <summary>Text: a paragraph of prose, or rows (a receipt's items and prices, an address).</summary>
    Text = 0,

    /// <summary>A heading or a title: a row or two set larger than the page's text, or one short row centred over it.</summary>
    Heading = 1,

    /// <summary>An item of a list: its first row starts with a number, a letter or a bullet set before its text.</summary>
    ListItem = 2,
}

/// <summary>A barcode or QR code read from a page.</summary>
/// <param name="Format">
/// The symbology as ZXing names it: <c>QR_CODE</c>, <c>DATA_MATRIX</c>, <c>PDF_417</c>, <c>AZTEC</c>, <c>CODE_128</c>,
/// <c>CODE_39</c>, <c>CODE_93</c>, <c>ITF</c>, <c>CODABAR</c>, <c>EAN_13</c>, <c>EAN_8</c>, <c>UPC_A</c>, <c>UPC_E</c>, ...
/// </param>
/// <param name="Text">What it holds, as decoded.</param>
/// <param name="Box">
/// Its four corners in the page's pixels as x0,y0,...,x3,y3 (as a line's box): a linear code's bars from the first to the
/// last and as high as they read; round a 2D code's finder patterns, so within a few modules of its edge.
/// </param>
public sealed record RecognizedBarcode(string Format, string Text, IReadOnlyList<float> Box);

/// <summary>Where a page's text came from.</summary>
public enum PageSource
{
    /// <summary>Recognized from the page's pixels: an image, a TIFF page, a PDF page's scan.</summary>
    Image = 0,

    /// <summary>
    /// Read from the text a born-digital PDF page carries, without recognition, and from its pictures by the models: the
    /// page's size and the boxes are in points (1/72 inch) with the origin at the page's top-left corner as shown; the
    /// file's own lines have confidence 1, the pictures' lines the recognizer's.
    /// </summary>
    TextLayer = 1,
}

/// <summary>One line of text.</summary>
/// <param name="Text">The text.</param>
/// <param name="Confidence">Mean character probability, 0..1.</param>
/// <param name="Box">
/// At <see cref="DetailLevel.Full"/> and <see cref="DetailLevel.Words"/>: the four corners in pixels as
/// x0,y0,x1,y1,x2,y2,x3,y3, clockwise from the top-left of the text as read; otherwise <c>null</c>.
/// </param>
/// <param name="Words">
/// At <see cref="DetailLevel.Words"/>: the line's words in reading order, each with its confidence and box; otherwise
/// <c>null</c>, and left out of the message (results at the other levels are as they were before words existed).
/// </param>
public sealed record RecognizedTextLine(
    string Text,
    float Confidence,
    IReadOnlyList<float>? Box,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<RecognizedWord>? Words = null);

/// <summary>
/// One word of a line: a run of characters between spaces (a Han, kana or hangul character is a word of its own).
/// </summary>
/// <param name="Text">The word as its line's text has it.</param>
/// <param name="Confidence">Mean probability of the word's characters, 0..1 (1 for a PDF page's own text).</param>
/// <param name="Box">
/// The four corners in pixels (points for <see cref="PageSource.TextLayer"/>) as x0,y0,x1,y1,x2,y2,x3,y3, clockwise from
/// the top-left of the word as read: the part of the line's box the word covers.
/// </param>
public sealed record RecognizedWord(string Text, float Confidence, IReadOnlyList<float> Box);

/// <summary>Which models produced a result: part of the result cache key.</summary>
/// <param name="Detector">Detector model file.</param>
/// <param name="Recognizer">Recognizer model file.</param>
/// <param name="Classifier">Angle classifier model file, empty when disabled.</param>
/// <param name="Precision">Recognizer precision: fp32, fp16 or int8.</param>
/// <param name="ExecutionProvider">cpu or cuda.</param>
public sealed record ModelIdentity(string Detector, string Recognizer, string Classifier, string Precision, string ExecutionProvider);

/// <summary>Milliseconds spent per stage of one job.</summary>
/// <param name="QueueWaitMs">From the message's sent time to the worker picking it up (0 when the sender set no time).</param>
/// <param name="DownloadMs">Reading the blob.</param>
/// <param name="DecodeMs">Decoding the image.</param>
/// <param name="InferenceMs">Detection, orientation and recognition (0 when served from the cache).</param>
/// <param name="TotalMs">From pickup to the result being ready.</param>
public sealed record StageTimings(double QueueWaitMs, double DownloadMs, double DecodeMs, double InferenceMs, double TotalMs);
