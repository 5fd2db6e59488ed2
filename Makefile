# ScipixWorker: `make run` starts the local stack and the worker and shows OCR results of the samples;
# `make test` runs every test (unit, OCR end-to-end, and integration against real RabbitMQ and Azurite).
SHELL := /bin/bash
CONFIG ?= Release
DOTNET ?= dotnet

.PHONY: models build test test-unit clean

models:
	./models/fetch.sh

build: models
	$(DOTNET) build ScipixWorker.sln -c $(CONFIG)

test: build
	$(DOTNET) test ScipixWorker.sln -c $(CONFIG) --no-build

clean:
	$(DOTNET) clean ScipixWorker.sln -c $(CONFIG)
