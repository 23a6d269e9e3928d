package telnetflow

import (
	"net/netip"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/medtap/medtap/flow/loginflow"
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
	want := map[uint16][]tsharktest.Want{}
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
				want[p] = append(want[p], tsharktest.Want{"user": user[p], "success": "false"})
				state[p] = ""
			case state[p] == "answer" && strings.Contains(text, "$ "):
				want[p] = append(want[p], tsharktest.Want{"user": user[p], "success": "true"})
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
	c.Compare(t, evs, loginflow.KindLogin, want)
	n := 0
	for _, w := range want {
		n += len(w)
	}
	if n != 3 || len(secrets) != 3 {
		t.Errorf("%d logins and %d passwords in tshark's data, want 3 and 3", n, len(secrets))
	}
	c.Log(t)
}

func TestCaptureLogins(t *testing.T) {
	tsharktest.Equal(t, "logins", tsharktest.Logins(t, pcapFile, Name), []string{
		`{"protocol":"telnet","user":"insite","success":false,"default_credential":true}`,
		`{"protocol":"telnet","user":"nurse","success":true}`,
		`{"protocol":"telnet","user":"nurse","success":false}`,
	})
}

func TestSteadyAllocs(t *testing.T) {
	if allocs, _ := tsharktest.SteadyAllocs(t, Name, netip.MustParseAddrPort("10.0.0.2:23"), []byte("\xff\xfd\x01typed text\xff\xff\r\n")); allocs != 0 {
		t.Errorf("%v allocations per segment, want 0", allocs)
	}
}
