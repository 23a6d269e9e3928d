package shard

import (
	"context"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/medtap/medtap/capture"
	"github.com/medtap/medtap/flow"
	_ "github.com/medtap/medtap/flow/all"
	"github.com/medtap/medtap/internal/synth"
	"github.com/medtap/medtap/internal/testutil"
)

// packet is one packet of a capture, held in memory.
type packet struct {
	ts   time.Time
	link flow.LinkType
	data []byte
}

func readCapture(t testing.TB, name string) []packet {
	t.Helper()
	r, err := capture.Open(name, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []packet
	for {
		ts, link, data, err := r.ReadPacket()
		if err != nil {
			break
		}
		out = append(out, packet{ts, link, slices.Clone(data)})
	}
	return out
}

// captures returns the committed captures of the repository and those of
// the shared corpus when it is there.
func captures(t *testing.T) []string {
	root := testutil.RepoRoot(t)
	var names []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && (d.Name() == "fuzz" || strings.HasPrefix(d.Name(), ".")) && p != root {
			return filepath.SkipDir
		}
		if strings.HasSuffix(p, ".pcap") || strings.HasSuffix(p, ".pcapng") {
			names = append(names, p)
		}
		return nil
	})
	if c := testutil.CorpusRoot(); c != "" {
		more, _ := filepath.Glob(filepath.Join(c, "pcap", "*.pcap"))
		names = append(names, more...)
	}
	if len(names) == 0 {
		t.Fatal("no captures found")
	}
	return names
}

// record is one event: the packet that caused it (its index; the number
// of packets for the final flush), its flow and its JSON line.
type record struct {
	seq  uint64
	key  flow.Key
	line string
}

func (r record) String() string { return fmt.Sprintf("%d %s", r.seq, r.line) }

var testKey = []byte("0123456789abcdef0123456789abcdef")

// single runs pkts through one engine.
func single(t testing.TB, pkts []packet) []record {
	var out []record
	var seq uint64
	eng, err := flow.NewEngine(flow.Config{PHIKey: testKey, ReassembleFragments: true}, flow.SinkFunc(func(e *flow.Event) {
		out = append(out, record{seq, e.Key, string(flow.AppendEventJSON(nil, e))})
	}))
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range pkts {
		seq = uint64(i)
		eng.Packet(p.ts, p.link, p.data)
	}
	seq = uint64(len(pkts))
	eng.Flush()
	return out
}

// sharded runs pkts through a runner of n workers.
func sharded(t testing.TB, pkts []packet, cfg Config) ([]record, Stats) {
	var out []record
	var seq uint64
	cfg.Engine = flow.Config{PHIKey: testKey, ReassembleFragments: true}
	cfg.Sink = flow.SinkFunc(func(e *flow.Event) {
		out = append(out, record{seq, e.Key, string(flow.AppendEventJSON(nil, e))})
	})
	r, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r.onEvent = func(s uint64) { seq = s }
	r.Start(context.Background())
	for _, p := range pkts {
		if err := r.Packet(p.ts, p.link, p.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Flush(); err != nil {
		t.Fatal(err)
	}
	st := r.Stats()
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	return out, st
}

// sameEvents checks got against the single engine's want: the same
// events caused by the same packets, in the order of those packets, and
// per flow in the same order.
func sameEvents(t *testing.T, got, want []record) {
	t.Helper()
	for i := 1; i < len(got); i++ {
		if got[i].seq < got[i-1].seq {
			t.Fatalf("event %d caused by packet %d after one caused by packet %d:\n%s", i, got[i].seq, got[i-1].seq, got[i].line)
		}
	}
	g := slices.Sorted(slices.Values(strs(got)))
	w := slices.Sorted(slices.Values(strs(want)))
	if !slices.Equal(g, w) {
		for i := range min(len(g), len(w)) {
			if g[i] != w[i] {
				t.Fatalf("%d events, single engine %d; first difference:\n got %s\nwant %s", len(g), len(w), g[i], w[i])
			}
		}
		t.Fatalf("%d events, single engine %d", len(g), len(w))
	}
	perFlow := func(rs []record) map[flow.Key][]string {
		m := map[flow.Key][]string{}
		for _, r := range rs {
			m[r.key] = append(m[r.key], r.line)
		}
		return m
	}
	gf, wf := perFlow(got), perFlow(want)
	for k, w := range wf {
		if !slices.Equal(gf[k], w) {
			t.Errorf("flow %v: events in another order", k)
		}
	}
}

func strs(rs []record) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.String()
	}
	return out
}

