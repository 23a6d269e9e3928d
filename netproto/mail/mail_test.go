package mail

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func summary(it Item) string {
	s := fmt.Sprintf("%v@%d", it.Kind, it.Offset)
	if it.Tag != nil {
		s += " tag=" + string(it.Tag)
	}
	switch it.Kind {
	case KindCommand:
		s += fmt.Sprintf(" %s %q", it.Command, it.Arg)
		if it.Login || it.User != nil {
			s += fmt.Sprintf(" user=%q login=%v default=%v", it.User, it.Login, it.DefaultCredential)
		}
		if it.Truncated {
			s += " truncated"
		}
	default:
		s += fmt.Sprintf(" %s %q", it.Status, it.Text)
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
			if err != nil {
				out = append(out, "error "+err.Error())
				continue
			}
			out = append(out, summary(it))
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

func isDefault(u, p []byte) bool { return string(u) == "admin" && string(p) == "confirma" }

var tests = []struct {
	name   string
	proto  Protocol
	server bool
	in     string
	want   []string
}{
	{"pop3 client", POP3, false, "USER admin\r\nPASS confirma\r\nSTAT\r\nRETR 1\r\nAPOP bob 0123abcd\r\n", []string{
		`command@0 USER "admin" user="admin" login=false default=false`,
		`command@12 PASS "" user="admin" login=true default=true`,
		`command@27 STAT ""`, `command@33 RETR "1"`,
		`command@41 APOP "" user="bob" login=false default=false`}},
	{"sasl", IMAP, false, "a1 AUTHENTICATE PLAIN\r\nAGFkbWluAGNvbmZpcm1h\r\na2 AUTHENTICATE LOGIN\r\nYWRtaW4=\r\nY29uZmlybWE=\r\na3 AUTHENTICATE PLAIN AGJvYgBzM2NyZXQ=\r\na4 AUTHENTICATE PLAIN\r\n*\r\n", []string{
		`command@0 tag=a1 AUTHENTICATE ""`,
		`command@23 tag=a1  "" user="admin" login=true default=true`,
		`command@45 tag=a2 AUTHENTICATE ""`,
		`command@68 tag=a2  "" user="admin" login=false default=false`,
		`command@78 tag=a2  "" user="admin" login=true default=true`,
		`command@92 tag=a3 AUTHENTICATE "" user="bob" login=true default=false`,
		`command@132 tag=a4 AUTHENTICATE ""`,
		`command@155 tag=a4  ""`}},
	{"pop3 sasl", POP3, false, "AUTH PLAIN AGFkbWluAGNvbmZpcm1h\r\nQUIT\r\n", []string{
		`command@0 AUTH "" user="admin" login=true default=true`, `command@33 QUIT ""`}},
	{"pop3 server", POP3, true, "+OK ready\r\n-ERR no\r\nFrom: x\r\n.\r\n", []string{
		`reply@0 +OK "ready"`, `reply@11 -ERR "no"`, `data@20  "From: x"`, `data@29  "."`}},
	{"imap client", IMAP, false, "a1 LOGIN admin confirma\r\na2 LOGIN \"ad\\\\min\" \"x\"\r\na3 login {5}\r\nadmin {8}\r\nconfirma\r\na4 SELECT INBOX\r\n", []string{
		`command@0 tag=a1 LOGIN "" user="admin" login=true default=true`,
		`command@25 tag=a2 LOGIN "" user="ad\\min" login=true default=false`,
		`command@49 tag=a3 login "" user="admin" login=true default=true`,
		`command@84 tag=a4 SELECT "INBOX"`}},
	{"imap server", IMAP, true, "* OK [CAPABILITY IMAP4rev1] ready\r\n+ go ahead\r\na1 NO [AUTHENTICATIONFAILED] bad\r\n* 1 FETCH (BODY[] {12}\r\na9 OK fake\r\n)\r\na2 OK done\r\n", []string{
		`reply@0 tag=* OK "[CAPABILITY IMAP4rev1] ready"`, `data@35 tag=+  "go ahead"`,
		`reply@47 tag=a1 NO "[AUTHENTICATIONFAILED] bad"`, `data@81 tag=*  "1 FETCH (BODY[] {12}\r\na9 OK fake\r\n)"`,
		`reply@120 tag=a2 OK "done"`}},
}

func TestDecoder(t *testing.T) {
	for _, tt := range tests {
		d := &Decoder{Protocol: tt.proto, Server: tt.server, IsDefault: isDefault}
		got := decodeAll(d, []byte(tt.in), 0)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n%s\nwant\n%s", tt.name, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
		}
		for _, c := range []int{1, 4, 13} {
			if g := decodeAll(d, []byte(tt.in), c); !reflect.DeepEqual(g, got) {
				t.Errorf("%s in %d-byte chunks: %q", tt.name, c, g)
			}
		}
		if bytes.Contains(d.line[:cap(d.line)], []byte("confirma")) || bytes.Contains(d.cred[:], []byte("confirma")) {
			t.Errorf("%s: a password is left in the decoder", tt.name)
		}
	}
}

func TestLimits(t *testing.T) {
	d := &Decoder{Protocol: IMAP, Server: true, MaxLine: 32}
	in := "* 1 FETCH (BODY[] {100}\r\n" + strings.Repeat("x", 100) + ")\r\na1 OK " + strings.Repeat("y", 40) + "\r\na2 OK z\r\n"
	for _, c := range []int{0, 1, 9} {
		got := decodeAll(d, []byte(in), c)
		want := []string{`data@0 tag=*  "1 FETCH (BODY[] {100}\r\n)"`, "error mail: line too long at offset 128", `reply@176 tag=a2 OK "z"`}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("chunks of %d: %q", c, got)
		}
	}
}

