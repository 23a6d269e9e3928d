//go:build linux

package capture

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/medtap/medtap/flow"
	_ "github.com/medtap/medtap/flow/all" // every protocol, for the event comparison
	"github.com/medtap/medtap/internal/testutil"
	"golang.org/x/sys/unix"
)

// The network namespace of the live tests holds a veth pair: tcpreplay
// sends on vethTx, the sockets under test read vethRx. Only vethTx has an
// address (inside 10.223.0.0/24) and IPv6 is off, so the namespace's own
// stack sends nothing the sockets would see.
const (
	vethTx = "mtlvtx"
	vethRx = "mtlvrx"
)

// liveNetns makes the namespace and returns its name; it is deleted at the
// end of the test. It skips the test when not root or when ip or tcpreplay
// is missing.
func liveNetns(t testing.TB) string {
	t.Helper()
	ns := testutil.NetnsName("mtlvc")
	testutil.VethNetns(t, ns, vethTx, vethRx, "10.223.0.1/24", "tcpreplay")
	return ns
}

// inNetns runs f on a thread moved into the namespace ns, so that the
// sockets f opens belong to it.
func inNetns(t testing.TB, ns string, f func()) {
	t.Helper()
	runtime.LockOSThread()
	orig, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		runtime.UnlockOSThread()
		t.Fatal(err)
	}
	defer unix.Close(orig)
	target, err := unix.Open("/run/netns/"+ns, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		runtime.UnlockOSThread()
		t.Fatal(err)
	}
	defer unix.Close(target)
	if err := unix.Setns(target, unix.CLONE_NEWNET); err != nil {
		runtime.UnlockOSThread()
		t.Fatal(err)
	}
	f()
	if err := unix.Setns(orig, unix.CLONE_NEWNET); err != nil {
		t.Fatalf("back to the original namespace: %v", err) // the thread stays locked and dies with the goroutine
	}
	runtime.UnlockOSThread()
}

// openLive opens n sockets on vethRx in ns, in one fanout group when n > 1.
func openLive(t testing.TB, ns string, n int, o LiveOptions) []*Live {
	t.Helper()
	if n > 1 {
		o.FanoutGroup = uint16(os.Getpid())
	}
	var ls []*Live
	inNetns(t, ns, func() {
		for range n {
			l, err := OpenLive(context.Background(), vethRx, &o)
			if err != nil {
				t.Fatal(err)
			}
			ls = append(ls, l)
		}
	})
	t.Cleanup(func() {
		for _, l := range ls {
			l.Close()
		}
	})
	return ls
}

var rated = regexp.MustCompile(`Rated: [0-9.]+ Bps, ([0-9.]+) Mbps, ([0-9.]+) pps`)

// readAll reads l until io.EOF, calling f with every packet, and reports
// the error on done.
func readAll(l *Live, f func(ts time.Time, link flow.LinkType, data []byte), done chan<- error) {
	for {
		ts, link, data, err := l.ReadPacket()
		if err == io.EOF {
			done <- nil
			return
		}
		if err != nil {
			done <- err
			return
		}
		f(ts, link, data)
	}
}

// filePackets returns the packets of a capture file, copied.
func filePackets(t testing.TB, name string) [][]byte {
	t.Helper()
	r, err := Open(name, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var ps [][]byte
	for {
		_, _, data, err := r.ReadPacket()
		if err == io.EOF {
			return ps
		}
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, bytes.Clone(data))
	}
}

// flowOf names the bidirectional flow of a packet (its two endpoints and
// protocol, in a fixed order), or "" for a packet that is not IP.
func flowOf(link flow.LinkType, data []byte) string {
	var p flow.Packet
	if p.Decode(link, data) != nil {
		return ""
	}
	a, b := p.SrcAddrPort().String(), p.DstAddrPort().String()
	if a > b {
		a, b = b, a
	}
	return fmt.Sprintf("%d %s %s", p.Protocol, a, b)
}

