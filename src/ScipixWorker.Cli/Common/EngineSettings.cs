using System.CommandLine;
using Microsoft.Extensions.Configuration;
using ScipixWorker.Ocr.Engine;

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

    public Option<bool> Faithful { get; } = new("--paddle-faithful") { Description = "Exactly PaddleOCR's output: no inferred spaces (Ocr:InferSpaces=false)" };

    public void AddTo(Command command)
    {
        command.Options.Add(Faithful);
        command.Options.Add(Models);
        command.Options.Add(Provider);
        command.Options.Add(Threads);
        command.Options.Add(Recognizer);
        command.Options.Add(NoClassifier);
    }

    public OcrEngineOptions Read(ParseResult parse)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build();
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

        if (parse.GetValue(Faithful))
        {
            options.InferSpaces = false;
        }

        if (parse.GetValue(NoClassifier))
        {
            options.ClassifierModel = string.Empty;
        }

        return options;
    }

    /// <summary>The nearest <c>models/</c> folder with a SHA256SUMS file, from the working directory upwards.</summary>
    private static string? FindModelDirectory()
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
