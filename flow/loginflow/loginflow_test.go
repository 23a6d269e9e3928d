package loginflow_test

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medtap/medtap/flow"
	_ "github.com/medtap/medtap/flow/dicomflow"
	_ "github.com/medtap/medtap/flow/ftpflow"
	_ "github.com/medtap/medtap/flow/httpflow"
	"github.com/medtap/medtap/flow/loginflow"
	_ "github.com/medtap/medtap/flow/mailflow"
	_ "github.com/medtap/medtap/flow/telnetflow"
	"github.com/medtap/medtap/internal/flowtest"
	"github.com/medtap/medtap/internal/pkttest"
)

// TestCaptures decodes every real-peer capture with all the adapters that
// report logins registered at once: each flow must go to its protocol
// (content and ports do not confuse them), without a decode error, and the
// logins of all the captures come out in order.
func TestCaptures(t *testing.T) {
	root := filepath.Join("..", "..")
	var logins []string
	for _, c := range []struct{ file, proto string }{
		{"netproto/http/testdata/http.pcap", "http"},
		{"netproto/ftp/testdata/ftp.pcap", "ftp"},
		{"netproto/telnet/testdata/telnet.pcap", "telnet"},
		{"netproto/mail/testdata/mail.pcap", ""}, // pop3 and imap
		{"flow/dicomflow/testdata/login.pcap", "dicom"},
	} {
		e := flowtest.NewEngine(t, flow.Config{}, flow.SinkFunc(func(ev *flow.Event) {
			switch {
			case ev.Kind == flow.KindError:
				t.Errorf("%s: decode error %s", c.file, ev.Detail.AppendJSON(nil))
			case ev.Kind == flow.KindEnd:
				app := ev.Detail.(*flow.FlowInfo).Protocol
				ok := app == c.proto || (c.proto == "" && (app == "pop3" || app == "imap"))
				// FTP's passive data connections carry no protocol.
				if !ok && !(c.proto == "ftp" && app == "") {
					t.Errorf("%s: flow %v identified as %q", c.file, ev.Key, app)
				}
			case ev.Kind == loginflow.KindLogin:
				logins = append(logins, string(ev.Detail.AppendJSON(nil)))
			}
		}))
		flowtest.RunFile(t, e, filepath.Join(root, c.file))
	}
	if len(logins) != 2+4+3+6+4 {
		t.Errorf("%d logins:\n%s", len(logins), strings.Join(logins, "\n"))
	}
}

func ExampleLogin_AppendJSON() {
	l := loginflow.Login{Protocol: "ftp", User: []byte("insite"), Outcome: loginflow.Failure, DefaultCredential: true}
	fmt.Println(string(l.AppendJSON(nil)))
	// Output: ,"protocol":"ftp","user":"insite","success":false,"default_credential":true
}

// FuzzAdapters feeds arbitrary client and server bytes, cut into
// segments, to each login-carrying adapter on its port: no panic, every
// event's JSON is valid, and none holds a password of the input (the rest
// of a line that starts with "PASS ", the fourth word of "tag LOGIN user
// password") that appears nowhere else in it.
func FuzzAdapters(f *testing.F) {
	f.Add(uint8(0), []byte("GET / HTTP/1.1\r\nAuthorization: Basic YTpi\r\n\r\n"), []byte("HTTP/1.1 401 No\r\nContent-Length: 0\r\n\r\n"), uint8(7))
	f.Add(uint8(1), []byte("USER a\r\nPASS secretpw\r\n"), []byte("220 FTP\r\n331 p\r\n230 ok\r\n"), uint8(3))
	f.Add(uint8(2), []byte("root\r\nsecretpw\r\n"), []byte("\xff\xfb\x01login: Password: $ "), uint8(1))
	f.Add(uint8(3), []byte("USER a\r\nPASS secretpw\r\n"), []byte("+OK\r\n+OK\r\n-ERR\r\n"), uint8(5))
	f.Add(uint8(4), []byte("a1 LOGIN a secretpw\r\n"), []byte("* OK IMAP\r\na1 OK\r\n"), uint8(9))
	ports := []uint16{80, 21, 23, 110, 143}
	f.Fuzz(func(t *testing.T, which uint8, client, server []byte, cut uint8) {
		secrets := passwords(client, server)
		cli := netip.MustParseAddrPort("10.0.0.1:40000")
		srv := netip.AddrPortFrom(netip.MustParseAddr("10.0.0.2"), ports[int(which)%len(ports)])
		e := flowtest.NewEngine(t, flow.Config{}, flow.SinkFunc(func(ev *flow.Event) {
			if ev.Detail == nil {
				return
			}
			js := "{" + strings.TrimPrefix(string(ev.Detail.AppendJSON(nil)), ",") + "}"
			if !json.Valid([]byte(js)) {
				t.Fatalf("invalid JSON %s", js)
			}
			for _, pw := range secrets {
				if strings.Contains(js, pw) {
					t.Fatalf("password %q in %s", pw, js)
				}
			}
		}))
		send := func(d int, seq uint32, flags uint8, data []byte) {
			src, dst := cli, srv
			if d == 1 {
				src, dst = srv, cli
			}
			if err := e.Packet(pkttest.T0, flow.LinkRaw, pkttest.RawTCP(src, dst, seq, flags, data)); err != nil {
				t.Fatal(err)
			}
		}
		send(0, 99, flow.FlagSYN, nil)
		send(1, 499, flow.FlagSYN|flow.FlagACK, nil)
		seq := [2]uint32{100, 500}
		n := int(cut%16) + 1
		for i := 0; len(client) > 0 || len(server) > 0; i++ {
			d := i & 1
			b := &client
			if d == 1 {
				b = &server
			}
			k := min(n, len(*b))
			send(d, seq[d], flow.FlagACK|flow.FlagPSH, (*b)[:k])
			seq[d] += uint32(k)
			*b = (*b)[k:]
		}
		e.Flush()
	})
}

// passwords finds the passwords of FuzzAdapters' input.
func passwords(client, server []byte) []string {
	in := string(client) + "\n" + string(server)
	var out []string
	add := func(pw string) {
		if len(pw) >= 6 && strings.Count(in, pw) == 1 && !strings.ContainsAny(pw, "\"\\") {
			out = append(out, pw)
		}
	}
	for _, line := range strings.FieldsFunc(string(client), func(r rune) bool { return r == '\r' || r == '\n' }) {
		if strings.HasPrefix(strings.ToUpper(line), "PASS ") {
			add(line[5:])
		}
		if f := strings.Split(line, " "); len(f) >= 4 && strings.EqualFold(f[1], "LOGIN") && f[0] != "" && f[2] != "" {
			add(f[3])
		}
	}
	return out
}
