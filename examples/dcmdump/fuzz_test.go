package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/medtap/medtap/dicom"
)

// FuzzDumpJSON: whatever the input, every line dcmdump -json prints is a
// valid JSON object in UTF-8 with the documented keys, and the tree output
// does not panic.
func FuzzDumpJSON(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("..", "..", "dicom", "testdata", "6.dcm")); err == nil {
		f.Add(b)
	}
	enc := dicom.ExplicitVRLittleEndian
	ds := dicom.AppendString(nil, enc, dicom.NewTag(0x0008, 0x0005), dicom.CS, "ISO 2022 IR 87")
	ds = dicom.AppendString(ds, enc, dicom.NewTag(0x0010, 0x0010), dicom.PN, "\x1b$B;3ED\x1b(B^\"\\\x01\xff")
	ds = dicom.AppendElement(ds, enc, dicom.NewTag(0x0020, 0x0032), dicom.FD, []byte{0, 0, 0, 0, 0, 0, 0xF8, 0x7F})
	f.Add(ds)
	f.Add(unDataset())
	f.Add(seqFile())
	f.Fuzz(func(t *testing.T, b []byte) {
		var out bytes.Buffer
		dump(&out, b, options{json: true, lenient: len(b)&1 == 1})
		for _, line := range bytes.Split(bytes.TrimSuffix(out.Bytes(), []byte("\n")), []byte("\n")) {
			if len(line) == 0 {
				continue
			}
			if !utf8.Valid(line) {
				t.Fatalf("invalid UTF-8: %q", line)
			}
			var m map[string]any
			if err := json.Unmarshal(line, &m); err != nil {
				t.Fatalf("%v: %s", err, line)
			}
			for _, k := range []string{"tag", "vr", "vl", "depth"} {
				if _, ok := m[k]; !ok {
					t.Fatalf("no %q in %s", k, line)
				}
			}
		}
		out.Reset()
		dump(&out, b, options{lenient: len(b)&1 == 1, keepUN: len(b)&2 == 2})
	})
}
