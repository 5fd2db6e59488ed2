using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using ScipixWorker.Cli.Common;
using ScipixWorker.Ocr.Engine;

namespace ScipixWorker.Cli.Bench;

/// <summary>
/// <c>scipix bench memory</c>: the peak resident memory one model run adds, per input shape, each shape in a fresh
/// process (glibc keeps freed memory, so runs in one process would hide each other's peaks). The worker's memory
/// budget estimates runs with the factors this measures (<see cref="ActivationMemory"/>).
/// </summary>
internal static class ActivationMemoryProbe
{
    private static readonly (string Model, int Batch, int Height, int Width)[] Shapes =
    [
        ("det", 1, 960, 448), ("det", 1, 960, 736), ("det", 1, 960, 960),
        ("rec", 1, 48, 320), ("rec", 1, 48, 1280), ("rec", 6, 48, 640), ("rec", 8, 48, 1280), ("rec", 32, 48, 320), ("rec", 32, 48, 640),
    ];

    public static Command Create()
    {
        var probe = new Option<string?>("--probe") { Description = "Internal: measure one run (model:batch:height:width) in this process", Hidden = true };
        var command = new Command("memory", "Peak memory one detector or recognizer run adds, per input shape (each in a fresh process)") { probe };
        command.SetAction(parse => parse.GetValue(probe) is { } one ? ProbeOne(one) : ProbeAll());
        return command;
    }

    private static int ProbeAll()
    {
        var self = typeof(ActivationMemoryProbe).Assembly.Location;
        Console.WriteLine($"Peak resident memory one run adds (CPU, ONNX Runtime arena off, 1 intra-op thread); {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine("| model | input (N x H x W) | peak added (MiB) | bytes per input pixel | budget factor |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: |");
        foreach (var (model, batch, height, width) in Shapes)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in new[] { self, "bench", "memory", "--probe", $"{model}:{batch}:{height}:{width}" })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the probe.");
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            if (process.ExitCode != 0 || !long.TryParse(output, CultureInfo.InvariantCulture, out var added))
            {
                Console.Error.WriteLine($"scipix bench memory: the probe of {model} {batch}x{height}x{width} failed: {output}");
                return 1;
            }

            var pixels = (long)batch * height * width;
            var factor = model == "det" ? ActivationMemory.DetectorBytesPerPixel : ActivationMemory.RecognizerBytesPerPixel;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {model} | {batch} x {height} x {width} | {added / 1048576.0:F0} | {added / (double)pixels:F0} | {factor} |"));
        }

        return 0;
    }

    // Prints the growth of VmHWM over the resident size after loading, for one run of the shape (input included).
    private static int ProbeOne(string spec)
    {
        var parts = spec.Split(':');
        var (batch, height, width) = (int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture), int.Parse(parts[3], CultureInfo.InvariantCulture));
        var options = new OcrEngineOptions { ModelDirectory = EngineSettings.FindModelDirectory() ?? "models", IntraOpThreads = 1 };
        var model = parts[0] == "det" ? options.DetectorModel : options.RecognizerModel;
        var (session, _) = OrtSessionFactory.Create(options.Resolve(model), options, NullLogger.Instance);
        using (session)
        {
            var loaded = Status("VmRSS");
            var input = new float[batch * 3 * height * width];
            OrtRun.Run(session, input, [batch, 3, height, width], static (_, _) => 0, CancellationToken.None);
            Console.WriteLine((Status("VmHWM") - loaded).ToString(CultureInfo.InvariantCulture));
        }

        return 0;
    }

    private static long Status(string field) =>
        ProcStats.ParseStatusBytes(File.ReadAllText("/proc/self/status"), field) ?? throw new InvalidOperationException($"No {field} in /proc/self/status.");
}
