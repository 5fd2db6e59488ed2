using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ScipixWorker.Jobs;
using ScipixWorker.Memory;
using ScipixWorker.Ocr.Engine;

namespace ScipixWorker.UnitTests.Memory;

// Measures this process's RSS: not run in parallel with the other tests of the assembly.
[Collection(nameof(NativeHeapTrimmerTests))]
[CollectionDefinition(nameof(NativeHeapTrimmerTests), DisableParallelization = true)]
public sealed class NativeHeapTrimmerTests
{
    private const int BlockBytes = 64 * 1024;   // under glibc's mmap threshold: served from a heap
    private const int Blocks = 4096;            // 256 MiB

    [Fact]
    public async Task Freed_native_memory_in_the_middle_of_the_heap_goes_back_to_the_system()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "glibc's malloc_trim");

        // Freed blocks between live ones stay resident: free() only gives back free space at a heap's top.
        var blocks = new nint[Blocks];
        var fences = new nint[Blocks];
        for (var i = 0; i < Blocks; i++)
        {
            blocks[i] = Marshal.AllocHGlobal(BlockBytes);
            fences[i] = Marshal.AllocHGlobal(64);
            Touch(blocks[i]);
        }

        var allocated = RssBytes();
        foreach (var block in blocks)
        {
            Marshal.FreeHGlobal(block);
        }

        try
        {
            // The premise: free() alone kept the pages (else there would be nothing to trim).
            var before = RssBytes();
            Assert.True(allocated - before < Blocks * (long)BlockBytes / 4, $"free() alone released {(allocated - before) >> 20} MiB");
            using var trimmer = new NativeHeapTrimmer(
                Options.Create(new WorkerOptions { NativeHeapTrimInterval = TimeSpan.FromMilliseconds(20) }), MemoryBudget.Unlimited, NullLogger<NativeHeapTrimmer>.Instance);
            await trimmer.StartAsync(TestContext.Current.CancellationToken);
            var after = before;
            for (var wait = 0; wait < 100 && before - after < Blocks * (long)BlockBytes / 2; wait++)
            {
                await Task.Delay(50, TestContext.Current.CancellationToken);
                after = RssBytes();
            }

            await trimmer.StopAsync(TestContext.Current.CancellationToken);
            Assert.True(before - after >= Blocks * (long)BlockBytes / 2, $"RSS {before >> 20} MiB -> {after >> 20} MiB after freeing {Blocks * (long)BlockBytes >> 20} MiB");
        }
        finally
        {
            foreach (var fence in fences)
            {
                Marshal.FreeHGlobal(fence);
            }
        }
    }

    [Fact]
    public async Task A_zero_interval_turns_trimming_off()
    {
        using var trimmer = new NativeHeapTrimmer(Options.Create(new WorkerOptions { NativeHeapTrimInterval = TimeSpan.Zero }), new MemoryBudget(1 << 20), NullLogger<NativeHeapTrimmer>.Instance);

        await trimmer.StartAsync(TestContext.Current.CancellationToken);

        // Off, the service returns at once; on, it would tick until stopped (and this would time out).
        await trimmer.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await trimmer.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Memory_returned_by_model_runs_is_trimmed_without_waiting_for_the_interval()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "glibc's malloc_trim");
        var budget = new MemoryBudget(256L << 20);
        using var trimmer = new NativeHeapTrimmer(
            Options.Create(new WorkerOptions { NativeHeapTrimInterval = TimeSpan.FromHours(1), NativeHeapTrimAfterMegabytes = 64 }),
            budget, NullLogger<NativeHeapTrimmer>.Instance);
        await trimmer.StartAsync(TestContext.Current.CancellationToken);

        // Less than the threshold returned: no trim (the interval is an hour away).
        budget.Acquire(32L << 20, TestContext.Current.CancellationToken).Dispose();
        await Task.Delay(300, TestContext.Current.CancellationToken);
        var early = trimmer.Trims;

        // Past it: a trim within a few polls.
        budget.Acquire(40L << 20, TestContext.Current.CancellationToken).Dispose();
        for (var wait = 0; wait < 100 && trimmer.Trims == 0; wait++)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        await trimmer.StopAsync(TestContext.Current.CancellationToken);
        Assert.Equal((0L, 1L), (early, trimmer.Trims));
    }

    private static void Touch(nint block)
    {
        for (var offset = 0; offset < BlockBytes; offset += 4096)
        {
            Marshal.WriteByte(block, offset, 1);
        }
    }

    private static long RssBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException("/proc/self/status has no VmRSS.");
    }
}
