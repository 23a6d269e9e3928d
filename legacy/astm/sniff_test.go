package astm

import "testing"

var sniffTests = []struct {
	name string
	in   string
	want bool
}{
	{"lone ENQ", "\x05", true},
	{"ENQ then header frame", "\x05\x021H|\\^&|||", true},
	{"header frame", "\x021H|\\^&|||c311", true},
	{"result frame", "\x022R|1|^^^A", true},
	{"frame 0", "\x020L|1|N\r\x03", true},
	{"unframed header", "H|\\^&|||XN-550", true},
	{"other delimiters", "H|@^\\|URM", true},
	{"mini VIDAS", "\x02\x1emtrsl|", false},
	{"frame of text", "\x021Hello", false},
	{"HTTP", "HTTP/1.1 200 OK", false},
	{"MLLP", "\x0bMSH|^~\\&|", false},
	{"empty", "", false},
	{"two ENQ", "\x05\x05", false},
	{"ENQ STX cut short", "\x05\x02", false},
	{"frame cut short", "\x021R", false},
	{"frame number 8", "\x028R|1", false},
	{"lower case record type", "\x021r|1", false},
	{"record type without field delimiter", "\x021R^1", false},
	{"header cut short", "H|\\^&", false},
	{"repeated delimiter", "H|\\\\&|", false},
	{"letter as delimiter", "H|A^&|", false},
	{"control character as delimiter", "H|\\^\x01|", false},
	{"header not followed by its field delimiter", "H|\\^&^", false},
	{"header frame with bad delimiters", "\x021H|||||", false},
	{"ACK first", "\x06", false},
}

func TestSniff(t *testing.T) {
	for _, tt := range sniffTests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sniff([]byte(tt.in)); got != tt.want {
				t.Errorf("Sniff(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzSniff checks that Sniff never panics, never allocates, says yes only
// to data that starts with ENQ, STX or H, and agrees with the Decoder: the
// header that Sniff accepts at the start of unframed data is decoded as a
// header record.
func FuzzSniff(f *testing.F) {
	for _, tt := range sniffTests {
		f.Add([]byte(tt.in))
	}
	f.Add(framedSample()[:64])
	var d Decoder
	f.Fuzz(func(t *testing.T, data []byte) {
		var got bool
		if n := testing.AllocsPerRun(1, func() { got = Sniff(data) }); n != 0 && !raceEnabled {
			t.Fatalf("Sniff(%q) allocates %v times", data, n)
		}
		if !got {
			return
		}
		if c := data[0]; c != ENQ && c != STX && c != 'H' {
			t.Fatalf("Sniff(%q) = true", data)
		}
		if data[0] == 'H' {
			line := data
			for i, c := range data {
				if c == CR || c == LF {
					line = data[:i]
					break
				}
			}
			d.Reset()
			d.Feed(append(append([]byte(nil), line...), CR))
			it, err := d.Next()
			if err != nil || it.Kind != KindRecord || it.Record.Type != TypeHeader {
				t.Fatalf("Sniff(%q) = true but the decoder gives %v, %v", data, it.Kind, err)
			}
		}
	})
}
