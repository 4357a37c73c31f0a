# Rebill: `make run` and `make test` are all a newcomer needs (README.md).
SHELL := /bin/bash
GO    ?= go
BIN   ?= rebill
# Fyne cannot parse the C locale (nor C.UTF-8) and logs an error at every
# start; a plain C locale becomes English, any real locale is kept.
ifeq ($(filter-out C C.UTF-8 C.utf8 POSIX,$(LANG)),)
export LANG := en_US.UTF-8
endif
export CGO_ENABLED := 1

.PHONY: help deps build run test bench lint package clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

deps: ## install the missing system packages Fyne needs (apt on Debian/Ubuntu; prints prerequisites elsewhere)
	@.ci/deps.sh

build: deps ## build the rebill binary
	$(GO) build -o $(BIN) .

run: build ## build and open the window on the default database
	./$(BIN)

test: deps ## vet, check formatting and run every test with the race detector
	$(GO) vet ./...
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change: $$unformatted"; exit 1; fi
	$(GO) test -race -count=1 -timeout 30m ./...

bench: deps ## run the benchmarks (1M-row CUR import: rows/s, MB/s, peak RSS, database size; billing API: 10,000 requests, 8 clients)
	$(GO) test -run '^$$' -bench . -benchtime 1x -timeout 30m ./store/ ./engine/... ./ui/api/

lint: ## go vet, gofmt and staticcheck
	$(GO) vet ./...
	@test -z "$$(gofmt -l .)" || (gofmt -l .; exit 1)
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

package: deps ## build a desktop package for this OS with the fyne tool
	$(GO) run fyne.io/tools/cmd/fyne@v1.7.4 package -release

clean: ## remove build output
	rm -f $(BIN) $(BIN).exe
	rm -rf fyne-cross *.app *.tar.xz
