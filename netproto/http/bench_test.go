package http

import (
	"strings"
	"testing"
)

// benchStream is a client's side of a keep-alive connection: a GET with
// Basic credentials, a STOW-RS upload with a chunked body, and a PUT.
func benchStream() []byte {
	var b strings.Builder
	for i := 0; i < 4; i++ {
		b.WriteString("GET /patients/123/studies?limit=10 HTTP/1.1\r\nHost: pacs.example:8042\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\nAuthorization: Basic YWRtaW46YWRtaW4=\r\n\r\n")
		b.WriteString("POST /dicom-web/studies HTTP/1.1\r\nHost: pacs.example\r\nContent-Type: multipart/related; type=\"application/dicom\"; boundary=0123456789\r\nTransfer-Encoding: chunked\r\n\r\n")
		part := "--0123456789\r\nContent-Type: application/dicom\r\n\r\n" + string(dicomFile("MZ")) + strings.Repeat("\x00", 4000) + "\r\n--0123456789--\r\n"
		for len(part) > 0 {
			n := min(len(part), 1000)
			b.WriteString(strings.ToUpper(strings.TrimLeft(strings.Repeat("0", 8)+itoaHex(n), "0")) + "\r\n" + part[:n] + "\r\n")
			part = part[n:]
		}
		b.WriteString("0\r\n\r\n")
		b.WriteString("PUT /f HTTP/1.1\r\nContent-Length: 8000\r\n\r\n" + strings.Repeat("x", 8000))
	}
	return []byte(b.String())
}

func itoaHex(n int) string {
	const digits = "0123456789abcdef"
	s := ""
	for ; n > 0; n >>= 4 {
		s = string(digits[n&15]) + s
	}
	return s
}

// decodeStream decodes stream in chunks and returns the messages seen.
func decodeStream(d *Decoder, stream []byte, chunk int) int {
	d.Reset()
	n := 0
	for i := 0; i < len(stream); i += chunk {
		d.Feed(stream[i:min(len(stream), i+chunk)])
		for {
			_, err := d.Next()
			if err == ErrNeedMore {
				break
			}
			n++
		}
	}
	return n
}

func BenchmarkDecoder(b *testing.B) {
	stream := benchStream()
	d := &Decoder{IsDefault: isDefaultTest}
	if n := decodeStream(d, stream, 1460); n != 12 {
		b.Fatalf("%d messages, want 12", n)
	}
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	for b.Loop() {
		decodeStream(d, stream, 1460)
	}
}

func BenchmarkSniff(b *testing.B) {
	in := []byte("POST /dicom-web/studies HTTP/1.1\r\nHost: pacs\r\n")
	b.ReportAllocs()
	for b.Loop() {
		if !Sniff(in) {
			b.Fatal("no")
		}
	}
}