// TestLiveReplay replays captures into a veth pair and reads the other end
// with one socket, then with two in a fanout group: the packets received
// are the file's, byte for byte (in order for one socket), every flow's
// packets all reach one socket of the group, and the kernel dropped
// nothing.
func TestLiveReplay(t *testing.T) {
	ns := liveNetns(t)
	files := []string{samplePcap(t), filepath.Join(testutil.RepoRoot(t), "dicom", "ul", "testdata", "store.pcap")}
	for _, file := range files {
		want := filePackets(t, file)
		for _, n := range []int{1, 2} {
			t.Run(fmt.Sprintf("%s/%d", filepath.Base(file), n), func(t *testing.T) {
				ls := openLive(t, ns, n, LiveOptions{})
				got := make([][][]byte, n)
				done := make(chan error, n)
				for i, l := range ls {
					go readAll(l, func(_ time.Time, link flow.LinkType, data []byte) {
						if link != flow.LinkEthernet {
							t.Errorf("link type %d", link)
						}
						got[i] = append(got[i], bytes.Clone(data))
					}, done)
				}
				replay(t, ns, file, "--pps=5000")
				for _, l := range ls {
					l.Stop()
				}
				for range ls {
					if err := <-done; err != nil {
						t.Fatal(err)
					}
				}
				var all [][]byte
				flows := map[string]int{} // flow -> socket
				for i := range got {
					all = append(all, got[i]...)
					for _, p := range got[i] {
						k := flowOf(flow.LinkEthernet, p)
						if k == "" {
							continue
						}
						if j, ok := flows[k]; ok && j != i {
							t.Errorf("flow %s reached sockets %d and %d", k, j, i)
						}
						flows[k] = i
					}
				}
				if n == 1 {
					if !slices.EqualFunc(all, want, bytes.Equal) {
						t.Errorf("received %d packets, not the file's %d in order", len(all), len(want))
					}
				} else {
					sortBytes(all)
					w := slices.Clone(want)
					sortBytes(w)
					if !slices.EqualFunc(all, w, bytes.Equal) {
						t.Errorf("received %d packets (%d, %d), not the file's %d", len(all), len(got[0]), len(got[1]), len(want))
					}
					t.Logf("%d flows: %d packets on socket 0, %d on socket 1", len(flows), len(got[0]), len(got[1]))
				}
				var total LiveStats
				for i, l := range ls {
					st := l.Stats()
					if st.Packets != uint64(len(got[i])) {
						t.Errorf("socket %d: Stats.Packets %d, read %d", i, st.Packets, len(got[i]))
					}
					total.Received += st.Received
					total.Drops += st.Drops
				}
				if total.Drops != 0 || total.Received != uint64(len(want)) {
					t.Errorf("kernel counters: %+v, want %d received and no drops", total, len(want))
				}
			})
		}
	}
}

func sortBytes(ps [][]byte) { slices.SortFunc(ps, bytes.Compare) }

// collector keeps the JSON of every event, without its timestamp (live
// packets carry the time of the replay).
type collector struct {
	buf   []byte
	lines []string
}

var tsField = regexp.MustCompile(`"ts":"[^"]*",?`)

func (c *collector) Event(e *flow.Event) {
	c.buf = flow.AppendEventJSON(c.buf[:0], e)
	c.lines = append(c.lines, tsField.ReplaceAllString(string(c.buf), ""))
}

func newTestEngine(t testing.TB, sink flow.Sink) *flow.Engine {
	t.Helper()
	e, err := flow.NewEngine(flow.Config{ReassembleFragments: true, PHIKey: []byte("live test")}, sink)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestLiveEvents runs the packets of a replay through engines with every
// protocol adapter (one per socket, as the workers of a sensor): the
// events are those of the offline run of the same file, but for their
// timestamps.
func TestLiveEvents(t *testing.T) {
	ns := liveNetns(t)
	file := samplePcap(t)
	var offline collector
	if err := RunFile(newTestEngine(t, &offline), file); err != nil {
		t.Fatal(err)
	}
	if len(offline.lines) < 50 {
		t.Fatalf("the offline run has only %d events", len(offline.lines))
	}
	for _, n := range []int{1, 2} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			o := LiveOptions{}
			if n > 1 {
				o.FanoutGroup = uint16(os.Getpid() + 1)
			}
			var ls []*Live
			inNetns(t, ns, func() {
				for range n {
					l, err := OpenLive(ctx, vethRx, &o)
					if err != nil {
						t.Fatal(err)
					}
					t.Cleanup(func() { l.Close() })
					ls = append(ls, l)
				}
			})
			sinks := make([]collector, n)
			var wg sync.WaitGroup
			errs := make([]error, n)
			for i, l := range ls {
				wg.Go(func() { errs[i] = newTestEngine(t, &sinks[i]).Run(l) })
			}
			replay(t, ns, file, "--pps=5000")
			cancel() // the engines get what the rings hold, then io.EOF, and flush
			wg.Wait()
			var got []string
			for i := range sinks {
				if errs[i] != nil {
					t.Fatal(errs[i])
				}
				got = append(got, sinks[i].lines...)
			}
			want := offline.lines
			if n > 1 {
				// Each engine keeps the order of its flows' events; across
				// engines only the set is the same.
				got, want = slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))
			}
			if !slices.Equal(got, want) {
				t.Errorf("%d live events, %d offline; first difference:\n%s", len(got), len(want), firstDiff(got, want))
			}
		})
	}
}

