package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medtap/medtap/dicom"
)

var update = flag.Bool("update", false, "rewrite the .golden files")

func TestDumpGolden(t *testing.T) {
	for _, name := range []string{"1.dcm", "6.dcm"} {
		for _, jsonOut := range []bool{false, true} {
			golden := filepath.Join("testdata", strings.TrimSuffix(name, ".dcm")+".txt.golden")
			if jsonOut {
				golden = filepath.Join("testdata", strings.TrimSuffix(name, ".dcm")+".jsonl.golden")
			}
			t.Run(filepath.Base(golden), func(t *testing.T) {
				in, err := os.ReadFile(filepath.Join("..", "..", "dicom", "testdata", name))
				if err != nil {
					t.Fatal(err)
				}
				var out bytes.Buffer
				if err := dump(&out, in, options{json: jsonOut}); err != nil {
					t.Fatal(err)
				}
				if *update {
					os.MkdirAll("testdata", 0o755)
					if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(out.Bytes(), want) {
					t.Errorf("output differs from %s (run with -update to accept)", golden)
				}
				if jsonOut {
					for i, line := range bytes.Split(bytes.TrimSuffix(want, []byte("\n")), []byte("\n")) {
						var m map[string]any
						if err := json.Unmarshal(line, &m); err != nil {
							t.Fatalf("line %d %s: %v", i+1, line, err)
						}
					}
				}
			})
		}
	}
}

func TestDumpJSONFormat(t *testing.T) {
	enc := dicom.ExplicitVRLittleEndian
	ds := dicom.AppendString(nil, enc, dicom.NewTag(0x0008, 0x0005), dicom.CS, "ISO_IR 100")
	ds = dicom.AppendString(ds, enc, dicom.NewTag(0x0010, 0x0010), dicom.PN, "Doe^Jane\\B\xe9")
	ds = dicom.AppendHeader(ds, enc, dicom.NewTag(0x0008, 0x1115), dicom.SQ, dicom.UndefinedLength)
	ds = dicom.AppendItem(ds, enc, dicom.UndefinedLength)
	ds = dicom.AppendUint16s(ds, enc, dicom.NewTag(0x0028, 0x0010), dicom.US, 512, 3)
	ds = dicom.AppendItemDelimitation(ds, enc)
	ds = dicom.AppendSequenceDelimitation(ds, enc)
	ds = dicom.AppendElement(ds, enc, dicom.NewTag(0x0020, 0x0032), dicom.FD, []byte{0, 0, 0, 0, 0, 0, 0xF8, 0x3F})
	ds = dicom.AppendElement(ds, enc, dicom.NewTag(0x0028, 0x0009), dicom.AT, []byte{0x18, 0, 0x63, 0x10})
	ds = dicom.AppendElement(ds, enc, dicom.NewTag(0x7FE0, 0x0010), dicom.OW, []byte{1, 2, 3, 4})
	var out bytes.Buffer
	if err := dump(&out, ds, options{json: true}); err != nil {
		t.Fatal(err)
	}
	want := `{"tag":"00080005","vr":"CS","vl":10,"depth":0,"value":"ISO_IR 100"}
{"tag":"00100010","vr":"PN","vl":12,"depth":0,"value":"Doe^Jane\\Bé"}
{"tag":"00081115","vr":"SQ","vl":-1,"depth":0}
{"tag":"00280010","vr":"US","vl":4,"depth":1,"value":[512,3]}
{"tag":"00200032","vr":"FD","vl":8,"depth":0,"value":[1.5]}
{"tag":"00280009","vr":"AT","vl":4,"depth":0,"value":[1577059]}
{"tag":"7FE00010","vr":"OW","vl":4,"depth":0}
`
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}

func TestDumpMalformed(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("..", "..", "dicom", "testdata", "1.dcm"))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err = dump(&out, in[:5000], options{json: true})
	var de *dicom.Error
	if !errors.As(err, &de) || de.Offset == 0 {
		t.Fatalf("error %v, want a *dicom.Error with an offset", err)
	}
	if lines := bytes.Count(out.Bytes(), []byte("\n")); lines < 20 {
		t.Errorf("only %d elements printed before the error", lines)
	}
}

