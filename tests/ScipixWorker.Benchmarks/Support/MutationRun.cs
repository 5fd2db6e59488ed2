using System.Diagnostics;
using System.Globalization;
using System.Text;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Benchmarks.Support;

/// <summary>
/// Damaged files by the thousand: each case is one of the given files with a few bytes changed (anywhere, or inside a
/// PDF's last stream, where a scan's samples are) or cut short, loaded as the worker loads a job's file, every page
/// decoded (a PDF page with a text layer read instead). Counts the outcomes (decoded, or the <see cref="OcrErrorCode"/>
/// the worker would answer) and reports any other exception (a bug: the worker would answer <c>internal-error</c>) and
/// the slowest case. Cases slower than the threshold and those that threw anything else are written to the output folder;
/// each case is written there as <c>current.EXT</c> before it is loaded, so that one that ends the process (a stack
/// overflow: ImageSharp decoding a TIFF's JPEG strip that is the TIFF itself) is left behind with its number on stderr.
/// </summary>
/// <example>
/// <code>
/// dotnet run -c Release --project tests/ScipixWorker.Benchmarks -- mutate --seed 7 --count 40000 --out /tmp/mutants tests/fixtures/pdf/scan_*.pdf
/// </code>
/// </example>
internal static class MutationRun
{
    public static int Run(string[] args)
    {
        var (seed, count, output, slowMs, files) = (1, 10_000, Path.Combine(Path.GetTempPath(), "scipix-mutants"), 2_000.0, new List<string>());
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seed": seed = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--count": count = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--out": output = args[++i]; break;
                case "--slow-ms": slowMs = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: files.Add(args[i]); break;
            }
        }

        if (files.Count == 0)
        {
            Console.Error.WriteLine("usage: mutate [--seed N] [--count N] [--out DIR] [--slow-ms MS] FILE...");
            return 2;
        }

        Directory.CreateDirectory(output);
        var sources = files.Select(File.ReadAllBytes).ToArray();
        var loader = new ImageLoader(new OcrEngineOptions());
        var random = new Random(seed);
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var (slowest, slowestCase) = (0.0, -1);
        for (var n = 0; n < count; n++)
        {
            var source = n % sources.Length;
            var file = Mutate(sources[source], random);
            var current = Path.Combine(output, $"current{Path.GetExtension(files[source])}");
            File.WriteAllBytes(current, file);
            Console.Error.Write($"\rcase {n} ");
            var started = Stopwatch.GetTimestamp();
            string outcome;
            try
            {
                outcome = Load(loader, file);
            }
            catch (OcrException ex)
            {
                outcome = ex.Code.ToString();
            }
            catch (Exception ex)
            {
                outcome = $"{ex.GetType().Name} (from {Path.GetFileName(files[source])})";
                File.WriteAllBytes(Path.Combine(output, $"threw_{seed}_{n}{Path.GetExtension(files[source])}"), file);
            }

            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (ms > slowMs)
            {
                File.WriteAllBytes(Path.Combine(output, $"slow_{seed}_{n}{Path.GetExtension(files[source])}"), file);
            }

            if (ms > slowest)
            {
                (slowest, slowestCase) = (ms, n);
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            File.Delete(current);
        }

        Console.Error.WriteLine();
        foreach (var (outcome, times) in outcomes.OrderByDescending(o => o.Value))
        {
            Console.WriteLine($"{times,8}  {outcome}");
        }

        Console.WriteLine($"slowest: case {slowestCase}, {slowest:F1} ms; cases over {slowMs} ms and any that threw are in {output}");
        return outcomes.Keys.Any(k => !Enum.TryParse<OcrErrorCode>(k, out _) && k != "decoded") ? 1 : 0;
    }

    // Every page of the file decoded (or its text layer read), as a job would have it.
    private static string Load(ImageLoader loader, byte[] file)
    {
        using var image = loader.Load(file);
        for (var page = 0; page < image.PageCount; page++)
        {
            if (image.TextLayer(page) is null)
            {
                image.Page(page).Release();
            }
        }

        return "decoded";
    }

    // A copy of `source`: cut short (a fifth of the cases), with 1-7 bytes changed anywhere (a fifth), or with 1-5 or 1-63
    // bytes changed inside a PDF's last stream (the rest; anywhere in other files).
    private static byte[] Mutate(byte[] source, Random random)
    {
        var kind = random.Next(5);
        if (kind == 0)
        {
            return source[..random.Next(source.Length)];
        }

        var file = source.ToArray();
        var (start, end) = (0, file.Length);
        if (kind > 1)
        {
            // The last stream: the keyword before the last "endstream" that is not itself an "endstream".
            var text = Encoding.Latin1.GetString(file);
            var streamEnd = text.LastIndexOf("endstream", StringComparison.Ordinal);
            var keyword = streamEnd;
            while (keyword > 0 && (keyword = text.LastIndexOf("stream", keyword - 1, StringComparison.Ordinal)) >= 3
                && text.AsSpan(keyword - 3, 3) is "end")
            {
            }

            var streamStart = keyword + "stream\n".Length;
            if (keyword > 0 && streamEnd > streamStart)
            {
                (start, end) = (streamStart, streamEnd);
            }
        }

        var changes = kind switch { 1 => random.Next(1, 8), 4 => random.Next(1, 64), _ => random.Next(1, 6) };
        for (var k = 0; k < changes; k++)
        {
            file[start + random.Next(end - start)] = (byte)random.Next(256);
        }

        return file;
    }
}
