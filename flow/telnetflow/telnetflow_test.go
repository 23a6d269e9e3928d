package telnetflow

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

var pcapFile = filepath.Join("..", "..", "netproto", "telnet", "testdata", "telnet.pcap")

// TestCaptureAgainstTshark rebuilds each session's logins from tshark's
// telnet.data (the option negotiation removed by tshark): the line the
// client typed after a "login:" prompt is the user, the line after
// "Password:" the password, and "Login incorrect" the refusal. Every login
// event must agree, and no password may be in an event.
func TestCaptureAgainstTshark(t *testing.T) {
	rows := tsharktest.AllFields(t, pcapFile, "telnet.data", "tcp.srcport", "tcp.dstport", "telnet.data")
	type login struct{ user, success string }
	want := map[uint16][]login{}
	var secrets []string
	state := map[uint16]string{}
	line := map[uint16]string{}
	user := map[uint16]string{}
	for _, r := range rows {
		src, _ := strconv.Atoi(r[0])
		dst, _ := strconv.Atoi(r[1])
		text := strings.NewReplacer(`\r`, "\r", `\n`, "\n", "\x1f", "").Replace(r[2])
		if src == 23 {
			p := uint16(dst)
			switch {
			case state[p] == "answer" && strings.Contains(text, "Login incorrect"):
				want[p] = append(want[p], login{user[p], "false"})
				state[p] = ""
			case state[p] == "answer" && strings.Contains(text, "$ "):
				want[p] = append(want[p], login{user[p], "true"})
				state[p] = ""
			}
			if strings.HasSuffix(text, "login: ") {
				state[p], line[p] = "user", ""
			} else if strings.HasSuffix(text, "Password: ") {
				state[p], line[p] = "pass", ""
			}
			continue
		}
		p := uint16(src)
		for _, ch := range text {
			if ch != '\r' {
				line[p] += string(ch)
				continue
			}
			switch state[p] {
			case "user":
				user[p], state[p] = line[p], "waitpass"
			case "pass":
				secrets = append(secrets, line[p])
				state[p] = "answer"
			}
			line[p] = ""
		}
	}
	evs := tsharktest.Run(t, pcapFile, Name)
	tsharktest.NoSecrets(t, evs, secrets...)
	var c tsharktest.Counter
	seen := map[uint16]int{}
	for _, ev := range evs {
		if ev.Kind != loginflow.KindLogin {
			continue
		}
		i := seen[ev.Client]
		seen[ev.Client]++
		if i >= len(want[ev.Client]) {
			t.Errorf("login %s not in tshark's data", ev.JSON)
			continue
		}
		c.Events++
		c.Field(t, ev.JSON, "user", ev.Str("user"), want[ev.Client][i].user)
		c.Field(t, ev.JSON, "success", ev.Str("success"), want[ev.Client][i].success)
	}
	n := 0
	for p, w := range want {
		n += len(w)
		if seen[p] != len(w) {
			t.Errorf("port %d: %d logins, tshark's data %d", p, seen[p], len(w))
		}
	}
	if n != 3 || len(secrets) != 3 {
		t.Errorf("%d logins and %d passwords in tshark's data, want 3 and 3", n, len(secrets))
	}
	c.Log(t)
}

func TestCaptureLogins(t *testing.T) {
	var got []string
	for _, ev := range tsharktest.Run(t, pcapFile, Name) {
		got = append(got, ev.JSON)
	}
	want := []string{
		`{"protocol":"telnet","user":"insite","success":false,"default_credential":true}`,
		`{"protocol":"telnet","user":"nurse","success":true}`,
		`{"protocol":"telnet","user":"nurse","success":false}`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestSteadyAllocs(t *testing.T) {
	if pkttest.RaceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	sink := &flowtest.CountSink{}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{Name}}, sink)
	allocs, _ := flowtest.SteadyAllocs(t, e, sink, netip.MustParseAddrPort("10.0.0.1:40000"), netip.MustParseAddrPort("10.0.0.2:23"),
		[]byte("\xff\xfd\x01typed text\xff\xff\r\n"), 50)
	if allocs != 0 {
		t.Errorf("%v allocations per segment, want 0", allocs)
	}
}
