package smbflow

import (
	"encoding/binary"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/flowtest"
	"github.com/medtap/medtap/internal/pkttest"
	"github.com/medtap/medtap/internal/synth"
)

func readBlob(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile("../../netproto/ntlmssp/testdata/samba-" + name + ".spnego")
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// windowsBlob returns one of Samba's recorded blobs with the NTLM Version
// changed to Windows 7 SP1's, 6.1.7601.
func windowsBlob(tb testing.TB, name string) []byte {
	return synth.SetNTLMVersion(readBlob(tb, name), name, 6, 1, 7601)
}

type seg struct {
	Dir   uint8
	Seq   uint32
	Flags uint8
	Data  string
}

// identities renders the events of protocol smb with the identities their
// Details yield.
type identities struct{ lines []string }

func (s *identities) Event(e *flow.Event) {
	if e.Protocol != Name {
		return
	}
	line := string(e.Kind)
	if id, ok := e.Detail.(flow.Identifier); ok {
		id.Identify(e.Kind, nil, func(i flow.Identity) {
			who := "dst"
			if i.Source {
				who = "src"
			}
			line += " " + who + " " + i.Kind + "=" + string(i.Name)
		})
	}
	s.lines = append(s.lines, line)
}

// TestWindows replays a Windows 7 client talking SMB1 to a server that
// accepts NT LM 0.12 (the WannaCry exposure), then the NTLM exchange of an
// SMB2 session on another connection, and checks the identities.
func TestWindows(t *testing.T) {
	negReq := synth.SMB1(0x72, false, nil, []byte("\x02PC NETWORK PROGRAM 1.0\x00\x02LANMAN1.0\x00\x02NT LM 0.12\x00"))
	words := make([]byte, 34)
	binary.LittleEndian.PutUint16(words, 2) // NT LM 0.12
	words[2] = 0x03
	binary.LittleEndian.PutUint32(words[19:], 0x8000f3fd)
	negResp := synth.SMB1(0x72, true, words, []byte("server-guid-0001spnego hints"))
	chal := synth.SMB2(1, true, 0xc0000016, synth.SMB2SessionSetup(true, windowsBlob(t, "challenge")))
	auth := synth.SMB2(1, false, 0, synth.SMB2SessionSetup(false, windowsBlob(t, "authenticate")))
	segs := []seg{
		{0, 100, pkttest.SYN, ""},
		{1, 500, pkttest.SYN | pkttest.ACK, ""},
		{0, 101, pkttest.ACK | pkttest.PSH, string(negReq)},
		{1, 501, pkttest.ACK | pkttest.PSH, string(negResp)},
		{1, 501 + uint32(len(negResp)), pkttest.ACK | pkttest.PSH, string(chal)},
		{0, 101 + uint32(len(negReq)), pkttest.ACK | pkttest.PSH, string(auth[:100])}, // split across segments
		{0, 201 + uint32(len(negReq)), pkttest.ACK | pkttest.PSH, string(auth[100:])},
	}
	sink := &identities{}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{Name}}, sink)
	json := &flowtest.JSONSink{Protocol: Name}
	e2 := flowtest.NewEngine(t, flow.Config{Protocols: []string{Name}}, json)
	flowtest.Feed(t, e, segs)
	flowtest.Feed(t, e2, segs)
	e.Flush()
	e2.Flush()
	want := []string{
		"negotiate",
		"ntlm-challenge src os=Windows 7 SP1 / Server 2008 R2 (6.1.7601) src host=PACSFS01 src host=pacsfs01.radiology.example",
		"ntlm-auth src os=Windows 7 SP1 / Server 2008 R2 (6.1.7601) src host=RADWS07",
	}
	if !slices.Equal(sink.lines, want) {
		t.Errorf("identities:\n%s\nwant:\n%s", strings.Join(sink.lines, "\n"), strings.Join(want, "\n"))
	}
	if len(json.Lines) != 3 || !strings.Contains(json.Lines[0], `"dialect":"NT LM 0.12","smb1":true,"smb1_chosen":true,"server_guid":"76726573-7265-672d-7569-642d30303031","security_mode":3,"signing_required":false`) {
		t.Errorf("negotiate: %q", json.Lines)
	}
}

