namespace ScipixWorker.Ocr.Recognition;

/// <summary>
/// The recognizer's reading of one line crop: its text, the mean probability of the characters the model emitted, and
/// its words with where each lies along the crop (<see cref="WordSpans"/>).
/// </summary>
/// <param name="Text">The text.</param>
/// <param name="Confidence">Mean probability of the emitted characters, 0..1 (PaddleOCR's line score).</param>
/// <param name="Words">The words of <paramref name="Text"/>, in order; empty for no text.</param>
internal readonly record struct LineReading(string Text, float Confidence, IReadOnlyList<WordSpan> Words)
{
    /// <summary>No reading: a crop not read (yet).</summary>
    public static LineReading None { get; } = new(string.Empty, 0f, []);

    /// <summary>The text and the confidence (most callers need no more).</summary>
    public void Deconstruct(out string text, out float confidence) => (text, confidence) = (Text, Confidence);
}

/// <summary>
/// One word of a line's reading: <see cref="Length"/> characters of the line's text from <see cref="Start"/>, the mean
/// probability the model gave its characters, and the stretch of the crop it covers, as fractions of the crop's length
/// along the text (0 at the line's start, 1 at its end).
/// </summary>
internal readonly record struct WordSpan(int Start, int Length, float Confidence, float From, float To);
