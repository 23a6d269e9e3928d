package dicom

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// These tests compare lenient parsing of truncated files with pydicom's
// dcmread(..., force=True) (apt-get install python3-pydicom), through
// testdata/pydicom_walk.py: every element pydicom reads from a file cut
// short must be yielded by the lenient Parser with the same depth, tag, VR,
// declared length and value bytes, and the Parser flags as Truncated
// exactly the elements whose value pydicom holds fewer bytes of than
// declared.

// pyElem is one element as testdata/pydicom_walk.py prints it: [depth,
// "item"] for a sequence item, else [depth, tag, vr, length, n, sha1].
type pyElem struct {
	depth  int
	tag    string // 8 hex digits, or "item"
	vr     string // "" where pydicom has no VR from the file
	length int64  // declared; -1 undefined
	n      int    // value bytes held; -1 when not compared
	sum    string
}

func (e pyElem) String() string {
	if e.tag == "item" {
		return fmt.Sprintf("%d item", e.depth)
	}
	return fmt.Sprintf("%d %s %s len=%d n=%d %.8s", e.depth, e.tag, e.vr, e.length, e.n, e.sum)
}

func (e *pyElem) UnmarshalJSON(b []byte) error {
	var a []any
	if err := json.Unmarshal(b, &a); err != nil {
		return err
	}
	num := func(i int) int64 {
		if i < len(a) {
			if f, ok := a[i].(float64); ok {
				return int64(f)
			}
		}
		return -2 // null
	}
	e.depth = int(num(0))
	e.tag, _ = a[1].(string)
	if e.tag == "item" {
		return nil
	}
	e.vr, _ = a[2].(string)
	e.length = num(3)
	e.n = int(num(4))
	if e.n < 0 {
		e.n = -1
	}
	if len(a) > 5 {
		e.sum, _ = a[5].(string)
	}
	return nil
}

type pyResult struct {
	Elems []pyElem `json:"elems"`
	Error string   `json:"error"`
}

// pydicomWalk runs testdata/pydicom_walk.py on paths, in batches.
func pydicomWalk(t *testing.T, python string, paths []string) []pyResult {
	t.Helper()
	var out []pyResult
	for len(paths) > 0 {
		n := min(len(paths), 400)
		cmd := exec.Command(python, append([]string{filepath.Join("testdata", "pydicom_walk.py")}, paths[:n]...)...)
		cmd.Stderr = os.Stderr
		b, err := cmd.Output()
		if err != nil {
			t.Fatalf("pydicom_walk.py: %v", err)
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(nil, 1<<26)
		for sc.Scan() {
			var r pyResult
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatalf("pydicom_walk.py output: %v", err)
			}
			out = append(out, r)
		}
		if len(out)%400 != 0 && len(paths) > n {
			t.Fatalf("pydicom_walk.py printed %d results", len(out))
		}
		paths = paths[n:]
	}
	return out
}

func needPydicom(t *testing.T) string {
	t.Helper()
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		if path, err := exec.LookPath(py); err == nil && exec.Command(path, "-c", "import pydicom").Run() == nil {
			return path
		}
	}
	t.Skip("pydicom not installed (apt-get install python3-pydicom)")
	return ""
}

// lenientElems walks b in lenient mode and returns what it yields in the
// form of pydicom_walk.py, the Truncated flag of each element, and the
// error that ends the walk (nil at a clean end).
func lenientElems(b []byte) (elems []pyElem, truncated []bool, end error) {
	p := Parser{Lenient: true}
	p.Start(b)
	sum := func(v []byte) string { s := sha1.Sum(v); return hex.EncodeToString(s[:]) }
	pixel := -1 // index of an encapsulated pixel data element being read
	var pixStart int64
	for {
		h, err := p.Next()
		if err != nil {
			if err != io.EOF {
				end = err
			}
			if _, err2 := p.Next(); err2 != io.EOF {
				end = fmt.Errorf("after %v: %v, want io.EOF", err, err2)
			}
			return elems, truncated, end
		}
		switch {
		case h.Fragment:
			elems[pixel].n = int(p.Offset() - pixStart)
			elems[pixel].sum = sum(b[pixStart:p.Offset()])
			truncated[pixel] = truncated[pixel] || h.Truncated
			continue
		case h.Tag == TagSequenceDelimitation && pixel >= 0:
			pixel = -1
			continue
		case h.Tag.IsDelimiter() && !h.IsItem():
			continue
		case h.IsItem():
			elems = append(elems, pyElem{depth: h.Depth, tag: "item"})
			truncated = append(truncated, h.Truncated)
			continue
		}
		e := pyElem{depth: h.Depth, tag: fmt.Sprintf("%08X", uint32(h.Tag)), vr: h.VR.String(), length: int64(h.Length), n: -1}
		if h.UndefinedLength() {
			e.length = -1
		}
		if v, err := p.Value(); err == nil {
			e.n, e.sum = len(v), sum(v)
		} else if h.IsSequence() && h.VR != SQ {
			// Encapsulated pixel data: pydicom holds the bytes up to the
			// sequence delimiter, item headers included.
			pixel, pixStart = len(elems), p.Offset()
			e.n, e.sum = 0, sum(nil)
		}
		elems = append(elems, e)
		truncated = append(truncated, h.Truncated)
	}
}

