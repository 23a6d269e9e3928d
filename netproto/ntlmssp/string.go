package ntlmssp

import (
	"encoding/binary"
	"unicode/utf16"
	"unicode/utf8"
)

// String is a string field as it is on the wire: UTF-16LE when Unicode is
// set, otherwise in the sender's OEM code page. Raw is a view into the
// message.
type String struct {
	Raw     []byte
	Unicode bool
}

// IsEmpty reports whether the string has no bytes.
func (s String) IsEmpty() bool { return len(s.Raw) == 0 }

// AppendTo appends the string to dst as UTF-8. UTF-16 is decoded, with
// unpaired surrogates and a trailing odd byte as U+FFFD; OEM bytes are
// appended unchanged (their code page is not known; in practice they are
// ASCII). It allocates nothing when dst has room.
func (s String) AppendTo(dst []byte) []byte {
	if !s.Unicode {
		return append(dst, s.Raw...)
	}
	return appendUTF16LE(dst, s.Raw)
}

// String returns the string as UTF-8 (see [String.AppendTo]); it allocates.
func (s String) String() string { return string(s.AppendTo(nil)) }

func appendUTF16LE(dst, b []byte) []byte {
	for len(b) >= 2 {
		r, n := rune(binary.LittleEndian.Uint16(b)), 2
		if utf16.IsSurrogate(r) {
			r = utf8.RuneError
			if len(b) >= 4 {
				if d := utf16.DecodeRune(rune(binary.LittleEndian.Uint16(b)), rune(binary.LittleEndian.Uint16(b[2:]))); d != utf8.RuneError {
					r, n = d, 4
				}
			}
		}
		dst = utf8.AppendRune(dst, r)
		b = b[n:]
	}
	if len(b) == 1 {
		dst = utf8.AppendRune(dst, utf8.RuneError)
	}
	return dst
}
