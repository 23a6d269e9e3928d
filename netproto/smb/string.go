package smb

import (
	"encoding/binary"
	"unicode/utf16"
	"unicode/utf8"
)

// String is a string field as it is on the wire: UTF-16LE when Unicode is
// set (SMB2, and SMB1 with SMB_FLAGS2_UNICODE), otherwise in the sender's
// OEM code page; without its terminator. Raw is a view into the message.
type String struct {
	Raw     []byte
	Unicode bool
}

// IsEmpty reports whether the string has no bytes.
func (s String) IsEmpty() bool { return len(s.Raw) == 0 }

// AppendTo appends the string to dst as UTF-8: UTF-16 decoded (unpaired
// surrogates and an odd trailing byte become U+FFFD), OEM bytes unchanged
// (their code page is unknown; in practice they are ASCII). It allocates
// nothing when dst has room.
func (s String) AppendTo(dst []byte) []byte {
	if !s.Unicode {
		return append(dst, s.Raw...)
	}
	b := s.Raw
	for ; len(b) >= 2; b = b[2:] {
		r := rune(binary.LittleEndian.Uint16(b))
		if utf16.IsSurrogate(r) && len(b) >= 4 {
			if d := utf16.DecodeRune(r, rune(binary.LittleEndian.Uint16(b[2:]))); d != utf8.RuneError {
				dst = utf8.AppendRune(dst, d)
				b = b[2:]
				continue
			}
		}
		dst = utf8.AppendRune(dst, r) // a lone surrogate is encoded as U+FFFD
	}
	if len(b) == 1 {
		dst = utf8.AppendRune(dst, utf8.RuneError)
	}
	return dst
}

// String returns the string as UTF-8 (see [String.AppendTo]); it allocates.
func (s String) String() string { return string(s.AppendTo(nil)) }
