using System.Numerics;
using System.Text.RegularExpressions;
using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.Engine;

/// <summary>One paragraph of a page: a run of its lines in reading order, and the box round them.</summary>
/// <param name="FirstLine">The index of its first line in the page's lines (0-based).</param>
/// <param name="LineCount">How many lines it holds (at least one).</param>
/// <param name="Box">
/// The rectangle round its lines, along the page's text: corners clockwise from the top-left as the text reads (on a page
/// read upside down or sideways, as its lines' are), in the page's units.
/// </param>
public readonly record struct TextParagraph(int FirstLine, int LineCount, Quad Box)
{
    /// <summary>What the paragraph is: text, a heading or a list item.</summary>
    public ParagraphRole Role { get; init; }
}

/// <summary>What a paragraph is on its page (<see cref="TextParagraph.Role"/>).</summary>
public enum ParagraphRole
{
    /// <summary>Text: a paragraph of prose, or rows (a receipt's items and prices, an address).</summary>
    Text = 0,

    /// <summary>A heading or a title: a row or two set larger than the page's text, or one short row centred over it.</summary>
    Heading = 1,

    /// <summary>An item of a list: its first row starts with a number, a letter or a bullet set before its text.</summary>
    ListItem = 2,
}

/// <summary>
/// Splits a page's lines, in reading order, into paragraphs: what a reader sees as one block of text (a paragraph of
/// prose, a heading, a receipt's address, its items, its totals).
/// </summary>
/// <remarks>
/// The lines are measured along the page's text (the mean direction of their top edges, so a skewed, sideways or upside
/// down page is measured upright), grouped into rows (an item and its price) and the rows into columns (from a row that
/// does not come under the one before it to the next such: <see cref="Column"/>, its left and right edges and whether it
/// is prose). A new paragraph starts at a row that
/// <list type="bullet">
/// <item>lies above the row before it (the next column), or runs another way than the page's text (a sideways label);</item>
/// <item>is parted from the row before by a wider gap than the page's rows usually are (a blank line, paragraph
///   spacing): the gap, in line heights, past the page's usual gap by <see cref="ExtraGapHeights"/>;</item>
/// <item>is set at another size (a heading over its text: <see cref="HeightRatio"/>);</item>
/// <item>starts with a list item's label (<c>1.</c>, <c>a)</c>, a bullet), apart from its text or read with it; an
///   item's next rows are those under its text, and a row level with a label that stood apart ends it;</item>
/// <item>in a column of prose, is indented from the column's left edge (a first-line indent with no space between
///   paragraphs: <see cref="MinIndentHeights"/>), or starts flush after a line that stopped well short of the right edge
///   the column's lines reach, where the paragraph's lines before it reached it (block paragraphs set close:
///   <see cref="ShortLine"/>);</item>
/// <item>starts level with a first row that hung out left of the lines under it (a list's items, a receipt's items
///   with their quantities indented under them).</item>
/// </list>
/// Every rule reads the page's own measures (its line heights and usual gap), not a size in pixels or points, so a
/// scan at any resolution and a born-digital page in points are split alike.
/// </remarks>
internal static partial class ParagraphLayout
{
    /// <summary>A gap this many line heights wider than the page's usual gap between rows starts a paragraph.</summary>
    public const float ExtraGapHeights = 0.5f;

    /// <summary>The usual gap, in line heights, on a page with too few rows to measure it (tight leading).</summary>
    public const float DefaultGapHeights = 0.3f;

    /// <summary>How far, in line heights, the gaps between the lines of one paragraph spread above the least of them.</summary>
    public const float LeadingSpread = 0.3f;

    /// <summary>The usual gap is measured from at least this many gaps between rows.</summary>
    public const int MinMeasuredGaps = 4;

    /// <summary>Rows whose heights differ by more than this ratio are set at different sizes (a heading and its text).</summary>
    public const float HeightRatio = 1.5f;

    /// <summary>A row's height is compared only where it holds this many characters (short rows' heights vary with their letters).</summary>
    public const int MinHeightCharacters = 4;

    /// <summary>A line this many times its row's height does not set the row's top and bottom.</summary>
    public const float TallLine = 1.5f;

    /// <summary>A first-line indent is at least this many line heights (an em is about one).</summary>
    public const float MinIndentHeights = 0.8f;

