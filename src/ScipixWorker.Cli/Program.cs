using System.CommandLine;
using ScipixWorker.Cli.Bench;
using ScipixWorker.Cli.Eval;
using ScipixWorker.Cli.Ocr;
using ScipixWorker.Cli.Submit;

var root = new RootCommand("scipix: OCR with PP-OCRv4 on ONNX Runtime — in-process, or through the ScipixWorker queue")
{
    OcrCommand.Create(),
    EvalCommand.Create(),
    SubmitCommand.Create(),
    BenchCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
