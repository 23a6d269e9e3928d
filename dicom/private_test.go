package dicom

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestLookupPrivate(t *testing.T) {
	tests := []struct {
		tag     Tag
		creator string
		vr      VR
		keyword string // "" for no entry
	}{
		{0x00191002, "GEMS_ACQU_01", SL, "NumberOfCellsInDetector"},
		{0x00191102, "GEMS_ACQU_01", SL, "NumberOfCellsInDetector"},  // any block
		{0x00191002, "GEMS_ACQU_01 ", SL, "NumberOfCellsInDetector"}, // padding
		{0x00191002, "GEMS_ACQU_01\x00", SL, "NumberOfCellsInDetector"},
		{0x00191002, "gems_acqu_01", 0, ""}, // creators are case-sensitive
		{0x00211002, "GEMS_ACQU_01", 0, ""}, // wrong group
		{0x00291010, "SIEMENS CSA HEADER", OB, "CSAImageHeaderInfo"},
		{0x20011003, "Philips Imaging DD 001", FL, "DiffusionBFactor"},
		{0x70031004, "DLX_ANNOT_01", ST, "TextAnnotation"}, // group range 7001-o-70ff
		{0x70FF1005, "DLX_ANNOT_01", IS, "Box"},
		{0x00251010, "CMR42 CIRCLECVI", LO, "WorkspaceID"}, // a whole element
		{0x00251110, "CMR42 CIRCLECVI", 0, ""},
		{0x00190010, "GEMS_ACQU_01", 0, ""}, // the creator itself
		{0x00080010, "GEMS_ACQU_01", 0, ""},
		{0x00191002, "", 0, ""},
		{0x00191002, strings.Repeat("x", 200), 0, ""},
	}
	for _, tt := range tests {
		e, ok := LookupPrivate(tt.tag, []byte(tt.creator))
		if ok != (tt.keyword != "") || e.Keyword != tt.keyword || e.VR != tt.vr || ok && e.Tag != tt.tag {
			t.Errorf("LookupPrivate(%v, %q) = %+v, %v; want %v %s", tt.tag, tt.creator, e, ok, tt.vr, tt.keyword)
		}
	}
}

// privateDump has private elements of several creators, in two blocks of
// one group, in a group range, as whole elements, under an unknown creator,
// and in nested items, where the creators of the enclosing dataset do not
// apply.
const privateDump = `(0008,0016) UI =SecondaryCaptureImageStorage
(0008,0018) UI [1.2.3.4.5]
(0010,0010) PN [Doe^Jane]
(0019,0010) LO [GEMS_ACQU_01]
(0019,0011) LO [SIEMENS CM VA0  ACQU]
(0019,0012) LO [NOBODY KNOWS ME]
(0019,1002) SL -5
(0019,100f) DS [1.5]
(0019,1014) SS 3
(0019,1101) LT [x]
(0019,1200) US 9
(0025,0010) LO [CMR42 CIRCLECVI]
(0025,0011) LO [CMR42 CIRCLECVI]
(0025,1010) LO [ws]
(0025,1110) LO [ws2]
(0029,0010) LO [SIEMENS CSA HEADER]
(0029,1008) CS [IMAGE NUM 4]
(0029,1009) LO [20100114]
(0029,1010) OB 01\02\03\04
(0029,1100) UN 01\02
(0043,0010) LO [GEMS_PARM_01]
(0043,1039) IS [1\2\3\4]
(0043,106f) DS [1\2\3]
(0051,1001) LO [no creator]
(2001,0010) LO [Philips Imaging DD 001]
(2001,1003) FL 1.5
(2001,1004) CS [I]
(2001,0001) US 4
(2001,105f) SQ (Sequence with undefined length)
  (fffe,e000) na (Item with undefined length)
    (2001,1003) FL 2.5
    (2001,0010) LO [Philips Imaging DD 001]
    (2001,1004) CS [P]
  (fffe,e00d) na (ItemDelimitationItem)
  (fffe,e000) na (Item with undefined length)
    (2001,1003) FL 3.5
  (fffe,e00d) na (ItemDelimitationItem)
(fffe,e0dd) na (SequenceDelimitationItem)
(2001,1006) CS [N]
(7003,0010) LO [DLX_ANNOT_01]
(7003,1004) ST [note]
(7003,1005) IS [1\2]
`

type privElem struct {
	tag         Tag
	vr, keyword string
	depth       int
}

