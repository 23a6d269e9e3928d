package intellivue

import (
	"encoding/binary"
	"strconv"
)

const (
	nuObsValueSize = 10 // bytes of a NuObsValue

	// FLOATType reserved values.
	floatNaN    = 0x007FFFFF
	floatNRes   = 0x00800000
	floatPosInf = 0x007FFFFE
	floatNegInf = 0x00800002
)

// Special says whether a FLOATType is one of the reserved values.
type Special uint8

// FLOATType special values: exponent 0 and a reserved mantissa.
const (
	SpecialNone   Special = iota
	SpecialNaN            // 0x007FFFFF, not a number
	SpecialNRes           // 0x00800000, not at this resolution
	SpecialPosInf         // 0x007FFFFE, +INFINITY
	SpecialNegInf         // 0x00800002, -INFINITY
)

var specialNames = [...]string{"none", "NaN", "NRes", "+INF", "-INF"}

// String returns "none", "NaN", "NRes", "+INF" or "-INF", or "Special(7)"
// for another value.
func (s Special) String() string {
	if int(s) < len(specialNames) {
		return specialNames[s]
	}
	return "Special(" + strconv.Itoa(int(s)) + ")"
}

// FloatSpecial classifies a FLOATType as sent.
func FloatSpecial(raw uint32) Special {
	switch raw {
	case floatNaN:
		return SpecialNaN
	case floatNRes:
		return SpecialNRes
	case floatPosInf:
		return SpecialPosInf
	case floatNegInf:
		return SpecialNegInf
	}
	return SpecialNone
}

// Name returns the nomenclature name of the numeric's physiological ID
// ("NOM_ECG_CARD_BEAT_RATE") and of its unit ("bpm"); "" when the tables do
// not know them.
func (n Numeric) Name() (physio, unit string) { return n.PhysioID.name(), n.Unit.Symbol() }

// NumericIter walks the numeric values of a NOM_ATTR_NU_VAL_OBS attribute
// (one) or of a NOM_ATTR_NU_CMPD_VAL_OBS attribute (a counted list, as the
// three values of a blood pressure):
//
//	it := a.Numerics()
//	for it.Next() {
//		n := it.Numeric()
//		...
//	}
//	if err := it.Err(); err != nil { ... }
//
// The zero value is empty.
type NumericIter struct {
	r    reader
	left int
	cur  Numeric
}

// Numerics returns an iterator over the attribute's numeric values; it is
// empty for other attributes.
func (a Attr) Numerics() NumericIter {
	r := a.reader()
	switch a.ID {
	case AttrNumeric:
		return NumericIter{r: r, left: 1}
	case AttrNumericCompound:
		n := int(r.u16())
		return NumericIter{r: r.sub(int(r.u16())), left: n}
	}
	return NumericIter{}
}

// Next advances to the next value, which [NumericIter.Numeric] then
// returns. It returns false at the end or on a malformed list (see Err).
func (it *NumericIter) Next() bool {
	if it.left <= 0 || it.r.err != nil {
		it.cur = Numeric{}
		return false
	}
	it.left--
	it.cur = readNumeric(&it.r)
	return it.r.err == nil
}

// Numeric returns the value Next advanced to.
func (it *NumericIter) Numeric() Numeric { return it.cur }

// Err returns the error that stopped the iteration, if any, with the offset
// in the datagram.
func (it *NumericIter) Err() error { return it.r.err }

func readNumeric(r *reader) Numeric {
	if r.err != nil || len(r.b)-r.off < nuObsValueSize {
		r.fail(ErrTruncated)
		return Numeric{}
	}
	b := r.b[r.off : r.off+nuObsValueSize]
	r.off += nuObsValueSize
	n := Numeric{
		PhysioID: PhysioID(binary.BigEndian.Uint16(b)),
		State:    MsmtState(binary.BigEndian.Uint16(b[2:])),
		Unit:     UnitCode(binary.BigEndian.Uint16(b[4:])),
		Raw:      binary.BigEndian.Uint32(b[6:]),
	}
	n.Value = Float(n.Raw)
	n.Special = FloatSpecial(n.Raw)
	return n
}
