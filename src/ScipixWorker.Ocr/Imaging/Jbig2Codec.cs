using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Text;
using ScipixWorker.Ocr.Engine;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// Decodes a PDF's JBIG2 images (<c>/JBIG2Decode</c>: the compression of most bitonal scans from office scanners,
/// Acrobat's and archives' PDFs) with jbig2dec, Ghostscript's and MuPDF's decoder, loaded from the system at run time
/// (Debian's <c>libjbig2dec0</c>; the worker's image installs it). The stream is embedded JBIG2 (no file header), with its
/// shared segments (a symbol dictionary) from the image's <c>/JBIG2Globals</c> stream.
/// </summary>
/// <remarks>
/// jbig2dec's allocations go through an allocator that counts them and refuses past a limit, so a stream whose page
/// information declares a huge page fails as too large instead of exhausting memory. The limit is the page's own size
/// and its symbols' (<see cref="Budget"/>), not the largest page's: jbig2dec's time grows with what it may allocate, and a damaged stream
/// can have it decode symbols and regions of garbage until the limit stops it (a 6-KB receipt with three bytes changed
/// ran 28 s of a core against the largest page's 229 MiB). jbig2dec checks that its header's version is the library's
/// (<c>jbig2_ctx_new_imp</c>): the version is found by asking, once.
/// </remarks>
internal static unsafe class Jbig2Codec
{
    private static readonly Lazy<Library?> Loaded = new(Library.Load);

    /// <summary>Whether jbig2dec was found on this machine.</summary>
    public static bool IsAvailable => Loaded.Value is not null;

    /// <summary>What to install where jbig2dec is missing.</summary>
    public const string Missing = "JBIG2 images need jbig2dec's library (libjbig2dec.so.0; Debian and Ubuntu: apt-get install libjbig2dec0)";

    /// <summary>
    /// What jbig2dec may hold at once while decoding a page of <paramref name="width"/> x <paramref name="height"/> pixels
    /// whose shared symbols come in <paramref name="globalsBytes"/>: its bits <see cref="PageCopies"/> times over, the
    /// symbols <see cref="SymbolExpansion"/> times their coded size, and <see cref="FixedBytes"/> (its decoders'
    /// contexts), at most <paramref name="maxBytes"/>. Pages decoded here held 2.1-2.3 times their bits at the most (a
    /// generic region, and a page of 2,757 symbols, 2,481 x 3,508 pixels), the fixed part more on small pages (3.1 times
    /// a receipt's 59 KB); decoded symbols held 11-13 times their coded bytes. The symbols' share keeps a book's shared
    /// dictionary (jbig2enc codes every page's symbols into one) within the limit of a page far smaller than it.
    /// </summary>
    public static long Budget(int width, int height, int globalsBytes, long maxBytes) =>
        Math.Min(maxBytes, (PageCopies * ((Math.Max(0L, width) + 7) / 8) * Math.Max(0L, height)) + (SymbolExpansion * (long)globalsBytes) + FixedBytes);

    /// <summary>How many times its page's bits a decode may hold (the page, a region, a refinement's reference and room).</summary>
    public const int PageCopies = 6;

    /// <summary>How many times their coded size the shared symbols may hold once decoded.</summary>
    public const int SymbolExpansion = 64;

    /// <summary>What a decode may hold beside its page's copies and its symbols: its arithmetic decoders' contexts.</summary>
    public const long FixedBytes = 1L << 20;

