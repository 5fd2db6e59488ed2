using ScipixWorker.Ocr.Geometry;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.Engine;

/// <summary>One line of recognized text.</summary>
/// <param name="Text">The text, as decoded by the recognizer.</param>
/// <param name="Confidence">Mean probability of the decoded characters, 0..1.</param>
/// <param name="Box">Where the line is in the original image (after EXIF orientation).</param>
public readonly record struct RecognizedLine(string Text, float Confidence, Quad Box)
{
    private readonly IReadOnlyList<RecognizedWord>? _words;

    /// <summary>
    /// The line's words in reading order, each with its confidence and its box: the part of the line's box it covers,
    /// corners named as the text reads. Words are parted by spaces; a Han, kana or hangul character is a word of its own.
    /// </summary>
    public IReadOnlyList<RecognizedWord> Words
    {
        get => _words ?? [];
        init => _words = value;
    }

    /// <summary>A line read by the models from a picture on a born-digital PDF page (<see cref="PagePictures"/>).</summary>
    internal bool FromPicture { get; init; }

    /// <summary>
    /// <see cref="Words"/>, or the line as one word where it has none (a line built without them): what the documents made
    /// from a result (hOCR, ALTO, the searchable PDF) write word by word.
    /// </summary>
    internal IReadOnlyList<RecognizedWord> WordsOrWhole => Words.Count > 0 ? Words : [new RecognizedWord(Text, Confidence, Box)];

    /// <summary>A recognizer's reading of the crop of <paramref name="box"/>, its words placed along the box.</summary>
    internal static RecognizedLine From(LineReading reading, Quad box) =>
        new(reading.Text, reading.Confidence, box)
        {
            Words = reading.Words.Select(w => new RecognizedWord(reading.Text.Substring(w.Start, w.Length), w.Confidence, box.Slice(w.From, w.To))).ToList(),
        };

    /// <summary>A line of a PDF's text layer: exact, confidence 1, its words where the file draws them.</summary>
    internal static RecognizedLine From(TextLayerLine line) =>
        new(line.Text, 1f, line.Box) { Words = line.Words.Select(w => new RecognizedWord(w.Text, 1f, w.Box)).ToList() };
}

/// <summary>One word of a line.</summary>
/// <param name="Text">The word as its line's text has it.</param>
/// <param name="Confidence">Mean probability the recognizer gave the word's characters, 0..1 (1 for a PDF's text layer).</param>
/// <param name="Box">Where the word is in the original image, corners named as the text reads.</param>
public readonly record struct RecognizedWord(string Text, float Confidence, Quad Box);
