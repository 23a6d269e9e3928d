package tlsflow

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/flowtest"
)

// TestJA4Reference compares the ja4 of every client-hello with the JA4
// that FoxIO's reference implementation publishes for the captures of its
// repository (pcap/*, with the expected outputs in
// rust/ja4/src/snapshots/*.snap). It runs when MEDTAP_JA4_REFERENCE names a
// directory holding those two (a checkout of that repository, or pcap/ and
// snap/ beside each other), and is skipped otherwise: the captures are not
// part of medtap.
func TestJA4Reference(t *testing.T) {
	dir := os.Getenv("MEDTAP_JA4_REFERENCE")
	if dir == "" {
		t.Skip("MEDTAP_JA4_REFERENCE not set")
	}
	snaps, _ := filepath.Glob(filepath.Join(dir, "rust", "ja4", "src", "snapshots", "*.snap"))
	if len(snaps) == 0 {
		snaps, _ = filepath.Glob(filepath.Join(dir, "snap", "*.snap"))
	}
	compared, differ, alpnRule := 0, 0, 0
	for _, snap := range snaps {
		want := referenceJA4(t, snap)
		if len(want) == 0 {
			continue
		}
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(snap), "ja4__insta@"), ".snap")
		pcap := filepath.Join(dir, "pcap", name)
		if _, err := os.Stat(pcap); err != nil {
			continue
		}
		got := map[string]string{}
		e := flowtest.NewEngine(t, flow.Config{}, flow.SinkFunc(func(ev *flow.Event) {
			if ev.Kind != KindClientHello {
				return
			}
			key := ev.Src.String() + " " + ev.Dst.String()
			if _, ok := got[key]; !ok { // the first of a connection, as the reference
				h := ev.Detail.(*Hello)
				got[key] = string(h.Client.AppendJA4(nil))
			}
		}))
		flowtest.RunFile(t, e, pcap)
		for key, ja4 := range want {
			g, ok := got[key]
			if !ok {
				t.Logf("%s %s: no client-hello (reference %s)", name, key, ja4)
				continue
			}
			compared++
			switch {
			case g == ja4:
			case len(g) == len(ja4) && g[:8] == ja4[:8] && g[10:] == ja4[10:] && strings.Contains(ja4[8:10], "9"):
				// A non-alphanumeric ALPN: the specification takes the
				// first and last hexadecimal digits of the value, the
				// reference implementation still writes "9" for a
				// non-ASCII character.
				alpnRule++
				t.Logf("%s %s: ja4 %s, reference %s (ALPN: the specification's hexadecimal rule)", name, key, g, ja4)
			default:
				differ++
				t.Errorf("%s %s: ja4 %s, reference %s", name, key, g, ja4)
			}
		}
	}
	t.Logf("%d JA4 values compared with the reference's: %d differ, %d in the ALPN characters only, where the reference does not follow the specification",
		compared, differ, alpnRule)
}

// referenceJA4 reads the TCP streams of a snapshot with a ja4: "src:port
// dst:port" to ja4.
func referenceJA4(t *testing.T, file string) map[string]string {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	var cur map[string]string
	flush := func() {
		if cur != nil && cur["transport"] == "tcp" && cur["ja4"] != "" {
			host := func(a string) string {
				if strings.Contains(a, ":") {
					return "[" + a + "]"
				}
				return a
			}
			out[host(cur["src"])+":"+cur["src_port"]+" "+host(cur["dst"])+":"+cur["dst_port"]] = cur["ja4"]
		}
		cur = map[string]string{}
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "- ") {
			flush()
			line = "  " + line[2:]
		}
		if cur == nil || !strings.HasPrefix(line, "  ") || strings.HasPrefix(line, "   ") {
			continue
		}
		k, v, ok := strings.Cut(strings.TrimSpace(line), ": ")
		if ok {
			cur[k] = strings.Trim(v, `"'`)
		}
	}
	flush()
	return out
}
