using System.Text;
using System.Text.RegularExpressions;

namespace ScipixWorker.Ocr.Recognition;

/// <summary>
/// Web and e-mail addresses read whole. A period is a narrow glyph with white space on both sides, and the recognizer
/// sets a space after one inside an address (<c>www. popularonline. com. my</c>), or the decoder infers one there, as
/// after a sentence's period; an address with a space in it is no address to a search index or a link extractor.
/// <para>
/// An address here is a run of dot-separated labels (ASCII letters, digits and hyphens), after an optional scheme
/// (<c>https://</c>, whose colon the colon rules may have set apart), that starts with <c>www</c>, or
/// that ends with <c>com</c>, or with <c>com</c>, <c>net</c>, <c>org</c>, <c>edu</c> or <c>gov</c> and a two-letter country
/// (<c>kings.com.my</c>, <c>mydin.net.my</c>), and a mailbox joined to such a domain by <c>@</c>. The spaces
/// inside it, next to its periods and its <c>@</c> (whether the model emitted them or they were inferred), are taken
/// out; the labels' own letters stay as read. The labels between <c>www</c> and the top-level one are set close (a
/// sentence's end is no label: <c>you. kings.com</c>), and a country set apart after <c>com</c> is joined only in its case
/// (<c>example.com. We open</c> is a sentence). A space after a period elsewhere (<c>INCL. NET</c>, <c>Sdn. Bhd.</c>) is
/// not touched: a lone <c>net</c> or <c>org</c> without a country, or <c>co</c> with one (<c>Bros. Co. KG</c>), is too
/// common a word to mark an address.
/// </para>
/// </summary>
internal static partial class WebAddresses
{
    public static void Join(List<CtcCharacter> characters, CharacterDictionary dictionary)
    {
        // Every address has a period: most lines are passed over here.
        if (dictionary.Period < 0 || !characters.Exists(c => c.Class == dictionary.Period))
        {
            return;
        }

        var spaceIndex = dictionary.SpaceIndex;

        // The line as text, and for each of its characters the entry it belongs to (a space inferred before an entry
        // belongs to that entry).
        var text = new StringBuilder(characters.Count + 8);
        var owner = new List<int>(characters.Count + 8);
        for (var k = 0; k < characters.Count; k++)
        {
            if (characters[k].SpaceBefore)
            {
                text.Append(' ');
                owner.Add(k);
            }

            foreach (var c in dictionary[characters[k].Class])
            {
                text.Append(c);
                owner.Add(k);
            }
        }

        var line = text.ToString();
        if (!MayHoldAddress(line))
        {
            return;
        }

        var remove = new HashSet<int>();
        foreach (Match match in Address().Matches(line))
        {
            // A country set apart after com only where it is written in com's case: kings.com. We open is a sentence.
            var end = match.Index + match.Length;
            if (match.Groups["cc"] is { Success: true } cc && line.AsSpan(match.Groups["tld"].Index, cc.Index - match.Groups["tld"].Index).Contains(' ')
                && !(IsCase(match.Groups["tld"].Value, cc.Value, char.IsAsciiLetterLower) || IsCase(match.Groups["tld"].Value, cc.Value, char.IsAsciiLetterUpper)))
            {
                end = match.Groups["tld"].Index + match.Groups["tld"].Length;
            }

            for (var i = match.Index; i < end; i++)
            {
                if (line[i] != ' ')
                {
                    continue;
                }

                var k = owner[i];
                if (spaceIndex > 0 && characters[k].Class == spaceIndex)
                {
                    remove.Add(k);
                }
                else
                {
                    characters[k] = characters[k] with { SpaceBefore = false };
                }
            }
        }

        if (remove.Count == 0)
        {
            return;
        }

        var kept = 0;
        for (var k = 0; k < characters.Count; k++)
        {
            if (!remove.Contains(k))
            {
                characters[kept++] = characters[k];
            }
        }

        characters.RemoveRange(kept, characters.Count - kept);
    }

    private static bool IsCase(string a, string b, Func<char, bool> letterIs) => a.All(letterIs) && b.All(letterIs);

    // Every address starts with www or holds one of its top-level labels.
    private static bool MayHoldAddress(string line) =>
        line.Contains("www", StringComparison.OrdinalIgnoreCase) || line.Contains("com", StringComparison.OrdinalIgnoreCase)
        || line.Contains("net", StringComparison.OrdinalIgnoreCase) || line.Contains("org", StringComparison.OrdinalIgnoreCase)
        || line.Contains("edu", StringComparison.OrdinalIgnoreCase) || line.Contains("gov", StringComparison.OrdinalIgnoreCase);

    // An optional scheme (http://, its colon and slashes), an optional mailbox and @, then labels ending in a top-level
    // domain (com, or com, net, org, edu or gov and a country), www and its first label on their own. A space is allowed
    // on either side of the scheme's marks, the @, the period after www and the periods before the top-level label and
    // the country; the labels between are set close (a sentence's end before an address, you. kings.com, is no label of
    // it). Not inside a longer word or after another period.
    [GeneratedRegex(
        @"(?<![A-Za-z0-9.@/:-])(?:(?:https?|ftp) ?: ?/ ?/ ?)?(?:[A-Za-z0-9._%+-]+ ?@ ?)?(?:(?:www ?\. ?)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*? ?\. ?(?:(?<tld>com)(?: ?\. ?(?<cc>[A-Za-z]{2}))?|(?<tld>net|org|edu|gov) ?\. ?(?<cc>[A-Za-z]{2}))|www ?\. ?[A-Za-z0-9-]+)(?![A-Za-z0-9-])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Address();
}
