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
