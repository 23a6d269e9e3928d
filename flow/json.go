package flow

import (
	"strconv"
	"unicode/utf8"
	"unsafe"
)

// The Append functions write one JSON object member, preceded by a comma:
// `,"key":value`. Protocol adapters use them to implement
// [Detail.AppendJSON]. Keys are written as given and must not need escaping.

// AppendString appends `,"key":"val"` with val escaped as a JSON string.
// Invalid UTF-8 is replaced by U+FFFD.
func AppendString(dst []byte, key, val string) []byte {
	dst = appendKey(dst, key)
	return AppendQuoted(dst, val)
}

// AppendBytes is [AppendString] for a byte view.
func AppendBytes(dst []byte, key string, val []byte) []byte {
	dst = appendKey(dst, key)
	return AppendQuoted(dst, bytesView(val))
}

// bytesView returns b as a string without copying. The result must not be
// kept beyond the call that received it.
func bytesView(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// AppendInt appends `,"key":v`.
func AppendInt(dst []byte, key string, v int64) []byte {
	dst = appendKey(dst, key)
	return strconv.AppendInt(dst, v, 10)
}

// AppendBool appends `,"key":true` or `,"key":false`.
func AppendBool(dst []byte, key string, v bool) []byte {
	dst = appendKey(dst, key)
	return strconv.AppendBool(dst, v)
}

// AppendRaw appends `,"key":raw`; raw must be valid JSON.
func AppendRaw(dst []byte, key string, raw []byte) []byte {
	dst = appendKey(dst, key)
	return append(dst, raw...)
}

func appendKey(dst []byte, key string) []byte {
	dst = append(dst, ',', '"')
	dst = append(dst, key...)
	return append(dst, '"', ':')
}

const hexDigits = "0123456789abcdef"

// AppendQuoted appends s as a JSON string, quotes included. Control
// characters are escaped and invalid UTF-8 becomes U+FFFD, so captured bytes
// of any kind give valid JSON.
func AppendQuoted(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != 0x7f {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
