using System.Text;
using System.Text.RegularExpressions;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace ScipixWorker.Ocr.IntegrationTests.Support;

/// <summary>
/// A two-page quotation whose fonts name their glyphs no text, as a generator that drops its fonts' ToUnicode maps writes
/// it: PdfPig's <c>PdfDocumentBuilder</c> embeds DejaVu Sans (fixtures/fonts) as a subset whose codes are 1, 2, 3, ... in
/// the order the glyphs are first used, with a ToUnicode map; without the map a viewer shows the page as before and a text
/// tool reads control characters and punctuation. Page 1 is all in that font; page 2 has a heading in it over a menu in
/// Helvetica (named by its standard encoding).
/// </summary>
internal static partial class UnmappedFontPdf
{
    public const string Heading = "Harbour Lights Catering";

    public static readonly string[] Quotation =
    [
        "12 Quay Street, Whitby YO21 3PT. Telephone 01947 602 118.",
        "Quotation 4471 for the summer garden party, 14 June 2027.",
        "Canapes for eighty guests, three kinds each: 320.00",
        "Hire of glasses, plates and linen for the evening: 145.50",
        "Two waiting staff from six until eleven: 230.00",
        "Delivery and collection within twenty miles: 35.00",
        "Total before tax 730.50, value added tax 146.10.",
        "Total due 876.60, payable within thirty days of the event.",
    ];

    public const string MenuTitle = "Menu for the summer garden party";

    public static readonly string[] Menu =
    [
        "Smoked salmon on rye with dill and lemon",
        "Goat cheese tartlets with red onion marmalade",
        "Chicken skewers with a peanut and lime dip",
        "Strawberries dipped in dark chocolate",
    ];

    /// <summary>The document; with <paramref name="maps"/> the same with its ToUnicode maps (the reference).</summary>
    public static byte[] Build(bool maps = false)
    {
        var builder = new PdfDocumentBuilder();
        var sans = builder.AddTrueTypeFont(Fixtures.Bytes("fonts", "DejaVuSans.ttf"));
        var helvetica = builder.AddStandard14Font(Standard14Font.Helvetica);

        var quotation = builder.AddPage(PageSize.A4);
        double y = 780;
        quotation.AddText(Heading, 20, new PdfPoint(60, y), sans);
        y -= 30;
        foreach (var line in Quotation)
        {
            quotation.AddText(line, 11, new PdfPoint(60, y), sans);
            y -= 18;
        }

        var menu = builder.AddPage(PageSize.A4);
        y = 780;
        menu.AddText(Heading, 20, new PdfPoint(60, y), sans);
        y -= 30;
        menu.AddText(MenuTitle, 14, new PdfPoint(60, y), sans);
        y -= 24;
        foreach (var line in Menu)
        {
            menu.AddText(line, 11, new PdfPoint(60, y), helvetica);
            y -= 18;
        }

        var pdf = builder.Build();
        return maps ? pdf : WithoutUnicodeMaps(pdf);
    }

    /// <summary>A small page of <paramref name="text"/> in the subset font without its map.</summary>
    public static byte[] OneLine(string text)
    {
        var builder = new PdfDocumentBuilder();
        builder.AddPage(300, 60).AddText(text, 12, new PdfPoint(10, 25), builder.AddTrueTypeFont(Fixtures.Bytes("fonts", "DejaVuSans.ttf")));
        return WithoutUnicodeMaps(builder.Build());
    }

    /// <summary>An A4 page of <paramref name="lines"/> (text, size in points, baseline from the top) in the subset font without its map.</summary>
    public static byte[] Page(params (string Text, double Size, double Baseline)[] lines)
    {
        var builder = new PdfDocumentBuilder();
        var page = builder.AddPage(PageSize.A4);
        var sans = builder.AddTrueTypeFont(Fixtures.Bytes("fonts", "DejaVuSans.ttf"));
        foreach (var (text, size, baseline) in lines)
        {
            page.AddText(text, size, new PdfPoint(40, 842 - baseline), sans);
        }

        return WithoutUnicodeMaps(builder.Build());
    }

    /// <summary>
    /// <paramref name="pdf"/> with every font's <c>/ToUnicode N 0 R</c> blanked out with spaces (so every object keeps its
    /// offset); the map streams stay, unreferenced.
    /// </summary>
    public static byte[] WithoutUnicodeMaps(byte[] pdf)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var blanked = ToUnicode().Replace(text, m => new string(' ', m.Length));
        if (blanked == text)
        {
            throw new InvalidOperationException("The PDF has no ToUnicode reference to remove.");
        }

        return Encoding.Latin1.GetBytes(blanked);
    }

    [GeneratedRegex(@"/ToUnicode \d+ 0 R")]
    private static partial Regex ToUnicode();
}