// matches reports whether our element o agrees with pydicom's element w.
func (o pyElem) matches(w pyElem) bool {
	if o.depth != w.depth || o.tag != w.tag {
		return false
	}
	if w.tag == "item" {
		return true
	}
	if w.vr != "" && o.vr != w.vr {
		return false
	}
	if w.length != -2 && o.length != w.length {
		return false
	}
	return w.n < 0 || o.n == w.n && o.sum == w.sum
}

// cutPoints returns where to cut b: at, and a few bytes into, the headers
// of its elements and halfway through their values, thinned to at most max
// points, and the last byte.
func cutPoints(b []byte, max int) []int {
	set := map[int]bool{len(b) - 1: true}
	var p Parser
	p.Start(b)
	for {
		h, err := p.Next()
		if err != nil {
			break
		}
		if p.base != 0 {
			break // the deflated syntax: offsets past here are not in b
		}
		o := int(h.Offset)
		for _, d := range []int{0, 3, 7, 10} {
			set[o+d] = true
		}
		if v, err := p.Value(); err == nil && len(v) > 1 {
			set[int(p.Offset())-len(v)/2] = true
		}
	}
	var cuts []int
	for c := range set {
		if c > 132 && c < len(b) {
			cuts = append(cuts, c)
		}
	}
	sort.Ints(cuts)
	if len(cuts) > max {
		thin := make([]int, 0, max)
		for i := 0; i < max; i++ {
			thin = append(thin, cuts[i*len(cuts)/max])
		}
		cuts = thin
	}
	return cuts
}

// truncationCases returns the files to cut: dicom/testdata, suyashkumar
// dicom's testdata and small built files in each native encoding with
// nested sequences and encapsulated pixel data, each cut at many points.
func truncationCases(t *testing.T) (names []string, files [][]byte) {
	add := func(name string, b []byte, cuts []int) {
		for _, c := range cuts {
			names = append(names, fmt.Sprintf("%s@%d", name, c))
			files = append(files, b[:c])
		}
	}
	for _, name := range []string{"1.dcm", "2.dcm", "3.dcm", "4.dcm", "5.dcm", "6.dcm"} {
		b := suyashFile(t, name)
		cuts := cutPoints(b, 120)
		if name == "6.dcm" {
			// Deflated: cut the deflated stream anywhere.
			for c := 400; c < len(b); c += 97 {
				cuts = append(cuts, c)
			}
		}
		add(name, b, cuts)
	}
	meta := func(ts string) *FileMeta {
		return &FileMeta{MediaStorageSOPClassUID: "1.2.840.10008.5.1.4.1.1.7", MediaStorageSOPInstanceUID: "1.2.3", TransferSyntaxUID: ts}
	}
	for _, c := range []struct {
		enc Encoding
		ts  string
	}{{ImplicitVRLittleEndian, UIDImplicitVRLittleEndian}, {ExplicitVRLittleEndian, UIDExplicitVRLittleEndian}, {ExplicitVRBigEndian, UIDExplicitVRBigEndian}} {
		for _, undefined := range []bool{false, true} {
			ds := sortedNested(c.enc, undefined)
			f := AppendFile(nil, meta(c.ts), ds)
			every := make([]int, 0, len(f))
			for i := len(f) - len(ds); i < len(f); i++ {
				every = append(every, i)
			}
			add(fmt.Sprintf("nested-%v-undefined=%v", c.enc, undefined), f, every)
		}
	}
	enc := ExplicitVRLittleEndian
	ds := AppendUint16s(nil, enc, tagRows, US, 2)
	ds = AppendHeader(ds, enc, TagPixelData, OB, UndefinedLength)
	ds = AppendItem(ds, enc, 0)
	ds = AppendItem(ds, enc, 10)
	ds = append(ds, "frame-one!"...)
	ds = AppendItem(ds, enc, 8)
	ds = append(ds, "frame2.."...)
	ds = AppendSequenceDelimitation(ds, enc)
	f := AppendFile(nil, meta("1.2.840.10008.1.2.4.50"), ds)
	var every []int
	for i := len(f) - len(ds); i < len(f); i++ {
		every = append(every, i)
	}
	add("encapsulated", f, every)
	return names, files
}

