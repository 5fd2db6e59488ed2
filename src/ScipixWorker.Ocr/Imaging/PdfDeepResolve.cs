using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Tokenization.Scanner;
using UglyToad.PdfPig.Tokens;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// PdfPig's resolution of an image XObject's dictionary, walked before PdfPig does it. PdfPig resolves every reference
/// inside the dictionary, at any depth, by recursion, before it reads the image: it resolves a reference met as a
/// dictionary's value once, but one met as an array's element every time, so an array that holds itself
/// (<c>7 0 obj [/Indexed 7 0 R 1 &lt;...&gt;]</c> as the image's colour space, 60 bytes) recurses until the stack
/// overflows and the process ends, and arrays that each hold the next twice take 2^n steps. This walks the dictionary as
/// PdfPig does (the same references resolved, the same ones skipped) and counts the steps and the depth.
/// </summary>
internal static class PdfDeepResolve
{
    /// <summary>More values than this walked for one image: refused. An image's dictionary has a few dozen.</summary>
    public const int MaxSteps = 100_000;

    /// <summary>Nested deeper than this: refused (PdfPig's own parser nests direct objects at most 256 deep).</summary>
    public const int MaxDepth = 512;

    /// <summary>True when PdfPig's resolution of <paramref name="dictionary"/> would run past the limits (or for ever).</summary>
    public static bool Runaway(DictionaryToken dictionary, IPdfTokenScanner scanner) =>
        !new Walk(scanner).Within(dictionary, 0);

    // PdfPig's order, by recursion as PdfPig's (at most MaxDepth deep, far short of the stack).
    private sealed class Walk(IPdfTokenScanner scanner)
    {
        private readonly HashSet<IndirectReference> _visited = [];
        private int _steps;

        public bool Within(IToken? token, int depth)
        {
            if (++_steps > MaxSteps || depth > MaxDepth)
            {
                return false;
            }

            switch (token)
            {
                case StreamToken stream:
                    return Within(stream.StreamDictionary, depth + 1);
                case DictionaryToken dictionary:
                    foreach (var value in dictionary.Data.Values)
                    {
                        var resolved = value;
                        if (value is IndirectReferenceToken reference)
                        {
                            // A dictionary's reference met before is skipped (PdfPig then fetches it without resolving inside).
                            if (!_visited.Add(reference.Data))
                            {
                                continue;
                            }

                            resolved = scanner.Get(reference.Data)?.Data;
                        }

                        if (!Within(resolved, depth + 1))
                        {
                            return false;
                        }
                    }

                    return true;
                case ArrayToken array:
                    foreach (var value in array.Data)
                    {
                        // An array's references are resolved every time they are met.
                        if (!Within(value is IndirectReferenceToken reference ? scanner.Get(reference.Data)?.Data : value, depth + 1))
                        {
                            return false;
                        }
                    }

                    return true;
                default:
                    return true;
            }
        }
    }
}
