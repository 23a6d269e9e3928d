package dicom

import "testing"

func TestParseTag(t *testing.T) {
	tests := []struct {
		in   string
		want Tag
		ok   bool
	}{
		{"(0010,0010)", tagPatientName, true},
		{"0010,0020", tagPatientID, true},
		{"7fe00010", TagPixelData, true},
		{"PatientName", tagPatientName, true},
		{"ReferencedSOPInstanceUID", tagRefUID, true},
		{"(0010,001G)", 0, false},
		{"NoSuchKeyword", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseTag(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseTag(%q) = %v, %v; want %v ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
		if tt.ok && got.String() != "" {
			if back, _ := ParseTag(got.String()); back != got {
				t.Errorf("round trip %v -> %v", got, back)
			}
		}
	}
	e, ok := Lookup(MustParseTag("(6002,3000)")) // repeating overlay group
	if !ok || e.Keyword != "OverlayData" || e.VR != OW {
		t.Errorf("Lookup overlay: %+v %v", e, ok)
	}
	if e, ok := Lookup(tagPatientName); !ok || e.Name != "Patient Name" || e.VM != "1" || e.VR != PN {
		t.Errorf("Lookup PatientName: %+v", e)
	}
}

func TestImplicitVRMatchesDictionary(t *testing.T) {
	for _, e := range dictionary {
		want := e.VR
		switch {
		case e.Tag.IsGroupLength():
			want = UL
		case want == 0:
			want = UN
		}
		if got := implicitVR(e.Tag); got != want {
			t.Errorf("implicitVR(%v) = %v, want %v", e.Tag, got, want)
		}
	}
	if got := implicitVR(NewTag(0x0009, 0x0010)); got != LO {
		t.Errorf("private creator: %v", got)
	}
	if got := implicitVR(NewTag(0x0009, 0x1010)); got != UN {
		t.Errorf("private element: %v", got)
	}
	if got := implicitVR(NewTag(0x6002, 0x3000)); got != OW {
		t.Errorf("overlay data in group 6002: %v", got)
	}
}

func TestEncodingOf(t *testing.T) {
	tests := []struct {
		uid  string
		want Encoding
		ok   bool
	}{
		{"1.2.840.10008.1.2\x00", ImplicitVRLittleEndian, true},
		{"1.2.840.10008.1.2.1", ExplicitVRLittleEndian, true},
		{"1.2.840.10008.1.2.2 ", ExplicitVRBigEndian, true},
		{"1.2.840.10008.1.2.1.99", DeflatedExplicitVRLittleEndian, true},
		{"1.2.840.10008.1.2.4.50", ExplicitVRLittleEndian, true},
		{"1.2.840.10008.1.2.5", ExplicitVRLittleEndian, true},
		{"1.2.840.10008.1.2.", ExplicitVRLittleEndian, false},
		{"1.2.3", ExplicitVRLittleEndian, false},
		{"", ExplicitVRLittleEndian, false},
	}
	for _, tt := range tests {
		if got, ok := EncodingOf([]byte(tt.uid)); got != tt.want || ok != tt.ok {
			t.Errorf("EncodingOf(%q) = %v %v, want %v %v", tt.uid, got, ok, tt.want, tt.ok)
		}
	}
}

func TestPrivateCreator(t *testing.T) {
	tests := []struct{ in, want Tag }{
		{NewTag(0x0029, 0x1010), NewTag(0x0029, 0x0010)},
		{NewTag(0x0009, 0xFF01), NewTag(0x0009, 0x00FF)},
		{NewTag(0x0029, 0x0010), 0}, // the creator itself
		{tagPatientName, 0},
	}
	for _, tt := range tests {
		if got := tt.in.PrivateCreator(); got != tt.want {
			t.Errorf("%v.PrivateCreator() = %v, want %v", tt.in, got, tt.want)
		}
	}
}
