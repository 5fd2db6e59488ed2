using ScipixWorker.Contracts;
using ScipixWorker.Ocr.Engine;

namespace ScipixWorker.Jobs;

/// <summary>Turns the engine's result into the contract's, trimmed to the job's detail level.</summary>
internal static class ResultProjection
{
    /// <param name="document">The engine's result.</param>
    /// <param name="detail">How much of each line to keep.</param>
    /// <param name="barcodes">Whether the job asked for barcodes: each page then has its list (possibly empty), else none.</param>
    public static IReadOnlyList<RecognizedPage> Pages(OcrDocument document, DetailLevel detail, bool barcodes = false) =>
        document.Pages.Select(page => new RecognizedPage(
                page.PageNumber,
                page.Width,
                page.Height,
                page.Text,
                detail == DetailLevel.Text
                    ? []
                    : page.Lines.Select(line => Line(line, detail)).ToList(),
                page.Source == Ocr.Engine.PageSource.TextLayer ? Contracts.PageSource.TextLayer : Contracts.PageSource.Image,
                page.Rotation,
                barcodes ? page.Barcodes.Select(code => new Contracts.RecognizedBarcode(code.Format, code.Text, code.Box.ToArray(1))).ToList() : null,
                detail == DetailLevel.Text
                    ? null
                    : page.Paragraphs.Select(p => new RecognizedParagraph(
                        p.FirstLine, p.LineCount, detail >= DetailLevel.Full ? p.Box.ToArray(1) : null, Role(p.Role))).ToList()))
            .ToList();

    private static Contracts.ParagraphRole Role(Ocr.Engine.ParagraphRole role) => role switch
    {
        Ocr.Engine.ParagraphRole.Heading => Contracts.ParagraphRole.Heading,
        Ocr.Engine.ParagraphRole.ListItem => Contracts.ParagraphRole.ListItem,
        _ => Contracts.ParagraphRole.Text,
    };

    private static RecognizedTextLine Line(RecognizedLine line, DetailLevel detail) =>
        new(
            line.Text,
            line.Confidence,
            detail >= DetailLevel.Full ? line.Box.ToArray() : null,
            // A word's corners to a tenth of a pixel: they are cut from the line's box at fractions, and more digits are noise.
            detail == DetailLevel.Words ? line.Words.Select(w => new Contracts.RecognizedWord(w.Text, w.Confidence, w.Box.ToArray(1))).ToList() : null);

    public static ModelIdentity Identity(OcrModelInfo model) =>
        new(model.Detector, model.Recognizer, model.Classifier, model.Precision, model.ExecutionProvider);

    /// <summary>Decode and inference time summed over the pages.</summary>
    public static (TimeSpan Decode, TimeSpan Inference) EngineTime(OcrDocument document)
    {
        var decode = TimeSpan.Zero;
        var inference = TimeSpan.Zero;
        foreach (var page in document.Pages)
        {
            decode += page.Timings.Decode;
            inference += page.Timings.Detect + page.Timings.Classify + page.Timings.Recognize;
        }

        return (decode, inference);
    }
}
