package telnet

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func items(d *Decoder, in []byte, chunk int) []string {
	d.Reset()
	var out []string
	var data []byte
	flushData := func() {
		if len(data) > 0 {
			out = append(out, fmt.Sprintf("data %q", data))
			data = nil
		}
	}
	if chunk <= 0 {
		chunk = len(in) + 1
	}
	for i := 0; i < len(in); i += chunk {
		d.Feed(in[i:min(len(in), i+chunk)])
		for {
			it, err := d.Next()
			if err == ErrNeedMore {
				break
			}
			if err != nil {
				flushData()
				out = append(out, "error "+err.Error())
				continue
			}
			if it.Kind == KindData {
				data = append(data, it.Data...) // runs cut by Feed join
				continue
			}
			flushData()
			out = append(out, fmt.Sprintf("%v@%d %d %d", it.Kind, it.Offset, it.Command, it.Option))
		}
	}
	flushData()
	return out
}

func TestDecoder(t *testing.T) {
	in := []byte("\xff\xfd\x18\xff\xfb\x01hello\xff\xffworld\xff\xfa\x18\x00xterm\xff\xf0\xff\xf4ok")
	want := []string{"negotiation@0 253 24", "negotiation@3 251 1", `data "hello\xffworld"`,
		"subnegotiation@18 0 24", "command@29 244 0", `data "ok"`}
	d := &Decoder{}
	for _, c := range []int{0, 1, 2, 5} {
		got := items(d, in, c)
		// Data runs split differently; compare with runs joined.
		if strings.Join(got, "|") != strings.Join(want, "|") && c == 0 {
			t.Errorf("got %q", got)
		}
		joined := strings.ReplaceAll(strings.Join(got, "|"), `"|data "`, "")
		if wantJ := strings.ReplaceAll(strings.Join(want, "|"), `"|data "`, ""); joined != wantJ {
			t.Errorf("chunks of %d: %q", c, got)
		}
	}
	d = &Decoder{MaxSubnegotiation: 4}
	got := items(d, []byte("\xff\xfa\x18"+strings.Repeat("x", 10)+"\xff\xf0ok"), 3)
	if len(got) != 2 || got[0] != "error telnet: subnegotiation too long at offset 0" || got[1] != `data "ok"` {
		t.Errorf("long subnegotiation: %q", got)
	}
}

// session feeds a Login the segments of a session, alternating server and
// client starting with the server, and returns the attempts.
func session(l *Login, segs ...string) []string {
	var out []string
	for i, s := range segs {
		for b := []byte(s); len(b) > 0; {
			var n int
			var a Attempt
			var ok bool
			if i%2 == 0 {
				n, a, ok = l.Server(b)
			} else {
				n, a, ok = l.Client(b)
			}
			b = b[n:]
			if ok {
				out = append(out, fmt.Sprintf("%s %d %v", a.User, a.Outcome, a.DefaultCredential))
			}
		}
	}
	if a, ok := l.Pending(); ok {
		out = append(out, fmt.Sprintf("%s %d %v", a.User, a.Outcome, a.DefaultCredential))
	}
	return out
}

func TestLogin(t *testing.T) {
	isDefault := func(u, p []byte) bool { return string(u) == "root" && string(p) == "calvin" }
	for _, tt := range []struct {
		name string
		segs []string
		want []string
	}{
		{"line at once", []string{"\r\nhost login: ", "root\r\n", "Password: ", "calvin\r\n", "\r\nLast login: today\r\n# "}, []string{"root 1 true"}},
		{"character at a time with edits", []string{"Login: ", "n", "n", "x", "x", "\x7f", "\x7f", "u", "u", "r", "r", "s", "s", "e", "e", "\r\x00", "\r\nPassword:", "pw\r", "\r\n\r\nLogin incorrect\r\nlogin: "}, []string{"nurse 2 false"}},
		{"password only", []string{"\r\nPassword: ", "calvin\r", "\r\n> "}, []string{" 1 false"}},
		{"command before the answer", []string{"login: ", "a\r", "Password: ", "b\r", "", "ls\r"}, []string{"a 1 false"}},
		{"no answer", []string{"login: ", "a\r", "Password: ", "b\r"}, []string{"a 0 false"}},
		{"no prompt", []string{"Welcome\r\n$ ", "ls\r"}, nil},
	} {
		l := Login{IsDefault: isDefault}
		if got := session(&l, tt.segs...); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
		if bytes.Contains(l.line[:], []byte("calvin")) || bytes.Contains(l.line[:], []byte("pw")) {
			t.Errorf("%s: password left in the line buffer", tt.name)
		}
	}
}

