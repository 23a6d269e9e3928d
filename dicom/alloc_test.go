//go:build !race

package dicom

import "testing"

func TestParserAllocs(t *testing.T) {
	for _, name := range []string{"1.dcm", "3.dcm", "4.dcm", "5.dcm", "6.dcm"} {
		b := suyashFile(t, name)
		var p Parser
		p.Start(b)
		walkAll(&p) // first use grows the stack and the inflate buffer
		allocs := testing.AllocsPerRun(20, func() {
			p.Start(b)
			if _, err := walkAll(&p); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocs per walk, want 0", name, allocs)
		}
	}
}

func TestMaliciousLengthAllocs(t *testing.T) {
	// 200 bytes declaring a 4 GiB value: no allocation beyond the error.
	enc := ExplicitVRLittleEndian
	b := AppendString(nil, enc, tagPatientName, PN, "Doe")
	b = AppendHeader(b, enc, NewTag(0x0011, 0x1010), OB, 0xFFFFFFF0)
	b = append(b, make([]byte, 200-len(b))...)
	var p Parser
	allocs := testing.AllocsPerRun(20, func() {
		p.StartDataset(b, enc)
		if _, err := walkAll(&p); !isErr(err, ErrLength) {
			t.Fatal(err)
		}
	})
	if allocs > 1 {
		t.Errorf("%v allocs, want at most 1 (the error)", allocs)
	}
}