// TestExitStatus builds the command and checks its exit status and stderr
// on a good and a truncated file.
func TestExitStatus(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "dcmdump")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	in, err := os.ReadFile(filepath.Join("..", "..", "dicom", "testdata", "3.dcm"))
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.dcm")
	os.WriteFile(bad, in[:3000], 0o644)
	cmd := exec.Command(bin, "-json", bad)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("truncated file: %v, want exit status 1", err)
	}
	if !strings.Contains(stderr.String(), "at offset") || stdout.Len() == 0 {
		t.Errorf("stdout %d bytes, stderr %q", stdout.Len(), stderr.String())
	}
	if out, err := exec.Command(bin, filepath.Join("..", "..", "dicom", "testdata", "3.dcm")).Output(); err != nil || len(out) == 0 {
		t.Errorf("good file: %v", err)
	}
}

func testFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "dicom", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// unDataset holds explicit VR UN elements whose tags the dictionary knows
// (a PN, a US and a sequence, whose value is implicit VR little endian as
// PS3.5 6.2.2 says) and a private one it does not.
func unDataset() []byte {
	enc := dicom.ExplicitVRLittleEndian
	ie := dicom.ImplicitVRLittleEndian
	ds := dicom.AppendElement(nil, enc, dicom.NewTag(0x0008, 0x0060), dicom.CS, []byte("MR"))
	item := dicom.AppendString(nil, ie, dicom.NewTag(0x0008, 0x1155), dicom.UI, "1.2.3.4")
	seq := append(dicom.AppendItem(nil, ie, uint32(len(item))), item...)
	ds = dicom.AppendElement(ds, enc, dicom.NewTag(0x0008, 0x1140), dicom.UN, seq)
	ds = dicom.AppendElement(ds, enc, dicom.NewTag(0x0009, 0x1001), dicom.UN, []byte{1, 2, 3, 4})
	ds = dicom.AppendElement(ds, enc, dicom.NewTag(0x0010, 0x0010), dicom.UN, []byte("Doe^Jane"))
	ds = dicom.AppendElement(ds, enc, dicom.NewTag(0x0028, 0x0010), dicom.UN, []byte{0x00, 0x02})
	return dicom.AppendFile(nil, &dicom.FileMeta{
		MediaStorageSOPClassUID: "1.2.840.10008.5.1.4.1.1.4", MediaStorageSOPInstanceUID: "1.2.3",
		TransferSyntaxUID: dicom.UIDExplicitVRLittleEndian,
	}, ds)
}

// seqFile holds a sequence of defined length with two items, then more
// elements; cut inside its second item, the default loses the whole
// sequence (its length runs past the end) and -lenient shows what is there.
func seqFile() []byte {
	enc := dicom.ExplicitVRLittleEndian
	item := func(uid, desc string) []byte {
		b := dicom.AppendString(nil, enc, dicom.NewTag(0x0008, 0x1150), dicom.UI, "1.2.840.10008.5.1.4.1.1.4")
		b = dicom.AppendString(b, enc, dicom.NewTag(0x0008, 0x1155), dicom.UI, uid)
		b = dicom.AppendString(b, enc, dicom.NewTag(0x0008, 0x1160), dicom.IS, desc)
		return append(dicom.AppendItem(nil, enc, uint32(len(b))), b...)
	}
	items := append(item("1.2.3.4.5.6.7", "1"), item("1.2.3.4.5.6.8", "2")...)
	ds := dicom.AppendString(nil, enc, dicom.NewTag(0x0008, 0x0060), dicom.CS, "MR")
	ds = dicom.AppendHeader(ds, enc, dicom.NewTag(0x0008, 0x1140), dicom.SQ, uint32(len(items)))
	ds = append(ds, items...)
	ds = dicom.AppendString(ds, enc, dicom.NewTag(0x0010, 0x0010), dicom.PN, "Doe^Jane")
	f := dicom.AppendFile(nil, &dicom.FileMeta{
		MediaStorageSOPClassUID: "1.2.840.10008.5.1.4.1.1.4", MediaStorageSOPInstanceUID: "1.2.3",
		TransferSyntaxUID: dicom.UIDExplicitVRLittleEndian,
	}, ds)
	return f[:len(f)-16-18-4] // PatientName, IS and part of the UID of the second item
}

