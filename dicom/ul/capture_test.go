package ul

import (
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/pcapgo"
)

// conn is one TCP connection of a capture: its segments in capture order,
// direction 0 from the side that sent the SYN.
type conn struct {
	name string
	segs []seg
}

// captureConns reads an Ethernet pcap of in-order loopback traffic and
// returns the TCP payloads per connection. Retransmissions are not handled:
// the recordings on lo have none.
func captureConns(t testing.TB, path string) []conn {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := pcapgo.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ a, b uint16 }
	index := map[key]int{}
	var conns []conn
	for {
		pkt, _, err := r.ReadPacketData()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(pkt) < 14+20 || binary.BigEndian.Uint16(pkt[12:]) != 0x0800 {
			continue
		}
		ip := pkt[14:]
		ihl := int(ip[0]&0xf) * 4
		total := int(binary.BigEndian.Uint16(ip[2:]))
		if ip[9] != 6 || total > len(ip) || ihl+20 > total {
			continue
		}
		tcp := ip[ihl:total]
		sport, dport := binary.BigEndian.Uint16(tcp), binary.BigEndian.Uint16(tcp[2:])
		payload := tcp[int(tcp[12]>>4)*4:]
		flags := tcp[13]
		if flags&0x12 == 0x02 { // SYN: a new connection from sport
			index[key{sport, dport}] = len(conns)
			conns = append(conns, conn{name: fmt.Sprintf("%s:%d->%d", filepath.Base(path), sport, dport)})
			continue
		}
		if len(payload) == 0 {
			continue
		}
		dir := Dir(0)
		i, ok := index[key{sport, dport}]
		if !ok {
			i, ok = index[key{dport, sport}]
			dir = 1
		}
		if !ok {
			continue
		}
		conns[i].segs = append(conns[i].segs, seg{dir, append([]byte(nil), payload...)})
	}
	return conns
}

var update = flag.Bool("update", false, "rewrite the .golden files in testdata")

// golden compares got with the file, or writes it with -update.
func golden(t *testing.T, file, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if d := diff(strings.Split(string(want), "\n"), strings.Split(got, "\n")); d != "" {
		t.Errorf("%s differs (go test -update rewrites it): %s", file, d)
	}
}

// TestCaptures follows every connection of the real-peer captures (see
// testdata/record.sh) whole and one byte at a time: no errors, the same
// events, what each connection is known to hold, and the events in
// testdata/NAME.golden.
func TestCaptures(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.pcap")
	if len(files) == 0 {
		t.Skip("no captures")
	}
	kinds := map[string]int{}
	for _, file := range files {
		if filepath.Base(file) == "tls.pcap" {
			continue // DICOM over TLS: encrypted, see flow's tests
		}
		var all []string
		for _, c := range captureConns(t, file) {
			var a Association
			want := runAssociation(&a, c.segs, 1<<30)
			all = append(all, "# "+c.name)
			all = append(all, want...)
			got := runAssociation(&a, c.segs, 1)
			if d := diff(want, got); d != "" {
				t.Errorf("%s: one byte at a time: %s", c.name, d)
			}
			for _, l := range want {
				if len(l) >= 5 && l[:5] == "error" {
					t.Errorf("%s: %s", c.name, l)
				}
				k := l
				for i := range l {
					if l[i] == ' ' {
						k = l[:i]
						break
					}
				}
				if k == "dimse" {
					var cmd string
					fmt.Sscanf(l[len("dimse dir=0 "):], "%s", &cmd)
					k = cmd
				}
				kinds[k]++
			}
		}
		golden(t, strings.TrimSuffix(file, ".pcap")+".golden", strings.Join(all, "\n")+"\n")
	}
	// The captures hold every PDU type but P-DATA as events and these
	// commands (see record.sh).
	for _, k := range []string{"associate-rq", "associate-ac", "associate-rj", "release-rq", "release-rp", "abort",
		"C-ECHO-RQ", "C-ECHO-RSP", "C-STORE-RQ", "C-STORE-RSP", "C-FIND-RQ", "C-FIND-RSP", "C-MOVE-RQ", "C-MOVE-RSP", "C-GET-RQ", "C-GET-RSP"} {
		if kinds[k] == 0 {
			t.Errorf("no %s in the captures", k)
		}
	}
	t.Logf("%v", kinds)
}
