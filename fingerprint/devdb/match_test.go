package devdb

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

const kinds = `version 1

entry exact
  vendor E
  source s
  test 10 hl7.app exact LABAPP

entry prefix
  vendor P
  source s
  test 10 dicom.uid prefix 1.2.3.

entry suffix
  vendor S
  source s
  test 10 smb.os suffix (6.1.0)

entry regexp
  vendor R
  source s
  test 10 dicom.model regexp (?i)signa\s+(pioneer|premier)

entry anchored
  vendor A
  source s
  test 10 astm.sender regexp ^XN-\d+\^

entry mac
  vendor M
  source s
  test 10 mac prefix 00:09:fb
  test 5 mac exact 00-09-FB-01-02-03

entry macs
  vendor MS
  source s
  test 10 mac prefix 70B3D553F

entry oui
  vendor O
  source s
  test 10 oui exact Philips Patient Monitoring

entry ae
  vendor AE
  source s
  test 10 dicom.ae prefix CT_

entry sop
  vendor SOP
  source s
  test 10 dicom.sop-served exact 1.2.840.10008.5.1.4.1.2.2.1

entry p0f
  kind os
  os   Linux
  source s
  test 10 p0f p0f *:64:0:*:mss*20,7:mss,sok,ts,nop,ws:df,id+:0
`

func TestMatchKinds(t *testing.T) {
	db, err := Load(strings.NewReader(kinds), "kinds.db")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		ev   Evidence
		want []string // entry ids, best first
	}{
		{"exact", Evidence{HL7SendingApp: "LABAPP"}, []string{"exact"}},
		{"exact folds case", Evidence{HL7SendingApp: "labapp"}, []string{"exact"}},
		{"exact trims padding", Evidence{HL7SendingApp: " LABAPP \x00"}, []string{"exact"}},
		{"exact is whole", Evidence{HL7SendingApp: "LABAPP2"}, nil},
		{"prefix", Evidence{ImplementationUID: "1.2.3.4.5"}, []string{"prefix"}},
		{"prefix is prefix", Evidence{ImplementationUID: "1.2.34"}, nil},
		{"prefix short", Evidence{ImplementationUID: "1.2"}, nil},
		{"suffix", Evidence{SMBOS: "Windows 7 / Server 2008 R2 (6.1.0)"}, []string{"suffix"}},
		{"suffix not", Evidence{SMBOS: "Windows 7 / Server 2008 R2 (6.1.7601)"}, nil},
		{"regexp", Evidence{Model: "SIGNA  Pioneer"}, []string{"regexp"}},
		{"regexp unanchored", Evidence{Model: "GE SIGNA Premier 3T"}, []string{"regexp"}},
		{"regexp no", Evidence{Model: "SIGNA HDxt"}, nil},
		{"anchored regexp", Evidence{ASTMSender: "XN-550^00-24^X"}, []string{"anchored"}},
		{"anchored regexp gate passes, regexp fails", Evidence{ASTMSender: "XN-A^"}, nil},
		{"anchored regexp is case sensitive", Evidence{ASTMSender: "xn-550^"}, nil},
		{"mac prefix", Evidence{HasMAC: true, MAC: [6]byte{0x00, 0x09, 0xfb, 9, 9, 9}}, []string{"mac", "oui"}},
		{"mac exact adds", Evidence{HasMAC: true, MAC: [6]byte{0x00, 0x09, 0xfb, 1, 2, 3}}, []string{"mac", "oui"}},
		{"mac 36-bit", Evidence{HasMAC: true, MAC: [6]byte{0x70, 0xb3, 0xd5, 0x53, 0xf0, 0}}, []string{"macs"}},
		{"mac 36-bit other", Evidence{HasMAC: true, MAC: [6]byte{0x70, 0xb3, 0xd5, 0x54, 0xf0, 0}}, nil},
		{"mac unset", Evidence{MAC: [6]byte{0x00, 0x09, 0xfb, 9, 9, 9}}, nil},
		{"ae any slot", Evidence{AETitles: [MaxAETitles]string{"STORESCP", "", "CT_ROOM1"}}, []string{"ae"}},
		{"sop served", Evidence{SOPClassesServed: [MaxSOPClasses]string{"1.2.840.10008.1.1", "1.2.840.10008.5.1.4.1.2.2.1"}}, []string{"sop"}},
		{"sop sent is another field", Evidence{SOPClassesSent: [MaxSOPClasses]string{"1.2.840.10008.5.1.4.1.2.2.1"}}, nil},
		{"p0f", Evidence{P0F: "4:61+3:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0"}, []string{"p0f"}},
		{"p0f window", Evidence{P0F: "4:61+3:0:1460:29200,7:mss,sok,ts,nop,ws:df,id+:0"}, []string{"p0f"}},
		{"p0f ttl too high", Evidence{P0F: "4:128+0:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0"}, nil},
		{"p0f ttl too far", Evidence{P0F: "4:20+44:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0"}, nil},
		{"p0f scale", Evidence{P0F: "4:64+0:0:1460:mss*20,8:mss,sok,ts,nop,ws:df,id+:0"}, nil},
		{"p0f layout", Evidence{P0F: "4:64+0:0:1460:mss*20,7:mss,nop,ws:df,id+:0"}, nil},
		{"p0f garbage", Evidence{P0F: "4:64"}, nil},
		{"several", Evidence{HL7SendingApp: "LABAPP", ImplementationUID: "1.2.3.9"}, []string{"exact", "prefix"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, m := range db.Match(&c.ev, nil) {
				got = append(got, m.Entry.ID)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("matched %v, want %v", got, c.want)
			}
		})
	}
}

