package detect_test

import (
	"encoding/binary"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/medtap/medtap/capture"
	"github.com/medtap/medtap/detect"
	"github.com/medtap/medtap/flow"
	_ "github.com/medtap/medtap/flow/all"
	"github.com/medtap/medtap/flow/smbflow"
	"github.com/medtap/medtap/internal/pkttest"
	"github.com/medtap/medtap/internal/synth"
	"github.com/medtap/medtap/internal/testutil"
)

// alertsWithPrefix returns the alerts of the rules whose ID has the prefix.
func alertsWithPrefix(as []detect.Alert, prefix string) []detect.Alert {
	var out []detect.Alert
	for _, a := range as {
		if strings.HasPrefix(a.ID, prefix) {
			out = append(out, a)
		}
	}
	return out
}

// alertsOfCapture runs the capture file through a flow engine with every
// adapter and a detect engine of the default detectors behind it, and
// returns the alerts.
func alertsOfCapture(t *testing.T, name string) []detect.Alert {
	t.Helper()
	de, c := newEngine(t, detect.Config{})
	fe, err := flow.NewEngine(flow.Config{}, de)
	if err != nil {
		t.Fatal(err)
	}
	if err := capture.RunFile(fe, name); err != nil {
		t.Fatal(err)
	}
	fe.Flush()
	de.Flush()
	return c.alerts
}

// sharedCaptures returns the captures of the shared corpus, nil when it is
// absent.
func sharedCaptures(t *testing.T) []string {
	root := testutil.CorpusRoot()
	if root == "" {
		t.Log("../shared/corpus beside the repository absent: its captures are not run")
		return nil
	}
	names, _ := filepath.Glob(filepath.Join(root, "pcap", "*.pcap"))
	return names
}

func negotiate(ts time.Time, n *smbflow.Negotiate) *flow.Event {
	src, dst := ap("10.0.0.1:49152"), ap("10.0.0.2:445")
	if n.Responded {
		src, dst = dst, src
	}
	return &flow.Event{Time: ts, Src: src, Dst: dst, Protocol: smbflow.Name, Kind: smbflow.KindNegotiate, Detail: n}
}

func dialects(ds ...string) [][]byte {
	var b [][]byte
	for _, d := range ds {
		b = append(b, []byte(d))
	}
	return b
}

func TestSMBv1(t *testing.T) {
	for _, tc := range []struct {
		name    string
		n       smbflow.Negotiate
		offered float64
		want    string // severity, "" for none
	}{
		{"chosen", smbflow.Negotiate{SMB1: true, SMB1Chosen: true, Responded: true, Dialects: dialects("NT LM 0.12"), Dialect: []byte("NT LM 0.12")}, 1, "high"},
		{"offered, SMB2 chosen", smbflow.Negotiate{SMB1: true, Responded: true, Dialects: dialects("NT LM 0.12", "SMB 2.002", "SMB 2.???"), Dialect: []byte("2.???")}, 1, "medium"},
		{"offered, no response", smbflow.Negotiate{SMB1: true, Dialects: dialects("NT LM 0.12")}, 1, "medium"},
		{"offered, off", smbflow.Negotiate{SMB1: true, Responded: true, Dialects: dialects("NT LM 0.12", "SMB 2.002"), Dialect: []byte("2.0.2")}, 0, ""},
		{"chosen, offered off", smbflow.Negotiate{SMB1: true, SMB1Chosen: true, Responded: true, Dialects: dialects("NT LM 0.12"), Dialect: []byte("NT LM 0.12")}, 0, "high"},
		{"SMB2 only", smbflow.Negotiate{Responded: true, Dialects: dialects("2.0.2", "3.1.1"), Dialect: []byte("3.1.1")}, 1, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := detect.Config{Rules: map[string]detect.RuleConfig{"smb.v1": {Params: map[string]float64{"offered": tc.offered}}}}
			e, c := newEngine(t, cfg)
			e.Event(negotiate(t0, &tc.n))
			e.Flush()
			got := alertsWithPrefix(c.alerts, "smb.")
			if tc.want == "" {
				if len(got) != 0 {
					t.Fatalf("alerts %+v", got)
				}
				return
			}
			if len(got) != 1 || got[0].ID != "smb.v1" || got[0].Severity.String() != tc.want {
				t.Fatalf("alerts %+v, want one smb.v1 %s", got, tc.want)
			}
			a := got[0]
			if a.Src != ap("10.0.0.1:0") || a.Dst != ap("10.0.0.2:445") {
				t.Errorf("src %v dst %v, want the client and the server", a.Src, a.Dst)
			}
			if a.Field("smb1_chosen") != map[string]string{"high": "true", "medium": "false"}[tc.want] || a.Field("dialects") == "" {
				t.Errorf("evidence %+v", a.Evidence)
			}
		})
	}
}

