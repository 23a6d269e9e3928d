package hl7_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/medtap/medtap/hl7"
)

// adtA01 is a typical ADT^A01 with repetitions, components, sub-components
// and escapes.
const adtA01 = "MSH|^~\\&|ADT1|GOOD HEALTH HOSPITAL|GHH LAB, INC.|GOOD HEALTH HOSPITAL|198808181126|SECURITY|ADT^A01^ADT_A01|MSG00001|P|2.8||\r" +
	"EVN|A01|200708181123||\r" +
	"PID|1||PATID1234^5^M11^ADT1^MR^GOOD HEALTH HOSPITAL~123456789^^^USSSA^SS||EVERYMAN^ADAM^A^III||19610615|M||C|2222 HOME STREET^^GREENSBORO^NC^27401-1020|GL|(555) 555-2004|(555)555-2004||S||PATID12345001^2^M10^ADT1^AN^A|444333333|987654^NC|\r" +
	"NK1|1|NUCLEAR^NELDA^W|SPO^SPOUSE||||NK^NEXT OF KIN\r" +
	"PV1|1|I|2000^2012^01||||004777^ATTEND^AARON^A|||SUR||||ADM|A0|\r" +
	"OBX|1|ST|1234^Note||line one\\.br\\line two \\T\\ more \\F\\ end||||||F\r" +
	"OBX|2|ED|PDF^Report||^AP^PDF^Base64^QUJD&x&y||||||F\r"

func parse(t testing.TB, s string) *hl7.Message {
	t.Helper()
	var m hl7.Message
	if err := m.Parse([]byte(s)); err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return &m
}

