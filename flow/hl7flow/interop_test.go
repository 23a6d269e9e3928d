package hl7flow

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/flowtest"

	"github.com/medtap/medtap/internal/testutil"
	"github.com/medtap/medtap/mllp"
)

var record = flag.Bool("record", false, "rewrite the captures in testdata from live sessions (root, tcpdump, python3-hl7)")

// The captures of testdata/mllp-interop, recorded on loopback by the live
// tests below run with -record (see record.sh there): mllp.Client sending
// hl7InteropMessages to python3-hl7's MLLP server (hl7_server.py), and
// python3-hl7's MLLP client (hl7_client.py) sending them to mllp.Server.
var (
	mllpInteropDir    = filepath.Join("testdata", "mllp-interop")
	mllpClientCapture = filepath.Join(mllpInteropDir, "client-to-python.pcap")
	mllpServerCapture = filepath.Join(mllpInteropDir, "python-to-server.pcap")
)

// An hl7Summary is what both medtap and tshark say of one HL7 message on
// the wire, in capture order: the sender's port, the message type
// (MSH-9-1^MSH-9-2), MSH-10, the number of segments, and for an ACK MSA-1
// and MSA-2.
type hl7Summary struct {
	Port     uint16
	Type     string
	Control  string
	Segments int
	AckCode  string
	AckOf    string
}

func (s hl7Summary) String() string {
	str := fmt.Sprintf("%d %s %s segs=%d", s.Port, s.Type, s.Control, s.Segments)
	if s.AckCode != "" || s.AckOf != "" {
		str += fmt.Sprintf(" MSA %s %s", s.AckCode, s.AckOf)
	}
	return str
}

// interopMessage is one message sent in the captures and the MSA-1 the
// receiver answers it with.
type interopMessage struct {
	payload string
	ack     string
}

// hl7InteropMessages are the messages of both captures: several types and
// versions, one of about 100 KB that spans several TCP segments, an escaped
// UTF-8 text, and control IDs that both receivers answer with AE (ERR…) and
// AR (REJ…). Every byte is fixed, so a new recording differs only in ports,
// times, TCP sequence numbers and the ACKs' MSH-7.
func hl7InteropMessages() []interopMessage {
	pdf := make([]byte, 72<<10)
	x := uint32(7)
	for i := range pdf {
		x = x*1664525 + 1013904223
		pdf[i] = byte(x >> 24)
	}
	msg := func(segs ...string) string { return strings.Join(segs, "\r") + "\r" }
	return []interopMessage{
		{msg(
			`MSH|^~\&|REG_ADT|ST_EXAMPLE_GH|IFACE_ENGINE|ST_EXAMPLE_GH|20261129080102||ADT^A01^ADT_A01|MSG0001|P|2.5.1`,
			`EVN|A01|20261129080100`,
			`PID|1||MRN100234^^^SEGH^MR||DOE^JANE^Q||19750314|F|||12 ELM STREET^^SPRINGFIELD^IL^62701^USA`,
			`PV1|1|I|4W^412^B^SEGH||||1234^HOUSE^GREGORY^^^DR`,
		), "AA"},
		{msg(
			`MSH|^~\&|RIS|RAD|IFACE_ENGINE|ST_EXAMPLE_GH|20261129090000||ORU^R01^ORU_R01|RPT0002|P|2.5.1`,
			`PID|1||MRN100234^^^SEGH^MR||DOE^JANE^Q`,
			`OBR|1||ACC20261129001|71020^CHEST XRAY^CPT4|||20261129085500`,
			`OBX|1|ED|PDF^Report^L||^AP^PDF^Base64^`+base64.StdEncoding.EncodeToString(pdf)+`||||||F`,
			`OBX|2|TX|IMP^Impression^L||No acute disease.||||||F`,
		), "AA"},
		{msg(
			`MSH|^~\&|CPOE|ST_EXAMPLE_GH|RIS|ST_EXAMPLE_GH|20261129082005||ORM^O01^ORM_O01|ORD0003|P|2.3`,
			`PID|1||MRN100871^^^SEGH^MR||MUSTERMANN^MAX||19621102|M`,
			`ORC|NW|ORD448812^CPOE`,
			`OBR|1|ORD448812^CPOE||70553^MR BRAIN W/WO CONTRAST^CPT4`,
		), "AA"},
		{msg(
			`MSH|^~\&|REG_ADT|ST_EXAMPLE_GH|IFACE_ENGINE|ST_EXAMPLE_GH|20261129081530||ADT^A08^ADT_A01|ERR0004|P|2.5.1`,
			`EVN|A08|20261129081528`,
			`PID|1||MRN100234^^^SEGH^MR||DOE^JANE^Q`,
		), "AE"},
		{msg(
			`MSH|^~\&|LIS|LAB|IFACE_ENGINE|ST_EXAMPLE_GH|20261129100000||ORU^R01|REJ0005|P|2.4`,
			`PID|1||MRN100234^^^SEGH^MR`,
			`OBX|1|NM|2345-7^GLUCOSE^LN||5.4|mmol/L|3.9-5.8|N|||F`,
		), "AR"},
		{msg(
			`MSH|^~\&|REG_ADT|ST_EXAMPLE_GH|IFACE_ENGINE|ST_EXAMPLE_GH|20261129170000||ADT^A03^ADT_A03|MSG0006|P|2.6|||||||UNICODE UTF-8`,
			`PID|1||MRN100235^^^SEGH^MR||MÜLLER^JOSÉ||19800101|M`,
			`NTE|1||discharged to home \T\ family\.br\follow-up in 2 weeks \F\ clinic B`,
		), "AA"},
		{msg(
			`MSH|^~\&|SCHED|ST_EXAMPLE_GH|IFACE_ENGINE|ST_EXAMPLE_GH|20261129120000||SIU^S12|MSG0007|P|2.5`,
			`SCH|1234||||||||30|MIN`,
			`PID|1||MRN100234^^^SEGH^MR`,
		), "AA"},
	}
}

