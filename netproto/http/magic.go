package http

import (
	"bytes"
	"encoding/binary"
	"strconv"
)

// Magic is the kind of content a body starts with, told from its first
// bytes.
type Magic uint8

// The contents [SniffBody] recognises.
const (
	MagicNone      Magic = iota // nothing recognised, or no body
	MagicDICOM                  // DICOM Part 10 file: 128-byte preamble, then "DICM"
	MagicPE                     // Windows executable or DLL ("MZ")
	MagicELF                    // ELF executable or library
	MagicMachO                  // Mach-O executable, thin or universal
	MagicZIP                    // ZIP archive (and JAR, DOCX, APK, ...)
	MagicGzip                   // gzip stream
	MagicBzip2                  // bzip2 stream
	MagicXZ                     // xz stream
	MagicZstd                   // Zstandard frame
	Magic7z                     // 7-Zip archive
	MagicRAR                    // RAR archive
	MagicPDF                    // PDF document
	MagicPNG                    // PNG image
	MagicJPEG                   // JPEG image
	MagicGIF                    // GIF image
	MagicTIFF                   // TIFF image
	MagicOLE                    // OLE2 compound file (old Office documents, MSI)
	MagicJavaClass              // Java class file
	MagicScript                 // a script with a "#!" interpreter line
)

var magicNames = [...]string{"none", "dicom", "pe", "elf", "macho", "zip", "gzip", "bzip2", "xz", "zstd",
	"7z", "rar", "pdf", "png", "jpeg", "gif", "tiff", "ole", "java-class", "script"}

// String returns the name of the content in events ("dicom", "pe", "elf",
// "macho", "zip", ...), "none" for MagicNone, or a form like "Magic(42)".
func (m Magic) String() string {
	if int(m) < len(magicNames) {
		return magicNames[m]
	}
	return "Magic(" + strconv.Itoa(int(m)) + ")"
}

// dicomPrefix is the length of a Part 10 file's preamble and magic.
const dicomPrefix = 132

// SniffBody tells what b, the first bytes of a body, starts with. For a
// DICOM Part 10 file (b must hold at least its first 132 bytes), exec
// reports whether the 128-byte preamble holds an executable header (PE,
// ELF or Mach-O), which makes the file a valid program too (CVE-2019-11687).
// It never allocates.
func SniffBody(b []byte) (m Magic, exec bool) {
	if len(b) >= dicomPrefix && string(b[128:132]) == "DICM" {
		return MagicDICOM, executable(b) != MagicNone
	}
	if m := executable(b); m != MagicNone {
		return m, false
	}
	switch {
	case hasPrefix(b, "PK\x03\x04"), hasPrefix(b, "PK\x05\x06"), hasPrefix(b, "PK\x07\x08"):
		return MagicZIP, false
	case hasPrefix(b, "\x1f\x8b"):
		return MagicGzip, false
	case hasPrefix(b, "BZh"):
		return MagicBzip2, false
	case hasPrefix(b, "\xfd7zXZ\x00"):
		return MagicXZ, false
	case hasPrefix(b, "\x28\xb5\x2f\xfd"):
		return MagicZstd, false
	case hasPrefix(b, "7z\xbc\xaf\x27\x1c"):
		return Magic7z, false
	case hasPrefix(b, "Rar!\x1a\x07"):
		return MagicRAR, false
	case hasPrefix(b, "%PDF-"):
		return MagicPDF, false
	case hasPrefix(b, "\x89PNG\r\n\x1a\n"):
		return MagicPNG, false
	case hasPrefix(b, "\xff\xd8\xff"):
		return MagicJPEG, false
	case hasPrefix(b, "GIF87a"), hasPrefix(b, "GIF89a"):
		return MagicGIF, false
	case hasPrefix(b, "II*\x00"), hasPrefix(b, "MM\x00*"):
		return MagicTIFF, false
	case hasPrefix(b, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
		return MagicOLE, false
	case hasPrefix(b, "#!"):
		return MagicScript, false
	case len(b) >= 8 && string(b[:4]) == "\xca\xfe\xba\xbe" && binary.BigEndian.Uint32(b[4:]) >= 45:
		// A class file's minor and major versions (major 45 and up, minor before it); a
		// universal Mach-O binary has a small architecture count there.
		return MagicJavaClass, false
	}
	return MagicNone, false
}

// executable recognises the header of a PE, ELF or Mach-O file at the
// start of b.
func executable(b []byte) Magic {
	switch {
	case hasPrefix(b, "MZ"):
		return MagicPE
	case hasPrefix(b, "\x7fELF"):
		return MagicELF
	case hasPrefix(b, "\xfe\xed\xfa\xce"), hasPrefix(b, "\xfe\xed\xfa\xcf"),
		hasPrefix(b, "\xce\xfa\xed\xfe"), hasPrefix(b, "\xcf\xfa\xed\xfe"):
		return MagicMachO
	case len(b) >= 8 && string(b[:4]) == "\xca\xfe\xba\xbe" && binary.BigEndian.Uint32(b[4:]) < 45:
		return MagicMachO
	}
	return MagicNone
}

func hasPrefix(b []byte, p string) bool { return len(b) >= len(p) && string(b[:len(p)]) == p }

// SniffMultipart is [SniffBody] for a multipart body (a DICOMweb STOW-RS
// upload is multipart/related) with the given boundary: it looks past the
// first part's delimiter and headers and tells what that part's content
// starts with. It returns MagicNone when b does not reach the first part's
// content.
func SniffMultipart(b, boundary []byte) (m Magic, exec bool) {
	if len(boundary) == 0 {
		return MagicNone, false
	}
	// The first delimiter: "--boundary" at the start or after a CRLF.
	i := 0
	for {
		j := bytes.Index(b[i:], boundary)
		if j < 0 {
			return MagicNone, false
		}
		j += i
		if j >= 2 && b[j-2] == '-' && b[j-1] == '-' && (j == 2 || b[j-3] == '\n') {
			i = j + len(boundary)
			break
		}
		i = j + 1
	}
	// The rest of the delimiter line, then the part's headers up to an
	// empty line.
	nl := bytes.IndexByte(b[i:], '\n')
	if nl < 0 {
		return MagicNone, false
	}
	i += nl + 1
	for {
		nl := bytes.IndexByte(b[i:], '\n')
		if nl < 0 {
			return MagicNone, false
		}
		line := b[i : i+nl]
		i += nl + 1
		if len(line) == 0 || (len(line) == 1 && line[0] == '\r') {
			return SniffBody(b[i:])
		}
	}
}
