# bastion: build and test. "make test" is the whole suite, as CI runs it.
GO ?= go
export CGO_ENABLED = 0

.PHONY: all build test deps check cross fuzz bench clean

all: build

build:
	$(GO) build -trimpath -o bin/bastion ./cmd/bastion

# deps installs what the tests need on a fresh Debian machine.
deps:
	./scripts/deps.sh

# check: formatting, vet, and the AIX cross-build.
check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	GOOS=aix GOARCH=ppc64 $(GO) build ./...

test: deps check
	CGO_ENABLED=1 $(GO) test -race -count=1 ./...

# fuzz runs every fuzz target for FUZZTIME each.
FUZZTIME ?= 10s
fuzz:
	./scripts/fuzz.sh $(FUZZTIME)

bench:
	./bench/services.sh

clean:
	rm -rf bin