// medtapHL7 runs the flow engine over file and summarises every HL7
// message and ACK, failing on any decode error.
func medtapHL7(t *testing.T, file string) (got []hl7Summary, serverPort uint16) {
	t.Helper()
	e := flowtest.NewEngine(t, flow.Config{}, flow.SinkFunc(func(ev *flow.Event) {
		if ev.Protocol != "hl7" {
			return
		}
		switch d := ev.Detail.(type) {
		case *Message:
			got = append(got, hl7Summary{Port: ev.Src.Port(), Type: string(d.MessageType),
				Control: string(d.ControlID), Segments: d.Segments})
			serverPort = ev.Dst.Port()
		case *Ack:
			s := hl7Summary{Port: ev.Src.Port(), Type: "ACK", AckCode: string(d.AckCode), AckOf: string(d.ControlID)}
			if d.Message != nil {
				typ := d.Message.MSH().Field(9)
				if ev := typ.Comp(2).Bytes(); len(ev) > 0 {
					s.Type += "^" + string(ev)
				}
				s.Control = string(d.Message.MSH().Field(10).Bytes())
				s.Segments = d.Message.NumSegments()
			}
			got = append(got, s)
		case *flow.DecodeErrorDetail:
			t.Errorf("decode error: %v", d.Err)
		}
	}))
	flowtest.RunFile(t, e, file)
	e.Flush()
	return got, serverPort
}

