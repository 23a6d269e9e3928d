package ftpflow

import (
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
)

type seg struct {
	Dir   uint8
	Seq   uint32
	Flags uint8
	Data  string
}

func conv(payloads ...string) []seg {
	s := []seg{{0, 99, flow.FlagSYN, ""}, {1, 499, flow.FlagSYN | flow.FlagACK, ""}}
	next := [2]uint32{100, 500}
	for i, p := range payloads {
		d := uint8(1 - i&1) // the server speaks first
		s = append(s, seg{d, next[d], flow.FlagACK | flow.FlagPSH, p})
		next[d] += uint32(len(p))
	}
	return s
}

func TestEvents(t *testing.T) {
	segs := conv(
		"220 (vsFTPd 3.0.3)\r\n", "USER ftpclient\r\n",
		"331 Please specify the password.\r\n", "PASS interfile\r\n",
		"530 Login incorrect.\r\n", "USER nurse\r\nPASS hunter2\r\n",
		"331 Please specify the password.\r\n230 Login successful.\r\n", "RETR image.dcm\r\n",
		"150 ok\r\n", "USER anonymous\r\n", "331 Please\r\n", "PASS guest@\r\n",
	)
	sink := &flowtest.JSONSink{Protocol: Name}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{Name}}, sink)
	flowtest.Feed(t, e, segs)
	e.Flush()
	got := strings.Join(sink.Lines, "\n") + "\n"
	for _, pw := range []string{"interfile", "hunter2", "guest@"} {
		if strings.Contains(got, pw) {
			t.Errorf("password %q in the events", pw)
		}
	}
	tsharktest.Golden(t, "events.golden", got)
}

var pcapFile = filepath.Join("..", "..", "netproto", "ftp", "testdata", "ftp.pcap")

// TestCaptureAgainstTshark compares every command event with tshark's
// ftp.request.command and ftp.request.arg (PASS's argument must be absent),
// and every login with the USER argument and the reply code after PASS.
func TestCaptureAgainstTshark(t *testing.T) {
	rows := tsharktest.Fields(t, pcapFile, "ftp", "tcp.srcport", "tcp.dstport", "ftp.request.command", "ftp.request.arg", "ftp.response.code")
	evs := tsharktest.Run(t, pcapFile, Name)
	type login struct{ user, success string }
	cmds := map[uint16][][2]string{}
	logins := map[uint16][]login{}
	var passwords []string
	pending := map[uint16]*login{}
	for _, r := range rows {
		if r[2] != "" {
			port, _ := strconv.Atoi(r[0])
			p := uint16(port)
			arg := r[3]
			switch strings.ToUpper(r[2]) {
			case "USER":
				pending[p] = &login{user: arg}
			case "PASS":
				passwords = append(passwords, arg)
				arg = ""
			}
			cmds[p] = append(cmds[p], [2]string{r[2], arg})
			continue
		}
		port, _ := strconv.Atoi(r[1])
		p := uint16(port)
		if l := pending[p]; l != nil && (r[4] == "230" || r[4] == "530") {
			l.success = strconv.FormatBool(r[4] == "230")
			logins[p] = append(logins[p], *l)
			pending[p] = nil
		}
	}
	tsharktest.NoSecrets(t, evs, passwords...)
	var c tsharktest.Counter
	seenCmd, seenLogin := map[uint16]int{}, map[uint16]int{}
	for _, ev := range evs {
		switch ev.Kind {
		case KindCommand:
			i := seenCmd[ev.Client]
			seenCmd[ev.Client]++
			if i >= len(cmds[ev.Client]) {
				t.Errorf("command %s that tshark does not show", ev.JSON)
				continue
			}
			c.Events++
			c.Field(t, ev.JSON, "command", ev.Str("command"), cmds[ev.Client][i][0])
			c.Field(t, ev.JSON, "arg", ev.Str("arg"), cmds[ev.Client][i][1])
		case loginflow.KindLogin:
			i := seenLogin[ev.Client]
			seenLogin[ev.Client]++
			if i >= len(logins[ev.Client]) {
				t.Errorf("login %s that tshark does not show", ev.JSON)
				continue
			}
			c.Events++
			c.Field(t, ev.JSON, "user", ev.Str("user"), logins[ev.Client][i].user)
			c.Field(t, ev.JSON, "success", ev.Str("success"), logins[ev.Client][i].success)
		}
	}
	for p, l := range logins {
		if seenLogin[p] != len(l) {
			t.Errorf("port %d: %d logins, tshark %d", p, seenLogin[p], len(l))
		}
	}
	for p, l := range cmds {
		if seenCmd[p] != len(l) {
			t.Errorf("port %d: %d commands, tshark %d", p, seenCmd[p], len(l))
		}
	}
	if c.Events < 20 || len(passwords) < 4 {
		t.Errorf("only %d events, %d passwords", c.Events, len(passwords))
	}
	c.Log(t)
}

func TestCaptureLogins(t *testing.T) {
	var got []string
	for _, ev := range tsharktest.Run(t, pcapFile, Name) {
		if ev.Kind == loginflow.KindLogin {
			got = append(got, ev.JSON)
		}
	}
	want := []string{
		`{"protocol":"ftp","user":"anonymous","success":true}`,
		`{"protocol":"ftp","user":"pacsftp","success":true}`,
		`{"protocol":"ftp","user":"pacsftp","success":false}`,
		`{"protocol":"ftp","user":"ftpclient","success":false,"default_credential":true}`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("logins:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestSteadyAllocs(t *testing.T) {
	if pkttest.RaceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	sink := &flowtest.CountSink{}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{Name}}, sink)
	allocs, per := flowtest.SteadyAllocs(t, e, sink, netip.MustParseAddrPort("10.0.0.1:40000"), netip.MustParseAddrPort("10.0.0.2:21"),
		[]byte("USER insite\r\nPASS 2getin\r\nRETR a.dcm\r\n"), 50)
	if allocs != 0 || per != 4 { // three commands, and the login before them, unanswered
		t.Errorf("%v allocations and %d events per segment, want 0 and 4", allocs, per)
	}
}
