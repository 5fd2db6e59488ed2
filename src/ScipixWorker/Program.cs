using ScipixWorker;
using ScipixWorker.Memory;
using ScipixWorker.Observability;

NativeHeapArenas.Apply();
if (NativeAllocator.Current == NativeAllocator.Jemalloc)
{
    // Before the engine's threads start: the model threads share one jemalloc arena (ModelArena).
    ScipixWorker.Ocr.Engine.ModelArena.Enable();
}

var builder = WebApplication.CreateBuilder(args);
builder.AddWorker();
var app = builder.Build();
app.MapWorkerEndpoints();
await app.RunAsync();
return 0;