// TestDcmtkPrivate writes privateDump with dump2dcm in explicit and
// implicit VR (and the implicit file converted back by dcmconv), and checks
// the VR and name of every element against dcmdump, which reads private
// elements through dcmtk's private.dic: the Parser and the Reader must give
// the same VR, and LookupPrivate under Parser.PrivateCreator the same name
// ("Unknown Tag & Data" where dcmtk knows none).
func TestDcmtkPrivate(t *testing.T) {
	needTool(t, "dump2dcm", "dcmdump", "dcmconv")
	dir := t.TempDir()
	txt := filepath.Join(dir, "in.txt")
	os.WriteFile(txt, []byte(privateDump), 0o644)
	for _, c := range []struct {
		name string
		args []string
	}{
		{"te", []string{"dump2dcm", "+te"}},
		{"ti", []string{"dump2dcm", "+ti"}},
		{"ti-dcmconv-te", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(dir, c.name+".dcm")
			var err error
			var msg []byte
			if c.args != nil {
				msg, err = exec.Command(c.args[0], c.args[1], txt, out).CombinedOutput()
			} else {
				msg, err = exec.Command("dcmconv", "+te", filepath.Join(dir, "ti.dcm"), out).CombinedOutput()
			}
			if err != nil {
				t.Fatalf("%v: %v\n%s", c.args, err, msg)
			}
			want := dcmdumpPrivate(t, out)
			b, _ := os.ReadFile(out)
			got := ourPrivate(t, b, false)
			gotR := ourPrivate(t, b, true)
			if len(want) < 30 {
				t.Fatalf("dcmdump printed %d elements", len(want))
			}
			if len(got) != len(want) || len(gotR) != len(want) {
				t.Fatalf("parser %d elements, reader %d, dcmdump %d", len(got), len(gotR), len(want))
			}
			known := 0
			for i := range want {
				if got[i] != want[i] || gotR[i] != want[i] {
					t.Errorf("element %d: parser %+v, reader %+v, dcmdump %+v", i, got[i], gotR[i], want[i])
				}
				if want[i].tag.PrivateCreator() != 0 && want[i].keyword != "Unknown Tag & Data" {
					known++
				}
			}
			if known < 15 {
				t.Errorf("only %d known private elements", known)
			}
		})
	}
}

func dcmdumpPrivate(t *testing.T, path string) []privElem {
	t.Helper()
	out, err := exec.Command("dcmdump", "-M", "-Un", "+L", path).Output()
	if err != nil {
		t.Fatalf("dcmdump %s: %v", path, err)
	}
	var elems []privElem
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		m := dumpLine.FindSubmatch(sc.Bytes())
		if m == nil {
			continue
		}
		g, _ := strconv.ParseUint(string(m[2]), 16, 16)
		el, _ := strconv.ParseUint(string(m[3]), 16, 16)
		tag := NewTag(uint16(g), uint16(el))
		if tag.IsDelimiter() || tag.Group() == 2 {
			continue
		}
		vr := string(m[4])
		if vr == "??" { // dcmdump's VR for an unknown element read in implicit VR
			vr = "UN"
		}
		elems = append(elems, privElem{tag, vr, string(m[8]), len(m[1]) / 2})
	}
	return elems
}

func ourPrivate(t *testing.T, b []byte, reader bool) []privElem {
	t.Helper()
	var p Parser
	r := NewReader(&chunkReader{b: b, n: 7})
	p.Start(b)
	var elems []privElem
	for {
		var h Header
		var err error
		if reader {
			h, err = r.Next()
		} else {
			h, err = p.Next()
		}
		if err == io.EOF {
			return elems
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Tag.IsDelimiter() || h.Tag.Group() == 2 {
			continue
		}
		e := privElem{tag: h.Tag, vr: h.VR.String(), depth: 2*h.Depth - btoi(h.Tag == TagItem)}
		creator := p.PrivateCreator(h.Tag)
		if reader {
			creator = r.PrivateCreator(h.Tag)
		}
		switch {
		case h.Tag == TagItem:
			e.vr, e.keyword = "na", "Item"
		case h.Tag.IsPrivateCreator():
			e.keyword = "PrivateCreator"
		case h.Tag.PrivateCreator() != 0:
			e.keyword = "Unknown Tag & Data"
			if d, ok := LookupPrivate(h.Tag, creator); ok {
				e.keyword = d.Keyword
			}
		case h.Tag.IsPrivate():
			e.keyword = "Unknown Tag & Data"
		default:
			if d, ok := Lookup(h.Tag); ok {
				e.keyword = d.Keyword
			}
		}
		elems = append(elems, e)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestPrivateCreatorCap checks that the creators tracked are bounded by
// maxCreators: the first ones stay in force, later ones are not tracked
// (their elements are unknown), and the parser's table does not grow past
// the cap.
func TestPrivateCreatorCap(t *testing.T) {
	enc := ExplicitVRLittleEndian
	var ds []byte
	creators := 0
	for _, g := range []uint16{0x0009, 0x000B} {
		for el := uint16(0x10); el < 0x88; el++ {
			ds = AppendString(ds, enc, NewTag(g, el), LO, "C"+strconv.Itoa(creators))
			creators++
		}
	}
	if creators <= maxCreators {
		t.Fatalf("%d creators do not reach the cap %d", creators, maxCreators)
	}
	first, last := NewTag(0x0009, 0x1001), NewTag(0x000B, 0x8701)
	ds = AppendString(ds, enc, first, LO, "a")
	ds = AppendString(ds, enc, last, LO, "b")
	var p Parser
	if err := p.StartDataset(ds, enc); err != nil {
		t.Fatal(err)
	}
	for {
		h, err := p.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch h.Tag {
		case first:
			if c := p.PrivateCreator(h.Tag); string(c) != "C0" {
				t.Errorf("first block: creator %q, want C0", c)
			}
		case last:
			if c := p.PrivateCreator(h.Tag); c != nil {
				t.Errorf("block past the cap: creator %q, want none", c)
			}
		}
	}
	if len(p.creators) != maxCreators || cap(p.creators) > 2*maxCreators {
		t.Errorf("%d creators tracked (capacity %d), want %d", len(p.creators), cap(p.creators), maxCreators)
	}
}
