using System.CommandLine;
using Microsoft.Extensions.Configuration;
using ScipixWorker.Ocr.Batching;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Precision;

namespace ScipixWorker.Cli.Common;

/// <summary>
/// Engine options shared by the commands that run the engine in-process: configuration (appsettings.json
/// beside the binary, then <c>Ocr__*</c> environment variables) overridden by command-line flags.
/// </summary>
internal sealed class EngineSettings
{
    public Option<string?> Models { get; } = new("--models") { Description = "Folder with the models and dictionary (Ocr:ModelDirectory)" };

    public Option<ExecutionProvider?> Provider { get; } = new("--provider") { Description = "cpu or cuda (Ocr:ExecutionProvider)" };

    public Option<int?> Threads { get; } = new("--threads") { Description = "ONNX Runtime intra-op threads per session (Ocr:IntraOpThreads)" };

    public Option<string?> Recognizer { get; } = new("--recognizer") { Description = "Recognizer model file (Ocr:RecognizerModel)" };

    public Option<bool> NoClassifier { get; } = new("--no-classifier") { Description = "Skip the 0/180 angle classifier" };

    public Option<bool> Faithful { get; } = new("--paddle-faithful") { Description = "Exactly PaddleOCR's output: no inferred spaces, full-width forms kept, digits in words and letters in numbers as emitted, 320-px narrowest recognizer tensor, detector input by the longest side alone and without a margin, unclip 1.5, box threshold 0.6, orientation per line, rows joined across columns, line images read from their boxes, no colons read from the size filter's leavings or from the gaps after lines, no lone character read again from a crop fitted to its ink, condensed lines read once, no period or comma read from the ink at a line's end, no decimal point read where the model let it go, no misread word put right by the word list, bilevel pages read unsmoothed (Ocr:InferSpaces=false, Ocr:HalfWidthOutsideCjk=false, Ocr:ResolveLookalikes=false, Ocr:RecognizerMinWidth=320, Ocr:DetectorMinAreaSide=0, Ocr:DetectorMargin=0, Ocr:DetectorUnclipRatio=1.5, Ocr:DetectorBoxThreshold=0.6, Ocr:OrientationPerPage=false, Ocr:ColumnLayout=false, Ocr:WholeLineImages=false, Ocr:LoneColons=false, Ocr:GapColons=false, Ocr:LoneGlyphs=false, Ocr:CondensedLines=false, Ocr:TrailingMarks=false, Ocr:DecimalPoints=false, Ocr:LexiconCorrection=false, Ocr:SmoothBilevel=false)" };

    public Option<int?> MinWidth { get; } = new("--recognizer-min-width") { Description = "Narrowest recognizer tensor in pixels; shorter crops are padded to it (Ocr:RecognizerMinWidth; PaddleOCR: 320)" };

    public Option<ModelPrecision?> Precision { get; } = new("--precision") { Description = "fp32, int8, fp16 or auto, for every model (Ocr:Precision)" };

    public Option<ModelPrecision?> DetectorPrecision { get; } = new("--detector-precision") { Description = "Override for the detector (Ocr:DetectorPrecision)" };

    public Option<ModelPrecision?> RecognizerPrecision { get; } = new("--recognizer-precision") { Description = "Override for the recognizer (Ocr:RecognizerPrecision)" };

    public Option<ModelPrecision?> ClassifierPrecision { get; } = new("--classifier-precision") { Description = "Override for the classifier (Ocr:ClassifierPrecision)" };

    public void AddTo(Command command)
    {
        command.Options.Add(Precision);
        command.Options.Add(DetectorPrecision);
        command.Options.Add(RecognizerPrecision);
        command.Options.Add(ClassifierPrecision);
        command.Options.Add(Faithful);
        command.Options.Add(Models);
        command.Options.Add(Provider);
        command.Options.Add(Threads);
        command.Options.Add(Recognizer);
        command.Options.Add(NoClassifier);
        command.Options.Add(MinWidth);
    }

    /// <summary>appsettings.json beside the binary, then environment variables (<c>Ocr__*</c>, <c>Batching__*</c>).</summary>
    public static IConfiguration Configuration() => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .Build();

    public OcrEngineOptions Read(ParseResult parse)
    {
        var configuration = Configuration();
        var options = new OcrEngineOptions();
        configuration.GetSection(OcrEngineOptions.SectionName).Bind(options);

        var models = parse.GetValue(Models);
        if (models is not null)
        {
            options.ModelDirectory = models;
        }
        else if (configuration[$"{OcrEngineOptions.SectionName}:{nameof(OcrEngineOptions.ModelDirectory)}"] is null)
        {
            options.ModelDirectory = FindModelDirectory() ?? options.ModelDirectory;
        }

        if (parse.GetValue(Provider) is { } provider)
        {
            options.ExecutionProvider = provider;
        }

        if (parse.GetValue(Threads) is { } threads)
        {
            options.IntraOpThreads = threads;
        }

        if (parse.GetValue(Recognizer) is { } recognizer)
        {
            options.RecognizerModel = recognizer;
        }

        var faithful = parse.GetValue(Faithful);
        if (parse.GetValue(MinWidth) is { } minWidth)
        {
            options.RecognizerMinWidth = minWidth;
        }
        else if (faithful)
        {
            options.RecognizerMinWidth = WidthBuckets.PaddleMinWidth;
        }

        if (parse.GetValue(Precision) is { } precision)
        {
            options.Precision = precision;
        }

        options.DetectorPrecision = parse.GetValue(DetectorPrecision) ?? options.DetectorPrecision;
        options.RecognizerPrecision = parse.GetValue(RecognizerPrecision) ?? options.RecognizerPrecision;
        options.ClassifierPrecision = parse.GetValue(ClassifierPrecision) ?? options.ClassifierPrecision;

        if (faithful)
        {
            options.InferSpaces = false;
            options.HalfWidthOutsideCjk = false;
            options.ResolveLookalikes = false;
            options.DetectorMinAreaSide = 0;
            options.DetectorMargin = 0;
            options.DetectorUnclipRatio = OcrEngineOptions.PaddleDetectorUnclipRatio;
            options.DetectorBoxThreshold = OcrEngineOptions.PaddleDetectorBoxThreshold;
            options.OrientationPerPage = false;
            options.ColumnLayout = false;
            options.WholeLineImages = false;
            options.LoneColons = false;
            options.GapColons = false;
            options.LoneGlyphs = false;
            options.SmoothBilevel = false;
            options.CondensedLines = false;
            options.TrailingMarks = false;
            options.DecimalPoints = false;
            options.LexiconCorrection = false;
        }

        if (parse.GetValue(NoClassifier))
        {
            options.ClassifierModel = string.Empty;
        }

        return options;
    }

    /// <summary>The nearest <c>models/</c> folder with a SHA256SUMS file, from the working directory upwards.</summary>
    internal static string? FindModelDirectory()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "models");
            if (File.Exists(Path.Combine(candidate, "SHA256SUMS")))
            {
                return candidate;
            }
        }

        var besideBinary = Path.Combine(AppContext.BaseDirectory, "models");
        return Directory.Exists(besideBinary) ? besideBinary : null;
    }
}
