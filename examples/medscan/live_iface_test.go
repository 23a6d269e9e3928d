//go:build linux

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/medtap/medtap/internal/testutil"
)

var tsField = regexp.MustCompile(`"ts":"[^"]*",?`)

// eventLines returns the event lines of medscan's JSON output, without
// their timestamps.
func eventLines(out []byte) []string {
	var ev []string
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, `{"type":"event"`) {
			ev = append(ev, tsField.ReplaceAllString(l, ""))
		}
	}
	return ev
}

// TestLiveInterface runs medscan -i on one end of a veth pair in a network
// namespace of its own while tcpreplay replays the sample capture into the
// other, then interrupts it: the events are those of medscan on the file
// (but for timestamps), the kernel dropped nothing, and the exit status is
// 0.
func TestLiveInterface(t *testing.T) {
	for _, workers := range []int{1, 2} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) { liveInterface(t, workers) })
	}
}

// liveInterface is TestLiveInterface with workers fanout sockets: with
// more than one, the events are compared as a multiset (the sockets'
// engines interleave them), and each flow's own in order.
func liveInterface(t *testing.T, workers int) {
	if testing.Short() {
		t.Skip("starts a subprocess")
	}
	ns := testutil.NetnsName("mtlvm")
	testutil.VethNetns(t, ns, "mtlvtx", "mtlvrx", "10.223.0.1/24", "tcpreplay", "editcap")
	pcap := filepath.Join(t.TempDir(), "sample.pcap")
	if b, err := exec.Command("editcap", "-F", "pcap", "testdata/sample.pcapng", pcap).CombinedOutput(); err != nil {
		t.Fatalf("editcap: %v: %s", err, b)
	}
	var offline bytes.Buffer
	if st := run(context.Background(), []string{"-json", "-phi", "keep", "testdata/sample.pcapng"}, nil, &offline, io.Discard); st != 0 {
		t.Fatalf("offline run: status %d", st)
	}
	want := eventLines(offline.Bytes())
	packets := regexp.MustCompile(`"type":"summary".*?"packets":([0-9]+)`).FindSubmatch(offline.Bytes())
	if packets == nil {
		t.Fatal("no packet count in the offline summary")
	}

	cmd := exec.Command("ip", "netns", "exec", ns, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "MEDSCAN_RUN_MAIN=1", fmt.Sprintf("MEDSCAN_ARGS=-json -phi keep -i mtlvrx -workers %d", workers))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	// Wait until medscan's packet socket is open: the only one in the
	// namespace before tcpreplay starts.
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		b, _ := exec.Command("ip", "netns", "exec", ns, "cat", "/proc/net/packet").Output()
		if bytes.Count(b, []byte("\n")) >= 1+workers {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("medscan opened no packet socket: %s", stderr.Bytes())
		}
	}
	if b, err := exec.Command("ip", "netns", "exec", ns, "tcpreplay", "-q", "-i", "mtlvtx", "--pps=5000", pcap).CombinedOutput(); err != nil {
		t.Fatalf("tcpreplay: %v: %s", err, b)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("medscan -i: %v (want exit status 0); stderr: %s", err, stderr.Bytes())
	}
	got := eventLines(stdout.Bytes())
	if workers > 1 {
		perFlow := func(lines []string) map[string][]string {
			m := map[string][]string{}
			for _, l := range lines {
				var e struct{ Src, Dst string }
				json.Unmarshal([]byte(l), &e)
				k := min(e.Src, e.Dst) + " " + max(e.Src, e.Dst)
				m[k] = append(m[k], l)
			}
			return m
		}
		if g, w := perFlow(got), perFlow(want); !reflect.DeepEqual(g, w) {
			t.Errorf("%d live events over %d flows, %d from the file over %d flows", len(got), len(g), len(want), len(w))
		}
		got, want = slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))
	}
	if !slices.Equal(got, want) {
		t.Errorf("%d live events, %d from the file", len(got), len(want))
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				t.Errorf("event %d:\nlive: %s\nfile: %s", i, got[i], want[i])
				break
			}
		}
	}
	if workers > 1 && !strings.Contains(stderr.String(), fmt.Sprintf("(%d workers)", workers)) {
		t.Errorf("stderr does not name the workers: %s", stderr.Bytes())
	}
	if !strings.Contains(stderr.String(), "mtlvrx: "+string(packets[1])+" packets, 0 dropped by the kernel") {
		t.Errorf("stderr: %s", stderr.Bytes())
	}
	if !bytes.Contains(stdout.Bytes(), []byte(`{"type":"summary"`)) {
		t.Error("no summary")
	}
	if !bytes.Contains(stdout.Bytes(), []byte(`"kernel_received":`+string(packets[1])+`,"kernel_drops":0,`)) {
		t.Errorf("the summary lacks the kernel's counters: %s", stdout.Bytes()[max(0, stdout.Len()-600):])
	}
}
