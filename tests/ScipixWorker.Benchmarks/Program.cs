using BenchmarkDotNet.Running;
using ScipixWorker.Benchmarks.Support;

// dotnet run -c Release --project tests/ScipixWorker.Benchmarks -- --filter '*Recognizer*'
BenchmarkSwitcher.FromAssembly(typeof(BenchmarkConfig).Assembly).Run(args, BenchmarkConfig.Create());