func TestMatchScore(t *testing.T) {
	db, err := Load(strings.NewReader(kinds), "kinds.db")
	if err != nil {
		t.Fatal(err)
	}
	ev := Evidence{HasMAC: true, MAC: [6]byte{0x00, 0x09, 0xfb, 1, 2, 3}, AETitles: [MaxAETitles]string{"CT_A", "CT_B"}}
	ms := db.Match(&ev, nil)
	if len(ms) != 3 || ms[0].Entry.ID != "mac" || ms[0].Score != 15 {
		t.Fatalf("matches %+v", ms)
	}
	if got := ms[0].AppendRules(nil); !slices.Equal(got, []string{"mac:mac#1", "mac:mac#2"}) {
		t.Errorf("rules %v", got)
	}
	// Two AE titles matching the same test count once.
	if ms[2].Entry.ID != "ae" || ms[2].Score != 10 {
		t.Errorf("ae match %+v", ms[2])
	}
	if c := ms[0].Confidence(); c != Confidence(15) || c <= 0 || c >= 1 {
		t.Errorf("confidence %v", c)
	}
	// Equal scores keep database order.
	if ms[1].Entry.ID != "oui" {
		t.Errorf("order %s %s", ms[1].Entry.ID, ms[2].Entry.ID)
	}
	// dst is appended to.
	pre := []Match{{Score: -1}}
	if out := db.Match(&ev, pre); len(out) != 4 || out[0].Score != -1 {
		t.Errorf("Match did not append: %+v", out)
	}
}

func TestConfidence(t *testing.T) {
	for _, c := range []struct {
		score  int
		lo, hi float64
	}{{0, 0, 0}, {-5, 0, 0}, {50, 0.632, 0.633}, {100, 0.864, 0.865}, {150, 0.950, 0.951}} {
		if got := Confidence(c.score); got < c.lo || got > c.hi {
			t.Errorf("Confidence(%d) = %v", c.score, got)
		}
	}
}

// TestVendorRoots: a UID under a vendor's root that no entry lists names
// the vendor.
func TestVendorRoots(t *testing.T) {
	db := Default()
	for _, c := range []struct{ uid, vendor string }{
		{"1.2.840.113619.6.999", "GE Healthcare"},
		{"1.3.46.670589.99.1.2", "Philips"},
		{"1.3.12.2.1107.5.9.1", "Siemens Healthineers"},
		{"1.2.392.200036.9116.7.1", "Toshiba Medical Systems (now Canon Medical)"},
		{"1.2.840.114340.3.1", "SonoSite (now Fujifilm SonoSite)"},
	} {
		ms := db.Match(&Evidence{ImplementationUID: c.uid}, nil)
		r := Summarize(ms)
		if r.Vendor != c.vendor {
			t.Errorf("%s: vendor %q, want %q (matches %v)", c.uid, r.Vendor, c.vendor, ids(ms))
		}
		if db.Entry(ms[0].Entry.ID).Tests[0].Op != OpPrefix {
			t.Errorf("%s: best match %s is not a prefix test", c.uid, ms[0].Entry.ID)
		}
	}
	// Not under the root though it starts with the same digits.
	if ms := db.Match(&Evidence{ImplementationUID: "1.2.840.1136190.1"}, nil); len(ms) != 0 {
		t.Errorf("1.2.840.1136190.1 matched %v", ids(ms))
	}
}

