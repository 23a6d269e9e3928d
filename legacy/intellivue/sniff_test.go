package intellivue

import "testing"

func TestSniff(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   []byte
		want bool
	}{
		{"remote operation error", []byte("\xe1\x00\x00\x02\x00\x03\x00\x06\x00\x05\x00\x09\x00\x00"), true},
		{"poll result", pollReply(2, 1, MOCNumeric, false, 0, 0, numericObservations()...), true},
		{"linked poll result", pollReply(3, 2, MOCWave, true, LinkedFirst, 1, waveObservations()...), true},
		{"MDS create", mdsCreate(1), true},
		{"connect indication", connectIndication(), true},
		{"unknown remote operation", []byte("\xe1\x00\x00\x02\x00\x07\x00\x00"), false},
		{"remote operation type above 255", []byte("\xe1\x00\x00\x02\x01\x01\x00\x00"), false},
		{"data export cut", mdsCreate(1)[:40], false},
		{"association request", session(SPDUConnect, assocUserData(true)), false}, // identified by port only
		{"association request, short", []byte("\x0d\x05hello"), false},
		{"abort", session(SPDUAbort, nil), false},
		{"connect indication cut", []byte("\x00\x00\x01\x00\x00\x01\x00\x00"), false},
		{"event report that is not a connect indication", mdsCreate(1)[4:], false},
		{"HTTP", []byte("GET / HTTP/1.1\r\n"), false},
		{"five bytes", []byte("\xe1\x00\x00\x02\x00"), false},
		{"empty", nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sniff(tt.in); got != tt.want {
				t.Errorf("Sniff(% x) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzSniff checks that Sniff never panics and says yes only to what Parse
// reads as a data export message or a connect indication.
func FuzzSniff(f *testing.F) {
	for _, m := range simMessages() {
		f.Add(m)
	}
	f.Add([]byte("\xe1\x00\x00\x02\x00\x03\x00\x06\x00\x05\x00\x09\x00\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if !Sniff(b) {
			return
		}
		m, err := Parse(b)
		if err != nil || (m.Kind != KindDataExport && m.Kind != KindConnectIndication) {
			t.Fatalf("Sniff says yes to % x: %v %v", b, m.Kind, err)
		}
	})
}
