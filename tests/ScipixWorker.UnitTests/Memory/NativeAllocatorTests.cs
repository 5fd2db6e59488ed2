using ScipixWorker.Ocr.Engine;
using ScipixWorker.Memory;

namespace ScipixWorker.UnitTests.Memory;

public sealed class NativeAllocatorTests
{
    private const string Glibc = """
        55d0c0a00000-55d0c0a01000 r--p 00000000 08:01 1234   /usr/bin/dotnet
        7f1c2a000000-7f1c2a028000 r--p 00000000 08:01 5678   /usr/lib/x86_64-linux-gnu/libc.so.6
        7f1c2b000000-7f1c2b100000 rw-p 00000000 00:00 0
        7ffd1a000000-7ffd1a021000 rw-p 00000000 00:00 0      [stack]
        """;

    [Fact]
    public void A_process_with_only_libc_mapped_uses_glibc() =>
        Assert.Equal(NativeAllocator.Glibc, NativeAllocator.Detect(Glibc));

    [Fact]
    public void A_preloaded_jemalloc_wins_over_libc() =>
        Assert.Equal(NativeAllocator.Jemalloc, NativeAllocator.Detect(
            "7f1c29000000-7f1c29040000 r-xp 00000000 08:01 91011  /usr/lib/x86_64-linux-gnu/libjemalloc.so.2\n" + Glibc));

    [Fact]
    public void A_library_merely_named_like_jemalloc_in_a_folder_does_not_count() =>
        Assert.Equal(NativeAllocator.Glibc, NativeAllocator.Detect(
            "7f1c29000000-7f1c29040000 r-xp 00000000 08:01 91011  /opt/libjemalloc.so.2.d/libfoo.so\n" + Glibc));

    [Fact]
    public void Without_libc_or_maps_it_is_other()
    {
        Assert.Equal(NativeAllocator.Other, NativeAllocator.Detect("7f1c29000000-7f1c29040000 r-xp 00000000 08:01 1 /lib/ld-musl-x86_64.so.1\n"));
        Assert.Equal(NativeAllocator.Other, NativeAllocator.Detect(null));
    }

    [Fact]
    public void This_test_process_is_detected_from_its_own_maps()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "/proc/self/maps");
        var expected = File.ReadAllText("/proc/self/maps").Contains("libjemalloc", StringComparison.Ordinal) ? NativeAllocator.Jemalloc : NativeAllocator.Glibc;
        Assert.Equal(expected, NativeAllocator.Current);
    }

    [Theory]
    [InlineData("jemalloc", 1, null, "jemalloc, 1 arena")]
    [InlineData("jemalloc", 8, 8, "jemalloc, 8 arenas, model threads share arena 8")]
    [InlineData("other", null, null, "other")]
    public void The_start_up_line_names_the_allocator_and_its_arenas(string allocator, int? arenas, int? modelArena, string expected) =>
        Assert.Equal(expected, NativeAllocator.Describe(allocator, arenas, modelArena));

    [Fact]
    public void Under_glibc_the_start_up_line_points_to_jemalloc()
    {
        var line = NativeAllocator.Describe(NativeAllocator.Glibc, null, null);
        Assert.StartsWith("glibc, trimmed by the worker", line, StringComparison.Ordinal);
        Assert.Contains("preload jemalloc", line, StringComparison.Ordinal);
    }

    [Fact]
    public void The_start_up_line_says_whether_jemalloc_keeps_large_allocations_and_what_to_set_when_not()
    {
        Assert.Equal("jemalloc, 8 arenas, model threads share arena 9, large allocations kept", NativeAllocator.Describe("jemalloc", 8, 9, 0));
        var eager = NativeAllocator.Describe("jemalloc", 8, 9, 8L * 1024 * 1024);
        Assert.StartsWith("jemalloc, 8 arenas, model threads share arena 9, allocations of 8 MiB or more returned to the kernel at once", eager, StringComparison.Ordinal);
        Assert.Contains("MALLOC_CONF=oversize_threshold:0", eager, StringComparison.Ordinal);
    }

    // `make test` runs this class a second time under jemalloc (LD_PRELOAD, MALLOC_CONF=narenas:3,oversize_threshold:0)
    // where it is installed.
    [Fact]
    public void Under_jemalloc_the_arena_count_is_read_from_it_and_otherwise_not_shown()
    {
        if (NativeAllocator.Current != NativeAllocator.Jemalloc)
        {
            Assert.Equal(NativeAllocator.Describe(NativeAllocator.Current, null, null), NativeAllocator.Description);
            Assert.DoesNotContain("arena", NativeAllocator.Description, StringComparison.Ordinal);
            return;
        }

        var narenas = (Environment.GetEnvironmentVariable("MALLOC_CONF") ?? string.Empty).Split(',')
            .Select(option => option.Split(':'))
            .Where(pair => pair.Length == 2 && pair[0] == "narenas")
            .Select(pair => (int?)int.Parse(pair[1], System.Globalization.CultureInfo.InvariantCulture))
            .LastOrDefault();
        var arenas = NativeAllocator.JemallocArenas();
        Assert.NotNull(arenas);
        Assert.True(arenas >= 1);
        if (narenas is not null)
        {
            Assert.Equal(narenas, arenas);
        }

        // The threshold is read from jemalloc: 0 where MALLOC_CONF sets it so, else jemalloc's 8 MiB.
        var oversize = (Environment.GetEnvironmentVariable("MALLOC_CONF") ?? string.Empty).Contains("oversize_threshold:0", StringComparison.Ordinal) ? 0L : 8L * 1024 * 1024;
        Assert.Equal(oversize, NativeAllocator.JemallocOversizeThreshold());
        Assert.Equal(NativeAllocator.Describe(NativeAllocator.Jemalloc, arenas, ModelArena.Index, oversize), NativeAllocator.Description);
    }

    // The jemalloc pass of `make test` (see above) is where this test creates an arena; elsewhere the arena stays off.
    [Fact]
    public void Under_jemalloc_model_threads_move_to_an_arena_of_their_own()
    {
        if (NativeAllocator.Current != NativeAllocator.Jemalloc)
        {
            Assert.False(ModelArena.EnableUnderJemalloc()); // as the worker and the command line start: no arena under glibc
            Assert.Null(ModelArena.Index);
            ModelArena.JoinCurrentThread(); // off: does nothing
            Assert.Null(ModelArena.Index);
            return;
        }

        Assert.True(ModelArena.EnableUnderJemalloc());
        var index = ModelArena.Index;
        Assert.NotNull(index);
        Assert.True(index >= NativeAllocator.JemallocArenas(), "the arena is beyond the ones jemalloc hands out to threads itself");

        int? before = null, after = null;
        var thread = new Thread(() =>
        {
            before = ModelArena.CurrentThreadArena();
            ModelArena.JoinCurrentThread();
            after = ModelArena.CurrentThreadArena();
        });
        thread.Start();
        thread.Join();

        Assert.NotNull(before);
        Assert.NotEqual(index, before);
        Assert.Equal(index, after);
        Assert.True(ModelArena.Enable()); // once: the same arena
        Assert.Equal(index, ModelArena.Index);
    }
}
