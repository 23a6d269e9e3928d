package hl7_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"

	"github.com/medtap/medtap/hl7"
)

func TestAppendText(t *testing.T) {
	d := hl7.DefaultDelimiters
	d.Truncation = '#'
	tests := []struct {
		name, charset, in, want string
		err                     error
	}{
		// What AppendUnescaped does, in UTF-8.
		{"plain", "", "plain", "plain", nil},
		{"delimiters", "", `a\F\b\S\c\T\d\R\e\E\f\P\`, `a|b^c&d~e\f#`, nil},
		{"hex", "UNICODE UTF-8", `\Xc3a9\`, "é", nil},
		{"break", "", `a\.br\b\.sp2\c`, "a\nb\nc", nil},
		{"formatting", "", `\H\bold\N\ \.in+4\x\.ce\`, "bold x", nil},
		{"malformed kept", "", `\X4\ \Q\ trailing\`, `\X4\ \Q\ trailing\`, nil},
		{"utf8", "UNICODE UTF-8", "Zoë", "Zoë", nil},
		{"invalid utf8", "", "a\xffb", "a\uFFFDb", nil},

		// The single-byte switches of HL7 v2.x section 2.7.2 (2.9.2 in 2.3).
		{"C2842 ASCII", "", `\C2842\abc`, "abc", nil},
		{"C2D41 Latin-1", "", `\C2D41\caf` + "\xe9", "café", nil},
		{"C2D42 Latin-2", "", `\C2D42\` + "\xb1", "ą", nil},
		{"C2D43 Latin-3", "", `\C2D43\` + "\xa1", "Ħ", nil},
		{"C2D44 Latin-4", "", `\C2D44\` + "\xa2", "ĸ", nil},
		{"C2D4C Cyrillic", "", `\C2D4C\` + "\xbf\xe0\xd8\xd2\xd5\xe2", "Привет", nil},
		{"C2D47 Arabic", "", `\C2D47\` + "\xc7", "ا", nil},
		{"C2D46 Greek", "", `\C2D46\` + "\xe1\xe2\xe3", "αβγ", nil},
		{"C2D48 Hebrew", "", `\C2D48\` + "\xf9", "ש", nil},
		{"C2D4D Latin-5", "", `\C2D4D\` + "\xfd", "ı", nil},
		{"C284A Romaji", "", `\C284A\abc`, "abc", nil},
		{"C2949 katakana", "", `\C2949\` + "\xb1\xb2", "ｱｲ", nil},
		// Back and forth: the 8859 set stays in G1 when ASCII returns to G0.
		{"Latin-1 then ASCII", "", `\C2D41\` + "\xe9" + `\C2842\` + "\xe9", "éé", nil},
		{"Latin-1 base, Greek switch", "8859/1", "\xe9" + `\C2D46\` + "\xe9", "éι", nil},

		// The multi-byte switches: JIS X 0208 (日本 is 0x467C 0x4B5C, whose
		// bytes are "F|K\": the sender escapes them, the decoder pairs them
		// after unescaping).
		{"M2442 JIS X 0208", "", `\M2442\F\F\K\E\\C2842\!`, "日本!", nil},
		{"M2442 hex bytes", "", `\M2442\F\X7C4B5C\\C2842\`, "日本", nil},
		{"M2440 JIS C 6226", "", `\M2440\;3ED\C2842\`, "山田", nil},
		{"M242844 JIS X 0212", "", `\M242844\"/\C2842\`, "˘", nil},
		{"line end returns to ASCII", "", `\M2442\;3\.br\;3`, "山\n;3", nil},
		{"JIS X 0208 cut short", "", `\M2442\;3E\C2842\x`, "山\uFFFDx", nil},
		{"M242943 KS X 1001 in G1", "", `\M242943\` + "\xc7\xd1\xb1\xdb", "한글", nil},
		{"M242843 KS X 1001 in G0", "", `\M242843\GQ\C2842\`, "한", nil},
		{"M242941 GB 2312 in G1", "", `\M242941\` + "\xd6\xd0\xce\xc4", "中文", nil},
		{"M242841 GB 2312 in G0", "", `\M242841\VPND\C2842\`, "中文", nil},
		{"M2441 GB 2312 short form", "", `\M2441\VP\C2842\`, "中", nil},
		{"M242947 CNS plane 1 in G1", "", `\M242947\` + "\xc4\xa1", "一", nil},
		{"M242847 CNS plane 1 in G0", "", `\M242847\D!\C2842\`, "一", nil},
		{"M242A48 CNS plane 2 by SS2", "", `\M242A48\` + "\x8e\xa1\xa1", "乂", nil},
		{"M242B49 CNS plane 3 by SS3", "", `\M242B49\` + "\x1bO!!", "丨", nil},

		// Unknown designations: the text goes on, with U+FFFD for that set.
		{"unknown 94 set", "", `\C2840\ab\C2842\c`, "\uFFFD\uFFFDc", hl7.ErrCharsetEscape},
		{"unknown 94x94 set", "", `\M242850\abcd\C2842\e`, "\uFFFD\uFFFDe", hl7.ErrCharsetEscape},
		{"not a designation", "", `a\C4142\b`, "a\uFFFDb", hl7.ErrCharsetEscape},
		{"single shift is no designation", "", `a\C4E41\b`, "a\uFFFDb", hl7.ErrCharsetEscape},

		// Raw ESC bytes are the same switches.
		{"raw ESC", "", "\x1b$B;3ED\x1b(B!", "山田!", nil},
		{"raw ESC split by escapes", "", "\\X1B\\$B;3\x1b(\\X42\\!", "山!", nil},
		{"bad ESC", "", "a\x1bZb", "a\uFFFDZb", nil},
		{"ESC , is no designation", "", "\x1b,Ab", "\uFFFD,Ab", nil},
		{"raw 96x96 set unknown", "", "\x1b$-A\xa0\xa0a", "\uFFFDa", hl7.ErrCharsetEscape},
		{"raw G2 and SS2", "8859/1", "\x1b.F\x8e\xe1\xe1", "αá", nil},
		{"raw ESC in UTF-8 is a control", "UNICODE UTF-8", "\x1b$B", "\x1b$B", nil},

		// The MSH-18 sets.
		{"CNS 11643", "CNS 11643-1992", "\xc4\xa1\x8e\xa2\xa1\xa1 A", "一乂 A", nil},
		{"CNS 11643 split", "CNS 11643-1992", "\x8e\\XA2\\\xa1\xa1", "乂", nil},
		{"CNS 11643 hex", "CNS 11643-1992", `\X8EA2A1A1\`, "乂", nil},
		{"KS X 1001", "KS X 1001", "\xc7\xd1", "한", nil},
		{"GB 18030", "GB 18030-2000", "\x81\x30\x81\x30", "\u0080", nil},
		{"Big5", "BIG-5", "\xa5\\E\\", "功", nil},
		{"ISO IR14", "ISO IR14", "\xb1", "ｱ", nil},
		{"ISO IR87", "ISO IR87", "\x1b$B;3\x1b(B\xe9", "山\uFFFD", nil},
		{"UTF-16", "UNICODE UTF-16", "\x00A\x00\\", `A\`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := hl7.AppendText([]byte("<"), []byte(tt.in), d, []byte(tt.charset))
			if string(got) != "<"+tt.want || !errors.Is(err, tt.err) {
				t.Errorf("AppendText(%q, %q) = %q, %v; want %q, %v", tt.in, tt.charset, got, err, "<"+tt.want, tt.err)
			}
			if !utf8.Valid(got) {
				t.Errorf("invalid UTF-8 %q", got)
			}
		})
	}
	if got, err := hl7.AppendText([]byte("x"), []byte("abc"), d, []byte("EBCDIC")); string(got) != "x" || !errors.Is(err, hl7.ErrUnknownCharset) {
		t.Errorf("unknown charset: %q, %v", got, err)
	}
}

// toHL7 rewrites ISO 2022 text for an HL7 value: every escape sequence
// (ESC ( F, ESC $ F, ESC $ ( F) becomes \Cxxyy\ or \Mxxyy[zz]\ and the
// bytes between are escaped with AppendEscaped.
func toHL7(t testing.TB, b []byte, d hl7.Delimiters) []byte {
	var out []byte
	for len(b) > 0 {
		i := bytes.IndexByte(b, 0x1b)
		if i < 0 {
			return hl7.AppendEscaped(out, b, d)
		}
		out = hl7.AppendEscaped(out, b[:i], d)
		b = b[i:]
		n := 3
		if len(b) >= 3 && b[1] == '$' && b[2] == '(' {
			n = 4
		}
		if len(b) < n {
			t.Fatalf("cut escape sequence % X", b)
		}
		letter := "C"
		if b[1] == '$' {
			letter = "M"
		}
		out = fmt.Appendf(out, "%c%s%X%c", d.Escape, letter, b[1:n], d.Escape)
		b = b[n:]
	}
	return out
}

// TestAppendTextISO2022JP encodes Japanese text with x/text's ISO-2022-JP
// encoder and decodes it back, with raw ESC switches through AppendUTF8 and
// with HL7's \C and \M escapes through AppendText.
func TestAppendTextISO2022JP(t *testing.T) {
	d := hl7.DefaultDelimiters
	for _, s := range []string{
		"山田^太郎",
		"ﾔﾏﾀﾞ", // half-width katakana: the encoder writes full-width ones
		"日本語のテキスト、ＡＢＣ１２３と ASCII|~&\\ の混在",
		"患者：鈴木　花子（スズキ　ハナコ）",
		"東京都千代田区１－２－３",
		"一行目\n二行目\r\n三行目",
		"∮∑√⊥∠∟⊿∵∩∪ ①②③ ㈱ 髙﨑", // NEC and IBM extensions
		"",
	} {
		enc, err := japanese.ISO2022JP.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		want, err := japanese.ISO2022JP.NewDecoder().Bytes(enc)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.ContainsRune(s, 'ﾔ') && string(want) != s {
			t.Fatalf("x/text round trip of %q gives %q", s, want)
		}
		for _, cs := range []string{"ISO IR87", "", "ISO IR159", "8859/1"} {
			got, err := hl7.AppendUTF8(nil, enc, []byte(cs))
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("AppendUTF8(% X, %q) = %q, %v; want %q", enc, cs, got, err, want)
			}
			h := toHL7(t, enc, d)
			if got, err = hl7.AppendText(nil, h, d, []byte(cs)); err != nil || !bytes.Equal(got, want) {
				t.Errorf("AppendText(%q, %q) = %q, %v; want %q", h, cs, got, err, want)
			}
		}
	}
}

func TestValueAppendText(t *testing.T) {
	m := parse(t, "MSH|^~\\&|A|B|C|D|20240102||ADT^A01|1|P|2.5||||||~ISO IR87\r"+
		"PID|1||1||YAMADA^TARO~\\M2442\\;3ED\\C2842\\^\\M2442\\B@O:\\C2842\\\r")
	v, err := m.Get("PID-5(2)")
	if err != nil {
		t.Fatal(err)
	}
	cs := m.Charset().Rep(1).Bytes()
	for i, want := range []string{"山田", "太郎"} {
		got, err := v.Comp(i+1).AppendText(nil, cs)
		if err != nil || string(got) != want {
			t.Errorf("PID-5(2)-%d = %q, %v; want %q", i+1, got, err, want)
		}
	}
}

// textCases are texts in several character sets, for TestAppendTextAllocs
// and BenchmarkAppendText.
var textCases = []struct{ name, charset, in string }{
	{"ASCII", "", `Glucose 182 mg/dl \T\ fasting\.br\\H\see note\N\ \X0D0A\ \Q\ end\`},
	{"ASCII switch", "ASCII", `\C2842\abc\C284A\def`},
	{"Latin-1", "8859/1", "Caf\xe9 cr\xe8me \\S\\ na\xefve \\XE9\\"},
	{"Latin-1 switch", "", `\C2D41\Caf` + "\xe9" + `\C2842\ ok`},
	{"Latin-2 switch", "8859/1", `\C2D42\` + "\xb1\xe6"},
	{"UTF-8", "UNICODE UTF-8", "Zoë Ünal \\F\\ 山田"},
	{"JIS X 0208", "", `\M2442\;3ED\C2842\^\M2442\B@O:\C2842\`},
	{"ISO-2022-JP", "ISO IR87", "\x1b$B;3ED\x1b(B \x1b(I12\x1b(B"},
	{"KS X 1001", "", `\M242943\` + "\xc7\xd1\xb1\xdb"},
	{"CNS 11643", "CNS 11643-1992", "\xc4\xa1\x8e\xa2\xa1\xa1 \\E\\"},
	{"CNS planes", "", `\M242947\` + "\xc4\xa1" + `\M242A48\` + "\x8e\xa1\xa1"},
}

func BenchmarkAppendText(b *testing.B) {
	d := hl7.DefaultDelimiters
	buf := make([]byte, 0, 64<<10)
	for _, tt := range textCases {
		in := []byte(strings.Repeat(tt.in, 64))
		cs := []byte(tt.charset)
		b.Run(tt.name, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			for b.Loop() {
				buf, _ = hl7.AppendText(buf[:0], in, d, cs)
			}
		})
	}
}

// TestAppendTextConcurrent decodes from several goroutines at once: they
// share only the package's tables, which the race detector (go test -race)
// checks are read-only once built.
func TestAppendTextConcurrent(t *testing.T) {
	d := hl7.DefaultDelimiters
	want := make([]string, len(textCases))
	for i, tt := range textCases {
		got, _ := hl7.AppendText(nil, []byte(tt.in), d, []byte(tt.charset))
		want[i] = string(got)
	}
	done := make(chan string)
	for range 8 {
		go func() {
			for i, tt := range textCases {
				got, _ := hl7.AppendText(nil, []byte(tt.in), d, []byte(tt.charset))
				if string(got) != want[i] {
					done <- fmt.Sprintf("%s: %q, want %q", tt.name, got, want[i])
					return
				}
			}
			done <- ""
		}()
	}
	for range 8 {
		if msg := <-done; msg != "" {
			t.Error(msg)
		}
	}
}
