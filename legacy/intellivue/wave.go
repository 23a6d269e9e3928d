package intellivue

import "encoding/binary"

// Wave is a sample array observed value (SaObsValue). Samples is a view
// into the datagram, valid as long as it; [SampleSpec.Sample] reads it.
type Wave struct {
	PhysioID PhysioID  // e.g. 0x0102 ECG lead II, 0x4BB4 pleth
	State    MsmtState // measurement state bits
	Samples  []byte
}

// WaveIter walks the sample arrays of a NOM_ATTR_SA_VAL_OBS attribute (one)
// or NOM_ATTR_SA_CMPD_VAL_OBS (a counted list):
//
//	it := a.Waves()
//	for it.Next() {
//		w := it.Wave()
//		...
//	}
//	if err := it.Err(); err != nil { ... }
//
// The zero value is empty.
type WaveIter struct {
	r    reader
	left int
	cur  Wave
}

// Waves returns an iterator over the attribute's sample arrays; it is empty
// for other attributes.
func (a Attr) Waves() WaveIter {
	r := a.reader()
	switch a.ID {
	case AttrWave:
		return WaveIter{r: r, left: 1}
	case AttrWaveCompound:
		n := int(r.u16())
		return WaveIter{r: r.sub(int(r.u16())), left: n}
	}
	return WaveIter{}
}

// Next advances to the next sample array, which [WaveIter.Wave] then
// returns. It returns false at the end or on malformed input (see Err).
func (it *WaveIter) Next() bool {
	if it.left <= 0 || it.r.err != nil {
		it.cur = Wave{}
		return false
	}
	it.left--
	w := Wave{PhysioID: PhysioID(it.r.u16()), State: MsmtState(it.r.u16())}
	w.Samples = it.r.bytes(int(it.r.u16()))
	if it.r.err != nil {
		it.cur = Wave{}
		return false
	}
	it.cur = w
	return true
}

// Wave returns the sample array Next advanced to; Samples is a view into
// the datagram.
func (it *WaveIter) Wave() Wave { return it.cur }

// Err returns the error that stopped the iteration, if any, with the offset
// in the datagram.
func (it *WaveIter) Err() error { return it.r.err }

// SampleSpec is NOM_ATTR_SA_SPECN (SaSpec): how samples are laid out.
type SampleSpec struct {
	ArraySize       uint16 // samples per array
	SampleSize      uint8  // bits per sample: 8 or 16
	SignificantBits uint8  // low bits that hold the value
	Flags           uint16 // SaFlags
}

// ParseSampleSpec decodes a NOM_ATTR_SA_SPECN attribute.
func ParseSampleSpec(a Attr) (SampleSpec, error) {
	r := a.reader()
	s := SampleSpec{ArraySize: r.u16(), SampleSize: r.u8(), SignificantBits: r.u8(), Flags: r.u16()}
	return s, r.err
}

// Len returns the number of samples in b.
func (s SampleSpec) Len(b []byte) int {
	if s.SampleSize == 8 {
		return len(b)
	}
	return len(b) / 2
}

// Sample returns sample i of b with the bits above SignificantBits cleared;
// ok is false past the end. Samples of a SampleSize other than 8 are read
// as 16 bits.
func (s SampleSpec) Sample(b []byte, i int) (v uint16, ok bool) {
	if i < 0 || i >= s.Len(b) {
		return 0, false
	}
	if s.SampleSize == 8 {
		v = uint16(b[i])
	} else {
		v = binary.BigEndian.Uint16(b[2*i:])
	}
	if s.SignificantBits > 0 && s.SignificantBits < 16 {
		v &= 1<<s.SignificantBits - 1
	}
	return v, true
}

// ScaleRange is NOM_ATTR_SCALE_SPECN_I16 (ScaleRangeSpec16): the scaled
// sample values LowerScaled and UpperScaled stand for LowerAbs and
// UpperAbs in the wave's unit.
type ScaleRange struct {
	LowerAbs, UpperAbs       float64
	LowerScaled, UpperScaled uint16
}

// ParseScaleRange decodes a NOM_ATTR_SCALE_SPECN_I16 attribute.
func ParseScaleRange(a Attr) (ScaleRange, error) {
	r := a.reader()
	s := ScaleRange{LowerAbs: Float(r.u32()), UpperAbs: Float(r.u32()), LowerScaled: r.u16(), UpperScaled: r.u16()}
	return s, r.err
}

// Value converts a sample to the wave's unit by linear interpolation
// between the two points of the range; a range whose scaled bounds are
// equal returns LowerAbs.
func (s ScaleRange) Value(sample uint16) float64 {
	if s.UpperScaled == s.LowerScaled {
		return s.LowerAbs
	}
	return s.LowerAbs + (float64(sample)-float64(s.LowerScaled))*(s.UpperAbs-s.LowerAbs)/(float64(s.UpperScaled)-float64(s.LowerScaled))
}
