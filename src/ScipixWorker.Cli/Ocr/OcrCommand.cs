using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using ScipixWorker.Cli.Common;
using ScipixWorker.Ocr.Engine;

namespace ScipixWorker.Cli.Ocr;

/// <summary><c>scipix ocr &lt;file|dir&gt;...</c>: recognizes images in-process, no broker and no storage.</summary>
internal static class OcrCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Arity = ArgumentArity.OneOrMore, Description = "Image files (PNG, JPEG, JPEG 2000, TIFF, BMP, GIF, WebP, PDF) or folders of them" };
        var json = new Option<bool>("--json") { Description = "Print JSON with lines, boxes, confidences and timings" };
        var lines = new Option<bool>("--lines") { Description = "Each image is a single text line: skip detection" };
        var hocr = new Option<string?>("--hocr") { Description = "Also write each file's result as hOCR into this folder (<file name>.hocr)" };
        var pdf = new Option<string?>("--pdf") { Description = "Also write each file as a searchable PDF into this folder (<file name>.pdf): its pages with the words as invisible text over them" };
        var alto = new Option<string?>("--alto") { Description = "Also write each file's result as ALTO 4.4 XML into this folder (<file name>.alto.xml)" };
        var markdown = new Option<string?>("--markdown") { Description = "Also write each file's result as Markdown into this folder (<file name>.md): paragraphs, headings and list items, running text flowed" };
        var barcodes = new Option<bool>("--barcodes") { Description = "Read the barcodes and QR codes on each page too (printed after the text, and in the JSON)" };
        var settings = new EngineSettings();
        var command = new Command("ocr", "Recognize text in images (in-process; no broker or storage needed)") { paths, json, lines, hocr, pdf, alto, markdown, barcodes };
        settings.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var files = Expand(parse.GetRequiredValue(paths));
            if (files.Count == 0)
            {
                Console.Error.WriteLine("scipix ocr: no image files found.");
                return Task.FromResult(2);
            }

            var options = settings.Read(parse);
            using var engine = new OcrEngine(options, StderrLogger<OcrEngine>.Instance);
            engine.WarmUp(cancellationToken);
            var mode = parse.GetValue(lines) ? OcrMode.SingleLine : OcrMode.Full;
            var outputs = new Outputs(parse.GetValue(hocr), parse.GetValue(pdf), parse.GetValue(alto), parse.GetValue(markdown), options);
            var extras = parse.GetValue(barcodes) ? OcrExtras.Barcodes : OcrExtras.None;
            return Task.FromResult(Run(engine, files, mode, extras, parse.GetValue(json), outputs, cancellationToken));
        });
        return command;
    }

    private static int Run(OcrEngine engine, IReadOnlyList<string> files, OcrMode mode, OcrExtras extras, bool json, Outputs outputs, CancellationToken cancellationToken)
    {
        var failures = 0;
        var progress = new Progress("ocr", files.Count);
        var results = new List<object>();
        for (var i = 0; i < files.Count; i++)
        {
            var file = files[i];
            var started = Stopwatch.GetTimestamp();
            try
            {
                var bytes = File.ReadAllBytes(file);
                var document = engine.Recognize(bytes, mode, extras, cancellationToken);
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (json)
                {
                    results.Add(ToJson(file, document, elapsed));
                }
                else
                {
                    if (files.Count > 1)
                    {
                        Console.WriteLine($"== {file} ==");
                    }

                    Console.WriteLine(document.Text);
                    foreach (var (page, code) in document.Pages.SelectMany(p => p.Barcodes.Select(c => (p, c))))
                    {
                        Console.WriteLine($"[{code.Format}] {code.Text}{(document.Pages.Count > 1 ? $" (page {page.PageNumber})" : string.Empty)}");
                    }
                    foreach (var page in document.Pages.Where(p => p.Rotation != 0))
                    {
                        // On standard error, so that standard output stays the text alone.
                        Console.Error.WriteLine($"scipix ocr: {file}: page {page.PageNumber} read turned {page.Rotation} degrees");
                    }
                }

                // After the text: a document that cannot be made (a page that cannot be decoded again) fails the file, text shown.
                outputs.Write(file, bytes, document, cancellationToken);
            }
            catch (OcrException ex)
            {
                failures++;
                Console.Error.WriteLine($"scipix ocr: {file}: {ex.Code}: {ex.Message}");
                if (json)
                {
                    results.Add(new { file, error = new { code = ex.Code.ToString(), message = ex.Message } });
                }
            }

            catch (IOException ex)
            {
                failures++;
                Console.Error.WriteLine($"scipix ocr: {file}: {ex.Message}");
            }

            progress.Report(i + 1);
        }

        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new { model = engine.Model, results }, Json.Options));
        }

        return failures == 0 ? 0 : 1;
    }

    private static object ToJson(string file, OcrDocument document, TimeSpan elapsed) => new
    {
        file,
        text = document.Text,
        elapsedMs = Math.Round(elapsed.TotalMilliseconds, 1),
        pages = document.Pages.Select(p => new
        {
            page = p.PageNumber,
            width = p.Width,
            height = p.Height,
            source = p.Source == PageSource.TextLayer ? "textLayer" : "image",
            rotation = p.Rotation,
            text = p.Text,
            lines = p.Lines.Select(l => new
            {
                text = l.Text,
                confidence = MathF.Round(l.Confidence, 4),
                box = l.Box.ToArray(1),
                words = l.Words.Select(w => new { text = w.Text, confidence = MathF.Round(w.Confidence, 4), box = w.Box.ToArray(1) }),
            }),
            paragraphs = p.Paragraphs.Select(g => new { firstLine = g.FirstLine, lineCount = g.LineCount, box = g.Box.ToArray(1), role = JsonNamingPolicy.CamelCase.ConvertName(g.Role.ToString()) }),
            barcodes = p.Barcodes.Select(c => new { format = c.Format, text = c.Text, box = c.Box.ToArray(1) }),
            timingsMs = new
            {
                decode = Math.Round(p.Timings.Decode.TotalMilliseconds, 1),
                detect = Math.Round(p.Timings.Detect.TotalMilliseconds, 1),
                classify = Math.Round(p.Timings.Classify.TotalMilliseconds, 1),
                recognize = Math.Round(p.Timings.Recognize.TotalMilliseconds, 1),
                total = Math.Round(p.Timings.Total.TotalMilliseconds, 1),
            },
        }),
    };

    internal static List<string> Expand(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path)
                    .Where(f => OcrEngine.FileExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                    .Order(StringComparer.Ordinal));
            }
            else
            {
                files.Add(path);
            }
        }

        return files;
    }

    // The documents written beside the text (--hocr, --pdf, --alto, --markdown), each into its folder as <file name>.<format>.
    private sealed class Outputs
    {
        private readonly string? _hocr;
        private readonly string? _pdf;
        private readonly string? _alto;
        private readonly string? _markdown;
        private readonly OcrEngineOptions _options;

        public Outputs(string? hocr, string? pdf, string? alto, string? markdown, OcrEngineOptions options)
        {
            (_hocr, _pdf, _alto, _markdown, _options) = (hocr, pdf, alto, markdown, options);
            foreach (var folder in new[] { hocr, pdf, alto, markdown }.OfType<string>())
            {
                Directory.CreateDirectory(folder);
            }
        }

        public void Write(string file, byte[] bytes, OcrDocument document, CancellationToken cancellationToken)
        {
            var name = Path.GetFileName(file);
            if (_hocr is not null)
            {
                File.WriteAllBytes(Path.Combine(_hocr, name + ".hocr"), HocrWriter.Write(document, name));
            }

            if (_alto is not null)
            {
                File.WriteAllBytes(Path.Combine(_alto, name + ".alto.xml"), AltoWriter.Write(document, name));
            }

            if (_markdown is not null)
            {
                File.WriteAllBytes(Path.Combine(_markdown, name + ".md"), MarkdownWriter.Write(document));
            }

            if (_pdf is not null)
            {
                using var output = File.Create(Path.Combine(_pdf, name + ".pdf"));
                SearchablePdf.Write(bytes, document, _options, output, cancellationToken);
            }
        }
    }
}
