package flow_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medtap/medtap/capture"
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/synth"
	"github.com/medtap/medtap/internal/testutil"
)

// tsharkCounts returns the packet count and the numbers of distinct TCP and
// UDP streams tshark sees in file.
func tsharkCounts(t *testing.T, tshark, file string) (packets, tcp, udp int) {
	t.Helper()
	out, err := exec.Command(tshark, "-n", "-r", file, "-T", "fields", "-e", "frame.number", "-e", "tcp.stream", "-e", "udp.stream").Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	tcps, udps := map[string]bool{}, map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if line == "" {
			continue
		}
		packets++
		f := strings.Split(line, "\t")
		if len(f) > 1 && f[1] != "" {
			tcps[f[1]] = true
		}
		if len(f) > 2 && f[2] != "" {
			udps[f[2]] = true
		}
	}
	return packets, len(tcps), len(udps)
}

// TestAgainstTshark checks that packet and flow counts agree with tshark
// on the shared corpus, the sample capture and a synthetic bulk capture.
func TestAgainstTshark(t *testing.T) {
	tshark := testutil.Tool(t, "tshark", "tshark")
	var files []string
	root := testutil.RepoRoot(t)
	files = append(files, filepath.Join(root, "examples", "medscan", "testdata", "sample.pcapng"))
	if dir := corpusDir(t); dir != "" {
		m, _ := filepath.Glob(filepath.Join(dir, "*.pcap*"))
		files = append(files, m...)
	}
	syn := filepath.Join(t.TempDir(), "synth-cstore.pcap")
	if err := os.WriteFile(syn, synth.DICOMStore(20, 64<<10, 16<<10).Pcap(), 0o644); err != nil {
		t.Fatal(err)
	}
	files = append(files, syn)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			if _, err := os.Stat(file); err != nil {
				t.Skip(err)
			}
			wantPackets, wantTCP, wantUDP := tsharkCounts(t, tshark, file)
			tcpFlows, udpFlows := 0, 0
			e, err := flow.NewEngine(flow.Config{}, flow.SinkFunc(func(ev *flow.Event) {
				if ev.Protocol == "flow" && ev.Kind == "start" {
					if ev.Key.Transport == flow.TCP {
						tcpFlows++
					} else {
						udpFlows++
					}
				}
			}))
			if err != nil {
				t.Fatal(err)
			}
			if err := capture.RunFile(e, file); err != nil {
				t.Fatal(err)
			}
			st := e.Stats()
			if int(st.Packets) != wantPackets {
				t.Errorf("packets: medtap %d, tshark %d", st.Packets, wantPackets)
			}
			if tcpFlows != wantTCP || udpFlows != wantUDP {
				t.Errorf("flows: medtap tcp %d udp %d, tshark tcp %d udp %d", tcpFlows, udpFlows, wantTCP, wantUDP)
			}
			if st.BadHeader+st.Truncated+st.UnsupportedLink != 0 {
				t.Errorf("undecodable packets: %+v", st)
			}
		})
	}
}

func corpusDir(t *testing.T) string {
	root := testutil.CorpusRoot()
	if root == "" {
		t.Log("shared corpus absent; checking the sample and synthetic captures only")
		return ""
	}
	return filepath.Join(root, "pcap")
}
