using ScipixWorker;
using ScipixWorker.Memory;
using ScipixWorker.Observability;

NativeHeapArenas.Apply();
// Before the engine's threads start: under jemalloc the model threads share one arena (ModelArena).
ScipixWorker.Ocr.Engine.ModelArena.EnableUnderJemalloc();

var builder = WebApplication.CreateBuilder(args);
builder.AddWorker();
var app = builder.Build();
app.MapWorkerEndpoints();
await app.RunAsync();
return 0;
