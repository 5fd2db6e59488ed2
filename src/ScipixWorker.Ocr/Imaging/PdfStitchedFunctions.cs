using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Tokenization.Scanner;
using UglyToad.PdfPig.Tokens;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// The stitching functions (type 3: a function made of the functions in its <c>/Functions</c> array) of a page's colour
/// spaces, shadings, patterns and graphics states, checked before PdfPig reads them. PdfPig reads a stitching function's
/// parts by recursion, with no limit: one that holds itself (a 90-byte object, as a Separation colour space's tint
/// transform or a shading's function) recurses until the stack overflows and the process ends, as does a chain of
/// 20,000 each holding the next; parts that each hold the next twice take 2^n steps. Real functions stitch a gradient's
/// stops, one or two levels deep.
/// </summary>
internal static class PdfStitchedFunctions
{
    /// <summary>Stitching functions nested deeper than this: refused.</summary>
    public const int MaxDepth = 64;

    /// <summary>More functions than this read, counting each time one is met again: refused.</summary>
    public const int MaxFunctions = 65_536;

    /// <summary>Values looked through for functions in one resource (a colour space, a shading...): no more are looked at.</summary>
    private const int MaxValues = 4_096;

    private static readonly NameToken Functions = NameToken.Create("Functions");

    // Keys not followed while looking for functions: back to the page and its tree, into another content's resources
    // (checked where that content is drawn), or into a stitching function's parts (checked whole with the function).
    private static readonly HashSet<string> NotFollowed = ["Parent", "P", "Resources", "Metadata", "Functions"];

    /// <summary>
    /// What is wrong with the stitching functions inside <paramref name="resource"/> (its value and what it refers to):
    /// one holds itself, or they nest or repeat past the limits; null when none does.
    /// </summary>
    public static string? Damage(IToken resource, IPdfTokenScanner scanner)
    {
        var seen = new HashSet<IndirectReference>();
        var pending = new Stack<IToken?>();
        pending.Push(resource);
        var values = 0;
        while (pending.TryPop(out var token) && ++values <= MaxValues)
        {
            if (token is IndirectReferenceToken reference)
            {
                if (seen.Add(reference.Data))
                {
                    pending.Push(scanner.Get(reference.Data)?.Data);
                }

                continue;
            }

            var dictionary = token is StreamToken stream ? stream.StreamDictionary : token as DictionaryToken;
            if (dictionary is not null)
            {
                if (dictionary.TryGet(Functions, out _) && Stitched(dictionary, scanner) is { } damage)
                {
                    return damage;
                }

                foreach (var (key, value) in dictionary.Data)
                {
                    if (!NotFollowed.Contains(key))
                    {
                        pending.Push(value);
                    }
                }
            }
            else if (token is ArrayToken array)
            {
                foreach (var value in array.Data)
                {
                    pending.Push(value);
                }
            }
        }

        return null;
    }

    // A stitching function's parts as PdfPig reads them: each part of each part, again each time one is met.
    private static string? Stitched(DictionaryToken function, IPdfTokenScanner scanner)
    {
        var read = 0;
        var path = new HashSet<IndirectReference>();

        string? Parts(DictionaryToken dictionary, int depth)
        {
            if (!dictionary.TryGet(Functions, out var partsToken))
            {
                return null;
            }

            if (partsToken is IndirectReferenceToken partsReference)
            {
                partsToken = scanner.Get(partsReference.Data)?.Data;
            }

            if (partsToken is not ArrayToken parts)
            {
                return null;
            }

            foreach (var part in parts.Data)
            {
                if (++read > MaxFunctions)
                {
                    return $"its stitching functions are made of more than {MaxFunctions:N0} functions";
                }

                if (depth + 1 > MaxDepth)
                {
                    return $"its stitching functions nest more than {MaxDepth} deep";
                }

                var reference = part as IndirectReferenceToken;
                if (reference is not null && !path.Add(reference.Data))
                {
                    return $"a stitching function (object {reference.Data}) is made of itself";
                }

                var resolved = reference is not null ? scanner.Get(reference.Data)?.Data : part;
                var partDictionary = resolved is StreamToken stream ? stream.StreamDictionary : resolved as DictionaryToken;
                if (partDictionary is not null && Parts(partDictionary, depth + 1) is { } damage)
                {
                    return damage;
                }

                if (reference is not null)
                {
                    path.Remove(reference.Data);
                }
            }

            return null;
        }

        return Parts(function, 0);
    }
}
