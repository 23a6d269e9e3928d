package intellivue

import (
	"bytes"
	"encoding/binary"
	"math"
)

// An Attr is one attribute value assertion: an identifier and its value, a
// view into the datagram.
type Attr struct {
	ID     AttrID
	Value  []byte
	Offset int64 // of Value in the datagram
}

// reader returns a reader over the value whose offsets are the datagram's.
func (a Attr) reader() reader {
	return reader{b: a.Value[:len(a.Value):len(a.Value)], base: int(a.Offset)}
}

// AttrIter walks an attribute list (count, length, then attributes):
//
//	for it.Next() {
//		a := it.Attr()
//		...
//	}
//	if err := it.Err(); err != nil { ... }
//
// The zero value is an empty list. Copying an AttrIter copies its position:
// the copy walks the rest of the list independently.
type AttrIter struct {
	r    reader
	left int
	cur  Attr
}

// attrList reads the count and length of an attribute list from r and
// returns an iterator over it.
func attrList(r *reader) AttrIter {
	n := int(r.u16())
	return AttrIter{r: r.sub(int(r.u16())), left: n}
}

// Next advances to the next attribute, which [AttrIter.Attr] then returns.
// It returns false at the end of the list or on a malformed one (see Err).
func (it *AttrIter) Next() bool {
	if it.left <= 0 || it.r.err != nil {
		it.cur = Attr{}
		return false
	}
	it.left--
	it.cur = readAttr(&it.r)
	return it.r.err == nil
}

// readAttr reads an attribute value assertion (AVAType): the ID, the
// length and the value. It returns the zero Attr on an error.
func readAttr(r *reader) Attr {
	a := Attr{ID: AttrID(r.u16())}
	n := int(r.u16())
	a.Offset = int64(r.base + r.off)
	a.Value = r.bytes(n)
	if r.err != nil {
		return Attr{}
	}
	return a
}

// Attr returns the attribute Next advanced to; its Value is a view into the
// datagram.
func (it *AttrIter) Attr() Attr { return it.cur }

// Err returns the error that stopped the iteration, if any, with the offset
// in the datagram.
func (it *AttrIter) Err() error { return it.r.err }

// Attributes returns the attribute list of a connect indication or of an
// MDS create event.
func (m *Message) Attributes() (AttrIter, error) {
	r := m.bodyReader()
	switch {
	case m.Kind == KindConnectIndication:
	case m.EventType == NotiMDSCreate && m.RO == ROInvoke:
		r.bytes(6) // managed object
	default:
		return AttrIter{}, ErrNoAttributes
	}
	it := attrList(&r)
	return it, r.err
}

// Identity is what a monitor says about itself in its connect indication and
// MDS create event. The fields are views into the datagram.
type Identity struct {
	Manufacturer, Model []byte // NOM_ATTR_ID_MODEL
	SystemID            []byte // NOM_ATTR_SYS_ID, usually the MAC address
	BedLabel            []byte // NOM_ATTR_ID_BED_LABEL, UTF-16BE; see AppendUTF16
	Serial, PartNumber  []byte // NOM_ATTR_ID_PROD_SPECN entries
	HWRevision          []byte
	SWRevision          []byte
	FWRevision          []byte
	ProtocolRevision    []byte
	MAC                 []byte // NOM_ATTR_NET_ADDR_INFO
	IP, Subnet          []byte // 4 bytes each
}

// variableLabel reads a length-prefixed label and trims trailing NULs.
func variableLabel(r *reader) []byte {
	v := r.bytes(int(r.u16()))
	return bytes.TrimRight(v, "\x00")
}

// stringLabel reads a length-prefixed UTF-16BE string and trims trailing
// NUL characters (whole 16-bit units: "一" is 0x4E 0x00).
func stringLabel(r *reader) []byte {
	v := r.bytes(int(r.u16()))
	v = v[:len(v)&^1]
	for len(v) >= 2 && v[len(v)-2] == 0 && v[len(v)-1] == 0 {
		v = v[:len(v)-2]
	}
	return v
}