// tsharkHL7 summarises the HL7 messages tshark's dissector finds in file,
// with port decoded as HL7 (over MLLP). tshark shows every segment of a
// message as one hl7.segment string (ending in CR) and the message type
// and trigger event of MSH-9 as hl7.message.type and hl7.event.type; MSH-10
// and MSA are read from the segments.
func tsharkHL7(t *testing.T, tshark, file string, port uint16) []hl7Summary {
	t.Helper()
	out, err := exec.Command(tshark, "-n", "-r", file, "-d", fmt.Sprintf("tcp.port==%d,hl7", port), "-Y", "hl7",
		"-T", "json", "-e", "tcp.srcport", "-e", "hl7.message.type", "-e", "hl7.event.type", "-e", "hl7.segment").Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	var packets []struct {
		Source struct {
			Layers map[string][]string `json:"layers"`
		} `json:"_source"`
	}
	if err := json.Unmarshal(out, &packets); err != nil {
		t.Fatalf("tshark -T json: %v", err)
	}
	var sums []hl7Summary
	for _, p := range packets {
		l := p.Source.Layers
		if len(l["tcp.srcport"]) != 1 {
			t.Fatalf("tshark packet without one tcp.srcport: %v", l)
		}
		srcPort, err := strconv.ParseUint(l["tcp.srcport"][0], 10, 16)
		if err != nil {
			t.Fatal(err)
		}
		// A packet may complete several MLLP frames; split its segments
		// into messages at each MSH.
		var msgs [][]string
		for _, seg := range l["hl7.segment"] {
			seg = strings.TrimSuffix(seg, "\r")
			if strings.HasPrefix(seg, "MSH") || len(msgs) == 0 {
				msgs = append(msgs, nil)
			}
			msgs[len(msgs)-1] = append(msgs[len(msgs)-1], seg)
		}
		types, events := l["hl7.message.type"], l["hl7.event.type"]
		if len(types) != len(msgs) {
			t.Fatalf("tshark: %d message types for %d messages in a packet: %v", len(types), len(msgs), l)
		}
		for i, segs := range msgs {
			s := hl7Summary{Port: uint16(srcPort), Type: types[i], Segments: len(segs)}
			if i < len(events) && events[i] != "" {
				s.Type += "^" + events[i]
			}
			// MSH-1 is the field separator itself: MSH-n is the n-th
			// field after "MSH" when split on it.
			if msh := strings.Split(segs[0], "|"); len(msh) > 10 {
				s.Control = msh[9]
			}
			for _, seg := range segs[1:] {
				if f := strings.Split(seg, "|"); f[0] == "MSA" && len(f) > 2 {
					s.AckCode, s.AckOf = f[1], f[2]
				}
			}
			sums = append(sums, s)
		}
	}
	return sums
}

// compareWithTshark checks that medtap's passive decoder and tshark's HL7
// dissector see the same messages in file, message by message, and that
// they are the session of hl7InteropMessages: each message from the client
// followed by the server's ACK, whose MSH-10 is ackID of the message's.
func compareWithTshark(t *testing.T, tshark, file string, ackID func(req, ack string) bool) {
	t.Helper()
	got, port := medtapHL7(t, file)
	if port == 0 {
		t.Fatalf("medtap found no HL7 message in %s", file)
	}
	want := tsharkHL7(t, tshark, file, port)
	if !slices.Equal(got, want) {
		t.Errorf("medtap (%d):\n%s\ntshark (%d):\n%s", len(got), joinLines(got), len(want), joinLines(want))
	}
	t.Logf("medtap and tshark (%s):\n%s", file, joinLines(got))
	msgs := hl7InteropMessages()
	if len(got) != 2*len(msgs) {
		t.Fatalf("%d messages and ACKs, want %d", len(got), 2*len(msgs))
	}
	for i, m := range msgs {
		req, ack := got[2*i], got[2*i+1]
		mllpMsg := parseInteropMessage(t, m.payload)
		if req.Port == port || req.Type != mllpMsg.Type || req.Control != mllpMsg.Control || req.Segments != mllpMsg.Segments {
			t.Errorf("message %d: %v, want %v from the client", i, req, mllpMsg)
		}
		if ack.Port != port || !strings.HasPrefix(ack.Type, "ACK") || !ackID(req.Control, ack.Control) ||
			ack.AckCode != m.ack || ack.AckOf != req.Control {
			t.Errorf("ACK %d: %v, want %s for %s from the server", i, ack, m.ack, req.Control)
		}
	}
}

