package cns11643

import (
	"bytes"
	"io"
	"math/rand/v2"
	"os/exec"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/transform"
)

// iconv runs glibc's iconv from one encoding to another with -c (drop what
// does not convert) and returns its output. It skips the test if iconv or
// its EUC-TW converter is missing.
func iconv(t *testing.T, from, to string, in []byte) []byte {
	t.Helper()
	path, err := exec.LookPath("iconv")
	if err != nil {
		t.Skip("no iconv on PATH: the reference for EUC-TW is glibc's iconv")
	}
	if out, err := exec.Command(path, "-f", "EUC-TW", "-t", "UTF-8").CombinedOutput(); err != nil {
		t.Skipf("iconv lacks EUC-TW: %v %s", err, out)
	}
	cmd := exec.Command(path, "-c", "-f", from, "-t", to)
	cmd.Stdin = bytes.NewReader(in)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	// -c still exits 1 when it dropped something; the output is what counts.
	if err := cmd.Run(); err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatalf("iconv: %v", err)
		}
	}
	return out.Bytes()
}

func decodeAll(b []byte) []byte {
	var out []byte
	for len(b) > 0 {
		r, n := Decode(b, true)
		out = utf8.AppendRune(out, r)
		b = b[n:]
	}
	return out
}

// glibcView is what glibc's iconv -c gives for one line of b followed by a
// newline, given that glibc drops what the decoder replaces with U+FFFD,
// except that for a well-formed four-byte sequence without a mapping it
// skips the 0x8E alone and goes on with the next bytes.
func glibcView(b []byte) []byte {
	var out []byte
	for len(b) > 0 {
		r, n := Decode(b, true)
		if r == utf8.RuneError && n == 4 {
			n = 1
		} else if r != utf8.RuneError {
			out = utf8.AppendRune(out, r)
		}
		b = b[n:]
	}
	return out
}

// TestIconvCells decodes every code of every plane (1-16 in the four-byte
// form, plane 1 in the two-byte form) and compares with glibc.
func TestIconvCells(t *testing.T) {
	var in []byte
	var codes [][]byte
	add := func(b ...byte) {
		codes = append(codes, b)
		in = append(append(in, b...), '\n')
	}
	for b1 := 0xA1; b1 <= 0xFE; b1++ {
		for b2 := 0xA1; b2 <= 0xFE; b2++ {
			add(byte(b1), byte(b2))
		}
	}
	for p := 0xA1; p <= 0xB0; p++ {
		for b1 := 0xA1; b1 <= 0xFE; b1++ {
			for b2 := 0xA1; b2 <= 0xFE; b2++ {
				add(0x8E, byte(p), byte(b1), byte(b2))
			}
		}
	}
	lines := strings.Split(string(iconv(t, "EUC-TW", "UTF-8", in)), "\n")
	if len(lines) != len(codes)+1 {
		t.Fatalf("iconv gave %d lines for %d codes", len(lines)-1, len(codes))
	}
	mapped, bad := 0, 0
	for i, code := range codes {
		r, n := Decode(code, true)
		if n != len(code) {
			t.Errorf("% X: size %d, want %d", code, n, len(code))
		}
		if r != utf8.RuneError {
			mapped++
		}
		if want := string(glibcView(code)); lines[i] != want {
			if bad++; bad <= 20 {
				t.Errorf("% X: decoded %U, iconv gives %q (want %q)", code, r, lines[i], want)
			}
		}
	}
	// 55,442 characters, plane 1 counted once more in its four-byte form.
	if want := 55442 + 5867; mapped != want {
		t.Errorf("%d codes mapped, want %d", mapped, want)
	}
}

// TestIconvEncode encodes every character of the table and compares with
// glibc, then decodes the result back.
func TestIconvEncode(t *testing.T) {
	seen := map[rune]bool{}
	var runes []rune
	var in []byte
	for _, p := range planeNumbers {
		for b1 := byte(0x21); b1 <= 0x7E; b1++ {
			for b2 := byte(0x21); b2 <= 0x7E; b2++ {
				if r := Lookup(int(p), b1, b2); r != 0 && !seen[r] {
					seen[r] = true
					runes = append(runes, r)
					in = utf8.AppendRune(in, r)
					in = append(in, '\n')
				}
			}
		}
	}
	lines := bytes.Split(iconv(t, "UTF-8", "EUC-TW", in), []byte("\n"))
	if len(lines) != len(runes)+1 {
		t.Fatalf("iconv gave %d lines for %d runes", len(lines)-1, len(runes))
	}
	for i, r := range runes {
		got, ok := Append(nil, r)
		if !ok || !bytes.Equal(got, lines[i]) {
			t.Errorf("%U: % X, %v; iconv gives % X", r, got, ok, lines[i])
			continue
		}
		if back, n := Decode(got, true); back != r || n != len(got) {
			t.Errorf("%U: % X decodes to %U (%d bytes)", r, got, back, n)
		}
	}
	for _, r := range []rune{0x80, 0xFFFD, 0x10000, 0x2FFFF, 0x30000, -1, utf8.MaxRune + 1} {
		if b, ok := Append(nil, r); ok {
			t.Errorf("%U encoded as % X", r, b)
		}
	}
}

