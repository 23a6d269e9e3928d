package intellivue

import (
	"fmt"
	"testing"
)

// setPriority is a confirmed SET of the numeric priority list, laid out as
// the guide's "Set Priority List Request".
var setPriority = []byte{
	0xe1, 0x00, 0x00, 0x02, // SPpdu: session 0xE100, presentation context 2
	0x00, 0x01, 0x00, 0x24, // ROapdus: ROIV, length 36
	0x00, 0x08, 0x00, 0x05, 0x00, 0x1e, // invoke 8, CMD_CONFIRMED_SET, length 30
	0x00, 0x21, 0x00, 0x00, 0x00, 0x00, // managed object: MDS, context 0, handle 0
	0x00, 0x00, 0x00, 0x00, // scope
	0x00, 0x01, 0x00, 0x0e, // ModificationList: count 1, length 14
	0x00, 0x00, // modify_operator REPLACE
	0xf2, 0x39, 0x00, 0x08, // NOM_ATTR_POLL_NU_PRIO_LIST, length 8
	0x00, 0x01, 0x00, 0x04, // TextIdList: count 1, length 4
	0x00, 0x02, 0x41, 0x82, // NLS_NOM_ECG_CARD_BEAT_RATE (HR label)
	0x00, 0x00, // two bytes after the list, inside the command
}

// getAll is a GET of all MDS attributes: an empty AttributeIdList.
var getAll = []byte{
	0xe1, 0x00, 0x00, 0x02, // SPpdu
	0x00, 0x01, 0x00, 0x14, // ROIV, length 20
	0x00, 0x01, 0x00, 0x03, 0x00, 0x0e, // invoke 1, CMD_GET, length 14
	0x00, 0x21, 0x00, 0x00, 0x00, 0x00, // managed object: MDS
	0x00, 0x00, 0x00, 0x00, // scope
	0x00, 0x00, 0x00, 0x00, // AttributeIdList: count 0, length 0
}

func TestSetRequest(t *testing.T) {
	m, err := Parse(setPriority)
	if err != nil {
		t.Fatal(err)
	}
	s, err := m.SetRequest()
	if err != nil {
		t.Fatal(err)
	}
	ok := s.Mods.Next()
	mod := s.Mods.Mod()
	if !ok || mod.Op != ModReplace || mod.ID != 0xF239 || mod.Offset != 34 || string(mod.Value) != "\x00\x01\x00\x04\x00\x02\x41\x82" {
		t.Errorf("got %+v %v", mod, s.Mods.Err())
	}
	if s.Mods.Next() || s.Mods.Err() != nil {
		t.Error("a second entry")
	}
	if _, err := m.GetRequest(); err != ErrNotGetSet {
		t.Errorf("GetRequest on a SET: %v", err)
	}
	if _, err := m.ResultAttributes(); err != ErrNotGetSet {
		t.Errorf("ResultAttributes on a SET invoke: %v", err)
	}

	for _, tt := range []struct {
		name string
		at   int
		v    byte
		want error
		off  int64
	}{
		{"list length beyond the command", 27, 0x20, ErrLength, 28},
		{"value length beyond the list", 33, 0x0c, ErrLength, 34},
		{"count beyond the list", 25, 2, ErrTruncated, 42},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := append([]byte(nil), setPriority...)
			b[tt.at] = tt.v
			m, err := Parse(b)
			if err != nil {
				t.Fatal(err)
			}
			s, err := m.SetRequest()
			if err == nil {
				for s.Mods.Next() {
				}
				err = s.Mods.Err()
			}
			if !isErrAt(err, tt.want, tt.off) {
				t.Errorf("got %v, want %v at offset %d", err, tt.want, tt.off)
			}
		})
	}
}

func TestGetRequest(t *testing.T) {
	m, err := Parse(getAll)
	if err != nil {
		t.Fatal(err)
	}
	g, err := m.GetRequest()
	if err != nil || g.IDs.Len() != 0 {
		t.Fatalf("%+v %v", g, err)
	}
	if g.IDs.Next() {
		t.Error("an ID in an empty list")
	}
	// Two IDs declared in a list of length 0: the first read fails.
	b := append([]byte(nil), getAll...)
	b[25] = 2
	m, _ = Parse(b)
	g, _ = m.GetRequest()
	if g.IDs.Next() || !isErrAt(g.IDs.Err(), ErrTruncated, 28) {
		t.Errorf("count beyond the list: %v", g.IDs.Err())
	}
	// A list cut by the end of the datagram.
	m, _ = Parse(getAll[:len(getAll)-2])
	if _, err := m.GetRequest(); err == nil {
		t.Error("cut GET parsed")
	}
}

// waveAttrs is an observation's attribute list as a wave poll returns it:
// SaSpec, ScaleRangeSpec16 and a compound sample array of two waves.
var waveAttrs = []byte{
	0x00, 0x03, 0x00, 0x34, // attribute list: count 3, length 52
	0x09, 0x6d, 0x00, 0x06, // NOM_ATTR_SA_SPECN, length 6
	0x00, 0x04, // array_size 4
	0x08, 0x08, // sample_size 8, significant_bits 8
	0x00, 0x00, // SaFlags
	0x09, 0x6f, 0x00, 0x0c, // NOM_ATTR_SCALE_SPECN_I16, length 12
	0xff, 0x00, 0x00, 0x00, // lower_absolute_value 0
	0x00, 0x00, 0x00, 0x64, // upper_absolute_value 100
	0x00, 0x00, 0x00, 0xff, // lower_scaled_value 0, upper_scaled_value 255
	0x09, 0x67, 0x00, 0x16, // NOM_ATTR_SA_CMPD_VAL_OBS, length 22
	0x00, 0x02, 0x00, 0x12, // SaObsValueCmp: count 2, length 18
	0x4b, 0xb4, 0x00, 0x00, 0x00, 0x04, // NOM_PLETH, valid, 4 bytes
	0x00, 0x40, 0x80, 0xff, // samples 0, 64, 128, 255
	0x50, 0x00, 0x40, 0x00, 0x00, 0x02, // NOM_RESP, state QUESTIONABLE, 2 bytes
	0x7f, 0x80, // samples
}

