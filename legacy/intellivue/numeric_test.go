package intellivue

import (
	"errors"
	"math"
	"testing"
)

// nbpCompound is a NOM_ATTR_NU_CMPD_VAL_OBS attribute list entry as a
// monitor sends the non-invasive blood pressure: three NuObsValues.
var nbpCompound = []byte{
	0x00, 0x01, 0x00, 0x26, // attribute list: count 1, length 38
	0x09, 0x4b, 0x00, 0x22, // NOM_ATTR_NU_CMPD_VAL_OBS, length 34
	0x00, 0x03, 0x00, 0x1e, // NuObsValueCmp: count 3, length 30
	0x4a, 0x05, // physio_id NOM_PRESS_BLD_NONINV_SYS
	0x00, 0x00, // state: valid
	0x0f, 0x20, // unit_code NOM_DIM_MMHG
	0x00, 0x00, 0x00, 0x78, // value: exponent 0, mantissa 120
	0x4a, 0x06, // NOM_PRESS_BLD_NONINV_DIA
	0x00, 0x80, // state VALIDATED_DATA
	0x0f, 0x20, // mmHg
	0xff, 0x00, 0x03, 0x20, // exponent -1, mantissa 800: 80.0
	0x4a, 0x07, // NOM_PRESS_BLD_NONINV_MEAN
	0x80, 0x00, // state INVALID
	0x0f, 0x20, // mmHg
	0x00, 0x80, 0x00, 0x00, // NRes
}

func TestNumerics(t *testing.T) {
	r := reader{b: nbpCompound}
	list := attrList(&r)
	ok := list.Next()
	a := list.Attr()
	if !ok || a.Offset != 8 {
		t.Fatalf("attribute %+v %v", a, list.Err())
	}
	type want struct {
		physio, unit string
		state        MsmtState
		value        float64
		special      Special
	}
	var got []want
	it := a.Numerics()
	for it.Next() {
		n := it.Numeric()
		p, u := n.Name()
		got = append(got, want{p, u, n.State, n.Value, n.Special})
	}
	if it.Err() != nil {
		t.Fatal(it.Err())
	}
	wants := []want{
		{"NOM_PRESS_BLD_NONINV_SYS", "mmHg", 0, 120, SpecialNone},
		{"NOM_PRESS_BLD_NONINV_DIA", "mmHg", MsmtValidated, 80, SpecialNone},
		{"NOM_PRESS_BLD_NONINV_MEAN", "mmHg", MsmtInvalid, math.NaN(), SpecialNRes},
	}
	if len(got) != len(wants) {
		t.Fatalf("got %d values, want %d", len(got), len(wants))
	}
	for i := range wants {
		g, w := got[i], wants[i]
		if g.physio != w.physio || g.unit != w.unit || g.state != w.state || g.special != w.special ||
			!(g.value == w.value || math.IsNaN(g.value) && math.IsNaN(w.value)) {
			t.Errorf("value %d: got %+v, want %+v", i, g, w)
		}
	}

	// A compound list declaring more values than its length holds fails at
	// the offset of the missing value.
	bad := append([]byte(nil), nbpCompound...)
	bad[9] = 4
	r = reader{b: bad}
	list = attrList(&r)
	list.Next()
	it = list.Attr().Numerics()
	n := 0
	for it.Next() {
		n++
	}
	if n != 3 || !isErrAt(it.Err(), ErrTruncated, 42) {
		t.Errorf("4 values declared, 3 present: %d read, err %v", n, it.Err())
	}
	// A compound length beyond the attribute.
	bad[11] = 0x30
	r = reader{b: bad}
	list = attrList(&r)
	list.Next()
	it = list.Attr().Numerics()
	if it.Next() || !errors.Is(it.Err(), ErrLength) {
		t.Errorf("length beyond the attribute: %v", it.Err())
	}
	// Other attributes have no numerics.
	it = Attr{ID: AttrLabel, Value: []byte{0, 2, 0x41, 0x82}}.Numerics()
	if it.Next() || it.Err() != nil {
		t.Error("label attribute yields numerics")
	}
}

func TestFloatSpecial(t *testing.T) {
	for _, tt := range []struct {
		raw  uint32
		want Special
		test func(float64) bool
	}{
		{0x007FFFFF, SpecialNaN, math.IsNaN},
		{0x00800000, SpecialNRes, math.IsNaN},
		{0x007FFFFE, SpecialPosInf, func(f float64) bool { return math.IsInf(f, 1) }},
		{0x00800002, SpecialNegInf, func(f float64) bool { return math.IsInf(f, -1) }},
		{0x017FFFFF, SpecialNone, func(f float64) bool { return f == 83886070 }}, // not special with exponent 1
		{0x00800001, SpecialNone, func(f float64) bool { return f == -8388607 }},
	} {
		if got := FloatSpecial(tt.raw); got != tt.want || !tt.test(Float(tt.raw)) {
			t.Errorf("%#x: %v %g, want %v", tt.raw, got, Float(tt.raw), tt.want)
		}
	}
	if Float(0xFF0003CF) != 97.5 || Float(0xFD0186A0) != 100 {
		t.Errorf("negative exponents: %g %g", Float(0xFF0003CF), Float(0xFD0186A0))
	}
}

func TestNames(t *testing.T) {
	for _, tt := range []struct {
		id          PhysioID
		name, label string
	}{
		{0x4182, "NOM_ECG_CARD_BEAT_RATE", "HR"},
		{0x4BB8, "NOM_PULS_OXIM_SAT_O2", "SpO2"},
		{0x480A, "NOM_PULS_RATE", "Pulse"},
		{0x4A05, "NOM_PRESS_BLD_NONINV_SYS", "NBPs"},
		{0x4A17, "NOM_PRESS_BLD_ART_ABP_MEAN", "ABPm"},
		{0x500A, "NOM_RESP_RATE", "RR"},
		{0x4B48, "NOM_TEMP", "Temp"},
		{0x50B0, "NOM_AWAY_CO2_ET", "etCO2"},
		{0x1234, "", ""},
	} {
		if n, l := tt.id.name(), tt.id.Label(); n != tt.name || l != tt.label {
			t.Errorf("%#x: %q %q, want %q %q", tt.id, n, l, tt.name, tt.label)
		}
	}
	for code, want := range map[UnitCode]string{0x0AA0: "bpm", 0x0220: "%", 0x0F20: "mmHg", 0x17A0: "°C", 0x0AE0: "rpm", 0x0F03: "kPa", 0: "", 0xFFFF: ""} {
		if got := code.Symbol(); got != want {
			t.Errorf("UnitCode(%#x).Symbol() = %q, want %q", code, got, want)
		}
	}
}
