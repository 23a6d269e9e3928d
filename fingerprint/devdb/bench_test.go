package devdb

import (
	"bytes"
	"io/fs"
	"testing"
)

// device is one medical device's evidence as the inventory would hold it:
// a modality on Windows with a Philips MAC, seen over DICOM, SMB and DHCP.
var device = Evidence{
	HasMAC:                true,
	MAC:                   [6]byte{0x00, 0x09, 0xfb, 0x12, 0x34, 0x56},
	ImplementationUID:     "1.3.12.2.1107.5.2",
	ImplementationVersion: "MR_VB15A",
	AETitles:              [MaxAETitles]string{"MR_ROOM2", "PACS_ARCHIVE"},
	Manufacturer:          "SIEMENS ",
	Model:                 "Avanto",
	SoftwareVersions:      "syngo MR B15",
	Modality:              "MR",
	SOPClassesSent:        [MaxSOPClasses]string{"1.2.840.10008.5.1.4.1.1.4", "1.2.840.10008.1.1"},
	P0F:                   "4:128+0:0:1460:8192,8:mss,nop,ws,nop,nop,sok:df,id+:0",
	DHCPParams:            "1,15,3,6,44,46,47,31,33,121,249,43",
	DHCPVendorClass:       "MSFT 5.0",
	DHCPHostName:          "MRC25012",
	SMBOS:                 "Windows 7 SP1 / Server 2008 R2 (6.1.7601)",
	HTTPUserAgent:         "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0)",
}

func matchDevice(db *Database, dst []Match) []Match {
	return db.Match(&device, dst[:0])
}

func TestMatchAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("race detector allocates")
	}
	db := Default()
	dst := make([]Match, 0, 16)
	if got := matchDevice(db, dst); len(got) < 4 {
		t.Fatalf("benchmark device matches only %v", ids(got))
	}
	if n := testing.AllocsPerRun(100, func() { Summarize(matchDevice(db, dst)) }); n != 0 {
		t.Errorf("Match+Summarize allocate %v times", n)
	}
	var rules [32]string
	ms := matchDevice(db, dst)
	r := Summarize(ms)
	if n := testing.AllocsPerRun(100, func() { r.AppendRules(rules[:0]) }); n != 0 {
		t.Errorf("AppendRules allocates %v times", n)
	}
	// Regular expressions, p0f signatures and long values on the same path.
	p, err := LoadP0F(bytes.NewReader([]byte("[tcp:request]\nlabel = s:win:Windows:7 or 8\nsig = *:128:0:*:8192,8:mss,nop,ws,nop,nop,sok:df,id+:0\n")), "p.fp")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Merge(p); err != nil {
		t.Fatal(err)
	}
	long := device
	long.Model = string(bytes.Repeat([]byte("x"), 300))
	if n := testing.AllocsPerRun(100, func() { db.Match(&long, dst[:0]) }); n != 0 {
		t.Errorf("Match with p0f and long values allocates %v times", n)
	}
}

func BenchmarkMatch(b *testing.B) {
	db := Default()
	dst := make([]Match, 0, 16)
	reportCPU(b, func() { dst = matchDevice(db, dst) })
}

func BenchmarkMatchSummarize(b *testing.B) {
	db := Default()
	dst := make([]Match, 0, 16)
	reportCPU(b, func() {
		dst = matchDevice(db, dst)
		_ = Summarize(dst)
	})
}

func BenchmarkMatchEmpty(b *testing.B) {
	db := Default()
	dst := make([]Match, 0, 16)
	var ev Evidence
	reportCPU(b, func() { dst = db.Match(&ev, dst[:0]) })
}

// BenchmarkLoadDefault parses every embedded file and builds the index:
// what the first Default call costs.
func BenchmarkLoadDefault(b *testing.B) {
	var size int64
	names, _ := fs.Glob(dataFS, "data/*.db")
	for _, n := range names {
		fi, _ := fs.Stat(dataFS, n)
		size += fi.Size()
	}
	b.SetBytes(size)
	reportCPU(b, func() {
		if _, err := loadFS(dataFS, "data"); err != nil {
			b.Fatal(err)
		}
	})
}
