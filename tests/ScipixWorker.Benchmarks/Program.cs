using BenchmarkDotNet.Running;
using ScipixWorker.Benchmarks.Support;

// dotnet run -c Release --project tests/ScipixWorker.Benchmarks -- --filter '*Recognizer*'
// dotnet run -c Release --project tests/ScipixWorker.Benchmarks -- mutate --seed 7 --count 40000 tests/fixtures/pdf/scan_*.pdf
if (args is ["mutate", .. var files])
{
    return MutationRun.Run(files);
}

BenchmarkSwitcher.FromAssembly(typeof(BenchmarkConfig).Assembly).Run(args, BenchmarkConfig.Create());
return 0;
