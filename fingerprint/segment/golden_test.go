package segment

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (go test -run %s -update rewrites it); got:\n%s", path, t.Name(), got)
	}
}

func TestGoldenJSON(t *testing.T) {
	j := hospital().Advice(hospitalDevices).AppendJSON(nil)
	var out bytes.Buffer
	if err := json.Indent(&out, j, "", "  "); err != nil {
		t.Fatal(err)
	}
	out.WriteByte('\n')
	golden(t, "hospital.json", out.Bytes())
}

func TestGoldenText(t *testing.T) {
	golden(t, "hospital.txt", hospital().Advice(hospitalDevices).AppendText(nil))
}

func TestGoldenNftables(t *testing.T) {
	a := hospital().Advice(hospitalDevices)
	nft := a.AppendNftables(nil, NftConfig{})
	golden(t, "hospital.nft", nft)
	nftCheck(t, nft)
	nftCheck(t, a.AppendNftables(nil, NftConfig{Table: "Hospital-A", Drop: true}))
}

// TestNftablesHostileNames gives devices and classes names that would break
// out of a comment or a set name.
func TestNftablesHostileNames(t *testing.T) {
	devs := []Device{
		{Addr: ip("10.0.0.1"), Name: "x\" accept\n}\ntable ip evil {", Class: `mod"ality`},
		{Addr: ip("10.0.0.2"), Name: "a;b#c\\", Class: "mod ality"}, // the same set name
		{Addr: ip("10.0.0.3"), Name: strings.Repeat("é", 300), Class: Class("9" + strings.Repeat("z", 100))},
		{Addr: ip("fd00::3"), Name: "\x00\x1b[2J", Class: ClassITServer},
	}
	var c Collector
	c.Expected = []Expectation{{Client: AnyClass, Server: AnyClass, Services: []string{"*"}}}
	for _, s := range []string{"10.0.0.1", "10.0.0.2", "10.0.0.3"} {
		for _, d := range []string{"10.0.0.1", "10.0.0.2", "10.0.0.3"} {
			c.Add(&Flow{Client: ip(s), Server: ip(d), Transport: TCP, Port: 1, Protocol: "p\"x"})
		}
	}
	c.Add(&Flow{Client: ip("10.0.0.1"), Server: ip("fd00::3"), Transport: TCP, Port: 2}) // no common family
	c.Add(&Flow{Client: ip("fd00::3"), Server: ip("fd00::3"), Transport: 132})           // no ports
	a := c.Advice(devs)
	checkAdvice(t, &c, a)
	nft := a.AppendNftables(nil, NftConfig{Table: "a b\"c"})
	var tables []string
	for _, line := range strings.Split(string(nft), "\n") {
		if strings.HasPrefix(line, "table") || strings.HasPrefix(line, "delete") {
			tables = append(tables, line)
		}
	}
	if want := []string{"table inet a_b_c", "delete table inet a_b_c", "table inet a_b_c {"}; !slices.Equal(tables, want) {
		t.Errorf("table statements %q, want %q:\n%s", tables, want, nft)
	}
	nftCheck(t, nft)
	text := a.AppendText(nil)
	if bytes.ContainsAny(text, "\x00\x1b") {
		t.Errorf("control characters in the text:\n%q", text)
	}
}

// nftCheck runs nft -c (check only, nothing is loaded) on the rule set;
// it skips when nft is not installed or may not run here.
func nftCheck(t *testing.T, rules []byte) {
	t.Helper()
	nft, err := exec.LookPath("nft")
	if err != nil {
		for _, p := range []string{"/usr/sbin/nft", "/sbin/nft"} {
			if _, err2 := os.Stat(p); err2 == nil {
				nft, err = p, nil
			}
		}
	}
	if err != nil {
		t.Skip("nft not installed (apt-get install nftables)")
	}
	path := filepath.Join(t.TempDir(), "rules.nft")
	if err := os.WriteFile(path, rules, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(nft, "-c", "-f", path).CombinedOutput()
	var ee *exec.ExitError
	if errors.As(err, &ee) && bytes.Contains(out, []byte("Operation not permitted")) {
		t.Skipf("nft -c may not run here: %s", out)
	}
	if err != nil {
		t.Errorf("nft -c -f: %v\n%s\n%s", err, out, rules)
	}
}
