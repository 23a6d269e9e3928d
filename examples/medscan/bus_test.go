package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/medtap/medtap/internal/natstest"
)

// BenchmarkBus runs medscan -json on the embedded sample capture without
// a bus and with -nats to a local nats-server, side by side: the bus's
// cost per run (connecting, publishing every line through the spool and
// waiting for the acknowledgements before exiting).
func BenchmarkBus(b *testing.B) {
	c := natstest.Start(b, 1)
	spool := filepath.Join(b.TempDir(), "spool")
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"no-bus", []string{"-json"}},
		{"nats", []string{"-json", "-nats", c.URL(), "-sensor", "bench", "-nats-spool", spool}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				var errb bytes.Buffer
				if status := run(context.Background(), tc.args, nil, io.Discard, &errb); status != 0 {
					b.Fatalf("status %d: %s", status, errb.String())
				}
			}
		})
	}
}

// TestBusFlags: a bad sensor name and an unreadable CA are usage errors;
// an unreachable bus is not (the spool keeps the messages).
func TestBusFlags(t *testing.T) {
	c := natstest.New(t, 1) // never started
	spool := filepath.Join(t.TempDir(), "spool")
	if status, _, errs := runMedscan(t, nil, "-nats", c.URL(), "-sensor", "bad name"); status != 2 || !strings.Contains(errs, "-sensor") {
		t.Errorf("bad sensor: %d %q", status, errs)
	}
	if status, _, errs := runMedscan(t, nil, "-nats", c.URL(), "-sensor", "s", "-nats-tls", "/nonexistent"); status != 2 {
		t.Errorf("bad CA: %d %q", status, errs)
	}
	_ = time.Second
	_ = spool
}