func TestSniff(t *testing.T) {
	for _, tt := range []struct {
		in         string
		pop3, imap bool
	}{
		{"+OK Dovecot (Debian) ready.\r\n", true, false},
		{"* OK [CAPABILITY IMAP4rev1 SASL-IR] Dovecot (Debian) ready.\r\n", false, true},
		{"* PREAUTH IMAP4rev1 server logged in\r\n", false, true},
		{"* OK ready\r\n", false, false},
		{"220 smtp\r\n", false, false},
	} {
		if SniffPOP3([]byte(tt.in)) != tt.pop3 || SniffIMAP([]byte(tt.in)) != tt.imap {
			t.Errorf("Sniff(%q) wrong", tt.in)
		}
	}
}

func FuzzDecoder(f *testing.F) {
	for _, tt := range tests {
		f.Add([]byte(tt.in), tt.proto == IMAP, tt.server, uint8(5))
	}
	f.Fuzz(func(t *testing.T, data []byte, imap, server bool, chunk uint8) {
		p := POP3
		if imap {
			p = IMAP
		}
		d1 := &Decoder{Protocol: p, Server: server, MaxLine: 64, IsDefault: isDefault}
		d2 := &Decoder{Protocol: p, Server: server, MaxLine: 64, IsDefault: isDefault}
		whole := decodeAll(d1, data, 0)
		if got := decodeAll(d2, data, int(chunk%17)+1); !reflect.DeepEqual(got, whole) {
			t.Fatalf("chunked %q\nwhole %q", got, whole)
		}
		if len(whole) > len(data)+1 || d1.Buffered() > 2*64+64 {
			t.Fatalf("%d items, %d bytes held", len(whole), d1.Buffered())
		}
		if n := testing.AllocsPerRun(1, func() { _, _ = SniffPOP3(data), SniffIMAP(data) }); n != 0 && !raceEnabled {
			t.Fatalf("Sniff allocates %v times", n)
		}
	})
}

func TestAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("race")
	}
	in := []byte(strings.Repeat("a1 LOGIN admin confirma\r\na2 login {5}\r\nadmin {8}\r\nconfirma\r\na3 FETCH 1 BODY[]\r\n", 10))
	d := &Decoder{Protocol: IMAP, IsDefault: isDefault}
	run := func(chunk int) {
		d.Reset()
		for i := 0; i < len(in); i += chunk {
			d.Feed(in[i:min(len(in), i+chunk)])
			for {
				if _, err := d.Next(); err == ErrNeedMore {
					break
				}
			}
		}
	}
	run(3)
	for _, c := range []int{1, 7, 1460} {
		if a := testing.AllocsPerRun(20, func() { run(c) }); a != 0 {
			t.Errorf("chunks of %d: %v allocations", c, a)
		}
	}
}

func BenchmarkDecoder(b *testing.B) {
	in := []byte(strings.Repeat("USER admin\r\nPASS confirma\r\nSTAT\r\nLIST\r\nRETR 1\r\nDELE 1\r\n", 50))
	d := &Decoder{Protocol: POP3, IsDefault: isDefault}
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		d.Reset()
		for i := 0; i < len(in); i += 536 {
			d.Feed(in[i:min(len(in), i+536)])
			for {
				if _, err := d.Next(); err == ErrNeedMore {
					break
				}
			}
		}
	}
}

func ExampleDecoder() {
	d := Decoder{Protocol: IMAP, IsDefault: func(user, password []byte) bool { return string(user) == "admin" && string(password) == "confirma" }}
	d.Feed([]byte("a1 LOGIN admin confirma\r\n"))
	it, _ := d.Next()
	fmt.Printf("%s %s user=%s default=%v args=%q\n", it.Tag, it.Command, it.User, it.DefaultCredential, it.Arg)
	// Output: a1 LOGIN user=admin default=true args=""
}
