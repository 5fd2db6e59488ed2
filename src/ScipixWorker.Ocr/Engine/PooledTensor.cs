using System.Buffers;

namespace ScipixWorker.Ocr.Engine;

/// <summary>
/// A model input rented from a pool of its own, cleared (padding must read as zero) and returned on dispose.
/// Inputs are 0.2-16 MB each: fresh arrays went to the large-object heap on every call, and that garbage was a
/// sixth of the worker's peak memory in page bursts. Dispose exactly once, after the run.
/// </summary>
/// <remarks>
/// Not <see cref="ArrayPool{T}.Shared"/>: it keeps a returned array in a slot of the returning thread first, and
/// page detections used to run on a new thread per job, so each page's tensor died with its thread and the next
/// page allocated another (70 % of the large-object bytes of a page burst, traced with AllocationTick events).
/// This pool is shared by all threads and keeps at most <see cref="ArraysPerSize"/> arrays per power-of-two
/// size up to <see cref="MaxPooledLength"/> floats (64 MB); larger inputs are allocated and dropped.
/// </remarks>
internal readonly struct PooledTensor : IDisposable
{
    /// <summary>The largest pooled array, in floats (64 MB: a detector input at the default limit, 3 x 960 x 960, is 11 MB).</summary>
    public const int MaxPooledLength = 16 * 1024 * 1024;

    /// <summary>Arrays kept per size class: two stage-1 threads and two recognizer executors run at once by default.</summary>
    public const int ArraysPerSize = 4;

    private static readonly ArrayPool<float> Pool = ArrayPool<float>.Create(MaxPooledLength, ArraysPerSize);

    private readonly float[] _array;

    public PooledTensor(int length)
    {
        _array = Pool.Rent(length);
        Length = length;
        Span.Clear();
    }

    public int Length { get; }

    public Span<float> Span => _array.AsSpan(0, Length);

    public Memory<float> Memory => _array.AsMemory(0, Length);

    public void Dispose() => Pool.Return(_array);
}
