#:package PdfPig

// Typesets a text file as a born-digital PDF whose font names its glyphs no text, as a generator that drops its fonts'
// ToUnicode maps writes it: DejaVu Sans embedded as a subset (codes 1, 2, 3, ... in the order of first use) by PdfPig's
// PdfDocumentBuilder, its ToUnicode reference blanked out. Viewers show it as before; text tools read control characters
// and punctuation; ScipixWorker draws the glyphs from their outlines and reads them (docs/quality.md, "Fonts that name no
// text"). Each line of the text file is a paragraph, wrapped to the page; --maps keeps the maps (the reference).
//
//   dotnet run scripts/unmapped-font-pdf.cs -- TEXT_FILE OUT.pdf [--maps]
using System.Text;
using System.Text.RegularExpressions;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Writer;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: dotnet run scripts/unmapped-font-pdf.cs -- TEXT_FILE OUT.pdf [--maps]");
    return 2;
}

const double Size = 10.5, Leading = 15, Left = 60, Right = 535, Top = 780, Bottom = 60;
var font = Path.Combine(AppContext.GetData("EntryPointFileDirectoryPath") as string ?? "scripts", "..", "tests", "fixtures", "fonts", "DejaVuSans.ttf");
var builder = new PdfDocumentBuilder();
var sans = builder.AddTrueTypeFont(File.ReadAllBytes(font));
var measure = new PdfDocumentBuilder(); // a second document to measure lines in, so that the first draws only its text
var (ruler, rulerFont) = (measure.AddPage(PageSize.A4), measure.AddTrueTypeFont(File.ReadAllBytes(font)));
PdfPageBuilder? page = null;
var y = Bottom;
foreach (var paragraph in File.ReadAllLines(args[0]).Where(l => l.Trim().Length > 0))
{
    var line = string.Empty;
    foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
    {
        var longer = line.Length == 0 ? word : $"{line} {word}";
        if (line.Length > 0 && Width(longer) > Right - Left)
        {
            Write(line);
            line = word;
        }
        else
        {
            line = longer;
        }
    }

    Write(line);
    y -= Leading / 2; // a paragraph's gap
}

var pdf = builder.Build();
if (!args.Contains("--maps"))
{
    pdf = Encoding.Latin1.GetBytes(Regex.Replace(Encoding.Latin1.GetString(pdf), @"/ToUnicode \d+ 0 R", m => new string(' ', m.Length)));
}

File.WriteAllBytes(args[1], pdf);
return 0;

double Width(string text)
{
    var letters = ruler.MeasureText(text, Size, new PdfPoint(0, 0), rulerFont);
    return letters.Count == 0 ? 0 : letters.Max(l => l.BoundingBox.Right);
}

void Write(string text)
{
    if (page is null || y - Leading < Bottom)
    {
        page = builder.AddPage(PageSize.A4);
        y = Top + Leading;
    }

    y -= Leading;
    page.AddText(text, Size, new PdfPoint(Left, y), sans);
}
