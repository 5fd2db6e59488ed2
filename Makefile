# ScipixWorker: `make run` starts the local stack and the worker and shows OCR results of the samples;
# `make test` runs every test (unit, OCR end-to-end, and integration against real RabbitMQ and Azurite).
# The local stack (RabbitMQ + Azurite) is scripts/local-stack.sh: `make stack-up` / `make stack-down`;
# it stays up between runs so that repeated `make test` runs do not pay for its start.
SHELL := /bin/bash
CONFIG ?= Release
DOTNET ?= dotnet
STACK := scripts/local-stack.sh
# Extra arguments for `dotnet test`, e.g. make test TEST_ARGS='--filter FullyQualifiedName~Ctc'
TEST_ARGS ?=
UNIT_TEST_PROJECTS := tests/ScipixWorker.UnitTests tests/ScipixWorker.Ocr.UnitTests

.PHONY: models build codecs test test-unit test-alerts clean stack-up stack-down stack-status run lint-infra

models:
	./models/fetch.sh

build: models
	$(DOTNET) build ScipixWorker.sln -c $(CONFIG)

stack-up:
	$(STACK) start

# jbig2dec and OpenJPEG, which the worker loads for JBIG2 and JPEG 2000 images (installed when missing).
codecs:
	$(STACK) codecs

stack-down:
	$(STACK) stop

stack-status:
	$(STACK) status

# The tests read the same configuration keys as the worker (RabbitMq__*, BlobStorage__*), from the stack's env.
test: build stack-up codecs
	eval "$$($(STACK) env)" && $(DOTNET) test ScipixWorker.sln -c $(CONFIG) --no-build $(TEST_ARGS)
	# The allocator probe and the model inputs' native memory again under jemalloc, as the container image runs the
	# worker (where it can be installed).
	jemalloc="$$($(STACK) jemalloc)" && if [ -n "$$jemalloc" ]; then export MALLOC_CONF=narenas:3,oversize_threshold:0 LD_PRELOAD="$$jemalloc" \
		&& $(DOTNET) test tests/ScipixWorker.UnitTests -c $(CONFIG) --no-build --filter "FullyQualifiedName~NativeAllocatorTests|FullyQualifiedName~NativeTensor" \
		&& $(DOTNET) test tests/ScipixWorker.Ocr.UnitTests -c $(CONFIG) --no-build --filter "FullyQualifiedName~NativeTensor"; fi
	$(MAKE) --no-print-directory test-alerts

# The alerting rules (infra/prometheus): promtool's syntax check and its unit tests, the compose stack's
# Prometheus configuration with the rules mounted beside it, and the PromQL of the Grafana dashboard's panels, where
# promtool can be had (scripts/local-stack.sh
# promtool unpacks Debian's into .local).
test-alerts:
	promtool="$$($(STACK) promtool)" && if [ -n "$$promtool" ]; then "$$promtool" check rules infra/prometheus/scipix-alerts.yml \
		&& (cd infra/prometheus && "$$promtool" test rules scipix-alerts.test.yml) \
		&& config="$$(mktemp -d)" && cp compose/prometheus.yml infra/prometheus/scipix-alerts.yml "$$config" \
		&& "$$promtool" check config "$$config/prometheus.yml" && rm -rf "$$config" \
		&& scripts/check-dashboard.sh "$$promtool"; fi

# Unit tests only: no stack needed.
test-unit: build
	for project in $(UNIT_TEST_PROJECTS); do $(DOTNET) test $$project -c $(CONFIG) --no-build $(TEST_ARGS) || exit 1; done

# The worker with the local stack's settings; --samples uploads samples/, queues one job per image and prints
# each result's text, then the worker keeps consuming until Ctrl-C. `dotnet run` starts the program in the
# project's folder, so paths are absolute. Health: http://localhost:8080/health/ready; metrics: :9464/metrics.
# Native memory as in the container image: jemalloc preloaded where it can be installed (libjemalloc2), two
# glibc arenas otherwise (docs/operations.md, "Memory").
run: models stack-up codecs
	eval "$$($(STACK) env)" && jemalloc="$$($(STACK) jemalloc)" && \
		Ocr__ModelDirectory=$(CURDIR)/models MALLOC_ARENA_MAX=2 MALLOC_CONF=oversize_threshold:0 LD_PRELOAD="$$jemalloc" \
		$(DOTNET) run --project src/ScipixWorker -c $(CONFIG) -- --samples $(CURDIR)/samples

# The scripts and YAML outside src/ (apt-get install shellcheck yamllint).
lint-infra:
	shellcheck .ci/run scripts/*.sh models/fetch.sh
	yamllint -s .yamllint compose infra

clean:
	$(DOTNET) clean ScipixWorker.sln -c $(CONFIG)
