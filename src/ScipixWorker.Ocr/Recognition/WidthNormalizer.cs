using System.Buffers;

namespace ScipixWorker.Ocr.Recognition;

/// <summary>
/// Full-width forms in Latin text become their ASCII twins. PP-OCRv4's recognizer learned punctuation mostly from
/// Chinese text, where brackets, colons and commas are full width (U+FF01-U+FF5E, the ideographic space U+3000),
/// and it emits them in Latin text too (<c>TOTAL（RM）：</c>). The two look alike on the page, so the image cannot say
/// which was printed; the script around the character can: next to a Han, kana or hangul character (or CJK
/// punctuation) the full-width form stays, elsewhere it becomes the ASCII character Unicode's compatibility
/// mapping (NFKC) gives it. The same holds for the CJK marks that look like ASCII punctuation and have no
/// compatibility mapping: the ideographic full stop and comma (<c>。</c>, <c>、</c>) and the two long strokes the model
/// reads for a dash or a minus sign, the Han numeral one and the katakana prolonged sound mark (<c>一</c>, <c>ー</c>:
/// <c>一.02</c> for <c>-.02</c>). Next to CJK text they stay what they are.
/// </summary>
public static class WidthNormalizer
{
    private const int FullWidthOffset = 0xFEE0; // U+FF01 - U+0021
    private const char IdeographicSpace = '\u3000';

    // CJK marks drawn like ASCII punctuation, with the character each stands for in Latin text.
    private static readonly Dictionary<char, char> LookAlikes = new()
    {
        ['\u3002'] = '.', // 。 ideographic full stop
        ['\u3001'] = ',', // 、 ideographic comma
        ['\u4E00'] = '-', // 一 Han numeral one: a dash or minus sign on a Latin receipt
        ['\u30FC'] = '-', // ー katakana prolonged sound mark
    };

    // The forms that have an ASCII twin: U+FF01-U+FF5E, the ideographic space and the look-alikes above.
    private static readonly SearchValues<char> FullWidth = SearchValues.Create(
        [.. Enumerable.Range(0xFF01, 0xFF5E - 0xFF01 + 1).Select(c => (char)c), IdeographicSpace, .. LookAlikes.Keys]);

    /// <summary>The text with full-width forms outside CJK context made ASCII; the same instance when there are none.</summary>
    public static string Normalize(string text)
    {
        if (!text.AsSpan().ContainsAny(FullWidth))
        {
            return text;
        }

        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (IsFullWidth(text[i]) && !NextToCjk(text, i))
            {
                chars[i] = text[i] == IdeographicSpace ? ' '
                    : LookAlikes.TryGetValue(text[i], out var ascii) ? ascii
                    : (char)(text[i] - FullWidthOffset);
            }
        }

        return new string(chars);
    }

    private static bool IsFullWidth(char c) => FullWidth.Contains(c);

    // The nearest characters before and after that are neither spaces nor full-width forms themselves
    // (a run like "）：" takes its context from what surrounds the run).
    private static bool NextToCjk(string text, int index)
    {
        for (var i = index - 1; i >= 0; i--)
        {
            if (!char.IsWhiteSpace(text[i]) && !IsFullWidth(text[i]))
            {
                if (IsCjk(text, i))
                {
                    return true;
                }

                break;
            }
        }

        for (var i = index + 1; i < text.Length; i++)
        {
            if (!char.IsWhiteSpace(text[i]) && !IsFullWidth(text[i]))
            {
                return IsCjk(text, i);
            }
        }

        return false;
    }

    private static bool IsCjk(string text, int index)
    {
        var c = text[index];
        if (char.IsSurrogate(c))
        {
            return char.IsHighSurrogate(c) && index + 1 < text.Length && char.ConvertToUtf32(c, text[index + 1]) is >= 0x20000 and <= 0x3FFFF; // Han extensions B-H
        }

        return c is >= '\u2E80' and <= '\u2FFF' // radicals, Kangxi
            or >= '\u3001' and <= '\u303F' // CJK symbols and punctuation (not the ideographic space)
            or >= '\u3040' and <= '\u30FF' // hiragana, katakana
            or >= '\u3100' and <= '\u31FF' // bopomofo, katakana extensions
            or >= '\u3400' and <= '\u4DBF' // Han extension A
            or >= '\u4E00' and <= '\u9FFF' // Han
            or >= '\uAC00' and <= '\uD7AF' // hangul
            or >= '\uF900' and <= '\uFAFF' // Han compatibility
            or >= '\uFF61' and <= '\uFF9F' // half-width katakana
            or >= '\u1100' and <= '\u11FF'; // hangul jamo
    }
}