// TestRunGolden runs the command on standard input: its output, then what
// it writes to stderr, must be the golden file's.
func TestRunGolden(t *testing.T) {
	one := testFile(t, "1.dcm")
	tests := []struct {
		golden string
		args   []string
		in     []byte
		code   int
	}{
		// 1.dcm cut inside an undefined-length sequence's item: the
		// default stops at the first overrun, -lenient reads on.
		{"cut-1.txt.golden", nil, one[:5000], 1},
		{"cut-1-lenient.txt.golden", []string{"-lenient"}, one[:5000], 1},
		{"cut-1-lenient.jsonl.golden", []string{"-lenient", "-json"}, one[:5000], 1},
		{"cut-1-pixel-lenient.txt.golden", []string{"-lenient"}, one[:20000], 1},
		{"cut-seq.txt.golden", nil, seqFile(), 1},
		{"cut-seq-lenient.txt.golden", []string{"-lenient"}, seqFile(), 1},
		{"un.txt.golden", nil, unDataset(), 0},
		{"un-keep.txt.golden", []string{"-keep-un"}, unDataset(), 0},
		{"un.jsonl.golden", []string{"-json"}, unDataset(), 0},
		{"empty.golden", nil, nil, 1},
		{"text.golden", nil, []byte("hello, this is not a DICOM file\n"), 1},
		{"short.golden", nil, []byte("hi\n"), 1},
		{"gzip.golden", nil, []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xcb\x48\xcd\xc9\xc9\x07\x00\x86\xa6\x10\x36\x05\x00\x00\x00"), 1},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(append(tt.args, "-"), bytes.NewReader(tt.in), &out, &errOut)
			if code != tt.code {
				t.Errorf("exit status %d, want %d; stderr %s", code, tt.code, errOut.String())
			}
			got := append(out.Bytes(), errOut.Bytes()...)
			golden := filepath.Join("testdata", tt.golden)
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (run with -update to accept):\n%s", golden, got)
			}
		})
	}
}

func TestRunArgs(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.dcm")
	os.WriteFile(empty, nil, 0o644)
	good := filepath.Join(dir, "good.dcm")
	os.WriteFile(good, testFile(t, "6.dcm"), 0o644)
	tests := []struct {
		args    []string
		code    int
		stdout  bool   // something printed
		stderr  string // contained in stderr
		nostder bool
	}{
		{[]string{"-h"}, 0, false, "dcmdump prints the data elements of a DICOM file", false},
		{[]string{}, 2, false, "usage: dcmdump", false},
		{[]string{"a", "b"}, 2, false, "usage: dcmdump", false},
		{[]string{"-nope", good}, 2, false, "flag provided but not defined", false},
		{[]string{empty}, 1, false, "dcmdump: " + empty + ": empty file\n", false},
		{[]string{filepath.Join(dir, "missing.dcm")}, 1, false, "no such file", false},
		{[]string{good}, 0, true, "", true},
		{[]string{"-lenient", "-keep-un", "-json", good}, 0, true, "", true},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		code := run(tt.args, strings.NewReader(""), &out, &errOut)
		if code != tt.code || (out.Len() > 0) != tt.stdout || !strings.Contains(errOut.String(), tt.stderr) || tt.nostder && errOut.Len() > 0 {
			t.Errorf("%q: exit %d, stdout %d bytes, stderr %q", tt.args, code, out.Len(), errOut.String())
		}
	}
}

// TestStdinMatchesFile: "-" reads the same file from standard input.
func TestStdinMatchesFile(t *testing.T) {
	in := testFile(t, "1.dcm")
	var out, errOut bytes.Buffer
	if code := run([]string{"-"}, bytes.NewReader(in), &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	want, err := os.ReadFile(filepath.Join("testdata", "1.txt.golden"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Error("standard input: output differs from 1.txt.golden")
	}
}
