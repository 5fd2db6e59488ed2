using ScipixWorker;
using ScipixWorker.Memory;
using ScipixWorker.Observability;

NativeHeapArenas.Apply();
var builder = WebApplication.CreateBuilder(args);
builder.AddWorker();
var app = builder.Build();
app.MapWorkerEndpoints();
await app.RunAsync();
return 0;