// Identity collects the identification attributes of a connect indication
// or MDS create event.
func (m *Message) Identity() (Identity, error) {
	var id Identity
	it, err := m.Attributes()
	if err != nil {
		return id, err
	}
	for it.Next() {
		a := it.Attr()
		r := a.reader()
		switch a.ID {
		case AttrModel:
			id.Manufacturer = variableLabel(&r)
			id.Model = variableLabel(&r)
		case AttrSystemID:
			id.SystemID = variableLabel(&r)
		case AttrBedLabel:
			id.BedLabel = stringLabel(&r)
		case AttrNetAddr:
			id.MAC, id.IP, id.Subnet = r.bytes(6), r.bytes(4), r.bytes(4)
		case AttrProductionSpec:
			n := int(r.u16())
			list := r.sub(int(r.u16()))
			for ; n > 0 && list.err == nil; n-- {
				typ := ProdSpecType(list.u16())
				list.u16() // component id
				v := variableLabel(&list)
				switch typ {
				case SpecSerialNumber:
					id.Serial = v
				case SpecPartNumber:
					id.PartNumber = v
				case SpecHWRevision:
					id.HWRevision = v
				case SpecSWRevision:
					id.SWRevision = v
				case SpecFWRevision:
					id.FWRevision = v
				case SpecProtocolRevision:
					id.ProtocolRevision = v
				}
			}
		}
	}
	return id, it.Err()
}

// AppendUTF16 appends the UTF-8 form of s, big-endian UTF-16 as IntelliVue
// strings are, to dst, stopping at a NUL.
func AppendUTF16(dst, s []byte) []byte {
	for i := 0; i+1 < len(s); i += 2 {
		c := rune(binary.BigEndian.Uint16(s[i:]))
		if c == 0 {
			break
		}
		if c >= 0xD800 && c < 0xDC00 && i+3 < len(s) {
			lo := rune(binary.BigEndian.Uint16(s[i+2:]))
			if lo >= 0xDC00 && lo < 0xE000 {
				c = 0x10000 + (c-0xD800)<<10 + (lo - 0xDC00)
				i += 2
			}
		}
		dst = appendRune(dst, c)
	}
	return dst
}

func appendRune(dst []byte, c rune) []byte {
	switch {
	case c < 0x80:
		return append(dst, byte(c))
	case c < 0x800:
		return append(dst, 0xC0|byte(c>>6), 0x80|byte(c&0x3F))
	case c < 0x10000:
		if c >= 0xD800 && c < 0xE000 {
			c = 0xFFFD
		}
		return append(dst, 0xE0|byte(c>>12), 0x80|byte(c>>6&0x3F), 0x80|byte(c&0x3F))
	}
	return append(dst, 0xF0|byte(c>>18), 0x80|byte(c>>12&0x3F), 0x80|byte(c>>6&0x3F), 0x80|byte(c&0x3F))
}

// Numeric is a numeric observed value (NuObsValue).
type Numeric struct {
	PhysioID PhysioID  // what is measured, e.g. 0x4182 heart rate
	State    MsmtState // measurement state bits; 0 is valid
	Unit     UnitCode  // unit code, e.g. 0x0AA0 beats per minute
	Value    float64   // NaN when the monitor has no value
	Raw      uint32    // the FLOATType as sent
	Special  Special   // which reserved value Raw is, if any
}

// ParseNumeric decodes the value of a NOM_ATTR_NU_VAL_OBS attribute.
func ParseNumeric(v []byte) (Numeric, error) {
	r := reader{b: v}
	n := readNumeric(&r)
	return n, r.err
}

// Float converts an IntelliVue FLOATType (8-bit signed exponent, 24-bit
// signed mantissa, base 10) to a float64; the special values NaN, NRes and
// ±INF become NaN and ±Inf.
func Float(raw uint32) float64 {
	switch raw {
	case floatNaN, floatNRes:
		return math.NaN()
	case floatPosInf:
		return math.Inf(1)
	case floatNegInf:
		return math.Inf(-1)
	}
	exp := int(int8(raw >> 24))
	mant := int32(raw<<8) >> 8
	if exp < 0 {
		// Dividing by an exact power of ten rounds once: 975e-1 is 97.5.
		return float64(mant) / math.Pow10(-exp)
	}
	return float64(mant) * math.Pow10(exp)
}

// NumericCount returns how many numeric values an attribute carries: one for
// NOM_ATTR_NU_VAL_OBS, the list count for NOM_ATTR_NU_CMPD_VAL_OBS, else 0.
func NumericCount(a Attr) int {
	switch a.ID {
	case AttrNumeric:
		return 1
	case AttrNumericCompound, AttrWaveCompound:
		if len(a.Value) >= 2 {
			return int(binary.BigEndian.Uint16(a.Value))
		}
	}
	return 0
}

// AlarmCount returns the number of entries of a physiological or technical
// alarm list attribute (DevAlarmList), or 0 for other attributes.
func AlarmCount(a Attr) int {
	if (a.ID == AttrAlarmListPhys || a.ID == AttrAlarmListTech) && len(a.Value) >= 2 {
		return int(binary.BigEndian.Uint16(a.Value))
	}
	return 0
}