func challenge(ts time.Time, ch *smbflow.Challenge) *flow.Event {
	return &flow.Event{Time: ts, Src: ap("10.0.0.2:445"), Dst: ap("10.0.0.1:49152"), Protocol: smbflow.Name, Kind: smbflow.KindNTLMChallenge, Detail: ch}
}

func auth(ts time.Time, au *smbflow.Auth) *flow.Event {
	return &flow.Event{Time: ts, Src: ap("10.0.0.1:49152"), Dst: ap("10.0.0.2:445"), Protocol: smbflow.Name, Kind: smbflow.KindNTLMAuth, Detail: au}
}

func TestSMBEndOfLifeOS(t *testing.T) {
	b := func(s string) []byte { return []byte(s) }
	win10 := time.Date(2025, 10, 14, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		ev    *flow.Event
		grace float64
		want  bool
	}{
		{"XP server", challenge(t0, &smbflow.Challenge{OS: b("Windows XP (5.1.2600)"), OSVersion: b("5.1.2600")}), 0, true},
		{"7 client", auth(t0, &smbflow.Auth{OS: b("Windows 7 SP1 / Server 2008 R2 (6.1.7601)"), OSVersion: b("6.1.7601")}), 0, true},
		{"2012 R2 server", challenge(t0, &smbflow.Challenge{OS: b("Windows 8.1 / Server 2012 R2 (6.3.9600)"), OSVersion: b("6.3.9600")}), 0, true},
		{"2012 R2 server, in a long grace", challenge(t0, &smbflow.Challenge{OS: b("Windows 8.1 / Server 2012 R2 (6.3.9600)"), OSVersion: b("6.3.9600")}), 4 * 365, false},
		{"XP native OS", auth(t0, &smbflow.Auth{NativeOS: b("Windows 2002 Service Pack 3 2600"), NativeLanMan: b("Windows 2002 5.1")}), 0, true},
		{"2003 native OS", challenge(t0, &smbflow.Challenge{NativeOS: b("Windows Server 2003 3790 Service Pack 2"), NativeLanMan: b("Windows Server 2003 5.2")}), 0, true},
		{"Samba", challenge(t0, &smbflow.Challenge{OS: b("Samba (6.1.0)"), OSVersion: b("6.1.0"), NativeOS: b("Windows 6.1"), NativeLanMan: b("Samba 4.17.12-Debian")}), 0, false},
		{"Samba without version", challenge(t0, &smbflow.Challenge{NativeOS: b("Windows 5.1"), NativeLanMan: b("Samba 3.0.37")}), 0, false},
		{"Samba client", auth(t0, &smbflow.Auth{OS: b("Samba (6.1.0)"), NativeOS: b("Unix"), NativeLanMan: b("Samba")}), 0, false},
		{"10 22H2 on its last day", auth(win10, &smbflow.Auth{OS: b("Windows 10 22H2 (10.0.19045)")}), 0, false},
		{"10 22H2 after it", auth(win10.Add(24*time.Hour), &smbflow.Auth{OS: b("Windows 10 22H2 (10.0.19045)")}), 0, true},
		{"10 LTSC 2021", auth(t0, &smbflow.Auth{OS: b("Windows 10 21H2 / LTSC 2021 (10.0.19044)")}), 0, false},
		{"Server 2019", challenge(t0, &smbflow.Challenge{OS: b("Windows 10 1809 / LTSC 2019 / Server 2019 (10.0.17763)")}), 0, false},
		{"Server 2025", challenge(t0, &smbflow.Challenge{OS: b("Windows 11 24H2 / LTSC 2024 / Server 2025 (10.0.26100)")}), 0, false},
		{"no OS", auth(t0, &smbflow.Auth{User: b("bob")}), 0, false},
		{"XP before its end", challenge(time.Date(2014, 4, 8, 23, 0, 0, 0, time.UTC), &smbflow.Challenge{OS: b("Windows XP (5.1.2600)")}), 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := detect.Config{Rules: map[string]detect.RuleConfig{"smb.eol-os": {Params: map[string]float64{"grace-days": tc.grace}}}}
			e, c := newEngine(t, cfg)
			e.Event(tc.ev)
			e.Flush()
			got := alertsWithPrefix(c.alerts, "smb.")
			if !tc.want {
				if len(got) != 0 {
					t.Fatalf("alerts %+v", got)
				}
				return
			}
			if len(got) != 1 || got[0].ID != "smb.eol-os" || got[0].Severity != detect.High {
				t.Fatalf("alerts %+v, want one smb.eol-os", got)
			}
			a := got[0]
			if a.Src.Addr() != tc.ev.Src.Addr() || a.Dst.IsValid() || a.Field("os") == "" || a.Field("end_of_support") == "" || a.Field("peer") != tc.ev.Dst.Addr().String() {
				t.Errorf("alert %+v", a)
			}
		})
	}
}