// parseInteropMessage summarises one of hl7InteropMessages as sent.
func parseInteropMessage(t *testing.T, payload string) hl7Summary {
	t.Helper()
	segs := strings.Split(strings.TrimSuffix(payload, "\r"), "\r")
	msh := strings.Split(segs[0], "|")
	typ := strings.Split(msh[8], "^")
	return hl7Summary{Type: typ[0] + "^" + typ[1], Control: msh[9], Segments: len(segs)}
}

func joinLines(s []hl7Summary) string {
	var b strings.Builder
	for _, x := range s {
		b.WriteString(x.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// pythonAckID accepts the ACK control ID hl7_server.py gives, mllpAckID
// the one mllp.Server gives (hl7.AppendACK): an ID of its own, 20
// characters, or, in the capture recorded before it made its own, the
// message's.
func pythonAckID(req, ack string) bool { return ack == "A"+req }
func mllpAckID(req, ack string) bool   { return ack == req || len(ack) == 20 }

// TestHL7ClientCapture compares medtap's passive HL7 decoder with tshark's
// HL7 dissector on the recorded session of mllp.Client with python3-hl7's
// MLLP server.
func TestHL7ClientCapture(t *testing.T) {
	tshark := testutil.Tool(t, "tshark", "tshark")
	compareWithTshark(t, tshark, mllpClientCapture, pythonAckID)
}

// TestHL7ServerCapture compares them on the recorded session of
// python3-hl7's MLLP client with mllp.Server.
func TestHL7ServerCapture(t *testing.T) {
	tshark := testutil.Tool(t, "tshark", "tshark")
	compareWithTshark(t, tshark, mllpServerCapture, mllpAckID)
}

// needPythonHL7 returns Debian's python3, or skips the test unless it has
// python3-hl7.
func needPythonHL7(t *testing.T) string {
	t.Helper()
	const python = "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import hl7.mllp").Run(); err != nil {
		t.Skip("python3-hl7 not installed (apt install python3-hl7)")
	}
	return python
}

// keepCapture copies a live capture that passed over the recorded one when
// the tests run with -record.
func keepCapture(t *testing.T, pcap, dst string) {
	t.Helper()
	if !*record || t.Failed() {
		return
	}
	b, err := os.ReadFile(pcap)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", dst)
}

// TestHL7ClientLiveCapture records a new session of mllp.Client sending
// hl7InteropMessages to python3-hl7's MLLP server on loopback with tcpdump,
// checks every ACK the client gets, and compares medtap's decoder with
// tshark's on the capture. With -record the capture replaces the one in
// testdata.
func TestHL7ClientLiveCapture(t *testing.T) {
	tcpdump := testutil.Tool(t, "tcpdump", "tcpdump")
	tshark := testutil.Tool(t, "tshark", "tshark")
	python := needPythonHL7(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	srv := exec.CommandContext(ctx, python, filepath.Join(mllpInteropDir, "hl7_server.py"))
	srv.Stderr = os.Stderr
	stdout, err := srv.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		srv.Process.Kill()
		srv.Wait()
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("hl7_server.py did not start: %v", err)
	}
	port := strings.TrimSpace(line)

	pcap := filepath.Join(t.TempDir(), "client.pcap")
	stop := startTcpdump(t, tcpdump, pcap, "tcp port "+port)
	c := &mllp.Client{Addr: "127.0.0.1:" + port, Timeout: 10 * time.Second}
	for i, m := range hl7InteropMessages() {
		_, err := c.Send(ctx, []byte(m.payload))
		code := "AA"
		var ae *mllp.AckError
		if errors.As(err, &ae) {
			code = ae.Code
		} else if err != nil {
			c.Close()
			stop()
			t.Fatalf("message %d: %v", i, err)
		}
		if code != m.ack {
			t.Errorf("message %d: ACK %s, want %s", i, code, m.ack)
		}
	}
	c.Close()
	stop()
	compareWithTshark(t, tshark, pcap, pythonAckID)
	keepCapture(t, pcap, mllpClientCapture)
}

// interopHandler is mllp.Server's handler in the server capture: AE (an
// error) for control IDs ERR…, AR (mllp.ErrReject) for REJ…, AA otherwise.
func interopHandler(ctx context.Context, req *mllp.Request) ([]byte, error) {
	switch id := req.Message.ControlID().String(); {
	case strings.HasPrefix(id, "ERR"):
		return nil, errors.New("cannot store the update")
	case strings.HasPrefix(id, "REJ"):
		return nil, fmt.Errorf("%w: unknown patient", mllp.ErrReject)
	}
	return nil, nil
}

// TestHL7ServerLiveCapture records a new session of python3-hl7's MLLP
// client sending hl7InteropMessages to mllp.Server on loopback with
// tcpdump, checks the ACK codes the client gets, and compares medtap's
// decoder with tshark's on the capture. With -record the capture replaces
// the one in testdata.
func TestHL7ServerLiveCapture(t *testing.T) {
	tcpdump := testutil.Tool(t, "tcpdump", "tcpdump")
	tshark := testutil.Tool(t, "tshark", "tshark")
	python := needPythonHL7(t)
	s := &mllp.Server{Handler: mllp.HandlerFunc(interopHandler)}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(l)
	defer s.Close()
	port := fmt.Sprint(l.Addr().(*net.TCPAddr).Port)

	msgs := hl7InteropMessages()
	var in strings.Builder
	for _, m := range msgs {
		in.WriteString(m.payload)
		in.WriteByte(mllp.EB)
	}
	pcap := filepath.Join(t.TempDir(), "server.pcap")
	stop := startTcpdump(t, tcpdump, pcap, "tcp port "+port)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, filepath.Join(mllpInteropDir, "hl7_client.py"), port)
	cmd.Stdin = strings.NewReader(in.String())
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	stop()
	if err != nil {
		t.Fatalf("hl7_client.py: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(msgs) {
		t.Fatalf("%d ACKs, want %d:\n%s", len(lines), len(msgs), out)
	}
	for i, m := range msgs {
		id := parseInteropMessage(t, m.payload).Control
		if want := m.ack + " " + id; lines[i] != want {
			t.Errorf("ACK %d: %q, want %q", i, lines[i], want)
		}
	}
	compareWithTshark(t, tshark, pcap, mllpAckID)
	keepCapture(t, pcap, mllpServerCapture)
}

// startTcpdump captures packets matching filter on lo into file, or skips
// the test when tcpdump cannot capture here (not root). The returned
// function stops it once the last packets are written, and fails the test
// if the kernel dropped any.
func startTcpdump(t *testing.T, tcpdump, file, filter string) (stop func()) {
	t.Helper()
	// --immediate-mode and -U: every packet is written as it comes, so
	// none is lost when tcpdump stops.
	dump := exec.Command(tcpdump, "-i", "lo", "-n", "-s", "0", "-U", "--immediate-mode", "-Z", "root", "-w", file, filter)
	stderr, err := dump.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := dump.Start(); err != nil {
		t.Skipf("tcpdump: %v", err)
	}
	ready := make(chan bool, 1)
	tail := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		ok := false
		for sc.Scan() {
			if strings.Contains(sc.Text(), "listening on") {
				ok = true
				break
			}
		}
		ready <- ok
		rest, _ := io.ReadAll(stderr)
		tail <- string(rest)
	}()
	done := false
	kill := func() {
		if !done {
			done = true
			dump.Process.Kill()
			dump.Wait()
		}
	}
	t.Cleanup(kill)
	select {
	case ok := <-ready:
		if !ok {
			kill()
			t.Skip("tcpdump cannot capture on lo here (needs root or CAP_NET_RAW)")
		}
	case <-time.After(10 * time.Second):
		kill()
		t.Skip("tcpdump did not start")
	}
	return func() {
		if done {
			return
		}
		done = true
		time.Sleep(300 * time.Millisecond) // the last ACKs
		dump.Process.Signal(os.Interrupt)
		dump.Wait()
		if s := <-tail; !regexp.MustCompile(`(?m)^0 packets dropped by kernel`).MatchString(s) {
			t.Fatalf("tcpdump dropped packets:\n%s", s)
		}
	}
}
