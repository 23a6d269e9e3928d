package main

import (
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/medtap/medtap/dicom"
)

const hexDigits = "0123456789ABCDEF"

func appendTagHex(b []byte, t dicom.Tag) []byte {
	for shift := 28; shift >= 0; shift -= 4 {
		b = append(b, hexDigits[uint32(t)>>shift&15])
	}
	return b
}

// numeric reports whether the JSON value of vr is an array of numbers.
func numeric(vr dicom.VR) bool {
	switch vr {
	case dicom.US, dicom.SS, dicom.UL, dicom.SL, dicom.SV, dicom.UV, dicom.FL, dicom.FD, dicom.AT:
		return true
	}
	return false
}

func appendJSON(b []byte, h *dicom.Header, v dicom.Value, hasValue bool, charset []byte) []byte {
	b = append(b, `{"tag":"`...)
	b = appendTagHex(b, h.Tag)
	b = append(b, `","vr":"`...)
	b = append(b, h.VR.String()...)
	b = append(b, `","vl":`...)
	if h.UndefinedLength() {
		b = append(b, "-1"...)
	} else {
		b = strconv.AppendUint(b, uint64(h.Length), 10)
	}
	b = append(b, `,"depth":`...)
	b = strconv.AppendInt(b, int64(h.Depth), 10)
	if h.Truncated {
		b = append(b, `,"truncated":true`...)
	}
	if hasValue {
		switch {
		case h.VR.IsString():
			b = append(b, `,"value":`...)
			b = appendJSONString(b, decodeText(v, charset))
		case numeric(h.VR):
			b = append(b, `,"value":`...)
			b = appendNumbers(b, v, ',', true)
		}
	}
	return append(b, '}')
}

// decodeText returns the text of a string value in UTF-8.
func decodeText(v dicom.Value, charset []byte) []byte {
	t := v.Text()
	switch v.VR {
	case dicom.PN, dicom.LO, dicom.LT, dicom.SH, dicom.ST, dicom.UC, dicom.UT:
		if u, err := dicom.AppendUTF8(nil, t, charset); err == nil {
			return u
		}
	}
	return t
}

func appendNumbers(b []byte, v dicom.Value, sep byte, jsonOut bool) []byte {
	if jsonOut {
		b = append(b, '[')
	}
	first := true
	add := func() {
		if !first {
			b = append(b, sep)
		}
		first = false
	}
	switch v.VR {
	case dicom.FL, dicom.FD:
		var buf [16]float64
		fs, _ := v.AppendFloats(buf[:0])
		for _, f := range fs {
			add()
			if math.IsNaN(f) || math.IsInf(f, 0) {
				if jsonOut {
					b = append(b, "null"...)
				} else {
					b = strconv.AppendFloat(b, f, 'g', -1, 64)
				}
				continue
			}
			bits := 64
			if v.VR == dicom.FL {
				bits = 32
			}
			b = strconv.AppendFloat(b, f, 'g', -1, bits)
		}
	case dicom.UV:
		for r := v.Bytes; len(r) >= 8; r = r[8:] {
			add()
			var u uint64
			for i := 0; i < 8; i++ {
				if v.BigEndian {
					u = u<<8 | uint64(r[i])
				} else {
					u |= uint64(r[i]) << (8 * i)
				}
			}
			b = strconv.AppendUint(b, u, 10)
		}
	default:
		var buf [16]int64
		is, _ := v.AppendInts(buf[:0])
		for _, n := range is {
			add()
			b = strconv.AppendInt(b, n, 10)
		}
	}
	if jsonOut {
		b = append(b, ']')
	}
	return b
}