// TestSMBEndOfLifeOncePerHost checks that a file server past its end of
// support raises one alert however many clients it answers.
func TestSMBEndOfLifeOncePerHost(t *testing.T) {
	e, c := newEngine(t, detect.Config{})
	ch := &smbflow.Challenge{OS: []byte("Windows 7 SP1 / Server 2008 R2 (6.1.7601)")}
	for i := range 50 {
		ev := challenge(t0.Add(time.Duration(i)*time.Second), ch)
		ev.Dst = netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 0, 1, byte(i)}), 50000)
		e.Event(ev)
	}
	e.Flush()
	got := alertsWithPrefix(c.alerts, "smb.eol-os")
	if len(got) != 2 || got[0].Count != 1 || got[1].Count != 49 {
		t.Errorf("alerts %+v, want one and its 49 repeats", got)
	}
}

func TestSMBAllocs(t *testing.T) {
	e, _ := newEngine(t, detect.Config{})
	evs := []*flow.Event{
		negotiate(t0, &smbflow.Negotiate{SMB1: true, SMB1Chosen: true, Responded: true, Dialects: dialects("NT LM 0.12"), Dialect: []byte("NT LM 0.12")}),
		negotiate(t0, &smbflow.Negotiate{Responded: true, Dialects: dialects("3.1.1"), Dialect: []byte("3.1.1")}),
		challenge(t0, &smbflow.Challenge{OS: []byte("Windows 7 SP1 / Server 2008 R2 (6.1.7601)")}),
		challenge(t0, &smbflow.Challenge{OS: []byte("Samba (6.1.0)"), NativeOS: []byte("Windows 6.1"), NativeLanMan: []byte("Samba 4")}),
		auth(t0, &smbflow.Auth{NativeOS: []byte("Windows Server 2003 3790 Service Pack 2")}),
	}
	for _, ev := range evs {
		e.Event(ev) // the first alerts of each key
	}
	for i, ev := range evs {
		if n := testing.AllocsPerRun(100, func() { e.Event(ev) }); n != 0 { // repeats within the window
			t.Errorf("event %d: %v allocs", i, n)
		}
	}
}

// ntlmBlob returns Samba's recorded NTLMSSP blob (challenge or
// authenticate) with its NTLM version set to major.minor.build.
func ntlmBlob(t *testing.T, name string, major, minor byte, build uint16) []byte {
	b, err := os.ReadFile("../netproto/ntlmssp/testdata/samba-" + name + ".spnego")
	if err != nil {
		t.Fatal(err)
	}
	return synth.SetNTLMVersion(b, name, major, minor, build)
}

type smbSeg struct {
	Dir   uint8
	Seq   uint32
	Flags uint8
	Data  string
}

