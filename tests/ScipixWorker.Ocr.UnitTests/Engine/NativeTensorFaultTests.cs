using ScipixWorker.Ocr.Engine;

namespace ScipixWorker.Ocr.UnitTests.Engine;

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

    // The process's minor page faults so far (/proc/self/stat, field 10).
    private static long MinorFaults()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[7], System.Globalization.CultureInfo.InvariantCulture);
    }
}
