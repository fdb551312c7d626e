// Soak mode (-duration): C callers in a closed loop for a fixed time over a mix of queries, sampling the plugin's
// VmRSS every -rss-every. Calls are counted per sample interval, not kept one by one (a 10-minute run makes
// hundreds of thousands), so there is no ordering analysis here.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io/ioutil"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"tsbackend/harness/pluginv2"
)

var (
	flagDuration = flag.Duration("duration", 0, "soak: run C closed-loop callers for this long instead of -n calls (with -mix, -rss-every)")
	flagMix      = flag.String("mix", "", `soak: JSON array of DataQuery JSON objects; call k sends mix[k % len] (each needs "queryType")`)
	flagRSSEvery = flag.Duration("rss-every", 10*time.Second, "soak: how often to sample the plugin's VmRSS")
)

type soakSample struct {
	AtS      float64 `json:"at_s"`
	RSSKB    int     `json:"rss_kb"`
	CPUms    float64 `json:"plugin_cpu_ms"`  // cumulative since the measured run began
	Calls    int64   `json:"calls"`          // cumulative
	Errors   int64   `json:"errors"`         // cumulative
	MaxLatMs float64 `json:"max_latency_ms"` // within the interval ending here
}

type soakSummary struct {
	Plugin      string                      `json:"plugin"`
	Concurrency int                         `json:"concurrency"`
	DurationS   float64                     `json:"duration_s"`
	Mix         []json.RawMessage           `json:"mix"`
	Calls       int64                       `json:"calls"`
	Errors      int64                       `json:"errors"`
	CallsPerS   float64                     `json:"calls_per_s"`
	PerType     map[string]*soakTypeCounter `json:"per_type"`
	ErrorKinds  map[string]int64            `json:"error_kinds,omitempty"`
	Samples     []soakSample                `json:"samples"`
}

type soakTypeCounter struct {
	Calls  int64 `json:"calls"`
	Errors int64 `json:"errors"`
	Bytes  int64 `json:"bytes"`
}

// soak runs the -duration load and exits the process (1 if any call failed).
func soak(path string, pid int, data pluginv2.DataClient, kill func()) {
	var mix []json.RawMessage
	if err := json.Unmarshal([]byte(*flagMix), &mix); err != nil || len(mix) == 0 {
		kill()
		die("-mix must be a non-empty JSON array of query objects: %v", err)
	}
	callers := make([]caller, len(mix))
	types := make([]string, len(mix))
	for i, q := range mix {
		var m struct {
			QueryType string `json:"queryType"`
		}
		if json.Unmarshal(q, &m) != nil || m.QueryType == "" {
			kill()
			die("-mix[%d] has no queryType", i)
		}
		types[i] = m.QueryType
		callers[i] = mixCaller(data, m.QueryType, string(q))
	}
	s := soakSummary{Plugin: path, Concurrency: *flagConc, Mix: mix, PerType: map[string]*soakTypeCounter{}, ErrorKinds: map[string]int64{}}
	for i := range mix {
		s.PerType[string(mix[i])] = &soakTypeCounter{}
	}
	var mu sync.Mutex
	var calls, errs int64
	var maxLat float64
	var next int64 = -1
	t0 := time.Now()
	cpu0 := procCPUms(pid)
	deadline := t0.Add(*flagDuration)
	sample := func() soakSample {
		mu.Lock()
		defer mu.Unlock()
		x := soakSample{AtS: time.Since(t0).Seconds(), RSSKB: rssKB(pid), CPUms: procCPUms(pid) - cpu0, Calls: calls, Errors: errs, MaxLatMs: maxLat}
		maxLat = 0
		return x
	}
	s.Samples = append(s.Samples, sample())
	fmt.Printf("soak: %d callers for %s over %d query kinds; rss %d KiB at start\n", *flagConc, *flagDuration, len(mix), s.Samples[0].RSSKB)
	done, sampled := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(sampled)
		tk := time.NewTicker(*flagRSSEvery)
		defer tk.Stop()
		for {
			select {
			case <-done:
				return
			case <-tk.C:
				x := sample()
				s.Samples = append(s.Samples, x)
				fmt.Printf("  %6.0fs rss %7d KiB  calls %8d  errors %d\n", x.AtS, x.RSSKB, x.Calls, x.Errors)
			}
		}
	}()
	var wg sync.WaitGroup
	for w := 0; w < *flagConc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				k := int(atomic.AddInt64(&next, 1)) % len(mix)
				st := time.Now()
				b, _, err := callers[k](context.Background())
				lat := ms(time.Since(st))
				mu.Lock()
				calls++
				tc := s.PerType[string(mix[k])]
				tc.Calls++
				tc.Bytes += int64(b)
				if err != nil {
					errs++
					tc.Errors++
					s.ErrorKinds[types[k]+": "+errKey(err)]++
				}
				if lat > maxLat {
					maxLat = lat
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(done)
	<-sampled
	last := sample()
	s.Samples = append(s.Samples, last)
	s.DurationS = last.AtS
	s.Calls, s.Errors = calls, errs
	s.CallsPerS = float64(calls) / last.AtS
	fmt.Printf("soak: %d calls, %d errors in %.0fs = %.1f calls/s; rss %d KiB at the end\n", calls, errs, last.AtS, s.CallsPerS, last.RSSKB)
	keys := make([]string, 0, len(s.ErrorKinds))
	for e := range s.ErrorKinds {
		keys = append(keys, e)
	}
	sort.Strings(keys)
	for _, e := range keys {
		fmt.Printf("  error x%d: %s\n", s.ErrorKinds[e], e)
	}
	if *flagJSON != "" {
		b, _ := json.MarshalIndent(struct {
			Summary soakSummary `json:"soak"`
		}{s}, "", " ")
		if err := ioutil.WriteFile(*flagJSON, b, 0o644); err != nil {
			fmt.Fprintf(os.Stderr, "grpc-load: writing %s: %v\n", *flagJSON, err)
		}
	}
	kill()
	if errs > 0 {
		os.Exit(1)
	}
	os.Exit(0)
}

// mixCaller is makeCaller's query mode for one fixed query JSON and type.
func mixCaller(data pluginv2.DataClient, qt, query string) caller {
	return func(ctx context.Context) (int, int, error) {
		now := time.Now()
		req := &pluginv2.QueryDataRequest{PluginContext: pluginContext(), Headers: map[string]string{}}
		req.Queries = append(req.Queries, &pluginv2.DataQuery{
			RefId:         "A",
			MaxDataPoints: 1000,
			IntervalMS:    1000,
			TimeRange:     &pluginv2.TimeRange{FromEpochMS: now.Add(-6 * time.Hour).UnixMilli(), ToEpochMS: now.UnixMilli()},
			Json:          []byte(query),
			QueryType:     qt,
		})
		r, err := data.QueryData(ctx, req)
		if err != nil {
			return 0, 0, err
		}
		b := 0
		dr, ok := r.Responses["A"]
		if !ok {
			return 0, 0, fmt.Errorf("no response for refId A")
		}
		if dr.Error != "" {
			return 0, 0, fmt.Errorf("%s (status %d)", dr.Error, dr.Status)
		}
		for _, f := range dr.Frames {
			b += len(f)
			if len(f) < 12 || string(f[:6]) != "ARROW1" || string(f[len(f)-6:]) != "ARROW1" {
				return b, 0, fmt.Errorf("frame is not an Arrow IPC file")
			}
		}
		return b, len(dr.Frames), nil
	}
}
