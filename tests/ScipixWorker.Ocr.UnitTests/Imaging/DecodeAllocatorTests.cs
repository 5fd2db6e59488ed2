using System.Reflection;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using SixLabors.ImageSharp.Memory;

namespace ScipixWorker.Ocr.UnitTests.Imaging;

public sealed class DecodeAllocatorTests
{
    private static DecodeAllocator Allocator(long limit) => new(new SimpleGcMemoryAllocator(), limit);

    [Fact]
    public void Held_bytes_count_what_is_allocated_in_bytes_and_fall_when_it_is_disposed()
    {
        var allocator = Allocator(1000);

        var ints = allocator.Allocate<int>(100);
        var bytes = allocator.Allocate<byte>(50);
        Assert.Equal(450, allocator.HeldBytes);
        Assert.Equal(100, ints.Memory.Length);

        ints.Dispose();
        Assert.Equal(50, allocator.HeldBytes);
        ints.Dispose(); // a second dispose releases nothing more
        Assert.Equal(50, allocator.HeldBytes);
        bytes.Dispose();
        Assert.Equal(0, allocator.HeldBytes);
        Assert.Equal(450, allocator.PeakBytes);
    }

    [Fact]
    public void A_request_that_would_pass_the_limit_is_refused_and_leaves_the_count_as_it_was()
    {
        var allocator = Allocator(1000);
        using var held = allocator.Allocate<byte>(900);

        var error = Assert.Throws<DecodeLimitExceededException>(() => allocator.Allocate<byte>(101));

        Assert.Equal(1000, error.LimitBytes);
        Assert.IsAssignableFrom<InvalidMemoryOperationException>(error);
        Assert.Equal(900, allocator.HeldBytes);
        using var fits = allocator.Allocate<byte>(100); // exactly up to the limit is allowed
        Assert.Equal(1000, allocator.HeldBytes);
    }

    [Fact]
    public void Memory_given_back_can_be_asked_for_again()
    {
        var allocator = Allocator(1000);
        for (var i = 0; i < 10; i++)
        {
            using var buffer = allocator.Allocate<byte>(800);
        }

        Assert.Equal(0, allocator.HeldBytes);
        Assert.Equal(800, allocator.PeakBytes);
    }

    [Fact]
    public void The_decode_cap_is_16_bytes_per_allowed_pixel_and_never_overflows()
    {
        Assert.Equal(16_000_000, new ImageLoader(new OcrEngineOptions { MaxPixels = 1_000_000 }).DecodeLimitBytes);
        Assert.Equal(long.MaxValue, new ImageLoader(new OcrEngineOptions { MaxPixels = long.MaxValue }).DecodeLimitBytes);
    }

    [Fact]
    public void Image_buffers_are_counted_through_the_allocator_group()
    {
        var allocator = Allocator(long.MaxValue);
        var configuration = SixLabors.ImageSharp.Configuration.Default.Clone();
        configuration.MemoryAllocator = allocator;

        using (var image = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgba32>(configuration, 3000, 2000))
        {
            Assert.True(allocator.HeldBytes >= 3000L * 2000 * 4, $"{allocator.HeldBytes} bytes held");
        }

        Assert.Equal(0, allocator.HeldBytes);
    }
}

public sealed class DecodeMemoryTests
{
    [Fact]
    public void Decoding_keeps_no_pool_of_large_blocks()
    {
        // ImageSharp 2.1's allocator keeps up to poolCapacity blocks of 4 MiB after the images that used them are
        // disposed; by default an eighth of the memory the process may use. The first assertion shows the field read is
        // that pool's size (the default allocator pools); decoding's allocator keeps none.
        Assert.True(PoolCapacity(SixLabors.ImageSharp.Configuration.Default.MemoryAllocator) > 0);
        Assert.Equal(0, PoolCapacity(ImageLoader.Decoding.MemoryAllocator));
    }

    private static int PoolCapacity(MemoryAllocator allocator)
    {
        var field = allocator.GetType().GetField("poolCapacity", BindingFlags.NonPublic | BindingFlags.Instance)
            ?? throw new InvalidOperationException($"{allocator.GetType()} has no poolCapacity: ImageSharp changed; read its pool's size another way.");
        return (int)field.GetValue(allocator)!;
    }
}