func firstDiff(got, want []string) string {
	for i := range max(len(got), len(want)) {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			return fmt.Sprintf("event %d\nlive:    %s\noffline: %s", i, g, w)
		}
	}
	return ""
}

// TestLiveStop checks that Stop, Close and the end of the context each
// end a read that is waiting on a quiet link, promptly.
func TestLiveStop(t *testing.T) {
	ns := liveNetns(t)
	for _, how := range []string{"stop", "close", "context"} {
		t.Run(how, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var l *Live
			inNetns(t, ns, func() {
				var err error
				if l, err = OpenLive(ctx, vethRx, nil); err != nil {
					t.Fatal(err)
				}
			})
			defer l.Close()
			done := make(chan error, 1)
			go readAll(l, func(time.Time, flow.LinkType, []byte) {}, done)
			time.Sleep(50 * time.Millisecond) // let the read wait
			switch how {
			case "stop":
				l.Stop()
			case "close":
				l.Close()
			case "context":
				cancel()
			}
			select {
			case err := <-done:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("the waiting read did not end")
			}
			if _, _, _, err := l.ReadPacket(); err != io.EOF {
				t.Errorf("read after the end: %v, want io.EOF", err)
			}
		})
	}
}

// TestLiveAllocs checks that reading packets from the ring allocates
// nothing.
func TestLiveAllocs(t *testing.T) {
	ns := liveNetns(t)
	file := samplePcap(t)
	l := openLive(t, ns, 1, LiveOptions{})[0]
	replay(t, ns, file, "--pps=5000")
	time.Sleep(3 * DefaultBlockTimeout) // the last block is handed over
	n := len(filePackets(t, file))
	allocs := testing.AllocsPerRun(n/2-1, func() {
		if _, _, _, err := l.ReadPacket(); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("%.1f allocations per packet", allocs)
	}
}

// TestLiveFilter checks that a filter expression and the snap length
// apply before packets reach the ring.
func TestLiveFilter(t *testing.T) {
	if _, err := exec.LookPath("tcpdump"); err != nil {
		t.Skip("tcpdump is not installed (Debian package tcpdump)")
	}
	ns := liveNetns(t)
	file := samplePcap(t)
	var want int
	for _, p := range filePackets(t, file) {
		if strings.Contains(flowOf(flow.LinkEthernet, p), ":2575") {
			want++
		}
	}
	l := openLive(t, ns, 1, LiveOptions{Filter: "tcp port 2575", SnapLen: 100})[0]
	done := make(chan error, 1)
	got := 0
	go readAll(l, func(_ time.Time, link flow.LinkType, data []byte) {
		if !strings.Contains(flowOf(link, data), ":2575") || len(data) > 100 {
			t.Errorf("packet of %d bytes, flow %q", len(data), flowOf(link, data))
		}
		got++
	}, done)
	replay(t, ns, file, "--pps=5000")
	l.Stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got != want || want == 0 {
		t.Errorf("%d packets through the filter, want %d", got, want)
	}
}

// BenchmarkLiveReplay finds the highest rate at which the kernel drops
// nothing: for 1 and 2 sockets in a fanout group, with the default ring
// (DefaultNumBlocks blocks of DefaultBlockSize) and with one of 4 blocks
// (which, as a block is handed over after DefaultBlockTimeout even when
// not full, holds only 40 ms of a slow link), each feeding an engine
// with every protocol adapter (the workers of a sensor), tcpreplay sends
// the sample capture over and over for about 2 s at each of rising packet
// rates, then 400,000 packets at top speed. It reports the highest rate
// tcpreplay reached without a drop ("pps" and "Mbps"; 0 if every rate
// dropped) and the lowest requested rate that dropped ("drop-pps"; 0 if
// none did). It is a measurement, not a test: it never fails on a rate,
// and it runs the sweep once whatever b.N. Other load on the machine
// makes drops come sooner.
func BenchmarkLiveReplay(b *testing.B) {
	ns := liveNetns(b)
	file := samplePcap(b)
	perLoop := len(filePackets(b, file))
	for _, cfg := range []struct {
		name    string
		workers int
		blocks  int
	}{
		{"ring=32MiB/workers=1", 1, DefaultNumBlocks}, {"ring=32MiB/workers=2", 2, DefaultNumBlocks},
		{"ring=4MiB/workers=1", 1, 4}, {"ring=4MiB/workers=2", 2, 4},
	} {
		workers := cfg.workers
		b.Run(cfg.name, func(b *testing.B) {
			var bestPPS, bestMbps, dropPPS float64
			for _, rate := range []int{25_000, 50_000, 100_000, 200_000, 400_000, 0} {
				arg, packets := "--topspeed", 400_000
				if rate > 0 {
					arg, packets = "--pps="+strconv.Itoa(rate), max(2*rate, 100_000)
				}
				ls := openLive(b, ns, workers, LiveOptions{NumBlocks: cfg.blocks})
				var wg sync.WaitGroup
				for _, l := range ls {
					e := newTestEngine(b, flow.SinkFunc(func(*flow.Event) {}))
					wg.Go(func() { e.Run(l) })
				}
				start := time.Now()
				out := replay(b, ns, file, arg, "--preload-pcap", "--loop="+strconv.Itoa(packets/perLoop+1))
				elapsed := time.Since(start)
				for _, l := range ls {
					l.Stop()
				}
				wg.Wait()
				var st LiveStats
				for _, l := range ls {
					s := l.Stats()
					st.Packets += s.Packets
					st.Received += s.Received
					st.Drops += s.Drops
					st.Freezes += s.Freezes
					st.Waits += s.Waits
					l.Close()
				}
				b.Logf("%d workers, %-14s reached %8.0f pps %7.1f Mbps in %v: %d read, %d received, %d dropped, %d freezes, %d waits",
					workers, arg, out.pps, out.mbps, elapsed.Round(time.Millisecond), st.Packets, st.Received, st.Drops, st.Freezes, st.Waits)
				switch {
				case st.Drops > 0 && dropPPS == 0:
					dropPPS = float64(rate)
					if rate == 0 {
						dropPPS = out.pps
					}
				case st.Drops == 0 && out.pps > bestPPS:
					bestPPS, bestMbps = out.pps, out.mbps
				}
			}
			b.ReportMetric(bestPPS, "pps")
			b.ReportMetric(bestMbps, "Mbps")
			b.ReportMetric(dropPPS, "drop-pps")
		})
	}
}

type replayRate struct{ pps, mbps float64 }

// replay sends the pcap file into vethTx with tcpreplay and the given
// arguments, and returns the rates tcpreplay reached.
func replay(t testing.TB, ns, file string, args ...string) replayRate {
	t.Helper()
	cmd := exec.Command("ip", append(append([]string{"netns", "exec", ns, "tcpreplay", "-q", "-i", vethTx}, args...), file)...)
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("tcpreplay %v: %v: %s", args, err, b)
	}
	var r replayRate
	if m := rated.FindSubmatch(b); m != nil {
		r.mbps, _ = strconv.ParseFloat(string(m[1]), 64)
		r.pps, _ = strconv.ParseFloat(string(m[2]), 64)
	}
	return r
}

