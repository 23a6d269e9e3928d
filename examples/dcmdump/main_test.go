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
				if err := dump(&out, in, jsonOut); err != nil {
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
	if err := dump(&out, ds, true); err != nil {
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
	err = dump(&out, in[:5000], true)
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