// xpHandshake is an XP client (5.1.2600) negotiating NT LM 0.12 with a
// Server 2003 (5.2.3790) that chooses it, then authenticating with NTLM.
func xpHandshake(t *testing.T) []smbSeg {
	negReq := synth.SMB1(0x72, false, nil, []byte("\x02PC NETWORK PROGRAM 1.0\x00\x02LANMAN1.0\x00\x02NT LM 0.12\x00"))
	words := make([]byte, 34)
	binary.LittleEndian.PutUint16(words, 2) // NT LM 0.12
	words[2] = 0x03
	binary.LittleEndian.PutUint32(words[19:], 0x8000f3fd)
	negResp := synth.SMB1(0x72, true, words, []byte("server-guid-0001spnego hints"))
	chal := synth.SMB2(1, true, 0xc0000016, synth.SMB2SessionSetup(true, ntlmBlob(t, "challenge", 5, 2, 3790)))
	au := synth.SMB2(1, false, 0, synth.SMB2SessionSetup(false, ntlmBlob(t, "authenticate", 5, 1, 2600)))
	return []smbSeg{
		{0, 100, pkttest.SYN, ""},
		{1, 500, pkttest.SYN | pkttest.ACK, ""},
		{0, 101, pkttest.ACK | pkttest.PSH, string(negReq)},
		{1, 501, pkttest.ACK | pkttest.PSH, string(negResp)},
		{1, 501 + uint32(len(negResp)), pkttest.ACK | pkttest.PSH, string(chal)},
		{0, 101 + uint32(len(negReq)), pkttest.ACK | pkttest.PSH, string(au)},
	}
}

// TestSMBHandshake runs a synthetic XP handshake through the flow engine:
// SMBv1 chosen, and both ends past their end of support.
func TestSMBHandshake(t *testing.T) {
	de, c := newEngine(t, detect.Config{})
	fe, err := flow.NewEngine(flow.Config{}, de)
	if err != nil {
		t.Fatal(err)
	}
	pkttest.Feed(t, func(ts time.Time, pkt []byte) error { return fe.Packet(ts, flow.LinkRaw, pkt) }, xpHandshake(t))
	fe.Flush()
	de.Flush()
	var got []string
	for _, a := range alertsWithPrefix(c.alerts, "smb.") {
		got = append(got, a.ID+" "+a.Severity.String()+" "+a.Src.String()+" "+a.Field("os"))
	}
	want := []string{
		"smb.v1 high 10.0.0.1:0 ",
		"smb.eol-os high 10.0.0.2:9999 Windows XP x64 / Server 2003 (5.2.3790)",
		"smb.eol-os high 10.0.0.1:0 Windows XP (5.1.2600)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("alerts\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestSMBCaptures runs the committed SMB captures: Samba talks SMB1 in
// some sessions of smb.pcap (smb.v1 high, from the client to the server),
// and is no end-of-life Windows though it calls itself "Windows 6.1".
func TestSMBCaptures(t *testing.T) {
	as := alertsOfCapture(t, "../netproto/smb/testdata/smb.pcap")
	v1 := 0
	for _, a := range alertsWithPrefix(as, "smb.") {
		switch {
		case a.ID == "smb.v1" && a.Severity == detect.High:
			v1++
			if a.Src.Addr() != netip.MustParseAddr("10.214.0.3") || a.Dst.Addr() != netip.MustParseAddr("10.214.0.2") {
				t.Errorf("smb.v1 from %v to %v, want the client to the server", a.Src, a.Dst)
			}
		case a.ID == "smb.v1":
			// The SMB 2.1 session offered SMB1 dialects (NT LM 0.12) first.
		default:
			t.Errorf("unexpected %s %s: %s", a.ID, a.Severity, a.Summary)
		}
	}
	if v1 == 0 {
		t.Error("no smb.v1 high: smb.pcap has SMB1 sessions")
	}
	for _, name := range append([]string{"../examples/medscan/testdata/sample.pcapng", "../fingerprint/testdata/eval/hospital.pcap"}, sharedCaptures(t)...) {
		for _, a := range alertsWithPrefix(alertsOfCapture(t, name), "smb.") {
			t.Errorf("%s: %s %s: %s", name, a.ID, a.Severity, a.Summary)
		}
	}
}

func BenchmarkSMBNegotiate(b *testing.B) {
	e, _ := newEngine(b, detect.Config{})
	evs := []*flow.Event{
		negotiate(t0, &smbflow.Negotiate{Responded: true, Dialects: dialects("2.0.2", "2.1", "3.0", "3.0.2", "3.1.1"), Dialect: []byte("3.1.1")}),
		challenge(t0, &smbflow.Challenge{OS: []byte("Windows 10 1809 / LTSC 2019 / Server 2019 (10.0.17763)")}),
		auth(t0, &smbflow.Auth{OS: []byte("Windows 11 24H2 / LTSC 2024 / Server 2025 (10.0.26100)")}),
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		e.Event(evs[i%len(evs)])
		i++
	}
}