// writeFiles writes files to a temporary directory and returns their paths.
func writeFiles(t *testing.T, files [][]byte) []string {
	dir := t.TempDir()
	paths := make([]string, len(files))
	for i, b := range files {
		paths[i] = filepath.Join(dir, fmt.Sprintf("%d.dcm", i))
		if err := os.WriteFile(paths[i], b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return paths
}

func TestLenientVsPydicom(t *testing.T) {
	python := needPydicom(t)
	if testing.Short() {
		t.Skip("runs pydicom on every truncated file")
	}
	names, files := truncationCases(t)
	paths := writeFiles(t, files)
	results := pydicomWalk(t, python, paths)
	if len(results) != len(files) {
		t.Fatalf("%d results for %d files", len(results), len(files))
	}
	counts := map[string]int{}
	var elements, truncatedSeen int
	for i, r := range results {
		got, trunc, end := lenientElems(files[i])
		if end != nil && !isErr(end, ErrTruncated) && !isErr(end, ErrUnterminated) {
			t.Errorf("%s: lenient walk ends with %v", names[i], end)
		}
		if r.Error != "" {
			kind, _, _ := strings.Cut(r.Error, ":")
			counts["pydicom raises "+kind]++
			if testing.Verbose() && counts["pydicom raises "+kind] < 4 {
				t.Logf("%s: pydicom: %s", names[i], r.Error)
			}
			continue
		}
		want := r.Elems
		k := 0
		for ; k < len(want) && k < len(got); k++ {
			if !got[k].matches(want[k]) {
				break
			}
			// pydicom holds fewer bytes than declared exactly where the
			// Parser says Truncated.
			w := want[k]
			if w.tag != "item" && w.n >= 0 && w.length >= 0 && w.vr != "SQ" && (int64(w.n) < w.length) != trunc[k] {
				t.Errorf("%s: element %d %v: Truncated=%v, pydicom holds %d of %d bytes", names[i], k, got[k], trunc[k], w.n, w.length)
			}
		}
		elements += k
		for _, tr := range trunc {
			if tr {
				truncatedSeen++
			}
		}
		switch {
		case k == len(want) && k == len(got):
			counts["agree"]++
		case k == len(want) && droppedPixelData(got[k:]):
			// pydicom drops encapsulated pixel data it finds no sequence
			// delimiter for (EOFError, caught by read_dataset); the Parser
			// yields its fragments, the last one truncated.
			counts["agree except the truncated encapsulated pixel data pydicom drops"]++
		default:
			t.Errorf("%s: element %d: lenient Parser %q, pydicom %q (%d and %d elements)", names[i], k, at(got, k), at(want, k), len(got), len(want))
		}
	}
	logCounts(t, counts)
	t.Logf("%d truncated files, %d elements compared, %d headers flagged Truncated", len(files), elements, truncatedSeen)
}

// at returns s[k] as text, or "" past the end of s.
func at[T fmt.Stringer](s []T, k int) string {
	if k < len(s) {
		return s[k].String()
	}
	return ""
}

// logCounts logs how many files had each outcome.
func logCounts(t *testing.T, counts map[string]int) {
	t.Helper()
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("%5d %s", counts[k], k)
	}
}

// droppedPixelData reports whether rest is one encapsulated pixel data
// element (undefined length, not a sequence of items) at depth 0.
func droppedPixelData(rest []pyElem) bool {
	return len(rest) == 1 && rest[0].tag == "7FE00010" && rest[0].length == -1 && rest[0].vr != "SQ"
}

// TestLenientVsDcmtk compares the same truncated files with dcmtk's
// dcmdump +E (print what can be read from a damaged file): the elements
// it prints (tag, VR, declared length, depth, string and integer values)
// must be those the lenient Parser yields.
func TestLenientVsDcmtk(t *testing.T) {
	needTool(t, "dcmdump")
	if testing.Short() {
		t.Skip("runs dcmdump on every truncated file")
	}
	names, files := truncationCases(t)
	paths := writeFiles(t, files)
	dumps := dcmdumpEach(t, paths, "-M", "-Un", "+L", "+E")
	counts := map[string]int{}
	var elements int
	for i, b := range files {
		want := parseDcmdump(dumps[i])
		p := Parser{Lenient: true}
		got, err := ourElementsWith(&p, b)
		if err != nil && !isErr(err, ErrTruncated) && !isErr(err, ErrUnterminated) {
			t.Errorf("%s: lenient walk ends with %v", names[i], err)
		}
		k := 0
		for ; k < len(want) && k < len(got); k++ {
			if !refAgree(got[k], want[k]) {
				break
			}
		}
		elements += k
		switch {
		case k == len(want) && k == len(got):
			counts["agree"]++
		case k == len(want) && k == len(got)-1 && got[k].tag == NewTag(2, 0) && got[k].truncated:
			// dcmtk reads the meta group length apart, and drops it
			// when it is cut short.
			counts["agree except the meta group length cut short that dcmdump drops"]++
		case k == len(want) && k == len(got)-1 && got[k].truncated && IsStringVR(got[k].vr) &&
			bytes.Contains(dumps[i], fmt.Appendf(nil, "(%04x,%04x) %s [%s", got[k].tag.Group(), got[k].tag.Element(), got[k].vr, strings.TrimRight(got[k].value, " \x00"))):
			// dcmdump printed the value cut short with whatever its buffer
			// held after it, line breaks included: the line is found by
			// its start.
			counts["agree"]++
		default:
			t.Errorf("%s: element %d: lenient Parser %q, dcmdump +E %q (%d and %d elements)", names[i], k, at(got, k), at(want, k), len(got), len(want))
		}
	}
	logCounts(t, counts)
	t.Logf("%d truncated files, %d elements compared", len(files), elements)
}

// dcmdumpEach runs dcmdump with args on paths, many at a time, and returns
// its output for each path.
func dcmdumpEach(t *testing.T, paths []string, args ...string) [][]byte {
	t.Helper()
	outs := make([][]byte, 0, len(paths))
	for rest := paths; len(rest) > 0; {
		batch := rest[:min(len(rest), 200)]
		rest = rest[len(batch):]
		cmd := exec.Command("dcmdump", append(append(args, "+F"), batch...)...)
		out, _ := cmd.Output() // exit status 1 for damaged files
		// Each file's output starts with "# dcmdump (i/n): path".
		parts := bytes.Split(out, []byte("# dcmdump ("))
		if len(parts) != len(batch)+1 {
			t.Fatalf("dcmdump printed %d file headers for %d files", len(parts)-1, len(batch))
		}
		outs = append(outs, parts[1:]...)
	}
	return outs
}

// refAgree compares an element of ours with dcmdump's: values of a value
// cut short are compared as far as they go (dcmdump pads them).
func refAgree(o, w refElem) bool {
	if w.vr == "??" {
		w.vr = "UN" // dcmdump's unknown VR in implicit VR data
	}
	if o.tag != w.tag || o.vr != w.vr || o.length != w.length || o.depth != w.depth {
		return false
	}
	if !o.hasVal || !w.hasVal {
		return true
	}
	ov, wv := strings.TrimRight(o.value, " \x00"), strings.TrimRight(w.value, " \x00")
	if o.truncated {
		// dcmdump fills the missing bytes with whatever its buffer held.
		return !IsStringVR(o.vr) || strings.HasPrefix(wv, ov)
	}
	return ov == wv
}

// sortedNested holds the elements of nested in tag order in each dataset,
// as dcmdump prints them: a sequence of two items, the first holding a
// nested sequence, then PatientName, PatientID and Rows.
func sortedNested(enc Encoding, undefined bool) []byte {
	seq := func(tag Tag, items ...[]byte) []byte {
		var body []byte
		for _, it := range items {
			if undefined {
				body = AppendItem(body, enc, UndefinedLength)
				body = append(body, it...)
				body = AppendItemDelimitation(body, enc)
			} else {
				body = AppendItem(body, enc, uint32(len(it)))
				body = append(body, it...)
			}
		}
		if undefined {
			return AppendSequenceDelimitation(append(AppendHeader(nil, enc, tag, SQ, UndefinedLength), body...), enc)
		}
		return append(AppendHeader(nil, enc, tag, SQ, uint32(len(body))), body...)
	}
	inner := seq(tagRefSeq, AppendString(nil, enc, tagRefUID, UI, "1.2.3"))
	first := append(inner, AppendString(nil, enc, tagRefUID, UI, "1.2.3.4")...)
	b := seq(NewTag(0x08, 0x1115), first, AppendString(nil, enc, tagRefUID, UI, "5.6"))
	b = AppendString(b, enc, tagPatientName, PN, "Doe^Jane")
	b = AppendString(b, enc, tagPatientID, LO, "ID1")
	return AppendUint16s(b, enc, tagRows, US, 512)
}