    /// <summary>
    /// Decodes an embedded JBIG2 stream (and its globals) into its page: 1 bit a pixel, rows of
    /// <see cref="Bitmap.Stride"/> bytes, a set bit black (JBIG2's sense, before any <c>/Decode</c>).
    /// </summary>
    /// <param name="data">The image's stream, undecoded.</param>
    /// <param name="globals">The <c>/JBIG2Globals</c> stream, decoded; empty for none.</param>
    /// <param name="width">The page's width as the file gives it (a PDF image's /Width).</param>
    /// <param name="height">The page's height as the file gives it.</param>
    /// <param name="maxBytes">The most jbig2dec may hold at once on any page (<see cref="Budget"/> is the page's own).</param>
    /// <param name="name">The image as messages name it ("The JBIG2 image on page 2 of the PDF").</param>
    /// <exception cref="OcrException">The library is missing, the stream is damaged, decodes to more than the limit or to
    /// a page larger than the file gives, or its decoding runs away (<see cref="Jbig2RunawayWatch"/>).</exception>
    public static Bitmap Decode(ReadOnlyMemory<byte> data, ReadOnlyMemory<byte> globals, int width, int height, long maxBytes, string name)
    {
        var library = Loaded.Value ?? throw new OcrException(OcrErrorCode.UnsupportedFormat, $"{name} cannot be decoded: {Missing}, and it is not installed here.");
        var pageArea = (long)Math.Max(0, width) * Math.Max(0, height);
        if ((Jbig2Segments.Implausible(globals.Span, pageArea) ?? Jbig2Segments.Implausible(data.Span, pageArea)) is { } implausible)
        {
            throw new OcrException(OcrErrorCode.CorruptImage, $"{name} cannot be decoded: it is damaged ({implausible}, on a page of {width} x {height}).");
        }

        // On a thread of its own, which a runaway decode never leaves (OnMessage): the job is answered meanwhile. The
        // thread holds the streams' memory, not copies, for as long as it runs.
        var limit = Budget(width, height, globals.Length, maxBytes);
        var messages = new Messages { Watch = new Jbig2RunawayWatch(width, height) };
        Bitmap? decoded = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                decoded = DecodeHere(library, data.Span, globals.Span, width, height, limit, name, messages);
            }
            catch (Exception ex)
            {
                failure = ex;
            }
            finally
            {
                messages.Ended.Set();
            }
        })
        {
            IsBackground = true,
            Name = "jbig2dec",
        };
        thread.Start();
        messages.Ended.Wait();
        if (messages.Runaway is { } runaway)
        {
            throw new OcrException(OcrErrorCode.CorruptImage, $"{name} cannot be decoded: it is damaged ({runaway}).");
        }

        messages.Ended.Dispose();
        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        return decoded!;
    }

    private static Bitmap DecodeHere(Library library, ReadOnlySpan<byte> data, ReadOnlySpan<byte> globals, int width, int height, long limit, string name, Messages messages)
    {
        var allocator = (BudgetAllocator*)NativeMemory.AllocZeroed((nuint)sizeof(BudgetAllocator));
        var handle = GCHandle.Alloc(messages);
        IntPtr context = 0, globalContext = 0;
        try
        {
            *allocator = new BudgetAllocator
            {
                Alloc = &Allocate,
                Free = &Release,
                Realloc = &Reallocate,
                Limit = limit,
                Width = width,
                Height = height,
            };

            if (!globals.IsEmpty)
            {
                var reader = library.NewContext(allocator, GCHandle.ToIntPtr(handle), 0);
                try
                {
                    Feed(library, reader, globals, name, messages, allocator);
                }
                catch
                {
                    if (reader != 0)
                    {
                        library.FreeContext(reader);
                    }

                    throw;
                }

                globalContext = library.MakeGlobal(reader);
            }

            context = library.NewContext(allocator, GCHandle.ToIntPtr(handle), globalContext);
            Feed(library, context, data, name, messages, allocator);
            library.CompletePage(context);
            var page = library.PageOut(context);
            if (page == null)
            {
                throw Failed(name, messages, allocator, "it holds no complete page");
            }

            if (messages.SymbolsMissing is { } missing)
            {
                library.ReleasePage(context, page);
                throw Failed(name, messages, allocator, $"its text refers to symbols it does not have ({missing}; a /JBIG2Globals stream left out or damaged)");
            }

            try
            {
                if (page->Width == 0 || page->Height == 0 || page->Stride < (page->Width + 7) / 8)
                {
                    throw Failed(name, messages, allocator, $"its page is {page->Width} x {page->Height} pixels");
                }

                if ((long)page->Width * page->Height > (long)width * height)
                {
                    throw Failed(name, messages, allocator, $"its page is {page->Width} x {page->Height} pixels where the file says {width} x {height}");
                }

                var bits = new ReadOnlySpan<byte>(page->Data, checked((int)((long)page->Stride * page->Height)));
                return new Bitmap((int)page->Width, (int)page->Height, (int)page->Stride, bits.ToArray());
            }
            finally
            {
                library.ReleasePage(context, page);
            }
        }
        finally
        {
            if (context != 0)
            {
                library.FreeContext(context);
            }

            if (globalContext != 0)
            {
                library.FreeGlobal(globalContext);
            }

            handle.Free();
            NativeMemory.Free(allocator);
        }
    }

    private static void Feed(Library library, IntPtr context, ReadOnlySpan<byte> data, string name, Messages messages, BudgetAllocator* allocator)
    {
        if (context == 0)
        {
            throw Failed(name, messages, allocator, "its decoder could not be made");
        }

        fixed (byte* bytes = data)
        {
            if (library.DataIn(context, bytes, (nuint)data.Length) < 0)
            {
                throw Failed(name, messages, allocator, "it is damaged");
            }
        }
    }

    private static OcrException Failed(string name, Messages messages, BudgetAllocator* allocator, string what)
    {
        if (allocator->Refused)
        {
            return new OcrException(OcrErrorCode.ImageTooLarge,
                $"{name} needs more than {allocator->Limit / (1024.0 * 1024):0.#} MiB to decode: more than a page of {allocator->Width} x {allocator->Height} " +
                "pixels (its size in the file) and its symbols need, or than the largest page allowed (Ocr:MaxPixels) may; its stream is damaged or claims a larger page.");
        }

        var said = messages.Fatal ?? messages.Last;
        return new OcrException(OcrErrorCode.CorruptImage,
            $"{name} cannot be decoded: {what}{(said is null ? "" : $" (jbig2dec: {said})")}.");
    }

    /// <summary>A decoded JBIG2 page: 1 bit a pixel, the first pixel of a row in its first byte's highest bit, a set bit black.</summary>
    internal sealed record Bitmap(int Width, int Height, int Stride, byte[] Bits);

    // jbig2dec's Jbig2Image.
    [StructLayout(LayoutKind.Sequential)]
    private struct Image
    {
        public uint Width;
        public uint Height;
        public uint Stride;
        public byte* Data;
        public int RefCount;
    }

    // jbig2dec's Jbig2Allocator (three function pointers), followed by this worker's count: jbig2dec hands the allocator
    // back to each call, so the count travels with it. Each block carries its size in front of it.
    [StructLayout(LayoutKind.Sequential)]
    private struct BudgetAllocator
    {
        public delegate* unmanaged<BudgetAllocator*, nuint, void*> Alloc;
        public delegate* unmanaged<BudgetAllocator*, void*, void> Free;
        public delegate* unmanaged<BudgetAllocator*, void*, nuint, void*> Realloc;
        public long Limit;
        public long Used;
        public bool Refused;

        // The page's size as the file gives it, which the limit was reckoned from (for the message when it is refused).
        public int Width;
        public int Height;
    }

    private const int BlockHeader = 16;

    [UnmanagedCallersOnly]
    private static void* Allocate(BudgetAllocator* allocator, nuint size)
    {
        if ((long)size > allocator->Limit - allocator->Used)
        {
            allocator->Refused = true;
            return null;
        }

        var block = (byte*)NativeMemory.Alloc(size + BlockHeader);
        if (block == null)
        {
            return null;
        }

        *(nuint*)block = size;
        allocator->Used += (long)size;
        return block + BlockHeader;
    }

    [UnmanagedCallersOnly]
    private static void Release(BudgetAllocator* allocator, void* pointer)
    {
        if (pointer == null)
        {
            return;
        }

        var block = (byte*)pointer - BlockHeader;
        allocator->Used -= (long)*(nuint*)block;
        NativeMemory.Free(block);
    }

    [UnmanagedCallersOnly]
    private static void* Reallocate(BudgetAllocator* allocator, void* pointer, nuint size)
    {
        var old = pointer == null ? 0 : *(nuint*)((byte*)pointer - BlockHeader);
        if ((long)size - (long)old > allocator->Limit - allocator->Used)
        {
            allocator->Refused = true;
            return null;
        }

        var block = (byte*)NativeMemory.Realloc(pointer == null ? null : (byte*)pointer - BlockHeader, size + BlockHeader);
        if (block == null)
        {
            return null;
        }

        *(nuint*)block = size;
        allocator->Used += (long)size - (long)old;
        return block + BlockHeader;
    }

    // What jbig2dec said while decoding: its first fatal error, its last warning, and its first warning that a text
    // region's symbols are missing. jbig2dec decodes such a page on, blank where the symbols would be: a page read
    // blank would be a wrong result, not a damaged file's, so it is refused.
    // Warnings past the first MaxWarnings are counted, not read: a damaged text region warns once per placement.
    // A runaway decode is told by its debug messages (Runaway) and never let go on: its thread stops in OnMessage, and
    // Ended lets the caller answer.
    private sealed class Messages
    {
        public const int MaxWarnings = 64;

        public required Jbig2RunawayWatch Watch { get; init; }

        public string? Runaway { get; set; }

        public ManualResetEventSlim Ended { get; } = new();

        public string? Fatal { get; set; }

        public string? Last { get; set; }

        public string? SymbolsMissing { get; set; }

        public long Warnings { get; set; }
    }

    private const int SeverityDebug = 0, SeverityWarning = 2, SeverityFatal = 3;

    /// <summary>Decodes stopped as runaways, their threads and memory held until the process ends.</summary>
    public static int Stopped => _stopped;

    private static int _stopped;

    [UnmanagedCallersOnly]
    private static void OnMessage(IntPtr data, byte* message, int severity, uint segment)
    {
        if (data == 0 || message == null)
        {
            return;
        }

        // jbig2dec says thousands of debug things a page (one a symbol): the two the watch reads are told by their first
        // letter before anything else is looked at.
        if (severity == SeverityDebug)
        {
            if (*message is (byte)'d' or (byte)'a' && GCHandle.FromIntPtr(data).Target is Messages watched
                && watched.Watch.Observe(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(message)) is { } runaway)
            {
                Stop(watched, runaway);
            }

            return;
        }

        if (severity < SeverityWarning || GCHandle.FromIntPtr(data).Target is not Messages messages)
        {
            return;
        }

        if (severity < SeverityFatal && ++messages.Warnings > Messages.MaxWarnings)
        {
            return;
        }

        var text = Marshal.PtrToStringUTF8((IntPtr)message);
        if (severity == SeverityFatal)
        {
            messages.Fatal ??= text;
        }

        if (text is not null && (text.Contains("no symbol dictionaries", StringComparison.Ordinal) || text.Contains("out of range symbol ID", StringComparison.Ordinal)))
        {
            messages.SymbolsMissing ??= text;
        }

        messages.Last = text;
    }

    // A runaway decode (Jbig2RunawayWatch): the caller is let go with the page refused, and this thread, inside jbig2dec,
    // waits for ever. Stopping it would leave jbig2dec's state to unwind, which cannot be done; its memory, within the
    // page's budget, stays held.
    private static void Stop(Messages messages, string runaway)
    {
        messages.Runaway = runaway;
        Interlocked.Increment(ref _stopped);
        messages.Ended.Set();
        Thread.Sleep(Timeout.Infinite);
    }

    // The library's entry points, found once.
    private sealed class Library
    {
        private const int EmbeddedOption = 1;

        private readonly delegate* unmanaged<void*, int, IntPtr, delegate* unmanaged<IntPtr, byte*, int, uint, void>, IntPtr, int, int, IntPtr> _newContext;
        private readonly delegate* unmanaged<IntPtr, IntPtr> _freeContext;
        private readonly delegate* unmanaged<IntPtr, IntPtr> _makeGlobal;
        private readonly delegate* unmanaged<IntPtr, IntPtr> _freeGlobal;
        private readonly delegate* unmanaged<IntPtr, byte*, nuint, int> _dataIn;
        private readonly delegate* unmanaged<IntPtr, int> _completePage;
        private readonly delegate* unmanaged<IntPtr, Image*> _pageOut;
        private readonly delegate* unmanaged<IntPtr, Image*, void> _releasePage;
        private int _major, _minor;

        private Library(IntPtr handle)
        {
            _newContext = (delegate* unmanaged<void*, int, IntPtr, delegate* unmanaged<IntPtr, byte*, int, uint, void>, IntPtr, int, int, IntPtr>)
                NativeLibrary.GetExport(handle, "jbig2_ctx_new_imp");
            _freeContext = (delegate* unmanaged<IntPtr, IntPtr>)NativeLibrary.GetExport(handle, "jbig2_ctx_free");
            _makeGlobal = (delegate* unmanaged<IntPtr, IntPtr>)NativeLibrary.GetExport(handle, "jbig2_make_global_ctx");
            _freeGlobal = (delegate* unmanaged<IntPtr, IntPtr>)NativeLibrary.GetExport(handle, "jbig2_global_ctx_free");
            _dataIn = (delegate* unmanaged<IntPtr, byte*, nuint, int>)NativeLibrary.GetExport(handle, "jbig2_data_in");
            _completePage = (delegate* unmanaged<IntPtr, int>)NativeLibrary.GetExport(handle, "jbig2_complete_page");
            _pageOut = (delegate* unmanaged<IntPtr, Image*>)NativeLibrary.GetExport(handle, "jbig2_page_out");
            _releasePage = (delegate* unmanaged<IntPtr, Image*, void>)NativeLibrary.GetExport(handle, "jbig2_release_page");
        }

        // The library by its Linux, macOS and Windows names; null where none loads, or where its version is not found.
        public static Library? Load()
        {
            foreach (var name in (string[])["libjbig2dec.so.0", "libjbig2dec.so", "libjbig2dec.0.dylib", "libjbig2dec.dylib", "jbig2dec"])
            {
                if (NativeLibrary.TryLoad(name, typeof(Jbig2Codec).Assembly, null, out var handle))
                {
                    try
                    {
                        var library = new Library(handle);
                        return library.FindVersion() ? library : null;
                    }
                    catch (EntryPointNotFoundException)
                    {
                        return null;
                    }
                }
            }

            return null;
        }

        // jbig2_ctx_new_imp refuses a caller built for another version than the library's, and says nothing else:
        // the versions jbig2dec has had (0.x) are tried until one is taken (its complaint about the others goes to
        // OnMessage, which drops what comes without a collector).
        private bool FindVersion()
        {
            for (var minor = 10; minor < 100; minor++)
            {
                var context = _newContext(null, EmbeddedOption, 0, &OnMessage, 0, 0, minor);
                if (context != 0)
                {
                    _freeContext(context);
                    (_major, _minor) = (0, minor);
                    return true;
                }
            }

            return false;
        }

        public IntPtr NewContext(BudgetAllocator* allocator, IntPtr messages, IntPtr global) =>
            _newContext(allocator, EmbeddedOption, global, &OnMessage, messages, _major, _minor);

        public void FreeContext(IntPtr context) => _freeContext(context);

        public IntPtr MakeGlobal(IntPtr context) => _makeGlobal(context);

        public void FreeGlobal(IntPtr global) => _freeGlobal(global);

        public int DataIn(IntPtr context, byte* data, nuint size) => _dataIn(context, data, size);

        public void CompletePage(IntPtr context) => _completePage(context);

        public Image* PageOut(IntPtr context) => _pageOut(context);

        public void ReleasePage(IntPtr context, Image* page) => _releasePage(context, page);
    }
}