// writePcap writes packets to a little-endian pcap file of Ethernet frames.
func writePcap(t testing.TB, name string, packets [][]byte) {
	t.Helper()
	b := binary.LittleEndian.AppendUint32(nil, 0xa1b2c3d4)
	b = binary.LittleEndian.AppendUint16(b, 2)
	b = binary.LittleEndian.AppendUint16(b, 4)
	b = append(b, make([]byte, 8)...)
	b = binary.LittleEndian.AppendUint32(b, DefaultSnapLen)
	b = binary.LittleEndian.AppendUint32(b, 1)
	for i, p := range packets {
		b = binary.LittleEndian.AppendUint32(b, 1_000_000_000)
		b = binary.LittleEndian.AppendUint32(b, uint32(i))
		b = binary.LittleEndian.AppendUint32(b, uint32(len(p)))
		b = binary.LittleEndian.AppendUint32(b, uint32(len(p)))
		b = append(b, p...)
	}
	if err := os.WriteFile(name, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// tag returns an Ethernet frame with VLAN tags (TPID, TCI pairs, outer
// first) put in after the MAC addresses.
func tag(frame []byte, tags ...uint16) []byte {
	out := append([]byte(nil), frame[:12]...)
	for _, v := range tags {
		out = binary.BigEndian.AppendUint16(out, v)
	}
	return append(out, frame[12:]...)
}

// TestLiveVLAN replays VLAN-tagged frames (802.1Q, and QinQ with an
// 802.1ad outer tag): the kernel takes the outer tag off before the ring,
// and ReadPacket puts it back, so the frames read are the frames sent.
func TestLiveVLAN(t *testing.T) {
	ns := liveNetns(t)
	base := filePackets(t, samplePcap(t))[:40]
	var frames [][]byte
	for i, p := range base {
		switch i % 3 {
		case 0:
			frames = append(frames, tag(p, 0x8100, 0x2000|uint16(i)))
		case 1:
			frames = append(frames, tag(p, 0x88a8, 100, 0x8100, uint16(i)))
		default:
			frames = append(frames, p)
		}
	}
	file := filepath.Join(t.TempDir(), "vlan.pcap")
	writePcap(t, file, frames)
	l := openLive(t, ns, 1, LiveOptions{})[0]
	var got [][]byte
	done := make(chan error, 1)
	go readAll(l, func(_ time.Time, _ flow.LinkType, data []byte) { got = append(got, bytes.Clone(data)) }, done)
	replay(t, ns, file, "--pps=5000")
	l.Stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if len(got) != len(frames) {
		t.Fatalf("read %d frames, sent %d", len(got), len(frames))
	}
	for i := range got {
		if !bytes.Equal(got[i], frames[i]) {
			t.Errorf("frame %d:\nread % x\nsent % x", i, got[i][:24], frames[i][:24])
		}
	}
}

// TestLiveLinkDown takes the interface down and up during a capture, which
// goes on, then removes it, which ends the read with an error.
func TestLiveLinkDown(t *testing.T) {
	ns := liveNetns(t)
	file := filepath.Join(testutil.RepoRoot(t), "dicom", "ul", "testdata", "store.pcap")
	want := len(filePackets(t, file))
	l := openLive(t, ns, 1, LiveOptions{})[0]
	var got int
	done := make(chan error, 1)
	go readAll(l, func(time.Time, flow.LinkType, []byte) { got++ }, done)
	ip := func(args ...string) {
		t.Helper()
		if b, err := exec.Command("ip", append([]string{"-n", ns}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("ip %v: %v: %s", args, err, b)
		}
	}
	ip("link", "set", vethRx, "down")
	time.Sleep(100 * time.Millisecond)
	ip("link", "set", vethRx, "up")
	time.Sleep(100 * time.Millisecond)
	replay(t, ns, file, "--pps=5000")
	time.Sleep(3 * DefaultBlockTimeout)
	ip("link", "del", vethRx)
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "gone") {
			t.Errorf("read after the interface was removed: %v, want an error saying it is gone", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the read goes on after the interface was removed")
	}
	if got != want {
		t.Errorf("read %d packets after the interface came back up, want %d", got, want)
	}
	if st := l.Stats(); st.LinkDowns == 0 {
		t.Errorf("stats %+v: no link down counted", st)
	}
}

// TestLiveDrops fills a small ring while nobody reads it: the kernel's
// drops show in Stats, and every packet it received was either read or
// dropped.
func TestLiveDrops(t *testing.T) {
	ns := liveNetns(t)
	file := samplePcap(t)
	sent := len(filePackets(t, file)) * 4
	l := openLive(t, ns, 1, LiveOptions{BlockSize: 64 << 10, NumBlocks: 2})[0]
	replay(t, ns, file, "--topspeed", "--loop=4")
	l.Stop()
	var read uint64
	for {
		_, _, _, err := l.ReadPacket()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		read++
	}
	st := l.Stats()
	if st.Drops == 0 || st.Freezes == 0 || st.Received != uint64(sent) || st.Packets != read || read+st.Drops != st.Received {
		t.Errorf("stats %+v after %d packets sent and %d read into a 128 KiB ring nobody read", st, sent, read)
	}
}
