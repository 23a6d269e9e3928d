package flow

import (
	"net/netip"
	"strconv"
	"time"
	"unicode/utf8"
	"unsafe"
)

// AppendString appends `,"key":"val"` with val escaped as a JSON string.
// Invalid UTF-8 is replaced by U+FFFD. Like every Append function that takes
// a key (see the package documentation), it writes one object member
// preceded by a comma; keys must not need escaping.
func AppendString(dst []byte, key, val string) []byte {
	dst = appendKey(dst, key)
	return AppendQuoted(dst, val)
}

// AppendBytes is [AppendString] for a byte view.
func AppendBytes(dst []byte, key string, val []byte) []byte {
	dst = appendKey(dst, key)
	return AppendQuoted(dst, bytesView(val))
}

// AppendNonEmpty is [AppendBytes] when val is not empty, and appends
// nothing otherwise: for optional fields.
func AppendNonEmpty(dst []byte, key string, val []byte) []byte {
	if len(val) == 0 {
		return dst
	}
	return AppendBytes(dst, key, val)
}

// AppendQuotedBytes is [AppendQuoted] for a byte view.
func AppendQuotedBytes(dst []byte, b []byte) []byte { return AppendQuoted(dst, bytesView(b)) }

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

// AppendKey appends `,"key":`, for a value the caller writes next (an array
// or an object).
func AppendKey(dst []byte, key string) []byte { return appendKey(dst, key) }

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

// TimeLayout is the layout of "ts" in [AppendEventJSON]: RFC 3339 in UTC
// with nanoseconds, always nine digits.
const TimeLayout = "2006-01-02T15:04:05.000000000Z07:00"

// AppendTime appends t in [TimeLayout] as a JSON string, quotes included.
func AppendTime(dst []byte, t time.Time) []byte {
	dst = append(dst, '"')
	dst = t.UTC().AppendFormat(dst, TimeLayout)
	return append(dst, '"')
}

// AppendEventJSON appends e as one JSON object (no newline) in the
// envelope every medtap writer uses:
//
//	{"type":"event","ts":"2026-01-02T03:04:05.000000000Z","proto":"dicom","kind":"associate-rq","src":"10.0.0.1:40000","dst":"10.0.0.2:104",...}
//
// followed by the members of e.Detail's AppendJSON. "ts" is in
// [TimeLayout]; src and dst are the sender and receiver of what the event
// reports: address and port, or for a link-layer frame (a [Link]
// protocol's event) the MAC addresses. It allocates nothing when dst has room.
func AppendEventJSON(dst []byte, e *Event) []byte {
	dst = append(dst, `{"type":"event","ts":`...)
	dst = AppendTime(dst, e.Time)
	dst = AppendString(dst, "proto", e.Protocol)
	dst = AppendString(dst, "kind", string(e.Kind))
	dst = append(dst, `,"src":"`...)
	dst = appendEndpoint(dst, e.Src, e.SrcMAC)
	dst = append(dst, `","dst":"`...)
	dst = appendEndpoint(dst, e.Dst, e.DstMAC)
	dst = append(dst, '"')
	if e.Detail != nil {
		dst = e.Detail.AppendJSON(dst)
	}
	return append(dst, '}')
}

// appendEndpoint appends ap, or mac when ap is not valid (a link-layer
// frame's event).
func appendEndpoint(dst []byte, ap netip.AddrPort, mac MAC) []byte {
	if ap.IsValid() || mac.IsZero() {
		return ap.AppendTo(dst)
	}
	return mac.AppendTo(dst)
}
