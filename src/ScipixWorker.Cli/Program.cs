using System.CommandLine;
using ScipixWorker.Cli.Bench;
using ScipixWorker.Cli.Errors;
using ScipixWorker.Cli.Eval;
using ScipixWorker.Cli.Ocr;
using ScipixWorker.Cli.Quantize;
using ScipixWorker.Cli.Submit;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Precision;

// As the worker does: under a preloaded jemalloc the threads that run models share one arena (ModelArena).
ModelArena.EnableUnderJemalloc();

var root = new RootCommand("scipix: OCR with PP-OCRv4 on ONNX Runtime — in-process, or through the ScipixWorker queue")
{
    OcrCommand.Create(),
    EvalCommand.Create(),
    SubmitCommand.Create(),
    ErrorsCommand.Create(),
    BenchCommand.Create(),
    QuantizeCommand.Create(),
};

try
{
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or PrecisionConfigurationException)
{
    // A setting or a path is wrong: say which, without a stack trace.
    Console.Error.WriteLine($"scipix: {ex.Message}");
    return 2;
}