func TestGet(t *testing.T) {
	m := parse(t, adtA01)
	tests := []struct {
		path, want string
	}{
		{"MSH-1", "|"},
		{"MSH-2", "^~\\&"},
		{"MSH-2-1", "^~\\&"},
		{"MSH-3", "ADT1"},
		{"MSH-9", "ADT^A01^ADT_A01"},
		{"MSH-9-2", "A01"},
		{"MSH-12", "2.8"},
		{"MSH-13", ""},
		{"MSH-99", ""},
		{"PID-3", "PATID1234^5^M11^ADT1^MR^GOOD HEALTH HOSPITAL~123456789^^^USSSA^SS"},
		{"PID-3-1", "PATID1234"},
		{"PID-3(2)", "123456789^^^USSSA^SS"},
		{"PID-3(2)-1", "123456789"},
		{"PID-3(2)-4", "USSSA"},
		{"PID-3(3)-1", ""},
		{"PID.5.2", "ADAM"},
		{"PID-5-1-1", "EVERYMAN"},
		{"PID-5-1-2", ""},
		{"PID-7", "19610615"},
		{"PID(2)-7", ""},
		{"OBX(2)-5-5", "QUJD&x&y"},
		{"OBX(2)-5-5-1", "QUJD"},
		{"OBX(2)-5-5-3", "y"},
		{"OBX(2)-5-5-4", ""},
		{"OBX(3)-1", ""},
		{"ZZZ-1", ""},
		{"EVN-0", ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			v, err := m.Get(tt.path)
			if tt.path == "EVN-0" {
				if !errors.Is(err, hl7.ErrPath) {
					t.Fatalf("err = %v, want ErrPath", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := v.String(); got != tt.want {
				t.Errorf("Get(%q) = %q, want %q", tt.path, got, tt.want)
			}
		})
	}
}

func TestParsePath(t *testing.T) {
	for _, s := range []string{"PID-5", "PID-3(2)-1", "OBX(2)-5-1-2", "ZB1-10"} {
		p, err := hl7.ParsePath(s)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		if p.String() != s {
			t.Errorf("String = %q, want %q", p, s)
		}
	}
	for _, s := range []string{"", "PI", "pid-5", "PID", "PID-", "PID-x", "PID-0", "PID(0)-1", "PID-1(", "PID-1(2", "PID-1-2-3-4", "PID-99999999", "PID-1 "} {
		if _, err := hl7.ParsePath(s); !errors.Is(err, hl7.ErrPath) {
			t.Errorf("ParsePath(%q) err = %v, want ErrPath", s, err)
		}
	}
}

func TestUnescape(t *testing.T) {
	d := hl7.DefaultDelimiters
	d.Truncation = '#'
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{`a\F\b\S\c\T\d\R\e\E\f`, `a|b^c&d~e\f`},
		{`\P\`, "#"},
		{`x\X0D0A\y`, "x\r\ny"},
		{`\X41\`, "A"},
		{`\Xc3a9\`, "é"},
		{`\X4\`, `\X4\`},       // odd length: literal
		{`\XZZ\`, `\XZZ\`},     // not hex: literal
		{`a\.br\b`, "a\nb"},    // line break
		{`\.sp2\`, "\n"},       // skip lines
		{`\H\bold\N\`, "bold"}, // highlighting dropped
		{`\.in+4\x\.ti-2\\.fi\\.nf\\.ce\\.sk3\`, "x"},
		{`\C2842\abc\M2442\`, "abc"}, // charset switches dropped
		{`trailing\`, `trailing\`},   // lone escape kept
		{`\E`, `\E`},
		{`\Q\`, `\Q\`}, // unknown kept
		{`\\F\`, `\|`},
		{`\\`, `\\`},
		{``, ``},
	}
	for _, tt := range tests {
		got := string(hl7.AppendUnescaped(nil, []byte(tt.in), d))
		if got != tt.want {
			t.Errorf("AppendUnescaped(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEscapeRoundTrip(t *testing.T) {
	d := hl7.DefaultDelimiters
	d.Truncation = '#'
	for _, s := range []string{"", "a|b^c&d~e\\f#g\r\nh", `\F\`, "\\", "plain text"} {
		esc := hl7.AppendEscaped(nil, []byte(s), d)
		if strings.ContainsAny(string(esc), "|^&~#\r\n") {
			t.Errorf("AppendEscaped(%q) = %q still holds a delimiter", s, esc)
		}
		if got := string(hl7.AppendUnescaped(nil, esc, d)); got != s {
			t.Errorf("round trip of %q = %q", s, got)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, in string
		want     error
	}{
		{"empty", "", hl7.ErrEmpty},
		{"blank", "\r\n\r", hl7.ErrEmpty},
		{"no MSH", "PID|1\r", hl7.ErrNoMSH},
		{"short", "MS", hl7.ErrNoMSH},
		{"no delimiters", "MSH", hl7.ErrDelimiters},
		{"letter separator", "MSHA^~\\&A", hl7.ErrDelimiters},
		{"duplicate delimiters", "MSH|^^\\&|", hl7.ErrDelimiters},
		{"encoding too long", "MSH|^~\\&#!x|", hl7.ErrDelimiters},
		{"encoding empty", "MSH||", hl7.ErrDelimiters},
		{"bad segment", "MSH|^~\\&|a\rpid|1\r", hl7.ErrSegmentName},
		{"bad segment after CR", "MSH|^~\\&|a\rwrapped text\r", hl7.ErrSegmentName},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m hl7.Message
			err := m.Parse([]byte(tt.in))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			var pe *hl7.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err %T is not a *ParseError", err)
			}
			if m.NumSegments() != 0 {
				t.Errorf("segments kept after error")
			}
		})
	}
	var m hl7.Message
	m.MaxSegments = 2
	if err := m.Parse([]byte("MSH|^~\\&\rPID|1\rPV1|1\r")); !errors.Is(err, hl7.ErrTooManySegments) {
		t.Errorf("MaxSegments: err = %v", err)
	}
	// Blank lines count as lines against MaxSegments, so that a frame of
	// line breaks cannot make the index grow past the limits.
	m.MaxSegments = 10
	if err := m.Parse([]byte("MSH|^~\\&\r" + strings.Repeat("\r\n", 20) + "PID|1\r")); !errors.Is(err, hl7.ErrTooManySegments) {
		t.Errorf("blank lines past MaxSegments: err = %v", err)
	}
	if err := m.Parse([]byte("MSH|^~\\&\r\n" + strings.Repeat("PID|1\r\n", 9))); err != nil {
		t.Errorf("10 CRLF lines with MaxSegments 10: %v", err)
	}
	for _, tt := range []struct {
		max     int
		in, seg string
	}{
		{5, "MSH|^~\\&|a|b\rPID|1|2|3|4\r", "PID"},
		{6, "MSH|^~\\&|a|b\rPID|1|2|3\r", ""},
		{100, "MSH|^~\\&|a\rEVN|1\r" + strings.Repeat("NTE|x|y\r", 20) + "OBX" + strings.Repeat("|v", 200) + "\rZZZ|1\r", "OBX"},
	} {
		m.MaxSegments, m.MaxFields = 0, tt.max
		err := m.Parse([]byte(tt.in))
		var pe *hl7.ParseError
		if tt.seg == "" {
			if err != nil {
				t.Errorf("MaxFields %d: %v", tt.max, err)
			}
		} else if !errors.As(err, &pe) || !errors.Is(err, hl7.ErrTooManyFields) || pe.Segment != tt.seg {
			t.Errorf("MaxFields %d: err = %v, want ErrTooManyFields in %s", tt.max, err, tt.seg)
		}
	}
}

func TestTerminators(t *testing.T) {
	tests := []struct {
		in   string
		want hl7.Terminators
		segs int
	}{
		{"MSH|^~\\&|A\rPID|1\r", hl7.TermCR, 2},
		{"MSH|^~\\&|A\nPID|1\n", hl7.TermLF, 2},
		{"MSH|^~\\&|A\r\nPID|1\r\n", hl7.TermCRLF, 2},
		{"MSH|^~\\&|A\r\nPID|1\rPV1\n\n\r\n", hl7.TermCR | hl7.TermLF | hl7.TermCRLF, 3},
		{"\n\rMSH|^~\\&|A\r\r\rPID|1", hl7.TermCR, 2},
		{"MSH|^~\\&|A\nPID|1|wrapped\nline\nPV1|1", hl7.TermLF, 3},
	}
	for _, tt := range tests {
		m := parse(t, tt.in)
		if m.Terminators() != tt.want || m.NumSegments() != tt.segs {
			t.Errorf("%q: terminators %v segments %d, want %v %d", tt.in, m.Terminators(), m.NumSegments(), tt.want, tt.segs)
		}
	}
	m := parse(t, "MSH|^~\\&|A\nPID|1|wrapped\nline\nPV1|1")
	if v, _ := m.Get("PID-2"); v.String() != "wrapped\nline" {
		t.Errorf("wrapped value = %q", v)
	}
}

func TestOddDelimiters(t *testing.T) {
	m := parse(t, "MSH#!@%$#APP#FAC\rPID#1##A!B@C$D%E@F\r")
	d := m.Delimiters()
	if d != (hl7.Delimiters{Field: '#', Component: '!', Repetition: '@', Escape: '%', Subcomponent: '$'}) {
		t.Fatalf("delimiters = %+v", d)
	}
	for path, want := range map[string]string{
		"MSH-1": "#", "MSH-2": "!@%$", "MSH-3": "APP", "MSH-4": "FAC",
		"PID-3(1)-1": "A", "PID-3(1)-2-1": "B", "PID-3(2)": "C$D%E", "PID-3(2)-1-2": "D%E", "PID-3(3)": "F",
	} {
		if v, _ := m.Get(path); v.String() != want {
			t.Errorf("%s = %q, want %q", path, v, want)
		}
	}
	// 2.7 truncation character.
	m = parse(t, "MSH|^~\\&#|A|B\r")
	if m.Delimiters().Truncation != '#' || m.MSH().Field(2).String() != "^~\\&#" {
		t.Errorf("truncation: %+v", m.Delimiters())
	}
}

func TestIterators(t *testing.T) {
	m := parse(t, adtA01)
	seg, ok := m.SegmentByName("PID", 1)
	if !ok {
		t.Fatal("no PID")
	}
	n := 0
	for c := seg.Fields(); c.Next(); {
		i, f := c.Index(), c.Value()
		n++
		if f.String() != seg.Field(i).String() {
			t.Errorf("field %d: iterator %q, Field %q", i, f, seg.Field(i))
		}
	}
	if n != seg.NumFields() {
		t.Errorf("iterated %d fields, NumFields %d", n, seg.NumFields())
	}
	msh := m.MSH()
	n = 0
	for c := msh.Fields(); c.Next(); {
		i, f := c.Index(), c.Value()
		n++
		if f.String() != msh.Field(i).String() {
			t.Errorf("MSH-%d: iterator %q, Field %q", i, f, msh.Field(i))
		}
	}
	if n != msh.NumFields() || n != 14 {
		t.Errorf("MSH: iterated %d fields, NumFields %d", n, msh.NumFields())
	}
	f := seg.Field(3)
	if f.NumReps() != 2 || f.NumComps() != 6 || f.Rep(2).NumComps() != 5 || f.NumSubs() != 1 {
		t.Errorf("counts: %d %d %d %d", f.NumReps(), f.NumComps(), f.Rep(2).NumComps(), f.NumSubs())
	}
	if seg.Field(-1).String() != "" || seg.Field(0).String() != "" || f.Rep(0).String() != "" || f.Comp(-3).String() != "" {
		t.Error("bad indices not empty")
	}
	var e hl7.Message
	if e.SegmentAt(0).Field(1).Comp(2).Sub(3).String() != "" || e.Type().String() != "" {
		t.Error("zero Message not empty")
	}
}

func TestACK(t *testing.T) {
	m := parse(t, adtA01)
	at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		code       hl7.AckCode
		text, want string
	}{
		{hl7.AA, "", "MSH|^~\\&|GHH LAB, INC.|GOOD HEALTH HOSPITAL|ADT1|GOOD HEALTH HOSPITAL|20240102030405||ACK^A01^ACK|A1|P|2.8\rMSA|AA|MSG00001\r"},
		{hl7.AE, "bad | thing", "MSH|^~\\&|GHH LAB, INC.|GOOD HEALTH HOSPITAL|ADT1|GOOD HEALTH HOSPITAL|20240102030405||ACK^A01^ACK|A1|P|2.8\rMSA|AE|MSG00001|bad \\F\\ thing\rERR|||207^Application internal error^HL70357|E||||bad \\F\\ thing\r"},
	}
	for _, tt := range tests {
		got := string(hl7.AppendACKAt(nil, m, tt.code, tt.text, at, "A1"))
		if got != tt.want {
			t.Errorf("ACK %s:\n got %q\nwant %q", tt.code, got, tt.want)
		}
		ack := parse(t, got)
		if v, _ := ack.Get("MSA-2"); v.String() != "MSG00001" {
			t.Errorf("MSA-2 = %q", v)
		}
	}
	old := parse(t, "MSH|^~\\&|A|B|C|D|x||ORU^R01|42|P|2.3\r")
	got := string(hl7.AppendACKAt(nil, old, hl7.AR, "no", at, "A|2"))
	want := "MSH|^~\\&|C|D|A|B|20240102030405||ACK^R01|A\\F\\2|P|2.3\rMSA|AR|42|no\rERR|^^^207&Application internal error&HL70357\r"
	if got != want {
		t.Errorf("2.3 ACK:\n got %q\nwant %q", got, want)
	}
	var zero hl7.Message
	if got := string(hl7.AppendACKAt(nil, &zero, hl7.AR, "", at, "")); !strings.HasPrefix(got, "MSH|^~\\&|") {
		t.Errorf("ACK of nothing = %q", got)
	}
	// A value that is no code is sent as AE, never as an accept.
	if got := string(hl7.AppendACKAt(nil, old, hl7.AckCode(0), "x", at, "")); !strings.Contains(got, "\rMSA|AE|42|x\r") {
		t.Errorf("ACK with code 0 = %q", got)
	}
}

func TestBuilder(t *testing.T) {
	var b hl7.Builder
	b.Reset(nil, hl7.DefaultDelimiters)
	b.Segment("MSH")
	b.Field("APP")
	b.Field("FAC")
	b.Segment("PID")
	b.Field("1")
	b.Field("")
	b.Field("ID1")
	b.Rep("ID2")
	b.Comp("5")
	b.Sub("x|y")
	got := string(b.Bytes())
	want := "MSH|^~\\&|APP|FAC\rPID|1||ID1~ID2^5&x\\F\\y\r"
	if got != want {
		t.Fatalf("built %q, want %q", got, want)
	}
	m := parse(t, got)
	if v, _ := m.Get("PID-3(2)-2-2"); string(v.AppendUnescaped(nil)) != "x|y" {
		t.Errorf("PID-3(2)-2-2 = %q", v)
	}
}

func TestCharset(t *testing.T) {
	tests := []struct {
		charset, in, want string
	}{
		{"", "abc", "abc"},
		{"UNICODE UTF-8", "é", "é"},
		{"8859/1", "caf\xe9", "café"},
		{"8859/15", "\xa4", "€"},
		{"8859/7", "\xe1", "α"},
		{"GB 18030-2000", "\xc4\xe3", "你"},
		{"UNICODE UTF-16", "\x00A\x00B", "AB"},
	}
	for _, tt := range tests {
		got, err := hl7.AppendUTF8(nil, []byte(tt.in), []byte(tt.charset))
		if err != nil || string(got) != tt.want {
			t.Errorf("%q: %q, %v; want %q", tt.charset, got, err, tt.want)
		}
	}
	if _, err := hl7.AppendUTF8(nil, nil, []byte("EBCDIC")); !errors.Is(err, hl7.ErrUnknownCharset) {
		t.Errorf("unknown charset: %v", err)
	}
}

func TestBatch(t *testing.T) {
	msg := "MSH|^~\\&|A|B|C|D|x||ADT^A01|1|P|2.5\rPID|1\r"
	tests := []struct {
		name, in string
		count    int
		want     error
	}{
		{"plain", msg + msg, 2, nil},
		{"batch", "BHS|^~\\&\r" + msg + msg + "BTS|2\r", 2, nil},
		{"file", "FHS|^~\\&\rBHS|^~\\&\r" + msg + "BTS|1\rBHS|^~\\&\r" + msg + "BTS|1\rFTS|2\r", 2, nil},
		{"empty batch", "BHS|^~\\&\rBTS|0\r", 0, nil},
		{"bad BTS count", "BHS|^~\\&\r" + msg + "BTS|2\r", 1, hl7.ErrBatchCount},
		{"bad BTS text", "BHS|^~\\&\r" + msg + "BTS|x\r", 1, hl7.ErrBatchCount},
		{"bad FTS count", "FHS|^~\\&\r" + msg + "FTS|3\r", 1, hl7.ErrFileCount},
		{"after FTS", "FHS|^~\\&\r" + msg + "FTS|1\r" + msg, 1, hl7.ErrAfterFileTrailer},
		{"outside", "PID|1\r" + msg, 0, hl7.ErrOutsideMessage},
		{"nested batch", "BHS|^~\\&\r" + msg + "BHS|^~\\&\r", 1, hl7.ErrNestedBatch},
		{"nested file", "FHS|^~\\&\rFHS|^~\\&\r", 0, hl7.ErrNestedFile},
		{"bad message", "MSH|^^\r", 1, hl7.ErrDelimiters},
		{"junk", "\x00\x01", 0, hl7.ErrSegmentName},
		{"odd delimiters", "BHS#!@%$\rMSH#!@%$#A\rPID#1\rBTS#1\r", 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b hl7.Batch
			b.Reset([]byte(tt.in))
			n := 0
			for b.Next() {
				n++
				if b.Message().NumSegments() < 1 {
					t.Error("empty message")
				}
			}
			if !errors.Is(b.Err(), tt.want) || (tt.want == nil && b.Err() != nil) {
				t.Errorf("err = %v, want %v", b.Err(), tt.want)
			}
			if n != tt.count && tt.want == nil {
				t.Errorf("messages = %d, want %d", n, tt.count)
			}
			if b.Next() {
				t.Error("Next after the end")
			}
		})
	}
}

func TestLeaves(t *testing.T) {
	m := parse(t, "MSH|^~\\&|A^B\rPID|1||X&Y^Z~W||\rPV1\r")
	var got []string
	for i := range m.NumSegments() {
		for c := m.SegmentAt(i).Leaves(); c.Next(); {
			f, r, cp, s := c.Position()
			got = append(got, fmt.Sprintf("%s-%d(%d)-%d-%d=%s", m.SegmentAt(i).Name(), f, r, cp, s, c.Value()))
		}
	}
	want := "MSH-1(1)-1-1=| MSH-2(1)-1-1=^~\\& MSH-3(1)-1-1=A MSH-3(1)-2-1=B " +
		"PID-1(1)-1-1=1 PID-2(1)-1-1= PID-3(1)-1-1=X PID-3(1)-1-2=Y PID-3(1)-2-1=Z PID-3(2)-1-1=W PID-4(1)-1-1= PID-5(1)-1-1="
	if strings.Join(got, " ") != want {
		t.Errorf("leaves:\n%s\nwant\n%s", strings.Join(got, " "), want)
	}
}

// TestLeavesAgree compares Leaves with nested cursors on messages with long
// values, where Leaves switches to IndexByte.
func TestLeavesAgree(t *testing.T) {
	long := strings.Repeat("x", 100)
	msgs := []string{
		adtA01,
		"MSH|^~\\&|" + long + "^" + long + "&" + long + "~" + long + "|" + long + "\rOBX|1|ED|||^AP^" + long + long + "^Base64^" + long + "&" + strings.Repeat("y", 40) + "|||F\r",
		"MSH|^~\\&|A\rZZ1|" + long + "|" + long + "~~" + long + "^^&&" + long + "|\r",
	}
	for _, s := range msgs {
		m := parse(t, s)
		for i := range m.NumSegments() {
			seg := m.SegmentAt(i)
			var nested, flat []string
			for fc := seg.Fields(); fc.Next(); {
				if seg.Is("MSH") && fc.Index() <= 2 {
					nested = append(nested, fmt.Sprint(fc.Index(), 1, 1, 1, fc.Value()))
					continue
				}
				for rc := fc.Value().Reps(); rc.Next(); {
					for cc := rc.Value().Comps(); cc.Next(); {
						for sc := cc.Value().Subs(); sc.Next(); {
							nested = append(nested, fmt.Sprint(fc.Index(), rc.Index(), cc.Index(), sc.Index(), sc.Value()))
						}
					}
				}
			}
			for c := seg.Leaves(); c.Next(); {
				f, r, cp, sb := c.Position()
				flat = append(flat, fmt.Sprint(f, r, cp, sb, c.Value()))
			}
			if strings.Join(flat, "\n") != strings.Join(nested, "\n") {
				t.Errorf("segment %s:\nLeaves:\n%s\nnested:\n%s", seg.Name(), strings.Join(flat, "\n"), strings.Join(nested, "\n"))
			}
		}
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{adtA01, nil},
		{"MSH|^~\\&|A|B|C|D|1||ADT^A01|X|P|2.3.1\r", nil},
		{"MSH|^~\\&|A|B|C|D|1||ACK|X|P|2.1\rMSA|AA|Y\r", nil},
		{"MSH|^~\\&|A|B|C|D|1||ADT^A01||P|2.5\r", hl7.ErrMissingField},
		{"MSH|^~\\&|A|B|C|D|1||ADT^A01|X|P\r", hl7.ErrMissingField},
		{"MSH|^~\\&|A|B|C|D|1||ADT^A01|X|P|3.0\r", hl7.ErrVersion},
		{"MSH|^~\\&|A|B|C|D|1||ADT^A01|X|P|2.5.x\r", hl7.ErrVersion},
		{"MSH|^~\\&|A|B|C|D|1||ACK^A01|X|P|2.5\r", hl7.ErrNoMSA},
	}
	for _, tt := range tests {
		m := parse(t, tt.in)
		if err := m.Check(); !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
			t.Errorf("%q: Check = %v, want %v", tt.in, err, tt.want)
		}
	}
	var zero hl7.Message
	if err := zero.Check(); !errors.Is(err, hl7.ErrNoMSH) {
		t.Errorf("zero Message: %v", err)
	}
}

func TestBatchHeaders(t *testing.T) {
	var b hl7.Batch
	b.Reset([]byte("FHS|^~\\&|APP|FAC\rBHS|^~\\&|BAPP\rMSH|^~\\&|A\rBTS|1\rFTS|1\r"))
	if !b.Next() {
		t.Fatal(b.Err())
	}
	var got []string
	for c := b.FileHeader().Fields(); c.Next(); {
		got = append(got, c.Value().String())
	}
	if strings.Join(got, " ") != "| ^~\\& APP FAC" || b.BatchHeader().Field(3).String() != "BAPP" || b.FileHeader().NumFields() != 4 {
		t.Errorf("file header fields %q, batch header %q", got, b.BatchHeader().Field(3))
	}
}

func TestComponentsLongAndShort(t *testing.T) {
	long := strings.Repeat("L", 70)
	for _, f := range []string{"a^b^c", "a^^c^", "^", "", long + "^" + long + "^x", "x^" + long} {
		m := parse(t, "MSH|^~\\&|A\rZZ1|"+f+"\r")
		parts := strings.Split(f, "^")
		for i := 0; i <= len(parts)+1; i++ {
			want := ""
			if i >= 1 && i <= len(parts) {
				want = parts[i-1]
			}
			if got := m.SegmentAt(1).Field(1).Comp(i).String(); got != want {
				t.Errorf("%q comp %d = %q, want %q", f, i, got, want)
			}
		}
	}
}