func TestWaves(t *testing.T) {
	r := reader{b: waveAttrs}
	list := attrList(&r)
	var spec SampleSpec
	var scale ScaleRange
	var got []string
	for list.Next() {
		a := list.Attr()
		var err error
		switch a.ID {
		case AttrSampleSpec:
			spec, err = ParseSampleSpec(a)
		case AttrScaleRange:
			scale, err = ParseScaleRange(a)
		}
		if err != nil {
			t.Fatal(err)
		}
		it := a.Waves()
		for it.Next() {
			w := it.Wave()
			s := w.PhysioID.Label()
			for i := 0; i < spec.Len(w.Samples); i++ {
				v, _ := spec.Sample(w.Samples, i)
				s += " " + string(rune('0'+int(scale.Value(v)/10)))
			}
			got = append(got, s)
		}
		if it.Err() != nil {
			t.Fatal(it.Err())
		}
	}
	if spec != (SampleSpec{ArraySize: 4, SampleSize: 8, SignificantBits: 8}) || scale.UpperAbs != 100 || scale.UpperScaled != 255 {
		t.Errorf("spec %+v scale %+v", spec, scale)
	}
	// 0, 64, 128, 255 of 0..255 for 0..100: 0, 25.1, 50.2, 100 (tens).
	if len(got) != 2 || got[0] != "Pleth 0 2 5 :" || got[1] != "Resp 4 5" {
		t.Errorf("got %q", got)
	}
	if _, ok := spec.Sample([]byte{1, 2}, 2); ok {
		t.Error("sample past the end")
	}
	if v, _ := (SampleSpec{SampleSize: 16, SignificantBits: 12}).Sample([]byte{0xff, 0xff}, 0); v != 0xfff {
		t.Errorf("12 significant bits of 0xffff: %#x", v)
	}
	if (ScaleRange{LowerAbs: 3}).Value(9) != 3 {
		t.Error("empty scaled range")
	}

	// A sample array longer than the compound list.
	b := append([]byte(nil), waveAttrs...)
	b[53] = 0x09 // the second array's length
	r = reader{b: b}
	list = attrList(&r)
	for list.Next() {
		a := list.Attr()
		if a.ID != AttrWaveCompound {
			continue
		}
		it := a.Waves()
		n := 0
		for it.Next() {
			n++
		}
		if n != 1 || !isErrAt(it.Err(), ErrLength, 54) {
			t.Errorf("%d waves, err %v", n, it.Err())
		}
	}
}

func TestAttributeIDs(t *testing.T) {
	overrun := append([]byte(nil), setPriority...)
	overrun[33] = 0x0c // the value's length beyond the list
	short := getRequest(7, AttrModel, AttrSystemID)
	short[25] = 3 // three IDs declared, two present
	for _, tt := range []struct {
		name    string
		in      []byte
		size    int // of dst
		n       int
		want    []AttrID
		wantErr error
		off     int64
	}{
		{"GET", getRequest(7, AttrModel, AttrSystemID), 4, 2, []AttrID{AttrModel, AttrSystemID}, nil, 0},
		{"GET all", getAll, 4, 0, nil, nil, 0},
		{"GET, short dst", getRequest(7, AttrModel, AttrSystemID, AttrBedLabel), 2, 3, []AttrID{AttrModel, AttrSystemID}, nil, 0},
		{"GET, no dst", getRequest(7, AttrModel), 0, 1, nil, nil, 0},
		{"GET result", getResult(7, CmdGet, identityAttrs()[1:3]...), 4, 2, []AttrID{AttrModel, AttrSystemID}, nil, 0},
		{"confirmed SET", setPriority, 4, 1, []AttrID{attrPollNuPrioList}, nil, 0},
		{"SET result", getResult(8, CmdConfirmedSet, ava{attrPollNuPrioList, prioList()}), 4, 1, []AttrID{attrPollNuPrioList}, nil, 0},
		{"SET overrun", overrun, 4, 0, nil, ErrLength, 34},
		{"GET list short", short, 4, 2, []AttrID{AttrModel, AttrSystemID}, ErrTruncated, 32},
		{"poll request", pollRequest(2, 1, MOCNumeric, false), 4, 0, nil, ErrNotGetSet, -1},
		{"error", roError(5, ROErrNoSuchAction), 4, 0, nil, ErrNotGetSet, -1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			dst := make([]AttrID, tt.size)
			n, err := m.AttributeIDs(dst)
			got := dst[:min(n, len(dst))]
			if n != tt.n || fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %d %v, want %d %v", n, got, tt.n, tt.want)
			}
			switch {
			case tt.off < 0:
				if err != tt.wantErr {
					t.Errorf("err %v, want %v", err, tt.wantErr)
				}
			case tt.wantErr == nil:
				if err != nil {
					t.Errorf("err %v", err)
				}
			case !isErrAt(err, tt.wantErr, tt.off):
				t.Errorf("err %v, want %v at %d", err, tt.wantErr, tt.off)
			}
		})
	}
}
