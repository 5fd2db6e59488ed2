using ScipixWorker.Ocr.Engine;

namespace ScipixWorker.Ocr.UnitTests.Engine;

public sealed class NativeTensorTests
{
    [Fact]
    public void A_native_tensor_is_zeroed_even_where_memory_was_used_before()
    {
        for (var i = 0; i < 3; i++)
        {
            using var tensor = new NativeTensor(1_000_003);
            Assert.True(tensor.Span.IndexOfAnyExcept(0f) < 0);
            tensor.Span.Fill(1f);
        }
    }

    [Fact]
    public void An_ort_value_reads_the_tensor_in_place()
    {
        using var tensor = new NativeTensor(2 * 3 * 4);
        tensor.Span[5] = 42f;
        using var value = tensor.ToOrtValue([2, 3, 4]);
        Assert.Equal([2L, 3, 4], value.GetTensorTypeAndShape().Shape);
        Assert.Equal(42f, value.GetTensorDataAsSpan<float>()[5]);

        tensor.Span[6] = 7f; // no copy: the value sees later writes
        Assert.Equal(7f, value.GetTensorDataAsSpan<float>()[6]);
    }

    [Fact]
    public void A_shape_must_hold_exactly_the_tensors_elements() =>
        Assert.Throws<ArgumentException>(() => new NativeTensor(24).ToOrtValue([2, 3, 5]));

    [Fact]
    public void A_disposed_tensor_is_freed_once_and_cannot_be_read()
    {
        var tensor = new NativeTensor(16);
        tensor.Dispose();
        tensor.Dispose(); // a second dispose frees nothing
        Assert.Throws<ObjectDisposedException>(() => tensor.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => tensor.ToOrtValue([16]));
    }
}
