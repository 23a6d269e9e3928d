package natsbus_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/medtap/medtap/bus/natsbus"
	"github.com/medtap/medtap/internal/natstest"
)

func open(t *testing.T, cfg natsbus.Config) *natsbus.Sink {
	t.Helper()
	cfg.Logf = t.Logf
	s, err := natsbus.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// consumeAll drains the stream and counts messages by ID.
func consumeAll(t *testing.T, url string) (byID map[string]int, bySensor map[string]int) {
	t.Helper()
	byID, bySensor = map[string]int{}, map[string]int{}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	err := natsbus.Consume(ctx, natsbus.Config{URL: url}, true, func(m *natsbus.Message) error {
		byID[m.ID]++
		bySensor[m.Sensor]++
		if m.Type != "event" {
			return fmt.Errorf("type %q", m.Type)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return byID, bySensor
}

func line(sensor string, i int) []byte {
	return fmt.Appendf(nil, `{"type":"event","ts":"2026-11-29T06:00:00.000000000Z","sensor":%q,"n":%d}`+"\n", sensor, i)
}

// TestClusterFailover: two sensors publish to a stream of three replicas
// on a three-server cluster; one server is killed mid-run and restarted.
// Every message is stored once: none lost, none duplicated.
func TestClusterFailover(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a nats-server cluster")
	}
	c := natstest.Start(t, 3)
	const n = 3000
	var wg sync.WaitGroup
	sinks := map[string]*natsbus.Sink{}
	for _, name := range []string{"imaging", "wards"} {
		sinks[name] = open(t, natsbus.Config{URL: c.URL(), Sensor: name, Replicas: 3, SpoolDir: filepath.Join(t.TempDir(), name)})
	}
	for name, s := range sinks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range n {
				if _, err := s.Write(line(name, i)); err != nil {
					t.Error(err)
					return
				}
				if i%500 == 0 {
					time.Sleep(20 * time.Millisecond) // spread the run over the failure
				}
			}
		}()
	}
	time.Sleep(100 * time.Millisecond)
	c.Kill(1)
	time.Sleep(500 * time.Millisecond)
	c.Start(1)
	wg.Wait()
	for name, s := range sinks {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		err := s.Close(ctx)
		cancel()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		st := s.Stats()
		t.Logf("%s: %+v", name, st)
		if st.Spool.Dropped != 0 {
			t.Errorf("%s: %d dropped", name, st.Spool.Dropped)
		}
	}
	byID, bySensor := consumeAll(t, c.URL())
	if len(byID) != 2*n {
		t.Errorf("%d distinct messages, want %d", len(byID), 2*n)
	}
	for id, k := range byID {
		if k != 1 {
			t.Errorf("message %s stored %d times", id, k)
		}
	}
	if bySensor["imaging"] != n || bySensor["wards"] != n {
		t.Errorf("by sensor %v", bySensor)
	}
}

// TestSpoolRefills: with the bus unreachable the sink spools; a sink
// closed then loses nothing (the spool stays on disk), and a new sink on
// the same spool refills the stream once the server is up.
func TestSpoolRefills(t *testing.T) {
	c := natstest.New(t, 1) // not started: unreachable
	dir := t.TempDir()
	s := open(t, natsbus.Config{URL: c.URL(), Sensor: "ward7", SpoolDir: dir})
	const n = 500
	for i := range n {
		s.Write(line("ward7", i))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	err := s.Close(ctx)
	cancel()
	if err == nil {
		t.Fatal("Close with the bus down reported everything delivered")
	}
	st := s.Stats()
	if st.Acked != 0 || st.Spool.Bytes == 0 {
		t.Fatalf("with the bus down: %+v", st)
	}

	c.Start(0)
	s = open(t, natsbus.Config{URL: c.URL(), Sensor: "ward7", SpoolDir: dir})
	for i := n; i < n+100; i++ {
		s.Write(line("ward7", i))
	}
	ctx, cancel = context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if st := s.Stats(); st.Spool.Recovered != n {
		t.Errorf("recovered %d from the spool, want %d", st.Spool.Recovered, n)
	}
	byID, _ := consumeAll(t, c.URL())
	if len(byID) != n+100 {
		t.Errorf("%d messages in the stream, want %d", len(byID), n+100)
	}
	for id, k := range byID {
		if k != 1 {
			t.Errorf("%s stored %d times", id, k)
		}
	}
}

func TestLineType(t *testing.T) {
	c := natstest.Start(t, 1)
	s := open(t, natsbus.Config{URL: c.URL(), Sensor: "x", SpoolDir: t.TempDir()})
	// A line split across writes, and lines of several types.
	s.Write([]byte(`{"type":"alert","id":"net.scan"}` + "\n" + `{"type":"dev`))
	s.Write([]byte(`ice","ip":"10.0.0.1"}` + "\n\n" + `[1]` + "\n"))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	var types []string
	natsbus.Consume(ctx, natsbus.Config{URL: c.URL()}, true, func(m *natsbus.Message) error {
		types = append(types, m.Type+":"+string(m.Data))
		return nil
	})
	want := []string{`alert:{"type":"alert","id":"net.scan"}`, `device:{"type":"device","ip":"10.0.0.1"}`, `other:[1]`}
	if fmt.Sprint(types) != fmt.Sprint(want) {
		t.Errorf("got %q, want %q", types, want)
	}
}
