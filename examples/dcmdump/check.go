package main

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/medtap/medtap/dicom"
)

// check refuses an input that is empty, or that is neither a Part 10 file
// ("DICM" at offset 128, or at 0 without preamble) nor a plausible raw
// dataset (its first data element reads whole), saying what it found.
func check(b []byte) error {
	if len(b) == 0 {
		return errors.New("empty file")
	}
	if len(b) >= 132 && string(b[128:132]) == "DICM" || len(b) >= 4 && string(b[:4]) == "DICM" {
		return nil
	}
	var p dicom.Parser
	p.Start(b)
	h, err := p.Next()
	var why string
	var de *dicom.Error
	switch {
	case err == nil && (h.Tag.Group() <= 0x7FE0 || h.Tag.Group() >= 0xFFFA && !h.Tag.IsDelimiter()):
		return nil
	case err == nil:
		why = fmt.Sprintf("%v is not a tag a dataset starts with", h.Tag)
	case len(b) < 8:
		why = fmt.Sprintf("%d bytes are too few for a data element", len(b))
	case errors.Is(err, dicom.ErrLength) && errors.As(err, &de) && de.Offset == 0:
		why = fmt.Sprintf("%v read as a first data element would hold more than the %d bytes there are", de.Tag, len(b))
	default:
		why = fmt.Sprintf("reading it as a dataset fails: %v", err)
	}
	return fmt.Errorf("not a DICOM file: it holds %s (%s); there is no DICM at offset 128 or 0, and %s", kindOf(b), head(b), why)
}

// magics name a few formats that are sent to a DICOM dump by mistake.
var magics = []struct {
	magic, name string
}{
	{"\x1f\x8b", "gzip data"},
	{"(\xb5/\xfd", "zstd data"},
	{"\xfd7zXZ\x00", "xz data"},
	{"PK\x03\x04", "a zip archive"},
	{"%PDF", "a PDF document"},
	{"\x89PNG", "a PNG image"},
	{"\xff\xd8\xff", "a JPEG image"},
	{"\xd4\xc3\xb2\xa1", "a pcap capture"},
	{"\xa1\xb2\xc3\xd4", "a pcap capture"},
	{"\x0a\x0d\x0d\x0a", "a pcapng capture"},
	{"MSH|", "an HL7 v2 message"},
	{"\x0bMSH|", "an MLLP-framed HL7 v2 message"},
}

// kindOf says what b looks like.
func kindOf(b []byte) string {
	for _, m := range magics {
		if bytes.HasPrefix(b, []byte(m.magic)) {
			return m.name
		}
	}
	t := b[:min(len(b), 512)]
	for len(t) > 0 {
		r, n := utf8.DecodeRune(t)
		if r == utf8.RuneError && n == 1 && len(t) >= utf8.UTFMax || r < 0x20 && r != '\n' && r != '\r' && r != '\t' || r == 0x7F {
			return "binary data"
		}
		t = t[n:]
	}
	return "text"
}

// head quotes the first bytes of b, for an error message.
func head(b []byte) string {
	if len(b) > 16 {
		return strconv.Quote(string(b[:16])) + "..."
	}
	return strconv.Quote(string(b))
}
