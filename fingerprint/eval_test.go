package fingerprint_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medtap/medtap/capture"
	"github.com/medtap/medtap/fingerprint"
	"github.com/medtap/medtap/fingerprint/devdb"
	"github.com/medtap/medtap/flow"
	_ "github.com/medtap/medtap/flow/all"
)

// label is one row of testdata/eval/labels.tsv: what a device of the
// labelled captures really is ("-" where a column is not labelled).
type label struct {
	ip, mac, vendor, class, os, note string
}

func readLabels(t *testing.T, path string) []label {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []label
	s := bufio.NewScanner(f)
	for n := 1; s.Scan(); n++ {
		line := s.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != 6 {
			t.Fatalf("%s:%d: %d columns, want 6", path, n, len(c))
		}
		out = append(out, label{c[0], c[1], c[2], c[3], c[4], c[5]})
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// evalDevices runs every capture of testdata/eval through an engine with
// every adapter into one inventory matched against db.
func evalDevices(t *testing.T, db *devdb.Database) map[string]fingerprint.Device {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "eval", "*.pcap"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no captures in testdata/eval (%v)", err)
	}
	inv := fingerprint.NewInventory(fingerprint.Config{DB: db})
	for _, name := range files {
		e, err := flow.NewEngine(flow.Config{}, inv)
		if err != nil {
			t.Fatal(err)
		}
		if err := capture.RunFile(e, name); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	devs := map[string]fingerprint.Device{}
	for _, d := range inv.Devices() {
		devs[d.Addr.String()] = d
	}
	return devs
}

// sameVendor reports whether the inventory's vendor is the label's: the
// label is the database's name of the vendor, compared ignoring case.
func sameVendor(got, want string) bool { return strings.EqualFold(got, want) }

// sameOS reports whether the OS named contains the label's (the database
// names versions: "Linux 3.11 and newer" is Linux).
func sameOS(got, want string) bool {
	return got != "" && strings.Contains(strings.ToLower(got), strings.ToLower(want))
}

// score is one row of the accuracy table.
type score struct {
	devices, found                   int
	vendors, vendorRight             int
	classes, classRight, os, osRight int
}

func (s score) String() string {
	pct := func(a, b int) string {
		if b == 0 {
			return "-"
		}
		return fmt.Sprintf("%d/%d (%.0f%%)", a, b, 100*float64(a)/float64(b))
	}
	return fmt.Sprintf("devices %d, found %d | vendor right %s | class right %s | OS right %s",
		s.devices, s.found, pct(s.vendorRight, s.vendors), pct(s.classRight, s.classes), pct(s.osRight, s.os))
}

func evaluate(labels []label, devs map[string]fingerprint.Device, report func(l label, d fingerprint.Device, ok bool, what string)) score {
	var s score
	for _, l := range labels {
		s.devices++
		d, ok := devs[l.ip]
		if !ok {
			report(l, d, false, "not found")
			continue
		}
		s.found++
		if !strings.EqualFold(d.MAC.String(), l.mac) {
			report(l, d, false, "mac "+d.MAC.String())
		}
		if l.vendor != "-" {
			s.vendors++
			if sameVendor(d.Vendor, l.vendor) {
				s.vendorRight++
			} else {
				report(l, d, false, fmt.Sprintf("vendor %q, want %q", d.Vendor, l.vendor))
			}
		}
		if l.class != "-" {
			s.classes++
			if d.Class == l.class {
				s.classRight++
			} else {
				report(l, d, false, fmt.Sprintf("class %q, want %q", d.Class, l.class))
			}
		}
		if l.os != "-" {
			s.os++
			if sameOS(d.OS, l.os) {
				s.osRight++
			} else {
				report(l, d, true, fmt.Sprintf("OS %q, want %q", d.OS, l.os))
			}
		}
	}
	return s
}

// TestAccuracy runs the labelled captures of testdata/eval (recorded by
// its record.sh with real peers, MAC addresses under real vendor blocks
// and real vendors' DICOM files and analyser records) and checks every
// labelled device's vendor and class against labels.tsv. The OS is scored
// but not required: the embedded database has no TCP signatures (p0f's
// are LGPL and read at run time); when the machine has p0f's database
// (/etc/p0f/p0f.fp, Debian's p0f), the table has a second row with it.
func TestAccuracy(t *testing.T) {
	labels := readLabels(t, filepath.Join("testdata", "eval", "labels.tsv"))
	devs := evalDevices(t, devdb.Default())
	s := evaluate(labels, devs, func(l label, d fingerprint.Device, soft bool, what string) {
		msg := fmt.Sprintf("%s (%s): %s; evidence %v", l.ip, l.note, what, d.Evidence)
		if soft {
			t.Log(msg)
		} else {
			t.Error(msg)
		}
	})
	t.Logf("%-12s %-28s %-18s | %-28s %-16s %-18s %s", "address", "label vendor", "label class", "vendor", "product", "class", "confidence")
	for _, l := range labels {
		d := devs[l.ip]
		t.Logf("%-12s %-28.28s %-18s | %-28.28s %-16.16s %-18s %.2f", l.ip, l.vendor, l.class, d.Vendor, d.Product, d.Class, d.Confidence)
	}
	t.Logf("%-40s %s", "embedded database:", s)

	const p0fPath = "/etc/p0f/p0f.fp"
	f, err := os.Open(p0fPath)
	if err != nil {
		t.Logf("%s: %v (no OS row with p0f)", p0fPath, err)
		return
	}
	defer f.Close()
	p0f, err := devdb.LoadP0F(f, p0fPath)
	if err != nil {
		t.Fatal(err)
	}
	db := devdb.Default()
	if err := db.Merge(p0f); err != nil {
		t.Fatal(err)
	}
	devs = evalDevices(t, db)
	s = evaluate(labels, devs, func(l label, d fingerprint.Device, _ bool, what string) {
		t.Logf("with p0f: %s: %s", l.ip, what)
	})
	for _, l := range labels {
		if d := devs[l.ip]; d.OS != "" {
			t.Logf("with p0f: %-12s OS %q", l.ip, d.OS)
		}
	}
	t.Logf("%-40s %s", "embedded database and "+p0fPath+":", s)
}
