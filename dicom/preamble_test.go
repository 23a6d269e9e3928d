package dicom

import "testing"

func TestInspectPreamble(t *testing.T) {
	mk := func(head string) []byte {
		b := make([]byte, 128)
		copy(b, head)
		return b
	}
	tests := []struct {
		name string
		pre  []byte
		want PreambleKind
		exec bool
	}{
		{"none", nil, PreambleNone, false},
		{"zero", mk(""), PreambleZero, false},
		{"PE", mk("MZ\x90\x00"), PreamblePE, true},
		{"ELF", mk("\x7fELF\x02\x01"), PreambleELF, true},
		{"Mach-O 64", mk("\xcf\xfa\xed\xfe"), PreambleMachO, true},
		{"fat Mach-O", mk("\xca\xfe\xba\xbe"), PreambleMachO, true},
		{"TIFF", mk("II*\x00"), PreambleTIFF, false},
		{"text", mk("hello"), PreambleOther, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := InspectPreamble(tt.pre); got != tt.want || got.IsExecutable() != tt.exec {
				t.Errorf("got %v (exec %v), want %v", got, got.IsExecutable(), tt.want)
			}
		})
	}
	// Through the parser: a PE polyglot still parses as DICOM.
	meta := FileMeta{TransferSyntaxUID: UIDExplicitVRLittleEndian}
	copy(meta.Preamble[:], "MZ\x90\x00")
	file := AppendFile(nil, &meta, AppendString(nil, ExplicitVRLittleEndian, tagPatientName, PN, "X"))
	var p Parser
	p.Start(file)
	if k := InspectPreamble(p.Preamble()); k != PreamblePE {
		t.Errorf("parser preamble: %v", k)
	}
	if n, err := walkAll(&p); err != nil || n != 7 {
		t.Errorf("walk: %d %v", n, err)
	}
}

func TestPreambleDeflated(t *testing.T) {
	meta := FileMeta{TransferSyntaxUID: UIDDeflatedExplicitVRLittleEndian}
	copy(meta.Preamble[:], "\x7fELF")
	file := AppendFile(nil, &meta, AppendString(nil, ExplicitVRLittleEndian, tagPatientName, PN, "X"))
	var p Parser
	p.Start(file)
	if _, err := walkAll(&p); err != nil {
		t.Fatal(err)
	}
	if k := InspectPreamble(p.Preamble()); k != PreambleELF {
		t.Errorf("preamble after inflating: %v", k)
	}
}

func TestInspectExecutable(t *testing.T) {
	// pe is an MS-DOS header with e_lfanew at 0x40, then the PE signature.
	pe := make([]byte, 0x48)
	copy(pe, "MZ\x90\x00")
	pe[0x3c] = 0x40
	copy(pe[0x40:], "PE\x00\x00")
	badSig := append([]byte(nil), pe...)
	copy(badSig[0x40:], "XX\x00\x00")
	farSig := append([]byte(nil), pe[:0x40]...)
	farSig[0x3d] = 0x10 // e_lfanew 0x1040: beyond b, cannot be checked
	tests := []struct {
		name string
		b    []byte
		want PreambleKind
	}{
		{"empty", nil, PreambleNone},
		{"PE", pe, PreamblePE},
		{"PE signature beyond the bytes", farSig, PreamblePE},
		{"MZ without PE signature", badSig, PreambleNone},
		{"MZ shorter than a DOS header", []byte("MZ is a word"), PreambleNone},
		{"ELF", []byte("\x7fELF\x02\x01\x01"), PreambleELF},
		{"ELF magic alone", []byte("\x7fELF"), PreambleELF},
		{"ELF bad class", []byte("\x7fELF\x09"), PreambleNone},
		{"Mach-O 64", []byte("\xcf\xfa\xed\xfe\x07\x00\x00\x01"), PreambleMachO},
		{"fat Mach-O", []byte("\xca\xfe\xba\xbe\x00\x00\x00\x02"), PreambleMachO},
		{"Java class", []byte("\xca\xfe\xba\xbe\x00\x00\x00\x34"), PreambleNone},
		{"TIFF", []byte("II*\x00\x08\x00\x00\x00"), PreambleNone},
		{"zeros", make([]byte, 128), PreambleNone},
	}
	for _, tt := range tests {
		if got := InspectExecutable(tt.b); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { InspectExecutable(pe) }); n != 0 {
		t.Errorf("%v allocs", n)
	}
}