// The events of 1, 2 and 4 workers are the single engine's, caused by
// the same packets, in packet order, per flow in the same order.
func TestSameAsSingleEngine(t *testing.T) {
	root := testutil.RepoRoot(t)
	for _, name := range captures(t) {
		rel, err := filepath.Rel(root, name)
		if err != nil {
			rel = filepath.Base(name)
		}
		t.Run(rel, func(t *testing.T) {
			pkts := readCapture(t, name)
			want := single(t, pkts)
			for _, n := range []int{1, 2, 4} {
				t.Run(fmt.Sprint(n), func(t *testing.T) {
					got, st := sharded(t, pkts, Config{Workers: n})
					sameEvents(t, got, want)
					if st.Packets != uint64(len(pkts)) {
						t.Errorf("packets %d, want %d", st.Packets, len(pkts))
					}
				})
			}
		})
	}
}

// Small queues fill and make the producer wait, never beyond their caps,
// and the events stay the single engine's.
func TestQueueBounds(t *testing.T) {
	pkts := readCapture(t, filepath.Join(testutil.RepoRoot(t), "examples/medscan/testdata/sample.pcapng"))
	want := single(t, pkts)
	maxLen := 0
	for _, p := range pkts {
		maxLen = max(maxLen, len(p.data))
	}
	cfg := Config{Workers: 3, QueuePackets: 4, QueueBytes: 2 * maxLen}
	got, st := sharded(t, pkts, cfg)
	sameEvents(t, got, want)
	if st.Oversize != 0 || st.Dropped != 0 {
		t.Fatalf("dropped %d, oversize %d", st.Dropped, st.Oversize)
	}
	var total uint64
	for i, w := range st.Workers {
		total += w.Packets
		if w.PeakItems > 4 || w.PeakBytes > cfg.QueueBytes {
			t.Errorf("worker %d: peak %d items, %d bytes: over the caps", i, w.PeakItems, w.PeakBytes)
		}
	}
	if total != uint64(len(pkts)) {
		t.Errorf("workers had %d packets, want %d", total, len(pkts))
	}
}

// Both directions of a flow, and every flow between two hosts, go to one
// worker; frames that are not IP go to worker 0.
func TestPick(t *testing.T) {
	r, err := New(Config{Workers: 4})
	if err != nil {
		t.Fatal(err)
	}
	c := synth.NewCapture()
	for i := range 64 {
		cli := netipPort(10, 0, byte(i), 1, uint16(40000+i))
		k := c.Dial(cli, netipPort(10, 0, 255, byte(i%3), 104))
		k.Write(0, []byte("hello"), 1460)
		k.Write(1, []byte("world"), 1460)
		k.Close()
		k = c.Dial(netipPort(10, 0, byte(i), 1, uint16(50000+i)), netipPort(10, 0, 255, byte(i%3), 2575))
		k.Close()
	}
	hosts := map[[2]string]int{}
	used := map[int]bool{}
	var p flow.Packet
	for _, f := range c.Frames {
		if err := p.Decode(flow.LinkEthernet, f); err != nil {
			t.Fatal(err)
		}
		a, b := p.Src.String(), p.Dst.String()
		if b < a {
			a, b = b, a
		}
		w := r.pick(flow.LinkEthernet, f)
		used[w] = true
		if prev, ok := hosts[[2]string{a, b}]; ok && prev != w {
			t.Fatalf("%s <-> %s on workers %d and %d", a, b, prev, w)
		}
		hosts[[2]string{a, b}] = w
	}
	if len(used) != 4 {
		t.Errorf("64 host pairs on %d of 4 workers", len(used))
	}
	lldp := append(make([]byte, 12), 0x88, 0xcc, 0, 0)
	if w := r.pick(flow.LinkEthernet, lldp); w != 0 {
		t.Errorf("LLDP frame on worker %d", w)
	}
	if w := r.pick(flow.LinkEthernet, []byte{1, 2}); w != 0 {
		t.Errorf("truncated frame on worker %d", w)
	}
}