func appendJSONString(b, s []byte) []byte {
	b = append(b, '"')
	for len(s) > 0 {
		r, n := utf8.DecodeRune(s)
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '\n':
			b = append(b, `\n`...)
		case r == '\r':
			b = append(b, `\r`...)
		case r == '\t':
			b = append(b, `\t`...)
		case r < 0x20 || r == 0x7F:
			b = append(b, `\u00`...)
			b = append(b, hexDigits[r>>4], hexDigits[r&15])
		case r == utf8.RuneError && n == 1:
			b = append(b, `\ufffd`...)
		default:
			b = append(b, s[:n]...)
		}
		s = s[n:]
	}
	return append(b, '"')
}

// creator is the private creator in force for a private data element (from
// Parser.PrivateCreator), whose name comes from dcmtk's private dictionary.
func appendTree(b []byte, h *dicom.Header, v dicom.Value, hasValue bool, charset, creator []byte) []byte {
	b = appendTreeLine(b, h, v, hasValue, charset, creator)
	if h.Truncated {
		if hasValue {
			b = append(b, " (truncated: "...)
			b = strconv.AppendInt(b, int64(len(v.Bytes)), 10)
			b = append(b, " of "...)
			b = strconv.AppendUint(b, uint64(h.Length), 10)
			b = append(b, " bytes)"...)
		} else {
			b = append(b, " (truncated)"...)
		}
	}
	return b
}

func appendTreeLine(b []byte, h *dicom.Header, v dicom.Value, hasValue bool, charset, creator []byte) []byte {
	indent := 2 * h.Depth
	if h.Tag.IsDelimiter() {
		indent-- // items and delimiters sit between their sequence and its contents
	}
	for i := 0; i < indent; i++ {
		b = append(b, ' ')
	}
	b = h.Tag.AppendTo(b)
	switch h.Tag {
	case dicom.TagItem:
		b = append(b, " na "...)
		b = appendLength(b, h)
		if h.Fragment {
			b = append(b, " fragment #"...)
		} else {
			b = append(b, " item #"...)
		}
		return strconv.AppendInt(b, int64(h.Item), 10)
	case dicom.TagItemDelimitation:
		return append(b, " na ItemDelimitationItem"...)
	case dicom.TagSequenceDelimitation:
		return append(b, " na SequenceDelimitationItem"...)
	}
	b = append(b, ' ')
	b = append(b, h.VR.String()...)
	b = append(b, ' ')
	b = appendLength(b, h)
	b = append(b, ' ')
	if e, ok := dicom.Lookup(h.Tag); ok {
		b = append(b, e.Keyword...)
	} else if h.Tag.IsPrivateCreator() {
		b = append(b, "PrivateCreator"...)
	} else if e, ok := dicom.LookupPrivate(h.Tag, creator); ok {
		b = append(b, e.Keyword...)
	} else if h.Tag.IsPrivate() {
		b = append(b, "Private"...)
	} else {
		b = append(b, "Unknown"...)
	}
	if !hasValue {
		return b
	}
	b = append(b, "  "...)
	switch {
	case h.VR.IsString():
		t := decodeText(v, charset)
		if len(t) > 64 {
			t = append(t[:64:64], "..."...)
		}
		b = append(b, '[')
		for _, c := range string(t) {
			if c < 0x20 {
				c = '.'
			}
			b = utf8.AppendRune(b, c)
		}
		b = append(b, ']')
		if h.VR == dicom.UI {
			if u, ok := dicom.LookupUID(v.Bytes); ok {
				b = append(b, " = "...)
				b = append(b, u.Name...)
			}
		}
	case numeric(h.VR):
		b = appendNumbers(b, v, '\\', false)
	default:
		n := min(len(v.Bytes), 16)
		for i := 0; i < n; i++ {
			if i > 0 {
				b = append(b, '\\')
			}
			b = append(b, hexDigits[v.Bytes[i]>>4], hexDigits[v.Bytes[i]&15])
		}
		if len(v.Bytes) > n {
			b = append(b, "..."...)
		}
	}
	return b
}

func appendLength(b []byte, h *dicom.Header) []byte {
	if h.UndefinedLength() {
		return append(b, "u/l"...)
	}
	return strconv.AppendUint(b, uint64(h.Length), 10)
}