    /// <summary>A first-line indent is at most this many line heights: further in, a line is centred or set apart, not indented.</summary>
    public const float MaxIndentHeights = 6f;

    /// <summary>Rows start level (flush) where their left edges lie within this many line heights.</summary>
    public const float FlushHeights = 0.5f;

    /// <summary>A line of prose ends a paragraph where it stops short of the measure by this fraction of it.</summary>
    public const float ShortLine = 0.25f;

    /// <summary>A full line of prose ends within this fraction of the measure from its right edge (ragged-right text included).</summary>
    public const float FullLineSlack = 0.1f;

    /// <summary>Prose: a column's rows are runs of text (<see cref="WordGapHeights"/>), most of them, and their median holds at least this many characters (a narrow newspaper column's line has 25 or more).</summary>
    public const int MinProseCharacters = 12;

    /// <summary>Lines of a row no further apart than this many line heights are one run of text (a justified line's words).</summary>
    public const float WordGapHeights = 1.5f;

    /// <summary>A line running more than this many degrees off the page's text direction is a paragraph of its own.</summary>
    public const float MaxTurnDegrees = 30f;

    /// <summary>A heading's rows are at least this many times the page's median row height.</summary>
    public const float HeadingRatio = 1.25f;

    /// <summary>A top-level heading's rows are at least this many times the page's median row height.</summary>
    public const float TitleRatio = 1.6f;

    /// <summary>A paragraph is measured by its first row and its last rows, this many in all.</summary>
    public const int MeasuredRows = 64;

    /// <summary>A centred heading holds at most this many characters.</summary>
    public const int MaxHeadingCharacters = 80;

    /// <summary>A centred heading spans at most this fraction of the page's text width.</summary>
    public const float HeadingWidth = 0.7f;

    /// <summary>The paragraphs of <paramref name="lines"/> (a page's lines in reading order), covering every line once, in order.</summary>
    public static IReadOnlyList<TextParagraph> Find(IReadOnlyList<RecognizedLine> lines) =>
        [.. Shapes(lines).Select(s => s.Paragraph with
        {
            Role = s.Kind switch
            {
                ParagraphKind.Heading or ParagraphKind.Title => ParagraphRole.Heading,
                ParagraphKind.ListItem => ParagraphRole.ListItem,
                _ => ParagraphRole.Text,
            },
        })];

    /// <summary><see cref="Find"/>'s paragraphs with their rows and what kind of block each is (for documents written from a result).</summary>
    public static IReadOnlyList<ParagraphShape> Shapes(IReadOnlyList<RecognizedLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Count == 0)
        {
            return [];
        }

        var (along, across) = Frame(lines);
        var measured = lines.Select(line => Measure(line, along, across)).ToArray();
        var rows = Rows(measured);
        var usualGap = UsualGap(rows);

        var columns = Columns(rows);
        var groups = new List<(List<Row> Rows, Column Column)>();
        var current = new List<Row> { rows[0] };
        groups.Add((current, columns[0]));
        for (var r = 1; r < rows.Count; r++)
        {
            if (Starts(rows[r], current, usualGap, columns[r]))
            {
                current = [];
                groups.Add((current, columns[r]));
            }

            current.Add(rows[r]);
        }