// Close with a done context skips the packets still queued, still ends
// every flow, and says so.
func TestCloseCancelled(t *testing.T) {
	c := synth.DICOMStore(20, 64<<10, 16<<10)
	release, first := make(chan struct{}), make(chan struct{})
	var starts, ends int
	r, err := New(Config{Workers: 2, QueuePackets: 1 << 14, QueueBytes: 64 << 20, Drop: true,
		Sink: flow.SinkFunc(func(e *flow.Event) {
			if starts+ends == 0 {
				close(first)
			}
			<-release
			switch e.Kind {
			case flow.KindStart:
				starts++
			case flow.KindEnd:
				ends++
			}
		})})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.Start(ctx)
	r.Packet(c.Times[0], flow.LinkEthernet, c.Frames[0])
	<-first // a worker waits for the sink: the rest stays queued
	for i, f := range c.Frames[1:] {
		r.Packet(c.Times[i+1], flow.LinkEthernet, f)
	}
	cancel()
	<-r.quit // the workers skip what is queued from now on
	close(release)
	if err := r.Close(ctx); err != context.Canceled {
		t.Fatalf("Close: %v", err)
	}
	st := r.Stats()
	if st.Abandoned == 0 {
		t.Errorf("no packet abandoned: %+v", st)
	}
	if starts != ends || starts == 0 {
		t.Errorf("%d flows started, %d ended", starts, ends)
	}
	if err := r.Packet(c.Times[0], flow.LinkEthernet, c.Frames[0]); err != ErrNotRunning {
		t.Errorf("Packet after Close: %v", err)
	}
	if err := r.Close(context.Background()); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// With Drop, a full queue drops packets instead of waiting, and counts
// them.
func TestDrop(t *testing.T) {
	c := synth.DICOMStore(8, 64<<10, 16<<10)
	release := make(chan struct{})
	r, err := New(Config{Workers: 2, QueuePackets: 16, Drop: true,
		Sink: flow.SinkFunc(func(e *flow.Event) { <-release })})
	if err != nil {
		t.Fatal(err)
	}
	r.Start(context.Background())
	var dropped int
	for i, f := range c.Frames {
		if r.Packet(c.Times[i], flow.LinkEthernet, f) == ErrDropped {
			dropped++
		}
	}
	close(release)
	r.Close(context.Background())
	st := r.Stats()
	if dropped == 0 || st.Dropped != uint64(dropped) {
		t.Errorf("dropped %d, counted %d", dropped, st.Dropped)
	}
	if st.Packets+st.Dropped != uint64(len(c.Frames)) {
		t.Errorf("%d processed + %d dropped, of %d", st.Packets, st.Dropped, len(c.Frames))
	}
}

// NewSink's sinks get every event on the workers, Sink too, in order.
func TestNewSink(t *testing.T) {
	pkts := readCapture(t, filepath.Join(testutil.RepoRoot(t), "examples/medscan/testdata/sample.pcapng"))
	want := single(t, pkts)
	counts := make([]int, 2)
	var merged int
	r, err := New(Config{Workers: 2,
		NewSink: func(i int) flow.Sink { return flow.SinkFunc(func(*flow.Event) { counts[i]++ }) },
		Sink:    flow.SinkFunc(func(*flow.Event) { merged++ })})
	if err != nil {
		t.Fatal(err)
	}
	if r.Packet(pkts[0].ts, pkts[0].link, pkts[0].data) != ErrNotRunning {
		t.Fatal("Packet before Start")
	}
	r.Start(context.Background())
	for _, p := range pkts {
		r.Packet(p.ts, p.link, p.data)
	}
	r.Close(context.Background())
	if counts[0]+counts[1] != len(want) || merged != len(want) || counts[0] == 0 || counts[1] == 0 {
		t.Errorf("worker sinks %v, merged %d, single engine %d", counts, merged, len(want))
	}
}

func TestMain(m *testing.M) { os.Exit(m.Run()) }

func netipPort(a, b, c, d byte, port uint16) netip.AddrPort {
	return netip.AddrPortFrom(netip.AddrFrom4([4]byte{a, b, c, d}), port)
}
