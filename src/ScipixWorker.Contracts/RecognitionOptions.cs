namespace ScipixWorker.Contracts;

/// <summary>How a document is recognized and how much of the result is returned.</summary>
/// <param name="RecognitionOnly">
/// The image is a single text line (a crop): skip detection and recognize it whole. Faster, and right only
/// for crops of one line.
/// </param>
/// <param name="DetailLevel">What the result's pages carry.</param>
public sealed record RecognitionOptions(bool RecognitionOnly = false, DetailLevel DetailLevel = DetailLevel.Lines);

/// <summary>How much detail a <see cref="DocumentRecognized"/> carries per page. Serialized as a camelCase string.</summary>
public enum DetailLevel
{
    /// <summary>The text of each page only; no lines.</summary>
    Text = 0,

    /// <summary>Also each line's text and confidence.</summary>
    Lines = 1,

    /// <summary>Also each line's box (four corners).</summary>
    Full = 2,
}
