using ScipixWorker;
using ScipixWorker.Observability;

var builder = WebApplication.CreateBuilder(args);
builder.AddWorker();
var app = builder.Build();
app.MapWorkerEndpoints();
await app.RunAsync();
return 0;
