using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ScipixWorker.Ocr.Engine;

/// <summary>
/// A result as Markdown (CommonMark): the text as a reader takes it in, for search indexes, language models and people.
/// Each paragraph (<see cref="OcrPage.Paragraphs"/>) a block, parted by a blank line:
/// <list type="bullet">
/// <item>running text (a column of prose) flows as one line, a word broken with a hyphen at a line's end joined again where
///   the next line goes on in lower case (<c>sys-</c> / <c>tems</c>: <c>systems</c>);</item>
/// <item>a row or two set larger than the page's text a heading (<c>#</c> much larger, else <c>##</c>);</item>
/// <item>a numbered item an ordered list item (<c>1.</c>), a bulleted one a bullet (<c>-</c>), other labels (<c>a)</c>) kept
///   as read, its rows flowing as prose;</item>
/// <item>anything else (a receipt's items and prices, an address) its rows as they are, one a line, each ended by a hard
///   line break (two spaces), the lines of a row joined by a space as in the page's text.</item>
/// </list>
/// A document of more than one page (or a page range not starting at page 1) marks each page with an HTML comment
/// (<c>&lt;!-- page 2 --&gt;</c>), which renderers hide. Text that would read as Markdown's block syntax at a line's
/// start (<c>#</c>, <c>&gt;</c>, <c>-</c>, <c>+</c>, <c>*</c>, <c>=</c>, <c>1.</c>) is escaped with a backslash; the rest is
/// written as read.
/// </summary>
public static partial class MarkdownWriter
{
    /// <summary>The Markdown of <paramref name="document"/> as UTF-8 bytes.</summary>
    public static byte[] Write(OcrDocument document) => new UTF8Encoding(false).GetBytes(Text(document));

    /// <summary>The Markdown of <paramref name="document"/>.</summary>
    public static string Text(OcrDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var blocks = new List<string>();
        var marked = document.Pages.Count > 1 || (document.Pages.Count == 1 && document.Pages[0].PageNumber != 1);
        foreach (var page in document.Pages)
        {
            if (marked)
            {
                blocks.Add(string.Create(CultureInfo.InvariantCulture, $"<!-- page {page.PageNumber} -->"));
            }

            foreach (var shape in ParagraphLayout.Shapes(page.Lines))
            {
                var rows = shape.Rows
                    .Select(r => string.Join(' ', page.Lines.Skip(r.First).Take(r.Count).Select(l => l.Text.Trim()).Where(t => t.Length > 0)))
                    .Where(t => t.Length > 0)
                    .ToList();
                if (rows.Count > 0)
                {
                    blocks.Add(Block(shape, rows));
                }
            }
        }

        return blocks.Count == 0 ? string.Empty : string.Join("\n\n", blocks) + "\n";
    }

    private static string Block(ParagraphShape shape, List<string> rows) => shape.Kind switch
    {
        ParagraphKind.Title => "# " + Flowed(rows),
        ParagraphKind.Heading => "## " + Flowed(rows),
        ParagraphKind.ListItem => Item(shape.Label!, rows),
        ParagraphKind.Prose => Escaped(Flowed(rows)),
        _ => string.Join("  \n", rows.Select(Escaped)),
    };

    // A list item: its label as Markdown's where Markdown has one, then its text flowing.
    private static string Item(string label, List<string> rows)
    {
        var text = Flowed(rows);
        text = text.StartsWith(label, StringComparison.Ordinal) ? text[label.Length..].TrimStart() : text;
        if (NumberLabel().Match(label) is { Success: true } number)
        {
            return number.Groups[1].Value + ". " + text;
        }

        return BulletLabel().IsMatch(label) ? "- " + text : Escaped(label + " " + text);
    }

    // Rows as one flowing line: joined by spaces, a word hyphenated across a line's end joined again where the next row goes on in lower case.
    private static string Flowed(List<string> rows)
    {
        var text = new StringBuilder(rows[0]);
        foreach (var row in rows.Skip(1))
        {
            if (text.Length >= 2 && text[^1] == '-' && char.IsLetter(text[^2]) && char.IsLower(row[0]))
            {
                text.Length--;
            }
            else
            {
                text.Append(' ');
            }

            text.Append(row);
        }

        return text.ToString();
    }

    // A line that Markdown would read as block syntax, its marker escaped.
    private static string Escaped(string line)
    {
        if (OrderedMarker().Match(line) is { Success: true } ordered)
        {
            return line.Insert(ordered.Groups[1].Length, "\\");
        }

        return line.Length > 0 && "#>-+*=".Contains(line[0], StringComparison.Ordinal) ? "\\" + line : line;
    }

    [GeneratedRegex(@"^(\d{1,3})[.)]$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberLabel();

    [GeneratedRegex("^[" + ParagraphLayout.Bullets + ParagraphLayout.Dashes + "]$", RegexOptions.CultureInvariant)]
    private static partial Regex BulletLabel();

    // Digits, then a period or a bracket, then a space or the end: what CommonMark takes for an ordered list item.
    [GeneratedRegex(@"^(\d{1,9})[.)](\s|$)", RegexOptions.CultureInvariant)]
    private static partial Regex OrderedMarker();
}
