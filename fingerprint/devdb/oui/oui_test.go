package oui

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func TestLookup(t *testing.T) {
	for _, c := range []struct {
		mac  [6]byte
		want string
		ok   bool
	}{
		{[6]byte{0x00, 0x09, 0xfb, 0x12, 0x34, 0x56}, "Philips Patient Monitoring", true},         // MA-L
		{[6]byte{0x1c, 0xc0, 0xe1, 0x2a, 0xbc, 0xde}, "Abbott Medical Optics Inc.", true},         // MA-M 1CC0E12
		{[6]byte{0x70, 0xb3, 0xd5, 0x53, 0xf1, 0x23}, "Abbott Diagnostics Technologies AS", true}, // MA-S, inside the IEEE's MA-L 70B3D5
		{[6]byte{0x00, 0x50, 0xc2, 0xb1, 0xe0, 0x01}, "Abbott Medical Optics", true},              // IAB
		{[6]byte{0x00, 0x1b, 0xc5, 0xff, 0xff, 0xff}, "IEEE Registration Authority", true},        // MA-L block with no MA-S there
		{[6]byte{0x00, 0x00, 0x00, 0x00, 0x00, 0x01}, "XEROX CORPORATION", true},                  // first key
		{[6]byte{0x02, 0x00, 0x00, 0x00, 0x00, 0x00}, "", false},                                  // locally administered
		{[6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, "", false},                                  // broadcast
	} {
		got, ok := Lookup(c.mac)
		if got != c.want || ok != c.ok {
			t.Errorf("Lookup(% x) = %q, %v; want %q, %v", c.mac, got, ok, c.want, c.ok)
		}
	}
	if Len() != nMAL+nMAM+nMAS || Len() < 40000 {
		t.Errorf("Len = %d", Len())
	}
}

// TestTableSorted checks every section is strictly ascending and every
// name index is in range, so binary search finds every key.
func TestTableSorted(t *testing.T) {
	for _, s := range []struct{ off, n, rec int }{{0, nMAL, recL}, {offM, nMAM, recM}, {offS, nMAS, recS}} {
		var prev uint64
		for i := 0; i < s.n; i++ {
			p := s.off + i*s.rec
			var k uint64
			for j := 0; j < s.rec-2; j++ {
				k = k<<8 | uint64(table[p+j])
			}
			if i > 0 && k <= prev {
				t.Fatalf("section at %d: key %d (%x) not above %x", s.off, i, k, prev)
			}
			prev = k
			if idx := int(table[p+s.rec-2])<<8 | int(table[p+s.rec-1]); idx >= nNames {
				t.Fatalf("name index %d out of range", idx)
			}
			if got, ok := search(s.off, s.n, s.rec, k); !ok || got != int(table[p+s.rec-2])<<8|int(table[p+s.rec-1]) {
				t.Fatalf("search does not find key %x", k)
			}
		}
	}
	if len(table) != offNames+4*(nNames+1) || u32(offNames+4*nNames) != len(names) {
		t.Errorf("table is %d bytes, names %d", len(table), len(names))
	}
}

func TestLookupAllocs(t *testing.T) {
	mac := [6]byte{0x00, 0x09, 0xfb, 1, 2, 3}
	if n := testing.AllocsPerRun(100, func() { Lookup(mac) }); n != 0 {
		t.Errorf("Lookup allocates %v times", n)
	}
}

// TestGenerateReproducible regenerates the table from Debian's ieee-data,
// when installed, and compares it with the committed files.
func TestGenerateReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	if _, err := os.Stat("/usr/share/ieee-data/oui.csv"); err != nil {
		t.Skip("ieee-data not installed")
	}
	dir := t.TempDir()
	out, err := exec.Command("go", "run", "./internal/gen", "-dir", "/usr/share/ieee-data", "-out", dir).CombinedOutput()
	if err != nil {
		t.Fatalf("gen: %v\n%s", err, out)
	}
	for _, f := range []string{"names.txt", "table.bin", "table.go"} {
		a, _ := os.ReadFile(f)
		b, _ := os.ReadFile(filepath.Join(dir, f))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs from the generator's output (the installed ieee-data may be another version)", f)
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	mac := [6]byte{0x70, 0xb3, 0xd5, 0x53, 0xf1, 0x23}
	b.ReportAllocs()
	for b.Loop() {
		Lookup(mac)
	}
}
