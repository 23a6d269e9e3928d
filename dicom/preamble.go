package dicom

// PreambleKind classifies the content of a Part 10 preamble.
type PreambleKind uint8

const (
	PreambleNone  PreambleKind = iota // no preamble (raw dataset, or "DICM" at offset 0)
	PreambleZero                      // all zero bytes, the usual case
	PreambleTIFF                      // a TIFF header ("II*\0" or "MM\0*"), a use PS3.10 allows
	PreamblePE                        // an MS-DOS/PE executable header "MZ"
	PreambleELF                       // an ELF executable header
	PreambleMachO                     // a Mach-O executable or universal binary header
	PreambleOther                     // anything else
)

func (k PreambleKind) String() string {
	switch k {
	case PreambleNone:
		return "none"
	case PreambleZero:
		return "zero"
	case PreambleTIFF:
		return "TIFF"
	case PreamblePE:
		return "PE"
	case PreambleELF:
		return "ELF"
	case PreambleMachO:
		return "Mach-O"
	}
	return "other"
}

// IsExecutable reports whether k is an executable header: a DICOM/executable
// polyglot file (CVE-2019-11687).
func (k PreambleKind) IsExecutable() bool {
	return k == PreamblePE || k == PreambleELF || k == PreambleMachO
}

// InspectPreamble classifies a 128-byte preamble (as returned by
// [Parser.Preamble]); nil gives PreambleNone.
func InspectPreamble(pre []byte) PreambleKind {
	if len(pre) == 0 {
		return PreambleNone
	}
	if len(pre) >= 2 && pre[0] == 'M' && pre[1] == 'Z' {
		return PreamblePE
	}
	if len(pre) >= 4 {
		switch string(pre[:4]) {
		case "\x7fELF":
			return PreambleELF
		case "\xfe\xed\xfa\xce", "\xfe\xed\xfa\xcf", "\xce\xfa\xed\xfe", "\xcf\xfa\xed\xfe", "\xca\xfe\xba\xbe", "\xbe\xba\xfe\xca":
			return PreambleMachO
		case "II*\x00", "MM\x00*":
			return PreambleTIFF
		}
	}
	for _, c := range pre {
		if c != 0 {
			return PreambleOther
		}
	}
	return PreambleZero
}