func ids(ms []Match) []string {
	var s []string
	for _, m := range ms {
		s = append(s, m.Entry.ID)
	}
	return s
}

func TestSummarize(t *testing.T) {
	db := Default()
	for _, c := range []struct {
		name string
		ev   Evidence
		want Result
	}{
		{"device over toolkit", Evidence{
			ImplementationUID: "1.2.276.0.7230010.3.0.3.6.8", ImplementationVersion: "OFFIS_DCMTK_368",
			Manufacturer: "SIEMENS", Model: "Sensation 64",
		}, Result{Vendor: "Siemens Healthineers", Product: "Sensation 64", Class: ClassModality, Modality: "CT", Software: "DCMTK", Criticality: CriticalityHigh}},
		{"toolkit alone", Evidence{ImplementationUID: "1.2.826.0.1.3680043.9.3811.2.1.0", ImplementationVersion: "PYNETDICOM_210"},
			Result{Vendor: "pydicom project", Product: "pynetdicom", Class: ClassUnknown, Software: "pynetdicom"}},
		{"exact product", Evidence{ImplementationUID: "1.2.840.113619.6.44", ImplementationVersion: "_V4_NUEVO.x86_64"},
			Result{Vendor: "GE Healthcare", Product: "SIGNA MR", Class: ClassModality, Modality: "MR", Criticality: CriticalityHigh}},
		{"os from smb", Evidence{SMBOS: "Windows 7 SP1 / Server 2008 R2 (6.1.7601)", ImplementationUID: "1.3.12.2.1107.5.2", ImplementationVersion: "MR_VB15A"},
			Result{Vendor: "Siemens Healthineers", Product: "MAGNETOM MR (syngo MR)", Class: ClassModality, Modality: "MR", OS: "Windows 7 / Server 2008 R2", Criticality: CriticalityHigh}},
		{"samba beats windows 7", Evidence{SMBOS: "Windows 7 / Server 2008 R2 (6.1.0)"},
			Result{Class: ClassUnknown, OS: "Samba (Unix-like)"}},
		{"hl7", Evidence{HL7SendingApp: "EPIC", HL7SendingFacility: "EPIC"},
			Result{Vendor: "Epic Systems", Product: "Epic EHR", Class: ClassEHR, Criticality: CriticalityHigh}},
		{"astm padded", Evidence{ASTMSender: "   XN-550^00-24^^^^^BD634545"},
			Result{Vendor: "Sysmex", Product: "XN-550 haematology", Class: ClassLabAnalyser, Criticality: CriticalityHigh}},
		{"snmp", Evidence{SNMPSysObjectID: "1.3.6.1.4.1.9.1.1208"},
			Result{Vendor: "ciscoSystems", Class: ClassNetwork, Criticality: CriticalityMedium}},
		{"mac", Evidence{HasMAC: true, MAC: [6]byte{0x00, 0x09, 0xfb, 1, 2, 3}},
			Result{Vendor: "Philips Patient Monitoring", Class: ClassUnknown}},
		{"nothing", Evidence{}, Result{Class: ClassUnknown}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := Summarize(db.Match(&c.ev, nil))
			if len(r.Matches) > 0 && r.Confidence <= 0 {
				t.Errorf("confidence %v", r.Confidence)
			}
			r.Matches, r.Confidence = nil, 0
			if !reflect.DeepEqual(r, c.want) {
				t.Errorf("got  %+v\nwant %+v", r, c.want)
			}
		})
	}
}

// TestUnrelatedEntry: adding an entry whose tests match nothing of the
// evidence never changes the matches of other entries, whatever the
// evidence; and an entry that does match only adds itself.
func TestUnrelatedEntry(t *testing.T) {
	base := Default()
	evs := sampleEvidence()
	extras := []string{
		"test 70 hl7.app exact SOMETHING-ELSE",
		"test 70 dicom.uid prefix 1.9.9.9.",
		"test 70 smb.os suffix (9.9.9)",
		"test 70 dicom.model regexp ^Unrelated",
		"test 70 astm.sender regexp zzz",
		"test 70 mac prefix 02ABCD",
		"test 70 p0f p0f 4:64:0:*:mss*99,1:mss:df:0",
	}
	for _, x := range extras {
		extra, err := Load(strings.NewReader("version 1\nentry zz-extra\nvendor Z\nsource property test\n"+x+"\n"), "extra.db")
		if err != nil {
			t.Fatal(err)
		}
		db := Default()
		if err := db.Merge(extra); err != nil {
			t.Fatal(err)
		}
		for i := range evs {
			want := base.Match(&evs[i], nil)
			got := db.Match(&evs[i], nil)
			if !sameMatches(got, want) {
				t.Errorf("%s: evidence %d: %v, want %v", x, i, ids(got), ids(want))
			}
		}
	}
	// An entry that matches adds itself and leaves the others as they were.
	extra, _ := Load(strings.NewReader("version 1\nentry zz-extra\nvendor Z\nsource property test\ntest 1 hl7.app exact EPIC\n"), "extra.db")
	db := Default()
	if err := db.Merge(extra); err != nil {
		t.Fatal(err)
	}
	ev := Evidence{HL7SendingApp: "EPIC", ImplementationUID: "1.2.840.113619.1"}
	var others []Match
	for _, m := range db.Match(&ev, nil) {
		if m.Entry.ID != "zz-extra" {
			others = append(others, m)
		}
	}
	if !sameMatches(others, base.Match(&ev, nil)) {
		t.Errorf("matching entry changed the others: %v", ids(others))
	}
}

