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
    public async Task A_fall_in_the_memory_model_runs_hold_is_trimmed_without_waiting_for_the_interval()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "glibc's malloc_trim");
        var budget = new MemoryBudget(256L << 20);
        using var trimmer = new NativeHeapTrimmer(
            Options.Create(new WorkerOptions { NativeHeapTrimInterval = TimeSpan.FromHours(1), NativeHeapTrimAfterMegabytes = 64 }),
            budget, NullLogger<NativeHeapTrimmer>.Instance);
        await trimmer.StartAsync(TestContext.Current.CancellationToken);

        // Small runs one after another return far more than the threshold, but never hold more than one run's worth:
        // each reuses the pages the one before freed, so there is nothing worth trimming (the interval is an hour away).
        for (var run = 0; run < 12; run++)
        {
            budget.Acquire(16L << 20, TestContext.Current.CancellationToken).Dispose();
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        await Task.Delay(300, TestContext.Current.CancellationToken);
        var afterSmallRuns = trimmer.Trims;

        // Two runs side by side, then both done: the memory held falls by more than the threshold, and is trimmed
        // within a few polls.
        var first = budget.Acquire(40L << 20, TestContext.Current.CancellationToken);
        var second = budget.Acquire(40L << 20, TestContext.Current.CancellationToken);
        await Task.Delay(100, TestContext.Current.CancellationToken);
        var whileHeld = trimmer.Trims;
        first.Dispose();
        second.Dispose();
        for (var wait = 0; wait < 100 && trimmer.Trims == whileHeld; wait++)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        await trimmer.StopAsync(TestContext.Current.CancellationToken);
        Assert.Equal((0L, 0L, 1L), (afterSmallRuns, whileHeld, trimmer.Trims));
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
