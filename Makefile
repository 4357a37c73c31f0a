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

# A release's number, given to the binary at link time so that packaging
# edits no tracked file: the version is the tag vX.Y.Z on the commit, else
# FyneApp.toml's; the build is the number of commits. Either can be set:
# make package VERSION=1.0.0 BUILD=7
ifeq ($(origin VERSION),undefined)
VERSION := $(shell v=$$(git describe --tags --exact-match --match 'v[0-9]*' 2>/dev/null); \
	if [ -n "$$v" ]; then echo "$${v\#v}"; else sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml; fi)
endif
ifeq ($(origin BUILD),undefined)
BUILD := $(shell git rev-list --count HEAD 2>/dev/null || echo 1)
endif
LDFLAGS := -s -w -X main.version=$(VERSION) -X main.build=$(BUILD)
# Packages land here (git-ignored).
DIST    ?= dist
DISTABS  = $(abspath $(DIST))
# The tools, pinned and run with go run: nothing to install by hand.
FYNE    := $(GO) run fyne.io/tools/cmd/fyne@v1.7.4
WINRES  := $(GO) run github.com/tc-hib/go-winres@v0.3.3
# The mingw-w64 C compiler that cross-compiles Fyne's cgo for Windows.
WINCC   ?= x86_64-w64-mingw32-gcc

.PHONY: help deps build run test bench pgo tour lint package package-linux package-windows clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

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
	$(GO) test -race -count=1 -timeout 60m ./...

bench: deps ## run the benchmarks (1M- and 5M-row CUR import, and 5M rows over 400 accounts: rows/s, MB/s, peak RSS, database size, beside DuckDB's GROUP BY when Node and npm are there; one and 50 customers' statements; a side-by-side table at the end; billing API: 10,000 requests, 8 clients)
	$(GO) test -pgo=$(CURDIR)/default.pgo -run '^$$' -bench . -benchtime 1x -timeout 30m ./store/ ./engine/... ./ui/api/

# default.pgo is a CPU profile of the import, the work that dominates: go
# build finds it beside main.go and optimises the binary for it (inlining,
# devirtualisation; profile-guided optimisation), and the benchmarks are
# built with it too, so they measure the code as shipped. Made again by
# this target when the import's code changes much.
pgo: ## profile five imports of the generated 1M-row CUR into default.pgo
	$(GO) test -pgo=off -run '^$$' -bench 'ImportCPU1M' -benchtime 5x -cpuprofile $(CURDIR)/default.pgo ./store/
	rm -f store.test

tour: build ## the README's pictures of every screen on the sample data, taken from the window under Xvfb, into docs/tour/
	@.ci/deps.sh --tour
	docs/tour/take.sh $(BIN) docs/tour 1280x800 1024x700

lint: ## go vet, gofmt and staticcheck
	$(GO) vet ./...
	@test -z "$$(gofmt -l .)" || (gofmt -l .; exit 1)
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

package: package-linux package-windows ## build the Linux bundle and the Windows zip into dist/

# fyne package bumps the Build of the FyneApp.toml in its --src folder, so
# it is given a copy (with the icon, and a Go file because it insists on
# one) and the binary built here with the release number.
package-linux: deps ## dist/Rebill-VERSION-linux-amd64.tar.xz: binary, icon and .desktop entry (fyne package)
	rm -rf $(DIST)/linux && mkdir -p $(DIST)/linux/src/assets
	$(GO) build -ldflags '$(LDFLAGS)' -o $(DIST)/linux/rebill .
	cp FyneApp.toml $(DIST)/linux/src/ && cp assets/icon.png $(DIST)/linux/src/assets/
	printf '// Package main stands in for Rebill: fyne package wants Go code in --src.\npackage main\n' >$(DIST)/linux/src/main.go
	cd $(DIST)/linux && $(FYNE) package --target linux --release --src $(DISTABS)/linux/src \
		--executable $(DISTABS)/linux/rebill --app-version $(VERSION) --app-build $(BUILD)
	mv $(DIST)/linux/Rebill.tar.xz $(DIST)/Rebill-$(VERSION)-linux-amd64.tar.xz
	@echo "Linux bundle: $(DIST)/Rebill-$(VERSION)-linux-amd64.tar.xz"

# A GUI-subsystem rebill.exe (no console beside the window; commands
# attach to the console they are started from, main_windows.go) with its
# icon, version resource and Windows 10 manifest. go build takes a .syso
# only from the package's folder (not through -overlay), so it is written
# there for the build and removed after it, even a failed one.
package-windows: ## dist/Rebill-VERSION-windows-amd64.zip and -setup.exe (NSIS), cross-compiled with mingw-w64 (Windows 10 or later)
	@command -v $(WINCC) >/dev/null || { echo "$(WINCC) is missing: apt-get install gcc-mingw-w64-x86-64 (or set WINCC)"; exit 1; }
	@command -v zip >/dev/null || { echo "zip is missing: apt-get install zip"; exit 1; }
	rm -rf $(DIST)/windows && mkdir -p $(DIST)/windows/Rebill
	trap 'rm -f rsrc_windows_amd64.syso' EXIT; \
	$(WINRES) make --in assets/windows/winres.json --arch amd64 --out rsrc \
		--product-version $(VERSION).$(BUILD) --file-version $(VERSION).$(BUILD) && \
	GOOS=windows GOARCH=amd64 CC=$(WINCC) $(GO) build \
		-ldflags '-H=windowsgui $(LDFLAGS)' -o $(DIST)/windows/Rebill/rebill.exe .
	cp assets/windows/README.txt assets/fonts/LICENSE-DejaVu.txt $(DIST)/windows/Rebill/
	rm -f $(DIST)/Rebill-$(VERSION)-windows-amd64.zip
	cd $(DIST)/windows && zip -q -r -9 $(DISTABS)/Rebill-$(VERSION)-windows-amd64.zip Rebill
	@echo "Windows zip: $(DIST)/Rebill-$(VERSION)-windows-amd64.zip"
	@if command -v makensis >/dev/null; then \
		$(WINRES) extract --dir $(DIST)/windows/res $(DIST)/windows/Rebill/rebill.exe && \
		makensis -V2 -DVERSION=$(VERSION) -DBUILD=$(BUILD) -DSRC=$(DISTABS)/windows/Rebill \
			-DICON=$(DISTABS)/windows/res/APP_0000.ico -DOUT=$(DISTABS)/Rebill-$(VERSION)-windows-amd64-setup.exe \
			assets/windows/installer.nsi && \
		echo "Windows installer: $(DIST)/Rebill-$(VERSION)-windows-amd64-setup.exe"; \
	else echo "makensis is missing, so no Windows installer (the zip is enough): apt-get install nsis"; fi

clean: ## remove build output
	rm -f $(BIN) $(BIN).exe
	rm -rf $(DIST) fyne-cross *.app *.tar.xz
