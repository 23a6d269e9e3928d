package mailflow

import (
	"bytes"
	"encoding/base64"
	"net/netip"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/medtap/medtap/flow/loginflow"
	"github.com/medtap/medtap/internal/tsharktest"
	"github.com/medtap/medtap/netproto/defcred"
)

var pcapFile = filepath.Join("..", "..", "netproto", "mail", "testdata", "mail.pcap")

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

// login is the reference of a login by user and password, its outcome
// still to come.
func login(user, pass string) tsharktest.Want {
	def := ""
	if defcred.IsDefault([]byte(user), []byte(pass)) {
		def = "true"
	}
	return tsharktest.Want{"user": user, "default_credential": def}
}

// TestCaptureAgainstTshark rebuilds the logins of the Dovecot capture from
// tshark's POP3 and IMAP fields (USER and PASS with the +OK or -ERR after
// PASS; LOGIN and AUTHENTICATE PLAIN with their tagged answer; SASL PLAIN
// decoded here) and compares every login event, and checks that no
// password is in any event.
func TestCaptureAgainstTshark(t *testing.T) {
	rows := tsharktest.Fields(t, pcapFile, "pop or imap", "tcp.srcport", "tcp.dstport", "pop.request.command",
		"pop.request.parameter", "pop.response.indicator", "imap.request", "imap.response")
	wants := map[uint16][]tsharktest.Want{}
	pending := map[uint16]tsharktest.Want{}
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
				pending[p] = login(users[p], param)
			case !strings.EqualFold(cmd, "AUTH") && len(cmd) > 8: // the PLAIN response
				u, pw := plainUser(cmd)
				secrets = append(secrets, pw, cmd)
				pending[p] = login(u, pw)
			}
		case src == 110 && r[4] != "":
			p := uint16(dst)
			if w := pending[p]; w != nil {
				w["success"] = strconv.FormatBool(r[4] == "+OK")
				wants[p] = append(wants[p], w)
				pending[p] = nil
			}
		case r[5] != "": // an IMAP command
			p := uint16(src)
			f := strings.Fields(r[5])
			if len(f) >= 4 && strings.EqualFold(f[1], "LOGIN") {
				pw := strings.Trim(f[3], `"`)
				secrets = append(secrets, pw)
				pending[p], tags[p] = login(f[2], pw), f[0]
			} else if len(f) >= 4 && strings.EqualFold(f[1], "AUTHENTICATE") {
				u, pw := plainUser(f[3])
				secrets = append(secrets, pw, f[3])
				pending[p], tags[p] = login(u, pw), f[0]
			}
		case r[6] != "":
			p := uint16(dst)
			f := strings.Fields(r[6])
			if w := pending[p]; w != nil && len(f) >= 2 && f[0] == tags[p] {
				w["success"] = strconv.FormatBool(f[1] == "OK")
				wants[p] = append(wants[p], w)
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
	c.Compare(t, evs, loginflow.KindLogin, wants)
	n := 0
	for _, w := range wants {
		n += len(w)
	}
	if n != 6 {
		t.Errorf("%d logins in tshark's fields, want 6", n)
	}
	c.Log(t)
}

func TestCaptureLogins(t *testing.T) {
	tsharktest.Equal(t, "logins", tsharktest.Logins(t, pcapFile, NamePOP3, NameIMAP), []string{
		`{"protocol":"pop3","user":"nurse","success":true}`,
		`{"protocol":"pop3","user":"nurse","success":false}`,
		`{"protocol":"pop3","user":"nurse","success":true}`,
		`{"protocol":"imap","user":"admin","success":true,"default_credential":true}`,
		`{"protocol":"imap","user":"admin","success":false}`,
		`{"protocol":"imap","user":"nurse","success":true}`,
	})
}

func TestSteadyAllocs(t *testing.T) {
	for _, tt := range []struct {
		name string
		port uint16
		in   string
	}{
		{NamePOP3, 110, "USER admin\r\nPASS confirma\r\nSTAT\r\n"},
		{NameIMAP, 143, "a1 LOGIN admin confirma\r\na2 AUTHENTICATE PLAIN AGFkbWluAGNvbmZpcm1h\r\n"},
	} {
		allocs, per := tsharktest.SteadyAllocs(t, tt.name, netip.AddrPortFrom(netip.MustParseAddr("10.0.0.2"), tt.port), []byte(tt.in))
		if allocs != 0 || per < 1 {
			t.Errorf("%s: %v allocations, %d events per segment", tt.name, allocs, per)
		}
	}
}
