package poct1a

import (
	"errors"
	"strings"
	"testing"

	"github.com/medtap/medtap/internal/pkttest"
)

var sniffTests = []struct {
	name string
	in   string
	want bool
}{
	{"XML declaration", `<?xml version="1.0" encoding="UTF-8"?>` + "\r\n<HEL.R01><HDR>", true},
	{"UTF-8 byte order mark", "\xef\xbb\xbf<ACK.R01>", true},
	{"attribute", "<OBS.R02 xmlns='x'>", true},
	{"HTML", "<html><body>", false},
	{"SOAP", `<?xml version="1.0"?><soap:Envelope>`, false},
	{"declaration cut short", "<?xml", false},
	{"comment and DOCTYPE", `<?xml version="1.0"?><!-- from the meter --><!DOCTYPE DTV.R02><DTV.R02>`, true},
	{"namespace prefix", `<?xml version="1.0"?>` + "\n<p:HEL.R01 xmlns:p='urn:x'>", true},
	{"line end after the name", "<poct1a:OBS.R01\n>", true},
	{"space in the prefix", "<p q:OBS.R01>", false},
	{"two prefixes", "<a:b:OBS.R01>", false},
	{"prefix of 32 bytes", "<" + strings.Repeat("p", 32) + ":HEL.R01>", true},
	{"prefix of 33 bytes", "<" + strings.Repeat("p", 33) + ":HEL.R01>", false},
	{"comment never closed", "<!-- never closed <HEL.R01>", false},
	{"one digit", "<HEL.R1>", false},
	{"lower case", "<hel.R01>", false},
	{"digit in the name", "<HE1.R01>", false},
	{"not R", "<HEL.X01>", false},
	{"name goes on", "<HEL.R01x>", false},
	{"empty root element", "<ACK.R01/>", true},
	{"tab after the name", "<ACK.R01\tV='1'>", true},
	{"name cut short", "<HEL.R01", false},
	{"white space first", "\r\n \t<EOT.R01>", true},
	{"eight declarations", strings.Repeat("<!-- c -->", 8) + "<HEL.R01>", true},
	{"nine declarations", strings.Repeat("<!-- c -->", 9) + "<HEL.R01>", false},
	{"empty", "", false},
	{"text", "HEL.R01", false},
	{"UTF-16LE with BOM", pkttest.UTF16(true, true, `<?xml version="1.0" encoding="UTF-16"?><HEL.R01>`), true},
	{"UTF-16BE without BOM", pkttest.UTF16(false, true, `<HEL.R01>`), true},
	{"UTF-16LE without BOM", pkttest.UTF16(true, false, `<ACK.R01>`), true},
	{"UTF-16BE HTML", pkttest.UTF16(false, false, `<?xml version="1.0"?><html>`), false},
	{"UTF-16 byte order mark alone", "\xff\xfe", false},
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

// TestSniffUTF16 checks that a UTF-16 document that Sniff recognises is
// then reported by the decoder as one ErrEncoding at offset 0, with nothing
// else, however the stream is cut.
func TestSniffUTF16(t *testing.T) {
	msg := []byte(pkttest.UTF16(true, true, `<?xml version="1.0" encoding="UTF-16"?><HEL.R01><HDR><HDR.control_id V="1"/></HDR></HEL.R01>`))
	if !Sniff(msg[:100]) {
		t.Fatal("Sniff does not recognise the UTF-16 document")
	}
	want := "error: poct1a: not UTF-8 (UTF-16 and other encodings are not supported) at offset 0"
	for _, chunks := range [][]int{nil, {1}, {100}} {
		var d Decoder
		got := decodeAll(&d, msg, chunks)
		if strings.Join(got, "\n") != want {
			t.Errorf("chunks %v: %q, want %q", chunks, got, want)
		}
	}
}

// FuzzSniff checks that Sniff never panics and never allocates, that an
// ASCII document is recognised alike in UTF-8 and in UTF-16 of either byte
// order with or without a byte order mark, and that a UTF-16 document it
// recognises is rejected by the decoder with ErrEncoding.
func FuzzSniff(f *testing.F) {
	for _, tt := range sniffTests {
		f.Add([]byte(tt.in))
	}
	var d Decoder
	f.Fuzz(func(t *testing.T, data []byte) {
		var got bool
		if n := testing.AllocsPerRun(1, func() { got = Sniff(data) }); n != 0 && !raceEnabled {
			t.Fatalf("Sniff(%q) allocates %v times", data, n)
		}
		ascii := len(data) <= 256
		for _, c := range data {
			if c == 0 || c >= 0x80 {
				ascii = false
				break
			}
		}
		if ascii {
			for _, le := range []bool{true, false} {
				for _, bom := range []bool{true, false} {
					if u := pkttest.UTF16(le, bom, string(data)); Sniff([]byte(u)) != got {
						t.Fatalf("Sniff(%q) = %v but Sniff of its UTF-16 (le %v, bom %v) = %v", data, got, le, bom, !got)
					}
				}
			}
		}
		if got && (data[0] == 0 || data[1] == 0 || data[0] == 0xFF || data[0] == 0xFE) {
			d.Reset()
			d.Feed(data)
			if _, err := d.Next(); !errors.Is(err, ErrEncoding) {
				t.Fatalf("Sniff(%q) = true, then the decoder gives %v, want ErrEncoding", data, err)
			}
		}
	})
}
