using System.Runtime.InteropServices;
using ScipixWorker.Cli.Bench;
using ScipixWorker.Memory;

namespace ScipixWorker.UnitTests.Memory;

/// <summary>
/// The probe behind MALLOC_CONF=oversize_threshold:0 (docs/benchmarks.md, "Large allocations keep their pages"):
/// minor page faults for 50 rounds of allocating 20 MiB, touching every page and freeing it. Runs only with
/// SCIPIX_MEASURE=1; run it under the allocator to measure (LD_PRELOAD, MALLOC_CONF); writes the count to the test output.
/// </summary>
public sealed class LargeAllocationFaultMeasurement
{
    [Fact]
    public void Measure_minor_faults_of_repeated_large_allocations()
    {
        if (Environment.GetEnvironmentVariable("SCIPIX_MEASURE") != "1" || !OperatingSystem.IsLinux())
        {
            return;
        }

        const int size = 20 << 20;
        var before = MinorFaults();
        for (var round = 0; round < 50; round++)
        {
            var block = Marshal.AllocHGlobal(size);
            for (var offset = 0; offset < size; offset += 4096)
            {
                Marshal.WriteByte(block, offset, 1);
            }

            Marshal.FreeHGlobal(block);
        }

        var faults = MinorFaults() - before;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{NativeAllocator.Current}, MALLOC_CONF={Environment.GetEnvironmentVariable("MALLOC_CONF")}: {faults} minor faults");
        Assert.True(faults > 0);
    }

    private static long MinorFaults() => ProcStats.MinorFaults(Environment.ProcessId) ?? 0;
}
