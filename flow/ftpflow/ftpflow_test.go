package ftpflow

import (
	"net/netip"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/medtap/medtap/flow/loginflow"
	"github.com/medtap/medtap/internal/tsharktest"
)

func TestEvents(t *testing.T) {
	segs := tsharktest.Conversation(true,
		"220 (vsFTPd 3.0.3)\r\n", "USER ftpclient\r\n",
		"331 Please specify the password.\r\n", "PASS interfile\r\n",
		"530 Login incorrect.\r\n", "USER nurse\r\nPASS hunter2\r\n",
		"331 Please specify the password.\r\n230 Login successful.\r\n", "RETR image.dcm\r\n",
		"150 ok\r\n", "USER anonymous\r\n", "331 Please\r\n", "PASS guest@\r\n",
	)
	got := tsharktest.Lines(t, Name, segs)
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
	cmds, logins := map[uint16][]tsharktest.Want{}, map[uint16][]tsharktest.Want{}
	var passwords []string
	pending := map[uint16]tsharktest.Want{}
	for _, r := range rows {
		if r[2] != "" {
			port, _ := strconv.Atoi(r[0])
			p := uint16(port)
			arg := r[3]
			switch strings.ToUpper(r[2]) {
			case "USER":
				pending[p] = tsharktest.Want{"user": arg}
			case "PASS":
				passwords = append(passwords, arg)
				arg = ""
			}
			cmds[p] = append(cmds[p], tsharktest.Want{"command": r[2], "arg": arg})
			continue
		}
		port, _ := strconv.Atoi(r[1])
		p := uint16(port)
		if l := pending[p]; l != nil && (r[4] == "230" || r[4] == "530") {
			l["success"] = strconv.FormatBool(r[4] == "230")
			logins[p] = append(logins[p], l)
			pending[p] = nil
		}
	}
	tsharktest.NoSecrets(t, evs, passwords...)
	var c tsharktest.Counter
	c.Compare(t, evs, KindCommand, cmds)
	c.Compare(t, evs, loginflow.KindLogin, logins)
	if c.Events < 20 || len(passwords) < 4 {
		t.Errorf("only %d events, %d passwords", c.Events, len(passwords))
	}
	c.Log(t)
}

func TestCaptureLogins(t *testing.T) {
	tsharktest.Equal(t, "logins", tsharktest.Logins(t, pcapFile, Name), []string{
		`{"protocol":"ftp","user":"anonymous","success":true}`,
		`{"protocol":"ftp","user":"pacsftp","success":true}`,
		`{"protocol":"ftp","user":"pacsftp","success":false}`,
		`{"protocol":"ftp","user":"ftpclient","success":false,"default_credential":true}`,
	})
}

func TestSteadyAllocs(t *testing.T) {
	allocs, per := tsharktest.SteadyAllocs(t, Name, netip.MustParseAddrPort("10.0.0.2:21"), []byte("USER insite\r\nPASS 2getin\r\nRETR a.dcm\r\n"))
	if allocs != 0 || per != 4 { // three commands, and the login before them, unanswered
		t.Errorf("%v allocations and %d events per segment, want 0 and 4", allocs, per)
	}
}
