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
}