// TestUnanswered checks that a NEGOTIATE without a response is reported at
// the end of the flow, with the client's NetBIOS name from port 139.
func TestUnanswered(t *testing.T) {
	name := func(s string, suffix byte) string {
		raw := []byte((s + "                ")[:15] + string(rune(suffix)))
		b := []byte{32}
		for _, c := range raw {
			b = append(b, 'A'+c>>4, 'A'+c&15)
		}
		return string(append(b, 0))
	}
	body := "*SMBSERVER" // called
	req := append([]byte{0x81, 0, 0, 68}, name(body, 0x20)+name("XRAY-WS2", 0)...)
	neg := synth.SMB2(0, false, 0, slices.Concat(synth.LE16(36), synth.LE16(1), make([]byte, 32), synth.LE16(0x0202)))
	segs := []seg{{0, 100, pkttest.SYN, ""}, {0, 101, pkttest.ACK | pkttest.PSH, string(req) + string(neg)}}
	sink := &identities{}
	json := &flowtest.JSONSink{Protocol: Name}
	for _, s := range []flow.Sink{sink, json} {
		e := flowtest.NewEngine(t, flow.Config{Protocols: []string{Name}}, s)
		flowtest.Feed(t, e, segs)
		e.Flush()
	}
	if !slices.Equal(sink.lines, []string{"negotiate src host=XRAY-WS2"}) {
		t.Errorf("identities: %q", sink.lines)
	}
	if len(json.Lines) != 1 || json.Lines[0] != `negotiate 10.0.0.1:40000 {,"dialects":["2.0.2"],"netbios_called":"*SMBSERVER","netbios_calling":"XRAY-WS2"}` {
		t.Errorf("events: %q", json.Lines)
	}
}

// TestMalformed checks that broken blobs and bodies are reported with
// their stream offsets and that decoding goes on.
func TestMalformed(t *testing.T) {
	blob := readBlob(t, "challenge")
	broken := slices.Clone(blob)
	broken[1] = 0x7f // a DER length past the end
	badNTLM := slices.Clone(blob)
	i := strings.Index(string(badNTLM), "NTLMSSP\x00")
	binary.LittleEndian.PutUint32(badNTLM[i+44:], 0xffff) // target info offset
	kerberos := []byte{0x60, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02}
	badBody := synth.SMB2(0, false, 0, make([]byte, 36)) // StructureSize 0
	a := synth.SMB2(1, true, 0xc0000016, synth.SMB2SessionSetup(true, broken))
	b := synth.SMB2(1, true, 0xc0000016, synth.SMB2SessionSetup(true, badNTLM))
	c := synth.SMB2(1, false, 0, synth.SMB2SessionSetup(false, kerberos))
	stream := slices.Concat(a, b, c, badBody, synth.SMB2(1, true, 0xc0000016, synth.SMB2SessionSetup(true, blob)))
	sink := &flowtest.JSONSink{Protocol: Name}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{Name}}, sink)
	flowtest.Feed(t, e, []seg{{0, 100, pkttest.SYN, ""}, {0, 101, pkttest.ACK | pkttest.PSH, string(stream)}})
	e.Flush()
	at := strconv.Itoa
	want := []string{
		`error 10.0.0.1:40000 {,"offset":` + at(4+72+2) + `,"error":"ntlmssp: malformed SPNEGO token at offset 2"}`,
		`error 10.0.0.1:40000 {,"offset":` + at(len(a)+4+72+i+40) + `,"error":"ntlmssp: field outside the message at offset 40"}`,
		`error 10.0.0.1:40000 {,"offset":` + at(len(a)+len(b)+len(c)+4+64) + `,"error":"smb: malformed command body at offset ` + at(len(a)+len(b)+len(c)+4+64) + `"}`,
	}
	if len(sink.Lines) != 4 || !slices.Equal(sink.Lines[:3], want) || !strings.HasPrefix(sink.Lines[3], "ntlm-challenge") {
		t.Errorf("events:\n%s\nwant:\n%s\nand a challenge", strings.Join(sink.Lines, "\n"), strings.Join(want, "\n"))
	}
}

// TestSteadyAllocs checks that a connection's negotiation and NTLM
// exchange, repeated, allocates nothing: decoding, events and their JSON.
func TestSteadyAllocs(t *testing.T) {
	if pkttest.RaceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	payload := slices.Concat(
		synth.SMB2(0, false, 0, slices.Concat(synth.LE16(36), synth.LE16(2), make([]byte, 32), synth.LE16(0x0202), synth.LE16(0x0210))),
		synth.SMB2(0, true, 0, slices.Concat(synth.LE16(65), synth.LE16(1), synth.LE16(0x0210), synth.LE16(0), []byte("server-guid-0002"), make([]byte, 40), synth.LE16(128), synth.LE16(0), make([]byte, 4))),
		synth.SMB2(1, true, 0xc0000016, synth.SMB2SessionSetup(true, readBlob(t, "challenge"))),
		synth.SMB2(1, false, 0, synth.SMB2SessionSetup(false, readBlob(t, "authenticate"))),
	)
	sink := &flowtest.CountSink{}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{Name}}, sink)
	allocs, events := flowtest.SteadyAllocs(t, e, sink, netip.MustParseAddrPort("10.0.0.1:40000"), netip.MustParseAddrPort("10.0.0.2:445"), payload, 50)
	if allocs != 0 {
		t.Errorf("%v allocations per segment, want 0", allocs)
	}
	if events != 3 {
		t.Errorf("%d events per segment, want 3", events)
	}
}
