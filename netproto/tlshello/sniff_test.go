package tlshello

import (
	"errors"
	"testing"
)

func TestSniff(t *testing.T) {
	streams := readStreams(t)
	for _, tt := range []struct {
		name string
		data []byte
		want bool
	}{
		{"client hello", streams["openssl-tls13.c2s"], true},
		{"server hello", streams["openssl-tls12.s2c"], true},
		{"tls 1.0 record", streams["openssl-tls10.c2s"], true},
		{"six bytes", []byte{0x16, 3, 1, 0, 0x30, 1}, true},
		{"record version 3.4", []byte{0x16, 3, 4, 0, 0x30, 2}, true},
		{"five bytes", []byte{0x16, 3, 1, 0, 0x30}, false},
		{"empty", nil, false},
		{"record version 3.5", []byte{0x16, 3, 5, 0, 0x30, 1}, false},
		{"record version 2.0", []byte{0x16, 2, 0, 0, 0x30, 1}, false},
		{"certificate first", []byte{0x16, 3, 3, 0, 0x30, 11}, false},
		{"application data", []byte{0x17, 3, 3, 0, 0x30, 1}, false},
		{"alert", []byte{0x15, 3, 3, 0, 2, 2, 40}, false},
		{"ssl 2.0 hello", []byte{0x80, 0x2e, 1, 3, 1, 0, 0x15}, false},
		{"http", []byte("GET / HTTP/1.1\r\n"), false},
		{"mllp", []byte("\x0bMSH|^~\\&|"), false},
	} {
		if got := Sniff(tt.data); got != tt.want {
			t.Errorf("%s: Sniff %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestSniffAllocs(t *testing.T) {
	data := readStreams(t)["curl-h2.c2s"]
	no := []byte("GET / HTTP/1.1\r\n")
	if n := testing.AllocsPerRun(100, func() { Sniff(data); Sniff(no) }); n != 0 {
		t.Errorf("Sniff allocates %v times", n)
	}
}

// FuzzSniff checks that what Sniff accepts begins with a record header the
// Decoder accepts.
func FuzzSniff(f *testing.F) {
	for _, b := range readStreams(f) {
		f.Add(b[:min(len(b), 64)])
	}
	f.Add([]byte("GET / HTTP/1.1\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if !Sniff(data) {
			return
		}
		var d Decoder
		d.Feed(data)
		for {
			_, err := d.Next()
			if err == ErrNeedMore {
				return
			}
			var e *Error
			if errors.As(err, &e) && e.Offset == 0 && errors.Is(err, ErrNotHandshake) {
				t.Fatalf("Sniff accepts %x, the decoder reports %v", data, err)
			}
		}
	})
}