        var page = new PageMeasure(ColumnLayout.Median(rows.Select(r => r.Height)), rows.Count, rows.Min(r => r.Left), rows.Max(r => r.Right));
        return [.. groups.Select(g => Shape(g.Rows, g.Column, page, lines, along, across))];
    }

    private static ParagraphShape Shape(
        List<Row> rows, Column column, PageMeasure page, IReadOnlyList<RecognizedLine> lines, Vector2 along, Vector2 across)
    {
        var (left, right) = (rows.Min(r => r.Left), rows.Max(r => r.Right));
        var (top, bottom) = (rows.Min(r => r.Top), rows.Max(r => r.Bottom));
        Vector2 Corner(float a, float b) => (a * along) + (b * across);
        var box = new Quad(Corner(left, top), Corner(right, top), Corner(right, bottom), Corner(left, bottom));
        var paragraph = new TextParagraph(rows[0].First, rows.Sum(r => r.Lines.Length), box);
        var spans = rows.Select(r => (r.First, r.Lines.Length)).ToList();

        if (rows[0].Item)
        {
            var first = lines[rows[0].First].Text;
            var label = rows[0].Lines[0].Label ? first.Trim() : MergedLabel(first)!;
            return new ParagraphShape(paragraph, spans, ParagraphKind.ListItem) { Label = label };
        }

        // A row or two set larger than most of the page's, or one row centred over the page's text, short and not ending
        // a sentence (a title set bold at the text's size); on a page of three rows or more (a lone line has no body).
        var ratio = rows.Min(r => r.Height) / page.Height;
        if (page.Rows >= 3 && rows.Count <= 2 && rows.Sum(r => r.Characters) >= 2)
        {
            if (ratio >= HeadingRatio)
            {
                return new ParagraphShape(paragraph, spans, ratio >= TitleRatio ? ParagraphKind.Title : ParagraphKind.Heading);
            }

            // Its last line's end: a row's lines run left to right.
            var text = lines[rows[0].First + rows[0].Lines.Length - 1].Text.TrimEnd();
            if (rows.Count == 1 && rows[0].Characters <= MaxHeadingCharacters && text.Length > 0 && !".,;:".Contains(text[^1], StringComparison.Ordinal)
                && right - left <= HeadingWidth * (page.Right - page.Left)
                && MathF.Abs(((left + right) / 2) - ((page.Left + page.Right) / 2)) <= page.Height)
            {
                return new ParagraphShape(paragraph, spans, ParagraphKind.Heading);
            }
        }

        var prose = column.Prose && rows.All(r => r.IsRun);
        return new ParagraphShape(paragraph, spans, prose ? ParagraphKind.Prose : ParagraphKind.Rows);
    }

    // A list item's label at the start of a line read with its text ("1. Switch ..."), or null.
    private static string? MergedLabel(string text)
    {
        var match = LabelledLine().Match(text.TrimStart());
        return match.Success ? match.Groups[1].Value : null;
    }

    // The item's next rows start under its text: where its label stands apart, level with the text beside it; where the
    // label was read with its text, indented from the label as a first-line indent would be (a hanging indent).
    private static bool UnderItemText(Row row, Row item, float height)
    {
        if (item.Lines.Length >= 2 && item.Lines[0].Label)
        {
            return MathF.Abs(row.Left - item.Lines[1].Left) <= FlushHeights * height;
        }

        var indent = (row.Left - item.Left) / height;
        return indent >= MinIndentHeights && indent <= MaxIndentHeights;
    }

    // The page's text direction (unit, image coordinates) and the direction down the text as read.
    private static (Vector2 Along, Vector2 Across) Frame(IReadOnlyList<RecognizedLine> lines)
    {
        var sum = Vector2.Zero;
        foreach (var line in lines)
        {
            // Long lines weigh most: their edges give the direction best.
            sum += line.Box.TopRight - line.Box.TopLeft;
        }

        var along = sum.LengthSquared() > 0 ? Vector2.Normalize(sum) : Vector2.UnitX;
        return (along, new Vector2(-along.Y, along.X));
    }

    /// <summary>The bullets a list item's label can be, as a regular expression's character class's content.</summary>
    internal const string Bullets = @"\u2022\u25AA\u25CF\u25E6\u2023\u2043\u25A0\u00B7*";

    /// <summary>The dashes a label standing alone can be too (a line starting with a dash and text is not taken for an item).</summary>
    internal const string Dashes = @"\u2013\u2014-";

    // A list item's label: a number or letter with a period or bracket (1. 12) a. iv.), or a bullet.
    [GeneratedRegex(@"^(\d{1,3}|[a-zA-Z]|[ivxIVX]{1,5})[.)]$|^[" + Bullets + Dashes + "]$", RegexOptions.CultureInvariant)]
    private static partial Regex ListLabel();

    // A numbered or bulleted line read whole: the label, a space, then text.
    [GeneratedRegex(@"^(\d{1,3}[.)]|[" + Bullets + @"])\s+\S", RegexOptions.CultureInvariant)]
    private static partial Regex LabelledLine();

    private static Span Measure(RecognizedLine line, Vector2 along, Vector2 across)
    {
        var (left, right, top, bottom) = (float.MaxValue, float.MinValue, float.MaxValue, float.MinValue);
        for (var k = 0; k < 4; k++)
        {
            var (a, b) = (Vector2.Dot(line.Box[k], along), Vector2.Dot(line.Box[k], across));
            (left, right) = (MathF.Min(left, a), MathF.Max(right, a));
            (top, bottom) = (MathF.Min(top, b), MathF.Max(bottom, b));
        }

        var own = line.Box.TopRight - line.Box.TopLeft;
        var turned = own.LengthSquared() > 0
            && Vector2.Dot(Vector2.Normalize(own), along) < MathF.Cos(MaxTurnDegrees * MathF.PI / 180);
        // Its height across its own edges: a long line's bounds along a page a little skewed would add to it.
        var height = (Vector2.Distance(line.Box.TopLeft, line.Box.BottomLeft) + Vector2.Distance(line.Box.TopRight, line.Box.BottomRight)) / 2;
        return new Span(left, right, top, bottom, MathF.Max(height, float.Epsilon), line.Text.Count(c => !char.IsWhiteSpace(c)), turned)
        {
            Label = ListLabel().IsMatch(line.Text.Trim()),
            Labelled = MergedLabel(line.Text) is not null,
        };
    }

    // Consecutive lines on one visual row (overlapping by half the smaller height, each right of the one before) make a row.
    private static List<Row> Rows(Span[] lines)
    {
        var rows = new List<Row>();
        var start = 0;
        for (var i = 1; i <= lines.Length; i++)
        {
            if (i < lines.Length && SameRow(lines[i - 1], lines[i]))
            {
                continue;
            }

            rows.Add(new Row(start, lines.AsSpan(start, i - start).ToArray()));
            start = i;
        }

        return rows;
    }

    private static bool SameRow(Span before, Span line)
    {
        if (before.Turned || line.Turned || line.Left < before.Left)
        {
            return false;
        }

        var overlap = MathF.Min(before.Bottom, line.Bottom) - MathF.Max(before.Top, line.Top);
        return overlap >= ReadingOrder.RowOverlapRatio * MathF.Min(before.Height, line.Height);
    }

    // The page's usual gap between a row and the next, in line heights: the lower quartile, where enough rows follow one another.
    private static float UsualGap(List<Row> rows)
    {
        var gaps = new List<float>();
        for (var r = 1; r < rows.Count; r++)
        {
            if (Follows(rows[r - 1], rows[r]))
            {
                gaps.Add(Gap(rows[r - 1], rows[r]));
            }
        }

        if (gaps.Count < MinMeasuredGaps)
        {
            return DefaultGapHeights;
        }

        // The lower quartile; or nearer the least gaps where the page's paragraphs are mostly a line or two, so that
        // most of its gaps are between paragraphs (the lowest tenth, with room for the spread of tight leading).
        gaps.Sort();
        var quartile = gaps[(gaps.Count - 1) / 4];
        var tenth = gaps[(gaps.Count - 1) / 10];
        return Math.Clamp(MathF.Min(quartile, tenth + LeadingSpread), -ExtraGapHeights, 1f);
    }

    // A row that comes under the one before, the same way round: one whose gap says something of the page's spacing.
    private static bool Follows(Row before, Row row) =>
        !before.Turned && !row.Turned && row.Center >= before.Top;

    private static float Gap(Row before, Row row) => (row.Top - before.Bottom) / MathF.Min(before.Height, row.Height);

    private static bool Starts(Row row, List<Row> whole, float usualGap, Column column)
    {
        // The paragraph's first row, and its last rows (enough to measure it by; a paragraph of thousands of rows, a long
        // table's, is not measured whole at each row).
        var paragraph = whole.Count <= MeasuredRows ? whole : [whole[0], .. whole.GetRange(whole.Count - MeasuredRows + 1, MeasuredRows - 1)];
        var before = paragraph[^1];
        if (!Follows(before, row) || Gap(before, row) > usualGap + ExtraGapHeights)
        {
            return true;
        }

        if (before.Characters >= MinHeightCharacters && row.Characters >= MinHeightCharacters
            && MathF.Max(before.Height, row.Height) > HeightRatio * MathF.Min(before.Height, row.Height))
        {
            return true;
        }

        // A list's next item: its row starts with a number or a bullet set apart from its text.
        if (row.Item)
        {
            return true;
        }

        // A list item's next line, under its text: the item goes on.
        var height = ColumnLayout.Median(paragraph.Select(p => p.Height).Append(row.Height));
        if (paragraph[0].Item && UnderItemText(row, paragraph[0], height))
        {
            return false;
        }

        // Level with the label of an item whose label stands apart, not under its text: the item has ended.
        if (paragraph[0].Item && paragraph[0].Lines[0].Label && MathF.Abs(row.Left - paragraph[0].Left) <= FlushHeights * height)
        {
            return true;
        }

        if (column.Prose && column.Margin is { } margin)
        {
            // Indented where the column's lines start flush: prose's next paragraph (after a paragraph of one line too).
            var indent = (row.Left - margin) / height;
            if (indent >= MinIndentHeights && indent <= MaxIndentHeights)
            {
                return true;
            }

            // Flush again after a line that stopped well short of the right edge most of the column's lines reach
            // (justified text), where the paragraph's lines before it reached it: prose set in block paragraphs (no
            // indent), the short line ending one.
            if (column.Right is { } right && MathF.Abs(indent) <= FlushHeights && right - before.Right > ShortLine * (right - margin)
                && Most(paragraph.SkipLast(1), p => right - p.Right <= FullLineSlack * (right - margin)))
            {
                return true;
            }
        }

        if (paragraph.Count < 2)
        {
            return false;
        }

        // Level with a first row that hung out left of the lines under it, most of which start level: the next item.
        var lefts = paragraph.Skip(1).Select(p => p.Left).ToList();
        var body = ColumnLayout.Median(lefts);
        var first = paragraph[0].Left;
        return Most(lefts, left => MathF.Abs(left - body) <= FlushHeights * height)
            && (body - first) / height >= MinIndentHeights && MathF.Abs(row.Left - first) <= FlushHeights * height;
    }

    // Each row's column: the rows from one that does not follow the row before it (the page's first, the top of the next
    // column) to the next such.
    private static Column[] Columns(List<Row> rows)
    {
        var columns = new Column[rows.Count];
        var start = 0;
        for (var r = 1; r <= rows.Count; r++)
        {
            if (r < rows.Count && Follows(rows[r - 1], rows[r]))
            {
                continue;
            }

            var column = Column.Of(rows.GetRange(start, r - start));
            Array.Fill(columns, column, start, r - start);
            start = r;
        }

        return columns;
    }

    // At least three in four of the items hold to the rule.
    private static bool Most<T>(IEnumerable<T> items, Func<T, bool> rule)
    {
        var (count, held) = (0, 0);
        foreach (var item in items)
        {
            count++;
            held += rule(item) ? 1 : 0;
        }

        return 4 * held >= 3 * count;
    }

    /// <summary>
    /// A column's measure: <see cref="Margin"/>, the left edge most of its rows start at (within
    /// <see cref="FlushHeights"/>; null where no edge holds half of them: centred or scattered text), <see cref="Right"/>,
    /// the right edge most of them end at (a third at least; null for ragged text), and
    /// whether it is prose (most rows runs of text, the median holding <see cref="MinProseCharacters"/>).
    /// </summary>
    private sealed record Column(float? Margin, float? Right, bool Prose)
    {
        public static Column Of(List<Row> rows)
        {
            var height = ColumnLayout.Median(rows.Select(r => r.Height));
            var prose = Most(rows, r => r.IsRun) && ColumnLayout.Median(rows.Select(r => (float)r.Characters)) >= MinProseCharacters;
            // Short paragraphs' last lines stop short: a third of the rows reaching one right edge make it the measure.
            return new Column(Edge(rows.Select(r => r.Left).ToList(), height, 2), Edge(rows.Select(r => r.Right).ToList(), height, 3), prose);
        }

        // The edge at least 1/share of the rows (two or more) lie at, within FlushHeights: the one most do, the leftmost of equals.
        private static float? Edge(List<float> edges, float height, int share)
        {
            // Over the edges in order, those within reach of each counted by two moving bounds: a page of thousands of
            // rows (a spreadsheet's text) costs a sort.
            var sorted = edges.Order().ToArray();
            var reach = FlushHeights * height;
            var (edge, most, low, high) = (0f, 0, 0, 0);
            for (var i = 0; i < sorted.Length; i++)
            {
                while (sorted[low] < sorted[i] - reach)
                {
                    low++;
                }

                while (high < sorted.Length && sorted[high] <= sorted[i] + reach)
                {
                    high++;
                }

                if (high - low > most)
                {
                    (edge, most) = (sorted[i], high - low);
                }
            }

            return share * most >= edges.Count && most >= 2 ? edge : null;
        }
    }

    // The page's median row height, its rows and the left and right edges of its text.
    private readonly record struct PageMeasure(float Height, int Rows, float Left, float Right);

    // A line measured along the page's text: left and right along it, top and bottom across it (down as read).
    private readonly record struct Span(float Left, float Right, float Top, float Bottom, float Height, int Characters, bool Turned)
    {
        /// <summary>The line is a list item's label alone (<c>1.</c>, <c>a)</c>, a bullet).</summary>
        public bool Label { get; init; }

        /// <summary>The line starts with a list item's number or bullet, then its text (<c>1. Switch the ...</c>).</summary>
        public bool Labelled { get; init; }
    }

    // Lines First.. of the page on one visual row.
    // Its measures are taken once: the rules read them again and again.
    private sealed class Row
    {
        public Row(int first, Span[] lines)
        {
            (First, Lines) = (first, lines);
            Left = lines.Min(l => l.Left);
            Right = lines.Max(l => l.Right);
            Height = lines.MaxBy(l => l.Characters).Height;
            // Its lines of about its height (a stray box twice as tall, a stamp's, does not reach over the rows round it).
            var level = lines.Where(l => l.Height <= TallLine * Height).ToList();
            Top = level.Min(l => l.Top);
            Bottom = level.Max(l => l.Bottom);
            Characters = lines.Sum(l => l.Characters);
            Turned = lines.Any(l => l.Turned);
            Item = (lines.Length >= 2 && lines[0].Label && lines[1].Characters > lines[0].Characters) || lines[0].Labelled;
            IsRun = true;
            for (var i = 1; i < lines.Length; i++)
            {
                IsRun &= lines[i].Left - lines[i - 1].Right <= WordGapHeights * Height;
            }
        }

        /// <summary>The page's index of its first line.</summary>
        public int First { get; }

        public Span[] Lines { get; }

        public float Left { get; }

        public float Right { get; }

        public float Top { get; }

        public float Bottom { get; }

        public float Center => (Top + Bottom) / 2;

        /// <summary>The row's line height: its longest line's (a list's number, a colon or a dash beside it does not set it).</summary>
        public float Height { get; }

        public int Characters { get; }

        public bool Turned { get; }

        /// <summary>
        /// A list item's first row: a label, then its text beside it (the detector parts them at the label's gap), or one
        /// line holding both.
        /// </summary>
        public bool Item { get; }

        /// <summary>
        /// One run of text: its lines (where the detector parted a justified line's words at its wide spaces) no further
        /// apart than <see cref="WordGapHeights"/>, unlike an item and its price or a table's cells.
        /// </summary>
        public bool IsRun { get; }
    }
}

/// <summary>What kind of block a paragraph is, for documents written from a result (<see cref="MarkdownWriter"/>).</summary>
internal enum ParagraphKind
{
    /// <summary>Rows kept as they are: a receipt's items and prices, an address, a table's lines.</summary>
    Rows,

    /// <summary>Running text: its rows are one run each, in a column of prose; read as one flowing paragraph.</summary>
    Prose,

    /// <summary>A row or two set larger than the page's text.</summary>
    Heading,

    /// <summary>A heading set much larger (<see cref="ParagraphLayout.TitleRatio"/>).</summary>
    Title,

    /// <summary>A list item: its first row starts with a number or a bullet (<see cref="ParagraphShape.Label"/>).</summary>
    ListItem,
}

/// <summary>A paragraph with its rows (runs of its lines: first line, count) and its kind.</summary>
internal sealed record ParagraphShape(TextParagraph Paragraph, IReadOnlyList<(int First, int Count)> Rows, ParagraphKind Kind)
{
    /// <summary>A list item's label as read (<c>1.</c>, <c>a)</c>, a bullet); null for other kinds.</summary>
    public string? Label { get; init; }
}
