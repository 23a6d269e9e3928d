package http

import "testing"

var sniffTests = []struct {
	name string
	in   string
	want bool
}{
	{"GET", "GET / HTTP/1.1\r\nHost: x\r\n", true},
	{"POST cut short", "POST /dicom-web/stu", true},
	{"PROPFIND", "PROPFIND /dav HTTP/1.1\r\n", true},
	{"status line", "HTTP/1.1 200 OK\r\n", true},
	{"HTTP/1.0 status", "HTTP/1.0 404 Not Found\r\n", true},
	{"RTSP", "OPTIONS rtsp://cam/ RTSP/1.0\r\n", false},
	{"HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", false},
	{"RTSP reply", "RTSP/1.0 200 OK\r\n", false},
	{"lower-case method", "get / HTTP/1.1\r\n", false},
	{"unknown method", "FOO / HTTP/1.1\r\n", false},
	{"status cut short", "HTTP/1.1 2", false},
	{"SIP", "INVITE sip:a@b SIP/2.0\r\n", false},
	{"HL7", "\x0bMSH|^~\\&|", false},
	{"empty", "", false},
	{"GET without space", "GETX", false},
}

func TestSniff(t *testing.T) {
	for _, tt := range sniffTests {
		if got := Sniff([]byte(tt.in)); got != tt.want {
			t.Errorf("%s: Sniff(%q) = %v, want %v", tt.name, tt.in, got, tt.want)
		}
	}
}

// FuzzSniff checks that Sniff never panics or allocates, and that what it
// accepts with a whole first line is decoded as a message.
func FuzzSniff(f *testing.F) {
	for _, tt := range sniffTests {
		f.Add([]byte(tt.in))
	}
	var d Decoder
	f.Fuzz(func(t *testing.T, data []byte) {
		var got bool
		if n := testing.AllocsPerRun(1, func() { got = Sniff(data) }); n != 0 && !raceEnabled {
			t.Fatalf("Sniff allocates %v times", n)
		}
		if !got {
			return
		}
		for i, c := range data {
			if c == '\n' {
				d.Reset()
				d.Feed(append(append([]byte(nil), data[:i+1]...), "\r\n"...))
				if _, err := d.Next(); err != nil && err != ErrNeedMore {
					if !hasPrefix(data, "HTTP/1.") || i < 12 {
						t.Fatalf("Sniff(%q) = true but the decoder says %v", data, err)
					}
				}
				return
			}
		}
	})
}

var magicTests = []struct {
	in   string
	want Magic
	exec bool
}{
	{string(dicomFile("")), MagicDICOM, false},
	{string(dicomFile("MZ\x90\x00")), MagicDICOM, true},
	{string(dicomFile("\x7fELF\x02\x01")), MagicDICOM, true},
	{string(dicomFile("\xcf\xfa\xed\xfe")), MagicDICOM, true},
	{"MZ\x90\x00\x03", MagicPE, false},
	{"\x7fELF\x02\x01\x01", MagicELF, false},
	{"\xca\xfe\xba\xbe\x00\x00\x00\x02", MagicMachO, false},
	{"\xca\xfe\xba\xbe\x00\x00\x00\x34", MagicJavaClass, false},
	{"PK\x03\x04\x14\x00", MagicZIP, false},
	{"\x1f\x8b\x08\x00", MagicGzip, false},
	{"%PDF-1.7", MagicPDF, false},
	{"\x89PNG\r\n\x1a\n", MagicPNG, false},
	{"\xff\xd8\xff\xe0", MagicJPEG, false},
	{"GIF89a", MagicGIF, false},
	{"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", MagicOLE, false},
	{"#!/bin/sh\n", MagicScript, false},
	{"<html>", MagicNone, false},
	{string(dicomFile(""))[:131], MagicNone, false},
}

func TestSniffBody(t *testing.T) {
	for _, tt := range magicTests {
		m, exec := SniffBody([]byte(tt.in))
		if m != tt.want || exec != tt.exec {
			t.Errorf("SniffBody(%.12q) = %v, %v; want %v, %v", tt.in, m, exec, tt.want, tt.exec)
		}
	}
	if s := Magic(200).String(); s != "Magic(200)" {
		t.Errorf("unknown magic prints %q", s)
	}
}

func TestSniffMultipart(t *testing.T) {
	body := "preamble\r\n--b1\r\nContent-Type: application/dicom\r\nContent-Location: x\r\n\r\n" + string(dicomFile("MZ"))
	for _, tt := range []struct {
		body, boundary string
		want           Magic
		exec           bool
	}{
		{body, "b1", MagicDICOM, true},
		{"--b1\r\n\r\nPK\x03\x04", "b1", MagicZIP, false},
		{"x--b1\r\n\r\nPK\x03\x04", "b1", MagicNone, false}, // not at a line start
		{"--b1\r\nContent-Type: a", "b1", MagicNone, false},
		{body, "", MagicNone, false},
	} {
		if m, exec := SniffMultipart([]byte(tt.body), []byte(tt.boundary)); m != tt.want || exec != tt.exec {
			t.Errorf("SniffMultipart(%.20q, %q) = %v, %v; want %v, %v", tt.body, tt.boundary, m, exec, tt.want, tt.exec)
		}
	}
}