// randomLine returns a byte string without '\n' made of valid characters,
// codes without a mapping, stray and truncated bytes.
func randomLine(rng *rand.Rand) []byte {
	var b []byte
	for range rng.IntN(40) {
		gr := func() byte { return byte(0xA1 + rng.IntN(94)) }
		switch rng.IntN(9) {
		case 0:
			b = append(b, byte(0x20+rng.IntN(0x5F)))
		case 1, 2:
			b = append(b, gr(), gr())
		case 3, 4:
			b = append(b, 0x8E, byte(0xA1+rng.IntN(16)), gr(), gr())
		case 5:
			b = append(b, 0x8E, byte(0xA1+rng.IntN(16)), gr())[:len(b)+1+rng.IntN(3)]
		case 6:
			b = append(b, gr())
		default:
			c := byte(rng.IntN(256))
			if c == '\n' {
				c = 0x8E
			}
			b = append(b, c)
		}
	}
	return b
}

// TestIconvRandom decodes random byte strings and compares with glibc's
// iconv -c, which drops what the decoder replaces with U+FFFD.
func TestIconvRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var lines [][]byte
	var in []byte
	for range 20000 {
		l := randomLine(rng)
		lines = append(lines, l)
		in = append(append(in, l...), '\n')
	}
	// glibc reports a character cut short at the very end of its input as
	// incomplete and drops it; padding keeps the last line from that.
	in = append(in, "\n\n\n"...)
	out := strings.Split(string(iconv(t, "EUC-TW", "UTF-8", in)), "\n")
	if len(out) != len(lines)+4 {
		t.Fatalf("iconv gave %d lines for %d", len(out)-4, len(lines))
	}
	bad := 0
	for i, l := range lines {
		// The newline after the line is part of what glibc sees.
		got := string(bytes.TrimSuffix(glibcView(append(l, '\n')), []byte("\n")))
		if got != out[i] {
			if bad++; bad <= 20 {
				t.Errorf("% X: %q, iconv gives %q", l, got, out[i])
			}
		}
		if got := decodeAll(l); !utf8.Valid(got) {
			t.Errorf("% X: invalid UTF-8 %q", l, got)
		}
	}
}

func TestDecode(t *testing.T) {
	tests := []struct {
		in    string
		atEOF bool
		r     rune
		size  int
	}{
		{"", true, 0, 0},
		{"A", false, 'A', 1},
		{"\xc4\xa1", true, '一', 2},
		{"\xc4\xa1", false, '一', 2},
		{"\xa4", false, 0, 0},
		{"\xa4", true, utf8.RuneError, 1},
		{"\xa4A", false, utf8.RuneError, 1},
		{"\xfe\xfe", true, utf8.RuneError, 2},         // unmapped
		{"\x8e\xa1\xc4\xa1", true, '一', 4},            // plane 1, four-byte form
		{"\x8e\xa2\xa1\xa1", true, '乂', 4},            // plane 2
		{"\x8e\xaf\xa1\xa1", true, 0x20002, 4},        // plane 15
		{"\x8e\xa8\xa1\xa1", true, utf8.RuneError, 4}, // plane 8: none
		{"\x8e\xb1\xa1\xa1", true, utf8.RuneError, 1}, // plane 17: not EUC-TW
		{"\x8e\xa2\xa1", false, 0, 0},
		{"\x8e\xa2\xa1", true, utf8.RuneError, 3},
		{"\x8e\xa2A", false, utf8.RuneError, 1},
		{"\x8e", false, 0, 0},
		{"\x8e", true, utf8.RuneError, 1},
		{"\x80", false, utf8.RuneError, 1},
		{"\xff\xa1", false, utf8.RuneError, 1},
	}
	for _, tt := range tests {
		r, n := Decode([]byte(tt.in), tt.atEOF)
		if r != tt.r || n != tt.size {
			t.Errorf("Decode(% X, %v) = %U, %d; want %U, %d", tt.in, tt.atEOF, r, n, tt.r, tt.size)
		}
	}
}

// TestTransform runs the x/text decoder one input byte at a time with a
// small output buffer and compares with Decode, and round-trips through the
// encoder.
func TestTransform(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 300 {
		in := randomLine(rng)
		want := decodeAll(in)
		r := transform.NewReader(iotest.OneByteReader(bytes.NewReader(in)), EUCTW.NewDecoder())
		got, err := io.ReadAll(r)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("% X: %q, %v; want %q", in, got, err, want)
		}
	}
	s := "CNS 11643: 中文字 乂 𠀂 and ASCII"
	enc, err := EUCTW.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	if back, err := EUCTW.NewDecoder().String(enc); err != nil || back != s {
		t.Errorf("round trip: %q, %v", back, err)
	}
	if _, err := EUCTW.NewEncoder().String("€"); err == nil {
		t.Error("encoding € (not in CNS 11643) gave no error")
	}
	if got, err := encoding.ReplaceUnsupported(EUCTW.NewEncoder()).String("a€b"); err != nil || got != "a\x1ab" {
		t.Errorf("ReplaceUnsupported: %q, %v", got, err)
	}
}

func TestLookupRange(t *testing.T) {
	for _, p := range []int{-1, 0, 8, 16, 17, 1000} {
		if r := Lookup(p, 0x44, 0x21); r != 0 {
			t.Errorf("plane %d: %U", p, r)
		}
	}
	if r := Lookup(1, 0x44, 0x21); r != '一' {
		t.Errorf("plane 1 0x4421 = %U, want 一", r)
	}
	if r := Lookup(1, 0x20, 0x21); r != 0 {
		t.Errorf("row 0x20: %U", r)
	}
}

func BenchmarkDecode(b *testing.B) {
	in, err := EUCTW.NewEncoder().String(strings.Repeat("中華民國臺灣 𠀂乂 ", 50))
	if err != nil {
		b.Fatal(err)
	}
	src := []byte(in)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		for p := src; len(p) > 0; {
			_, n := Decode(p, true)
			p = p[n:]
		}
	}
}
