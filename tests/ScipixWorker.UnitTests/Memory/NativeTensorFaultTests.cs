using ScipixWorker.Cli.Bench;
using ScipixWorker.Ocr.Engine;

namespace ScipixWorker.UnitTests.Memory;

// Counts this process's page faults: not run in parallel with the other tests of the assembly.
[Collection(nameof(NativeTensorFaultTests))]
[CollectionDefinition(nameof(NativeTensorFaultTests), DisableParallelization = true)]
public sealed class NativeTensorFaultTests
{
    [Fact]
    public void A_tensor_reuses_the_pages_the_last_one_freed_instead_of_faulting_them_in_again()
    {
        // jemalloc (the worker's allocator in its image) zeroes a reused allocation for calloc by handing its pages
        // back to the kernel and faulting them in again as they are written: about one fault a page, every model run.
        const int Floats = 4 << 20 >> 2; // 4 MiB
        const int Pages = Floats * sizeof(float) / 4096;
        // Two before counting: glibc serves the first from a mapping of its own and the second from its heap.
        Cycle();
        Cycle();
        var before = MinorFaults();
        for (var i = 0; i < 5; i++)
        {
            Cycle();
        }

        var faults = MinorFaults() - before;
        Assert.True(faults < Pages, $"{faults} minor page faults in 5 allocations of {Pages} pages each");

        static void Cycle()
        {
            using var tensor = new NativeTensor(Floats);
            Assert.True(tensor.Span.IndexOfAnyExcept(0f) < 0);
            tensor.Span.Fill(1f);
        }
    }

    private static long MinorFaults() => ProcStats.MinorFaults(Environment.ProcessId) ?? throw new PlatformNotSupportedException("/proc is Linux's");
}
