namespace ScipixWorker.Ocr.Orientation;

/// <summary>
/// The vote of a page's lines on whether the page is upside down, each line weighted by its length (about its number of
/// characters): upside down when the lines classified so hold more than half of the text. The vote is
/// <see cref="Decided"/> as soon as either side holds half, since the lines not yet counted could not change it.
/// </summary>
/// <param name="lengths">Every line's length, counted or not.</param>
internal sealed class PageVote(IReadOnlyList<double> lengths)
{
    private readonly double _half = lengths.Sum() / 2;
    private double _flipped;
    private double _upright;

    /// <summary>Whether the outcome is settled: the votes still to come cannot change <see cref="UpsideDown"/>.</summary>
    public bool Decided => _flipped > _half || _upright >= _half;

    /// <summary>The outcome of the votes counted so far; once <see cref="Decided"/>, the page's.</summary>
    public bool UpsideDown => _flipped > _half;

    /// <summary>Counts line <paramref name="line"/>'s verdict; each line once.</summary>
    public void Add(int line, bool upsideDown)
    {
        if (upsideDown)
        {
            _flipped += lengths[line];
        }
        else
        {
            _upright += lengths[line];
        }
    }
}