func TestSniff(t *testing.T) {
	for in, want := range map[string]bool{"\xff\xfd\x18": true, "\xff\xfb\x01\xff\xfb\x03": true, "\xff\xf4\x00": false, "login:": false, "\xff\xfd": false} {
		if Sniff([]byte(in)) != want {
			t.Errorf("Sniff(%q) != %v", in, want)
		}
	}
}

func FuzzDecoder(f *testing.F) {
	f.Add([]byte("\xff\xfd\x18\xff\xfb\x01login: \xff\xff\xff\xfa\x18\x00xterm\xff\xf0"), []byte("root\r\x00pw\rls\r"))
	f.Fuzz(func(t *testing.T, server, client []byte) {
		var d Decoder
		d.MaxSubnegotiation = 16
		whole := items(&d, server, 0)
		j := strings.ReplaceAll(strings.Join(whole, "|"), `"|data "`, "")
		if got := strings.ReplaceAll(strings.Join(items(&d, server, 3), "|"), `"|data "`, ""); got != j {
			t.Fatalf("chunked %q, whole %q", got, j)
		}
		if n := testing.AllocsPerRun(1, func() { Sniff(server) }); n != 0 && !raceEnabled {
			t.Fatalf("Sniff allocates %v times", n)
		}
		var l Login
		l.IsDefault = func(u, p []byte) bool { return len(p) > 0 && p[0] == 'x' }
		n := len(session(&l, string(server), string(client), string(server), string(client)))
		if n > len(server)+len(client)+1 {
			t.Fatalf("%d attempts", n)
		}
	})
}

func TestAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("race")
	}
	in := []byte("\xff\xfd\x18\xff\xfb\x01login: \xff\xff\xff\xfa\x18\x00xterm\xff\xf0")
	var d Decoder
	var l Login
	if a := testing.AllocsPerRun(100, func() {
		d.Reset()
		d.Feed(in)
		for {
			it, err := d.Next()
			if err == ErrNeedMore {
				break
			}
			l.Server(it.Data)
		}
		l.Client([]byte("root\r"))
		l.Server([]byte("Password: "))
		l.Client([]byte("pw\r"))
		l.Server([]byte("$ "))
	}); a != 0 {
		t.Errorf("%v allocations", a)
	}
}

func BenchmarkDecoder(b *testing.B) {
	in := bytes.Repeat([]byte("some terminal output of a session\r\n\xff\xff\xff\xf1"), 100)
	var d Decoder
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		d.Reset()
		d.Feed(in)
		for {
			if _, err := d.Next(); err == ErrNeedMore {
				break
			}
		}
	}
}

func ExampleLogin() {
	l := Login{IsDefault: func(user, password []byte) bool { return string(user) == "insite" && string(password) == "2getin" }}
	l.Server([]byte("\r\nct01 login: "))
	l.Client([]byte("insite\r\n"))
	l.Server([]byte("Password: "))
	l.Client([]byte("2getin\r\n"))
	_, a, _ := l.Server([]byte("\r\nLogin incorrect\r\n"))
	fmt.Printf("%s refused=%v default=%v\n", a.User, a.Outcome == Failure, a.DefaultCredential)
	// Output: insite refused=true default=true
}
