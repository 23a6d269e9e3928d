package ftp

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func summary(it Item, err error) string {
	if err != nil {
		return "error " + err.Error()
	}
	if it.Kind == KindReply {
		s := fmt.Sprintf("reply@%d %d %q", it.Offset, it.Code, it.Text)
		if it.Multiline {
			s += " multi"
		}
		return s
	}
	s := fmt.Sprintf("command@%d %s %q", it.Offset, it.Command, it.Arg)
	if it.Is("PASS") {
		s += fmt.Sprintf(" user=%q default=%v", it.User, it.DefaultCredential)
	}
	return s
}

func decodeAll(d *Decoder, in []byte, chunk int) []string {
	d.Reset()
	var out []string
	drain := func() {
		for {
			it, err := d.Next()
			if err == ErrNeedMore {
				return
			}
			out = append(out, summary(it, err))
		}
	}
	if chunk <= 0 {
		chunk = len(in) + 1
	}
	for i := 0; i < len(in); i += chunk {
		d.Feed(in[i:min(len(in), i+chunk)])
		drain()
	}
	d.Flush()
	drain()
	return out
}

func isDefault(user, pw []byte) bool { return string(user) == "ftpclient" && string(pw) == "interfile" }

var tests = []struct {
	name, in string
	want     []string
}{
	{"login", "USER ftpclient\r\nPASS interfile\r\nSYST\r\nRETR study.dcm\r\n", []string{
		`command@0 USER "ftpclient"`, `command@16 PASS "" user="ftpclient" default=true`, `command@32 SYST ""`, `command@38 RETR "study.dcm"`}},
	{"wrong password", "user bob\nPASS s3cret\n", []string{`command@0 user "bob"`, `command@9 PASS "" user="bob" default=false`}},
	{"replies", "220 (vsFTPd 3.0.3)\r\n230-Welcome\r\n230-to the PACS\r\n 230 not the end\r\n230 Login successful.\r\n530 Login incorrect.\r\n", []string{
		`reply@0 220 "(vsFTPd 3.0.3)"`, `reply@20 230 "Welcome" multi`, `reply@91 530 "Login incorrect."`}},
	{"bad lines", "12x\r\nUSER\r\n\xff\xf4\xff\xf2ABOR\r\nPASS\r\n", []string{
		"error ftp: malformed line at offset 0", `command@5 USER ""`, "error ftp: malformed line at offset 11", `command@21 PASS "" user="" default=false`}},
	{"cut short", "230-a\r\n", []string{"error ftp: incomplete line at offset 0"}},
	{"line cut short", "USER a", []string{"error ftp: incomplete line at offset 0"}},
}

func TestDecoder(t *testing.T) {
	d := &Decoder{IsDefault: isDefault}
	for _, tt := range tests {
		got := decodeAll(d, []byte(tt.in), 0)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n%s\nwant\n%s", tt.name, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
		}
		for _, c := range []int{1, 3, 10} {
			if g := decodeAll(d, []byte(tt.in), c); !reflect.DeepEqual(g, got) {
				t.Errorf("%s in %d-byte chunks: %q", tt.name, c, g)
			}
		}
	}
}

func TestPasswordErased(t *testing.T) {
	d := &Decoder{IsDefault: isDefault}
	in := []byte("USER ftpclient\r\nPASS interfile\r\n")
	for i := range in { // byte by byte, so the decoder copies the line
		d.Feed(in[i : i+1])
		for {
			_, err := d.Next()
			if err == ErrNeedMore {
				break
			}
		}
	}
	if strings.Contains(string(d.line[:cap(d.line)]), "interfile") {
		t.Error("password left in the line buffer")
	}
}

func TestLineTooLong(t *testing.T) {
	d := &Decoder{MaxLine: 16}
	in := "USER " + strings.Repeat("a", 40) + "\r\nNOOP\r\n"
	for _, c := range []int{0, 1, 7} {
		got := decodeAll(d, []byte(in), c)
		if len(got) != 2 || got[0] != "error ftp: line too long at offset 0" || got[1] != `command@47 NOOP ""` {
			t.Errorf("chunk %d: %q", c, got)
		}
	}
	var e *Error
	d.Reset()
	d.Feed([]byte(in))
	if _, err := d.Next(); !errors.As(err, &e) || !errors.Is(err, ErrLineTooLong) || e.ByteOffset() != 0 {
		t.Errorf("err = %v", err)
	}
}

