using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ScipixWorker.Ocr.Engine;

/// <summary>
/// A model input in native memory, zeroed (padding must read as zero) and freed on dispose; ONNX Runtime reads
/// it in place (<see cref="ToOrtValue"/>). Dispose it after the run, once its <see cref="OrtValue"/> is disposed.
/// </summary>
/// <remarks>
/// Inputs are 0.1-30 MB each. Fresh arrays went to the large-object heap on every call and stayed there as
/// garbage until the next full collection; pooled arrays (power-of-two size classes, a few kept per class) ended
/// the garbage but kept 100 MB and more alive in a page burst: an array for every size class that detector pages,
/// classifier batches and recognizer batches had ever needed at once. Native memory goes back to the allocator the
/// moment a run ends, where the next input of any size reuses it: jemalloc (the container image's allocator, where the
/// model threads share one arena, <see cref="ModelArena"/>) has four size classes per doubling and returns idle pages
/// to the system by itself. Page bursts peak about 25-30 MiB lower than with the pools once the model threads share an
/// arena (docs/benchmarks.md, "One jemalloc arena for the model threads, model inputs in native memory").
/// </remarks>
internal sealed unsafe class NativeTensor : IDisposable
{
    private IntPtr _data;

    public NativeTensor(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        // Allocated, then cleared here, rather than calloc'ed: jemalloc zeroes a reused large allocation for calloc by
        // handing its pages back to the kernel (madvise) and faulting them in again as they are written, which costs
        // more than clearing pages that are already mapped.
        _data = (IntPtr)NativeMemory.Alloc((nuint)length, sizeof(float));
        Length = length;
        Span.Clear();
    }

    /// <summary>Floats in the tensor.</summary>
    public int Length { get; }

    /// <summary>The tensor's memory; valid until <see cref="Dispose"/>.</summary>
    public Span<float> Span => new((void*)Pointer, Length);

    private IntPtr Pointer => _data != IntPtr.Zero ? _data : throw new ObjectDisposedException(nameof(NativeTensor));

    /// <summary>An ONNX Runtime tensor over this memory (no copy) with the given shape; dispose it before this.</summary>
    public OrtValue ToOrtValue(long[] shape)
    {
        var elements = 1L;
        foreach (var dimension in shape)
        {
            elements *= dimension;
        }

        if (elements != Length)
        {
            throw new ArgumentException($"The shape holds {elements} elements; the tensor has {Length}.", nameof(shape));
        }

        return OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, TensorElementType.Float, shape, Pointer, Length * (long)sizeof(float));
    }

    /// <summary>Frees the memory (once; later calls do nothing).</summary>
    public void Dispose() => NativeMemory.Free((void*)Interlocked.Exchange(ref _data, IntPtr.Zero));
}
