using System.Diagnostics;
using ScipixWorker.Ocr.Engine;

namespace ScipixWorker.Cli.Eval;

/// <summary>Runs the tesseract command line (eng, one thread) for side-by-side comparisons.</summary>
internal static class Tesseract
{
    public static string Recognize(string imagePath, OcrMode mode) =>
        Execute(imagePath, "stdout", "-l", "eng", "--psm", mode == OcrMode.SingleLine ? "7" : "4");

    public static string Version() => Execute("--version").Split('\n')[0].Replace("tesseract ", string.Empty, StringComparison.Ordinal).Trim();

    private static string Execute(params string[] arguments)
    {
        var start = new ProcessStartInfo("tesseract")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // One thread is faster here than OpenMP across two shared cores (measured), and keeps it comparable.
        start.Environment["OMP_THREAD_LIMIT"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("tesseract could not be started.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"tesseract failed ({process.ExitCode}): {stderr.Result}");
        }

        return stdout.Result;
    }
}
