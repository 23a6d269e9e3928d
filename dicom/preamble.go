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

// InspectExecutable classifies the first bytes of an element value (or of
// any data): PreamblePE, PreambleELF or PreambleMachO when b starts with
// the header of an executable, PreambleNone otherwise. It is stricter than
// [InspectPreamble], since a value's first bytes are arbitrary data more
// often than a preamble's: a PE needs "MZ" and a whole 64-byte MS-DOS
// header whose e_lfanew is below 64 KiB and points at "PE\0\0" when that
// offset lies within b;
// an ELF needs a valid class byte (1 or 2, when b holds it); a universal
// Mach-O ("\xca\xfe\xba\xbe", which Java class files share) needs fewer
// than 45 architectures. It never allocates.
func InspectExecutable(b []byte) PreambleKind {
	const maxLfanew = 1 << 16 // linkers put the PE header within the first KiB
	switch {
	case len(b) >= 2 && b[0] == 'M' && b[1] == 'Z':
		if len(b) < 64 {
			return PreambleNone
		}
		off := uint64(b[0x3c]) | uint64(b[0x3d])<<8 | uint64(b[0x3e])<<16 | uint64(b[0x3f])<<24
		if off >= maxLfanew || off+4 <= uint64(len(b)) && string(b[off:off+4]) != "PE\x00\x00" {
			return PreambleNone
		}
		return PreamblePE
	case len(b) >= 4 && string(b[:4]) == "\x7fELF":
		if len(b) > 4 && b[4] != 1 && b[4] != 2 {
			return PreambleNone
		}
		return PreambleELF
	case len(b) >= 4:
		switch string(b[:4]) {
		case "\xfe\xed\xfa\xce", "\xfe\xed\xfa\xcf", "\xce\xfa\xed\xfe", "\xcf\xfa\xed\xfe":
			return PreambleMachO
		case "\xca\xfe\xba\xbe":
			if len(b) >= 8 && (uint32(b[4])<<24|uint32(b[5])<<16|uint32(b[6])<<8|uint32(b[7])) < 45 {
				return PreambleMachO
			}
		case "\xbe\xba\xfe\xca":
			if len(b) >= 8 && (uint32(b[7])<<24|uint32(b[6])<<16|uint32(b[5])<<8|uint32(b[4])) < 45 {
				return PreambleMachO
			}
		}
	}
	return PreambleNone
}
