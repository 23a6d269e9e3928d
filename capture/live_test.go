package capture

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/testutil"
	"golang.org/x/net/bpf"
)

func TestLiveOptions(t *testing.T) {
	const page = 4096
	prog := make([]bpf.RawInstruction, MaxFilterInstructions+1)
	for _, tc := range []struct {
		name string
		o    *LiveOptions
		want string // "" for valid
	}{
		{"nil", nil, ""},
		{"zero", &LiveOptions{}, ""},
		{"all set", &LiveOptions{SnapLen: 128, BlockSize: 4 * page, NumBlocks: 8, BlockTimeout: time.Millisecond, FanoutGroup: 7, Promiscuous: true, Filter: "tcp"}, ""},
		{"short snap", &LiveOptions{SnapLen: 63}, "snap length"},
		{"long snap", &LiveOptions{SnapLen: DefaultSnapLen + 1}, "snap length"},
		{"negative snap", &LiveOptions{SnapLen: -1}, "snap length"},
		{"block not page multiple", &LiveOptions{BlockSize: page + 1}, "block size"},
		{"block below page", &LiveOptions{BlockSize: page / 2}, "block size"},
		{"block too big", &LiveOptions{BlockSize: MaxBlockSize + page}, "block size"},
		{"negative blocks", &LiveOptions{NumBlocks: -1}, "blocks"},
		{"ring too big", &LiveOptions{BlockSize: MaxBlockSize, NumBlocks: int(maxRing/MaxBlockSize) + 1}, "ring"},
		{"timeout too short", &LiveOptions{BlockTimeout: time.Microsecond}, "block timeout"},
		{"timeout too long", &LiveOptions{BlockTimeout: time.Hour}, "block timeout"},
		{"filter and program", &LiveOptions{Filter: "tcp", Program: snapProgram(100)}, "both"},
		{"program too long", &LiveOptions{Program: prog}, "instructions"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.o.withDefaults(page)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if got.SnapLen == 0 || got.BlockSize == 0 || got.NumBlocks == 0 || got.BlockTimeout == 0 {
					t.Errorf("defaults not applied: %+v", got)
				}
				return
			}
			if !errors.Is(err, ErrLiveOptions) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want ErrLiveOptions about %q", err, tc.want)
			}
		})
	}
	d, err := (*LiveOptions)(nil).withDefaults(page)
	if err != nil || d.SnapLen != DefaultSnapLen || d.BlockSize != DefaultBlockSize || d.NumBlocks != DefaultNumBlocks || d.BlockTimeout != DefaultBlockTimeout {
		t.Errorf("defaults %+v, %v", d, err)
	}
}

func TestParseDDD(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		fail bool
	}{
		{"1\n6 0 0 262144\n", 1, false},
		{"2\n40 0 0 12\n6 0 0 0\n", 2, false},
		{"", 0, true},
		{"0\n", 0, true},
		{"5000\n", 0, true},
		{"2\n6 0 0 1\n", 0, true},
		{"1\n6 0 0 1\n6 0 0 1\n", 0, true},
		{"1\n6 0 0\n", 0, true},
		{"1\n70000 0 0 1\n", 0, true},
		{"1\n6 0 300 1\n", 0, true},
		{"1\nret #1\n", 0, true},
	} {
		p, err := parseDDD([]byte(tc.in))
		if tc.fail != (err != nil) || len(p) != tc.n {
			t.Errorf("parseDDD(%q) = %d instructions, %v", tc.in, len(p), err)
		}
	}
}

// TestCompileFilter compiles filters with tcpdump and runs them over the
// sample capture in x/net/bpf's virtual machine: each keeps what it
// should, cut to the snap length.
func TestCompileFilter(t *testing.T) {
	if _, err := exec.LookPath("tcpdump"); err != nil {
		t.Skip("tcpdump is not installed (Debian package tcpdump)")
	}
	if _, err := CompileFilter("tcp port", flow.LinkEthernet, 0); !errors.Is(err, ErrFilter) || !strings.Contains(err.Error(), "syntax") {
		t.Errorf("bad expression: %v", err)
	}
	if _, err := CompileFilter("tcp", flow.LinkIPv4, 0); !errors.Is(err, ErrFilter) {
		t.Errorf("unsupported link type: %v", err)
	}
	for _, tc := range []struct {
		expr    string
		snap    int
		matches func(p *flow.Packet) bool
	}{
		{"tcp port 11112", 0, func(p *flow.Packet) bool { return p.Protocol == 6 && (p.SrcPort == 11112 || p.DstPort == 11112) }},
		{"tcp port 2575", 100, func(p *flow.Packet) bool { return p.Protocol == 6 && (p.SrcPort == 2575 || p.DstPort == 2575) }},
		{"not tcp port 11112", 0, func(p *flow.Packet) bool { return p.Protocol != 6 || p.SrcPort != 11112 && p.DstPort != 11112 }},
	} {
		raw, err := CompileFilter(tc.expr, flow.LinkEthernet, tc.snap)
		if err != nil {
			t.Fatal(err)
		}
		ins, ok := bpf.Disassemble(raw)
		if !ok {
			t.Fatalf("%q: not every instruction disassembles", tc.expr)
		}
		vm, err := bpf.NewVM(ins)
		if err != nil {
			t.Fatal(err)
		}
		r, err := NewReader(strings.NewReader(string(sample(t))), nil)
		if err != nil {
			t.Fatal(err)
		}
		var p flow.Packet
		kept := 0
		for {
			_, link, data, err := r.ReadPacket()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			p.Decode(link, data)
			n, err := vm.Run(data)
			if err != nil {
				t.Fatal(err)
			}
			n = min(n, len(data)) // as the kernel keeps at most the packet
			want := 0
			if tc.matches(&p) {
				want = min(len(data), cmpOr(tc.snap, DefaultSnapLen))
				kept++
			}
			if n != want {
				t.Errorf("%q: packet %d (%v:%d > %v:%d proto %d): kept %d bytes, want %d", tc.expr, r.Packets(), p.Src, p.SrcPort, p.Dst, p.DstPort, p.Protocol, n, want)
			}
		}
		if kept == 0 {
			t.Errorf("%q matched nothing in the sample", tc.expr)
		}
	}
}

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

// samplePcap returns the path of the sample capture converted to pcap
// (what tcpreplay reads), made with editcap.
func samplePcap(t testing.TB) string {
	t.Helper()
	if _, err := exec.LookPath("editcap"); err != nil {
		t.Skip("editcap is not installed (Debian package wireshark-common)")
	}
	out := filepath.Join(t.TempDir(), "sample.pcap")
	src := filepath.Join(testutil.RepoRoot(t), "examples", "medscan", "testdata", "sample.pcapng")
	if b, err := exec.Command("editcap", "-F", "pcap", src, out).CombinedOutput(); err != nil {
		t.Fatalf("editcap: %v: %s", err, b)
	}
	if _, err := os.Stat(out); err != nil {
		t.Fatal(err)
	}
	return out
}
