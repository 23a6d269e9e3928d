package mllp_test

import (
	"context"
	"flag"
	"fmt"
	"net"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/medtap/medtap/mllp"
)

var (
	loadClients = flag.Int("mllp.load.clients", 200, "concurrent clients in TestLoad")
	loadMsgs    = flag.Int("mllp.load.msgs", 20, "messages per client in TestLoad (the issue's full run: 1000)")
)

// TestLoad runs many concurrent clients against one Server on loopback,
// plus clients killed mid-frame and right after sending, and checks that
// every ACKed message reached the handler exactly once, that nothing was
// handled twice, and that no goroutine outlives Shutdown. It logs
// messages/s and the p99 ACK latency.
func TestLoad(t *testing.T) {
	clients, msgs := *loadClients, *loadMsgs
	if testing.Short() {
		clients, msgs = 20, 10
	}
	baseGoroutines := runtime.NumGoroutine()
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var handled sync.Map // control ID -> *atomic.Int32
	var total atomic.Int64
	h := mllp.HandlerFunc(func(ctx context.Context, req *mllp.Request) ([]byte, error) {
		n, _ := handled.LoadOrStore(req.Message.ControlID().String(), new(atomic.Int32))
		n.(*atomic.Int32).Add(1)
		total.Add(1)
		return nil, nil
	})
	// Every client comes from 127.0.0.1: lift the per-address cap.
	s := &mllp.Server{Handler: h, MaxConns: clients + 50, MaxConnsPerAddr: clients + 50, ReadTimeout: 10 * time.Second}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve(l) }()
	addr := l.Addr().String()

	var acked sync.Map
	lat := make([][]time.Duration, clients)
	var wg sync.WaitGroup
	var failures atomic.Int64
	startAt := time.Now()
	for ci := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &mllp.Client{Addr: addr, Timeout: 30 * time.Second}
			defer c.Close()
			lat[ci] = make([]time.Duration, 0, msgs)
			for mi := range msgs {
				id := fmt.Sprintf("C%dM%d", ci, mi)
				t0 := time.Now()
				if _, err := c.Send(context.Background(), testMsg(id)); err != nil {
					if failures.Add(1) < 5 {
						t.Errorf("%s: %v", id, err)
					}
					continue
				}
				lat[ci] = append(lat[ci], time.Since(t0))
				acked.Store(id, true)
			}
		}()
	}
	// Rude clients: cut off mid-frame, or gone right after sending.
	for k := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", addr)
			if err != nil {
				return
			}
			frame := mllp.AppendFrame(nil, testMsg(fmt.Sprintf("RUDE%d", k)))
			if k%2 == 0 {
				frame = frame[:len(frame)/2]
			}
			c.Write(frame)
			c.Close()
		}()
	}
	wg.Wait()
	elapsed := time.Since(startAt)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	<-served

	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	slices.Sort(all)
	if len(all) != clients*msgs {
		t.Errorf("%d of %d messages ACKed", len(all), clients*msgs)
	}
	acked.Range(func(k, _ any) bool {
		n, ok := handled.Load(k)
		if !ok || n.(*atomic.Int32).Load() != 1 {
			t.Errorf("ACKed %v handled %v times", k, n)
		}
		return true
	})
	handled.Range(func(k, n any) bool {
		if c := n.(*atomic.Int32).Load(); c != 1 {
			t.Errorf("%v handled %d times", k, c)
		}
		return true
	})
	if len(all) > 0 {
		t.Logf("%d clients × %d messages: %d ACKed in %v, %.0f messages/s, p50 %v, p99 %v, max %v; %d handled in all (rude clients included)",
			clients, msgs, len(all), elapsed.Round(time.Millisecond), float64(len(all))/elapsed.Seconds(),
			all[len(all)/2], all[len(all)*99/100], all[len(all)-1], total.Load())
	}
	// No goroutine may outlive the server.
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > baseGoroutines+2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grown := int64(after.HeapAlloc) - int64(before.HeapAlloc); grown > 16<<20 {
		t.Errorf("heap grew by %d bytes after Shutdown", grown)
	} else {
		t.Logf("heap after Shutdown: %+d bytes", grown)
	}
	if n := runtime.NumGoroutine(); n > baseGoroutines+2 {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines after Shutdown, %d before:\n%s", n, baseGoroutines, buf[:runtime.Stack(buf, true)])
	}
}