var sniffTests = []struct {
	in   string
	want bool
}{
	{"220 (vsFTPd 3.0.3)\r\n", true},
	{"220 ProFTPD Server (Debian) [::ffff:10.0.0.1]\r\n", true},
	{"220-FileZilla Server 1.7\r\n", false},
	{"220 Microsoft FTP Service\r\n", true},
	{"220 mail.example ESMTP Postfix\r\n", false},
	{"220 pacs ready\r\n221 ftp", false},
	{"+OK POP3 ready\r\n", false},
	{"", false},
}

func TestSniff(t *testing.T) {
	for _, tt := range sniffTests {
		if got := Sniff([]byte(tt.in)); got != tt.want {
			t.Errorf("Sniff(%q) = %v", tt.in, got)
		}
	}
}

func FuzzDecoder(f *testing.F) {
	for _, tt := range tests {
		f.Add([]byte(tt.in), uint8(3))
	}
	d1, d2 := &Decoder{MaxLine: 64, IsDefault: isDefault}, &Decoder{MaxLine: 64, IsDefault: isDefault}
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		whole := decodeAll(d1, data, 0)
		if got := decodeAll(d2, data, int(chunk%17)+1); !reflect.DeepEqual(got, whole) {
			t.Fatalf("chunked %q, whole %q", got, whole)
		}
		if len(whole) > len(data)+1 || d1.Buffered() > 64+64 {
			t.Fatalf("%d items, %d bytes held", len(whole), d1.Buffered())
		}
		d1.Reset()
		d1.Feed(data)
		for {
			it, err := d1.Next()
			if err == ErrNeedMore {
				break
			}
			if (it.Is("PASS") || it.Is("ACCT")) && it.Arg != nil {
				t.Fatalf("%s with an argument", it.Command)
			}
		}
		if n := testing.AllocsPerRun(1, func() { Sniff(data) }); n != 0 && !raceEnabled {
			t.Fatalf("Sniff allocates %v times", n)
		}
	})
}

func ExampleDecoder() {
	var d Decoder
	d.IsDefault = func(user, password []byte) bool { return string(user) == "insite" && string(password) == "2getin" }
	d.Feed([]byte("USER insite\r\nPASS 2getin\r\n"))
	for {
		it, err := d.Next()
		if err == ErrNeedMore {
			break
		}
		fmt.Printf("%s %q user=%s default=%v\n", it.Command, it.Arg, it.User, it.DefaultCredential)
	}
	// Output:
	// USER "insite" user= default=false
	// PASS "" user=insite default=true
}

func benchInput() []byte {
	return []byte(strings.Repeat("USER anonymous\r\nPASS guest@\r\nTYPE I\r\nPASV\r\nRETR /images/study-000123.dcm\r\n", 20))
}

func decodeCount(d *Decoder, in []byte, chunk int) int {
	d.Reset()
	n := 0
	for i := 0; i < len(in); i += chunk {
		d.Feed(in[i:min(len(in), i+chunk)])
		for {
			if _, err := d.Next(); err == ErrNeedMore {
				break
			}
			n++
		}
	}
	return n
}

func BenchmarkDecoder(b *testing.B) {
	in := benchInput()
	d := &Decoder{IsDefault: isDefault}
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		decodeCount(d, in, 536)
	}
}

func TestDecoderAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("race")
	}
	in := benchInput()
	d := &Decoder{IsDefault: isDefault}
	decodeCount(d, in, 7)
	for _, c := range []int{1, 7, 536} {
		if a := testing.AllocsPerRun(20, func() { decodeCount(d, in, c) }); a != 0 {
			t.Errorf("chunks of %d: %v allocs", c, a)
		}
	}
	if a := testing.AllocsPerRun(100, func() { Sniff([]byte(sniffTests[0].in)) }); a != 0 {
		t.Errorf("Sniff: %v allocs", a)
	}
}
