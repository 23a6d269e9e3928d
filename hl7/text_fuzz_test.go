package hl7_test

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"

	"github.com/medtap/medtap/hl7"
	"github.com/medtap/medtap/hl7/internal/cns11643"
)

var fuzzCharsets = []string{
	"", "UNICODE UTF-8", "8859/1", "8859/7", "ISO IR14", "ISO IR87", "ISO IR159",
	"KS X 1001", "GB 18030-2000", "BIG-5", "CNS 11643-1992", "UNICODE UTF-16", "UNICODE UTF-32",
}

// mix writes data as an HL7 value that unescapes to data: chunks of a few
// bytes, escaped with AppendEscaped and written as \Xhh…\ in turn, so that
// characters are cut across escape sequences.
func mix(data []byte, d hl7.Delimiters, k uint8) []byte {
	var out []byte
	size := 1 + int(k)%5
	for i := 0; len(data) > 0; i++ {
		n := min(size, len(data))
		if i%2 == 0 {
			out = hl7.AppendEscaped(out, data[:n], d)
		} else {
			out = fmt.Appendf(out, "%cX%X%c", d.Escape, data[:n], d.Escape)
		}
		data = data[n:]
	}
	return out
}

// FuzzAppendText checks that AppendText and AppendUTF8 never panic, give
// valid UTF-8 of bounded length and only the documented errors; that text
// cut into pieces by escape sequences decodes as it does whole; that
// without character set switches AppendText is AppendUTF8 of
// AppendUnescaped; and that UTF-8 text survives AppendEscaped.
func FuzzAppendText(f *testing.F) {
	for _, s := range []string{
		`a\F\b\X0D0A\\.br\`, `\C2842\abc\M2442\;3ED\C2842\`, `\C2D41\caf` + "\xe9",
		"\x1b$B;3\x1b(B", `\M242943\` + "\xc7\xd1", `\M242A48\` + "\x8e\xa1\xa1",
		"\xc4\xa1\x8e\xa2\xa1\xa1", `\C4142\\M242850\ab`, "\x1b$(D\"/\x1bN!!\x0e!\x0f",
	} {
		for k := range len(fuzzCharsets) {
			f.Add([]byte(s), uint8(k))
		}
	}
	d := hl7.DefaultDelimiters
	d.Truncation = '#'
	f.Fuzz(func(t *testing.T, data []byte, k uint8) {
		name := fuzzCharsets[int(k)%len(fuzzCharsets)]
		cs := []byte(name)
		wide := name == "UNICODE UTF-16" || name == "UNICODE UTF-32"
		check := func(what string, got []byte, err error) {
			t.Helper()
			if err != nil && !errors.Is(err, hl7.ErrCharsetEscape) {
				t.Fatalf("%s(%q, %q): error %v", what, data, name, err)
			}
			if !utf8.Valid(got) {
				t.Fatalf("%s(%q, %q) = %q: invalid UTF-8", what, data, name, got)
			}
			if len(got) > 3*len(data) {
				t.Fatalf("%s(%q, %q): %d bytes out of %d", what, data, name, len(got), len(data))
			}
		}
		text, err := hl7.AppendText(nil, data, d, cs)
		check("AppendText", text, err)
		u, uerr := hl7.AppendUTF8(nil, data, cs)
		check("AppendUTF8", u, uerr)
		if wide {
			return
		}
		if got, err := hl7.AppendText(nil, mix(data, d, k), d, cs); !bytes.Equal(got, u) || err != uerr {
			t.Fatalf("%q in pieces: %q, %v; whole: %q, %v", data, got, err, u, uerr)
		}
		if !bytes.Contains(data, []byte(`\C`)) && !bytes.Contains(data, []byte(`\M`)) {
			want, werr := hl7.AppendUTF8(nil, hl7.AppendUnescaped(nil, data, d), cs)
			if !bytes.Equal(text, want) || err != werr {
				t.Fatalf("AppendText(%q, %q) = %q, %v; AppendUTF8 of AppendUnescaped: %q, %v", data, name, text, err, want, werr)
			}
		}
		if name == "UNICODE UTF-8" && utf8.Valid(data) {
			esc := hl7.AppendEscaped(nil, data, d)
			if got, err := hl7.AppendText(nil, esc, d, cs); !bytes.Equal(got, data) || err != nil {
				t.Fatalf("round trip of %q: %q, %v", data, got, err)
			}
		}
	})
}

// FuzzISO2022JP builds ISO-2022-JP text from the fuzzer's bytes (switches
// among ASCII, JIS X 0201 Roman and katakana, JIS X 0208 and JIS X 0212,
// with whole characters in each) and checks that AppendUTF8 of it, and
// AppendText of it with HL7's \C and \M escapes, agree with x/text's
// decoder.
func FuzzISO2022JP(f *testing.F) {
	f.Add([]byte("ab\xfa;3ED\xf8c\xfc\"/\xfdAB"))
	f.Add([]byte("\xfa\x00\x01\x02\x03\xfb\x10\x11\xf9x"))
	switches := [8]string{"\x1b(B", "\x1b(J", "\x1b$B", "\x1b$@", "\x1b$(D", "\x1b(I", "\x1b(B", "\x1b(B"}
	d := hl7.DefaultDelimiters
	f.Fuzz(func(t *testing.T, data []byte) {
		var b []byte
		width := 1
		for i := 0; i < len(data); i++ {
			c := data[i]
			if c >= 0xF8 {
				sw := switches[c&7]
				b = append(b, sw...)
				width = 1
				if sw[1] == '$' {
					width = 2
				}
				continue
			}
			b = append(b, 0x21+c%94)
			if width == 2 {
				i++
				if i == len(data) {
					b = b[:len(b)-1]
					break
				}
				b = append(b, 0x21+data[i]%94)
			}
		}
		want, err := japanese.ISO2022JP.NewDecoder().Bytes(b)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := hl7.AppendUTF8(nil, b, []byte("ISO IR87")); err != nil || !bytes.Equal(got, want) {
			t.Fatalf("AppendUTF8(% X) = %q, %v; x/text: %q", b, got, err, want)
		}
		h := toHL7(t, b, d)
		if got, err := hl7.AppendText(nil, h, d, []byte("ISO IR87")); err != nil || !bytes.Equal(got, want) {
			t.Fatalf("AppendText(%q) = %q, %v; x/text: %q", h, got, err, want)
		}
	})
}

// refEUCTW decodes EUC-TW the plain way: ASCII; two bytes 0xA1-0xFE for
// plane 1; 0x8E, 0xA1-0xB0 (plane 1-16), two bytes 0xA1-0xFE; U+FFFD for
// each byte that starts none of these, for each such sequence without a
// mapping, and once for a beginning cut by the end.
func refEUCTW(b []byte) []byte {
	var out []byte
	gr := func(i int) bool { return i < len(b) && b[i] >= 0xA1 && b[i] <= 0xFE }
	for i := 0; i < len(b); {
		c := b[i]
		r, n := utf8.RuneError, 1
		switch {
		case c < 0x80:
			r = rune(c)
		case gr(i) && i+1 == len(b):
		case gr(i) && gr(i+1):
			n = 2
			if m := cns11643.Lookup(1, c, b[i+1]); m != 0 {
				r = m
			}
		case c == 0x8E && i+1 < len(b) && b[i+1] >= 0xA1 && b[i+1] <= 0xB0 && (i+2 == len(b) || gr(i+2) && (i+3 == len(b) || gr(i+3))):
			n = min(4, len(b)-i)
			if n == 4 {
				if m := cns11643.Lookup(int(b[i+1]-0xA0), b[i+2], b[i+3]); m != 0 {
					r = m
				}
			}
		}
		out = utf8.AppendRune(out, r)
		i += n
	}
	return out
}

// FuzzCNS11643 checks the CNS 11643-1992 (EUC-TW) decoder: no panic, valid
// UTF-8, agreement with refEUCTW and with the x/text Encoding that Charset
// returns, and encoding what decoded cleanly gives it back.
func FuzzCNS11643(f *testing.F) {
	for _, s := range []string{"\xc4\xa1\x8e\xa2\xa1\xa1 A", "\x8e\xaf\xa1\xa1", "\x8e\xa2\xf2\xc5x", "\x8e\xa2\xa1", "\xfe\xfe\xa4", "\x8e\xb1\xa1\xa1\x80"} {
		f.Add([]byte(s))
	}
	cs := []byte("CNS 11643-1992")
	enc, ok := hl7.Charset(cs)
	if !ok {
		f.Fatal("Charset does not know CNS 11643-1992")
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := enc.NewDecoder().Bytes(data)
		if err != nil || !utf8.Valid(got) {
			t.Fatalf("x/text decoder(% X) = %q, %v", data, got, err)
		}
		if want := refEUCTW(data); !bytes.Equal(got, want) {
			t.Fatalf("x/text decoder(% X) = %q; reference: %q", data, got, want)
		}
		// AppendUTF8 reads ESC sequences, which EUC-TW alone does not.
		u, err := hl7.AppendUTF8(nil, data, cs)
		if !utf8.Valid(u) || err != nil && !errors.Is(err, hl7.ErrCharsetEscape) {
			t.Fatalf("AppendUTF8(% X) = %q, %v", data, u, err)
		}
		if bytes.IndexByte(data, 0x1B) < 0 && !bytes.Equal(u, got) {
			t.Fatalf("AppendUTF8(% X) = %q; x/text decoder: %q", data, u, got)
		}
		if bytes.ContainsRune(got, utf8.RuneError) {
			return
		}
		back, err := enc.NewEncoder().Bytes(got)
		if err != nil {
			t.Fatalf("encoding %q: %v", got, err)
		}
		if again, _ := enc.NewDecoder().Bytes(back); !bytes.Equal(again, got) {
			t.Fatalf("% X -> %q -> % X -> %q", data, got, back, again)
		}
	})
}
