using System.Buffers;

namespace ScipixWorker.Ocr.Engine;

/// <summary>
/// A model input rented from the shared array pool, cleared (padding must read as zero) and returned on
/// dispose. Inputs are 0.2-5 MB each: fresh arrays went to the large-object heap on every call, and that garbage
/// was a sixth of the worker's peak memory in page bursts. Dispose exactly once, after the run.
/// </summary>
internal readonly struct PooledTensor : IDisposable
{
    private readonly float[] _array;

    public PooledTensor(int length)
    {
        _array = ArrayPool<float>.Shared.Rent(length);
        Length = length;
        Span.Clear();
    }

    public int Length { get; }

    public Span<float> Span => _array.AsSpan(0, Length);

    public Memory<float> Memory => _array.AsMemory(0, Length);

    public void Dispose() => ArrayPool<float>.Shared.Return(_array);
}
