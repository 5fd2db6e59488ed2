namespace ScipixWorker.Ocr.Orientation;

/// <summary>
/// The vote of a page's lines on whether the page is upside down, each line weighted by its length (about its number of
/// characters): upside down when the lines classified so hold more than half of the text. The vote is
/// <see cref="Decided"/> as soon as either side holds half, since the lines not yet counted could not change it, or as
/// soon as <see cref="MinUnanimous"/> of the lines counted are sure of one side and none is on the other (the lines are
/// counted longest first, where the classifier is most reliable).
/// </summary>
/// <param name="lengths">Every line's length, counted or not.</param>
internal sealed class PageVote(IReadOnlyList<double> lengths)
{
    /// <summary>
    /// Sure verdicts, all one way and none the other, that decide a page before half of its text is counted. On
    /// sroie_pages as stored and turned a quarter, a half and three quarters (120 pages), none of the 856 sure verdicts
    /// among the eight longest lines of a page was against the page's full vote; two would already have given every
    /// page's verdict; four halve the classifier's work (docs/quality.md, "orientation decided per page").
    /// </summary>
    public const int MinUnanimous = 4;

    /// <summary>
    /// How near 0 or 1 a line's probability of being upside down is for the line to count as sure: the margin of the
    /// classifier's default threshold (0.9), whatever the threshold is set to.
    /// </summary>
    public const double SureMargin = 0.1;

    private readonly double _half = lengths.Sum() / 2;
    private double _flipped;
    private double _upright;
    private int _flippedLines;
    private int _uprightLines;
    private int _sureFlipped;
    private int _sureUpright;

    /// <summary>
    /// Whether the outcome is settled: the votes still to come cannot change <see cref="UpsideDown"/>, or the lines
    /// counted so far are unanimous and sure.
    /// </summary>
    public bool Decided =>
        _flipped > _half || _upright >= _half
        || (_flippedLines == 0 && _sureUpright >= MinUnanimous)
        || (_uprightLines == 0 && _sureFlipped >= MinUnanimous);

    /// <summary>
    /// The outcome of the votes counted so far; once <see cref="Decided"/>, the page's. A unanimous vote is upside down
    /// when its lines are.
    /// </summary>
    public bool UpsideDown => _flipped > _half || (_uprightLines == 0 && _sureFlipped >= MinUnanimous);

    /// <summary>Whether a line the classifier gives <paramref name="flipped"/> of being upside down is sure either way.</summary>
    public static bool IsSure(double flipped) => flipped >= 1 - SureMargin || flipped <= SureMargin;

    /// <summary>
    /// Counts line <paramref name="line"/>'s verdict; each line once. <paramref name="sure"/>: the classifier was sure of
    /// it (<see cref="IsSure"/>).
    /// </summary>
    public void Add(int line, bool upsideDown, bool sure = false)
    {
        if (upsideDown)
        {
            _flipped += lengths[line];
            _flippedLines++;
            _sureFlipped += sure ? 1 : 0;
        }
        else
        {
            _upright += lengths[line];
            _uprightLines++;
            _sureUpright += sure ? 1 : 0;
        }
    }
}
