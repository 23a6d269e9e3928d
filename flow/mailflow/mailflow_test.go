package mailflow

import (
	"bytes"
	"encoding/base64"
	"net/netip"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/loginflow"
	"github.com/medtap/medtap/internal/flowtest"
	"github.com/medtap/medtap/internal/pkttest"
	"github.com/medtap/medtap/internal/tsharktest"
	"github.com/medtap/medtap/netproto/defcred"
)

var pcapFile = filepath.Join("..", "..", "netproto", "mail", "testdata", "mail.pcap")

type want struct{ user, success, def string }

// plainUser decodes a SASL PLAIN response as the reference: the user and
// password.
func plainUser(b64 string) (user, pass string) {
	v, _ := base64.StdEncoding.DecodeString(b64)
	f := bytes.Split(v, []byte{0})
	if len(f) != 3 {
		return "", ""
	}
	return string(f[1]), string(f[2])
}

func isDef(user, pass string) string {
	if defcred.IsDefault([]byte(user), []byte(pass)) {
		return "true"
	}
	return ""
}

// TestCaptureAgainstTshark rebuilds the logins of the Dovecot capture from
// tshark's POP3 and IMAP fields (USER and PASS with the +OK or -ERR after
// PASS; LOGIN and AUTHENTICATE PLAIN with their tagged answer; SASL PLAIN
// decoded here) and compares every login event, and checks that no
// password is in any event.
func TestCaptureAgainstTshark(t *testing.T) {
	rows := tsharktest.Fields(t, pcapFile, "pop or imap", "tcp.srcport", "tcp.dstport", "pop.request.command",
		"pop.request.parameter", "pop.response.indicator", "imap.request", "imap.response")
	wants := map[uint16][]want{}
	pending := map[uint16]*want{}
	tags := map[uint16]string{}
	users := map[uint16]string{}
	var secrets []string
	for _, r := range rows {
		src, _ := strconv.Atoi(r[0])
		dst, _ := strconv.Atoi(r[1])
		cmd, param := r[2], r[3]
		switch {
		case src != 110 && src != 143 && cmd != "": // a POP3 client line
			p := uint16(src)
			switch {
			case strings.EqualFold(cmd, "USER"):
				users[p] = param
			case strings.EqualFold(cmd, "PASS"):
				secrets = append(secrets, param)
				pending[p] = &want{user: users[p], def: isDef(users[p], param)}
			case !strings.EqualFold(cmd, "AUTH") && len(cmd) > 8: // the PLAIN response
				u, pw := plainUser(cmd)
				secrets = append(secrets, pw, cmd)
				pending[p] = &want{user: u, def: isDef(u, pw)}
			}
		case src == 110 && r[4] != "":
			p := uint16(dst)
			if w := pending[p]; w != nil {
				w.success = strconv.FormatBool(r[4] == "+OK")
				wants[p] = append(wants[p], *w)
				pending[p] = nil
			}
		case r[5] != "": // an IMAP command
			p := uint16(src)
			f := strings.Fields(r[5])
			if len(f) >= 4 && strings.EqualFold(f[1], "LOGIN") {
				pw := strings.Trim(f[3], `"`)
				secrets = append(secrets, pw)
				pending[p], tags[p] = &want{user: f[2], def: isDef(f[2], pw)}, f[0]
			} else if len(f) >= 4 && strings.EqualFold(f[1], "AUTHENTICATE") {
				u, pw := plainUser(f[3])
				secrets = append(secrets, pw, f[3])
				pending[p], tags[p] = &want{user: u, def: isDef(u, pw)}, f[0]
			}
		case r[6] != "":
			p := uint16(dst)
			f := strings.Fields(r[6])
			if w := pending[p]; w != nil && len(f) >= 2 && f[0] == tags[p] {
				w.success = strconv.FormatBool(f[1] == "OK")
				wants[p] = append(wants[p], *w)
				pending[p] = nil
			}
		}
	}
	var evs []tsharktest.Event
	for _, name := range []string{NamePOP3, NameIMAP} {
		evs = append(evs, tsharktest.Run(t, pcapFile, name)...)
	}
	tsharktest.NoSecrets(t, evs, secrets...)
	var c tsharktest.Counter
	seen := map[uint16]int{}
	for _, ev := range evs {
		if ev.Kind != loginflow.KindLogin {
			continue
		}
		i := seen[ev.Client]
		seen[ev.Client]++
		if i >= len(wants[ev.Client]) {
			t.Errorf("login %s not in tshark's fields", ev.JSON)
			continue
		}
		w := wants[ev.Client][i]
		c.Events++
		c.Field(t, ev.JSON, "user", ev.Str("user"), w.user)
		c.Field(t, ev.JSON, "success", ev.Str("success"), w.success)
		c.Field(t, ev.JSON, "default_credential", ev.Str("default_credential"), w.def)
	}
	n := 0
	for p, w := range wants {
		n += len(w)
		if seen[p] != len(w) {
			t.Errorf("port %d: %d logins, tshark %d", p, seen[p], len(w))
		}
	}
	if n != 6 {
		t.Errorf("%d logins in tshark's fields, want 6", n)
	}
	c.Log(t)
}

func TestCaptureLogins(t *testing.T) {
	var got []string
	for _, name := range []string{NamePOP3, NameIMAP} {
		for _, ev := range tsharktest.Run(t, pcapFile, name) {
			got = append(got, ev.JSON)
		}
	}
	want := []string{
		`{"protocol":"pop3","user":"nurse","success":true}`,
		`{"protocol":"pop3","user":"nurse","success":false}`,
		`{"protocol":"pop3","user":"nurse","success":true}`,
		`{"protocol":"imap","user":"admin","success":true,"default_credential":true}`,
		`{"protocol":"imap","user":"admin","success":false}`,
		`{"protocol":"imap","user":"nurse","success":true}`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestSteadyAllocs(t *testing.T) {
	if pkttest.RaceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	for _, tt := range []struct {
		name string
		port uint16
		in   string
	}{
		{NamePOP3, 110, "USER admin\r\nPASS confirma\r\nSTAT\r\n"},
		{NameIMAP, 143, "a1 LOGIN admin confirma\r\na2 AUTHENTICATE PLAIN AGFkbWluAGNvbmZpcm1h\r\n"},
	} {
		sink := &flowtest.CountSink{}
		e := flowtest.NewEngine(t, flow.Config{Protocols: []string{tt.name}}, sink)
		allocs, per := flowtest.SteadyAllocs(t, e, sink, netip.MustParseAddrPort("10.0.0.1:40000"),
			netip.AddrPortFrom(netip.MustParseAddr("10.0.0.2"), tt.port), []byte(tt.in), 50)
		if allocs != 0 || per < 1 {
			t.Errorf("%s: %v allocations, %d events per segment", tt.name, allocs, per)
		}
	}
}