func sameMatches(a, b []Match) bool {
	return slices.EqualFunc(a, b, func(x, y Match) bool {
		return x.Entry == y.Entry && x.Score == y.Score && x.tests == y.tests
	})
}

// sampleEvidence is one device of each kind the default database knows,
// with the values the tests of its entries look for.
func sampleEvidence() []Evidence {
	var evs []Evidence
	for _, e := range Default().Entries() {
		var ev Evidence
		for _, t := range e.Tests {
			v := t.Value
			switch t.Op {
			case OpPrefix:
				v += "7"
			case OpSuffix:
				v = "x " + v
			case OpRegexp, OpP0F:
				continue
			}
			setField(&ev, t.Field, v)
		}
		evs = append(evs, ev)
	}
	return evs
}

func setField(ev *Evidence, f Field, v string) {
	switch f {
	case FieldMAC:
		for i := 0; i+1 < len(v) && i < 12; i += 2 {
			var b byte
			for _, c := range []byte(v[i : i+2]) {
				b = b<<4 | hexVal(c)
			}
			ev.MAC[i/2] = b
		}
		ev.HasMAC = true
	case FieldAETitle:
		ev.AETitles[0] = v
	case FieldSOPClassSent:
		ev.SOPClassesSent[0] = v
	case FieldSOPClassServed:
		ev.SOPClassesServed[0] = v
	case FieldImplementationUID:
		ev.ImplementationUID = v
	case FieldImplementationVersion:
		ev.ImplementationVersion = v
	case FieldManufacturer:
		ev.Manufacturer = v
	case FieldModel:
		ev.Model = v
	case FieldHL7SendingApp:
		ev.HL7SendingApp = v
	case FieldHL7SendingFacility:
		ev.HL7SendingFacility = v
	case FieldASTMSender:
		ev.ASTMSender = v
	case FieldSMBOS:
		ev.SMBOS = v
	case FieldSNMPSysObjectID:
		ev.SNMPSysObjectID = v
	case FieldSNMPSysDescr:
		ev.SNMPSysDescr = v
	case FieldUDI:
		ev.UDI = v
	case FieldDHCPParams:
		ev.DHCPParams = v
	case FieldDHCPVendorClass:
		ev.DHCPVendorClass = v
	case FieldDHCPHostName:
		ev.DHCPHostName = v
	case FieldHTTPUserAgent:
		ev.HTTPUserAgent = v
	case FieldHTTPServer:
		ev.HTTPServer = v
	case FieldJA3:
		ev.JA3 = v
	case FieldJA4:
		ev.JA4 = v
	case FieldLLDPManufacturer:
		ev.LLDPManufacturer = v
	case FieldLLDPModel:
		ev.LLDPModel = v
	}
}

func hexVal(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10
	}
	return 7
}

// TestDefaultEntries: every embedded entry is matched by evidence made
// from its own tests.
func TestDefaultEntries(t *testing.T) {
	db := Default()
	evs := sampleEvidence()
	for i, e := range db.Entries() {
		found := false
		for _, m := range db.Match(&evs[i], nil) {
			found = found || m.Entry == e
		}
		if !found && !onlyRegexp(e) {
			t.Errorf("%s (%s:%d) does not match evidence made of its tests", e.ID, e.File, e.Line)
		}
	}
	if n := db.Len(); n < 300 {
		t.Errorf("default database has %d entries", n)
	}
}

func onlyRegexp(e *Entry) bool {
	for _, t := range e.Tests {
		if t.Op != OpRegexp && t.Op != OpP0F {
			return false
		}
	}
	return true
}
