package api

import (
	"context"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"rebill/engine/access"
)

// Load test bounds: loadRequests requests by loadClients concurrent
// clients over loopback, stopped after loadDeadline whatever happens.
const (
	loadRequests = 10_000
	loadClients  = 8
	loadDeadline = 2 * time.Minute
)

// BenchmarkLoad serves the sample database on a real loopback port and
// sends it loadRequests reads from loadClients clients with keep-alive
// connections, round-robin over the read routes (lists, one invoice,
// customers, mappings, periods, a statement), with a read-only key. It
// reports throughput, p50/p99/max latency and errors; any error fails
// it. `make bench` runs it once (-benchtime 1x).
func BenchmarkLoad(b *testing.B) {
	db, _, issued := sampleDB(b)
	_, key, err := db.CreateAPIKey("load", access.Read, testNow)
	if err != nil {
		b.Fatal(err)
	}
	run, err := Listen("127.0.0.1:0", New(db, func() time.Time { return testNow }, io.Discard))
	if err != nil {
		b.Fatal(err)
	}
	defer run.Close()
	paths := []string{
		Base + "/invoices",
		Base + "/invoices?status=open&per_page=2",
		Base + "/invoices/" + issued[0],
		Base + "/customers",
		Base + "/customers/ACME",
		Base + "/mappings?customer=GLOBEX",
		Base + "/periods",
		Base + "/invoices?customer=INITECH",
		Base + "/customers/GLOBEX/statements/2026-09?tax=true",
		Base + "/invoices?period=2026-09&page=2&per_page=1",
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: loadClients, MaxConnsPerHost: loadClients}, Timeout: 30 * time.Second}
	b.ResetTimer()
	for range b.N {
		ctx, cancel := context.WithTimeout(context.Background(), loadDeadline)
		var next, errs atomic.Int64
		lat := make([][]time.Duration, loadClients)
		var wg sync.WaitGroup
		start := time.Now()
		for c := range loadClients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ctx.Err() == nil {
					i := next.Add(1) - 1
					if i >= loadRequests {
						return
					}
					req, _ := http.NewRequestWithContext(ctx, http.MethodGet, run.URL()+paths[i%int64(len(paths))], nil)
					req.Header.Set("Authorization", "Bearer "+key)
					t0 := time.Now()
					resp, err := client.Do(req)
					if err == nil {
						_, err = io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						if resp.StatusCode != http.StatusOK {
							errs.Add(1)
						}
					}
					if err != nil {
						errs.Add(1)
					}
					lat[c] = append(lat[c], time.Since(t0))
				}
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		cancel()
		all := slices.Concat(lat...)
		slices.Sort(all)
		if len(all) != loadRequests {
			b.Fatalf("%d of %d requests sent before the %s deadline", len(all), loadRequests, loadDeadline)
		}
		pct := func(p float64) time.Duration { return all[int(p*float64(len(all)-1))] }
		b.ReportMetric(float64(len(all))/elapsed.Seconds(), "req/s")
		b.ReportMetric(float64(pct(0.50).Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(pct(0.99).Microseconds())/1000, "p99-ms")
		b.ReportMetric(float64(all[len(all)-1].Microseconds())/1000, "max-ms")
		b.ReportMetric(float64(errs.Load()), "errors")
		b.Logf("%d requests, %d clients, loopback: %.0f req/s, p50 %s, p99 %s, max %s, %d errors (in %s)",
			len(all), loadClients, float64(len(all))/elapsed.Seconds(), pct(0.50), pct(0.99), all[len(all)-1], errs.Load(), elapsed.Round(time.Millisecond))
		if errs.Load() > 0 {
			b.Errorf("%d requests failed", errs.Load())
		}
	}
}
