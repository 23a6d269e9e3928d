package dicomflow

import (
	"fmt"
	"net/netip"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/flowtest"
	"github.com/medtap/medtap/internal/pkttest"

	"github.com/medtap/medtap/dicom"
	"github.com/medtap/medtap/dicom/ul"
	"github.com/medtap/medtap/internal/testutil"
)

const dimp = dicom.ImplicitVRLittleEndian

func dicomCmd(c ul.Command, id uint16, els ...func([]byte) []byte) []byte {
	var b []byte
	b = dicom.AppendUint16s(b, dimp, 0x00000100, dicom.US, uint16(c))
	if c.IsResponse() {
		b = dicom.AppendUint16s(b, dimp, 0x00000120, dicom.US, id)
	} else {
		b = dicom.AppendUint16s(b, dimp, 0x00000110, dicom.US, id)
	}
	for _, f := range els {
		b = f(b)
	}
	return append(dicom.AppendUint32s(nil, dimp, 0, dicom.UL, uint32(len(b))), b...)
}

func dUS(t dicom.Tag, v uint16) func([]byte) []byte {
	return func(b []byte) []byte { return dicom.AppendUint16s(b, dimp, t, dicom.US, v) }
}

func dStr(t dicom.Tag, vr dicom.VR, v string) func([]byte) []byte {
	return func(b []byte) []byte { return dicom.AppendString(b, dimp, t, vr, v) }
}

// dicomSession is one association from a modality: echo, a C-FIND with a
// wildcard, a C-MOVE to another AE, then a rejected second connection is
// left to another test.
func dicomSession() []dicomSeg {
	rq := &ul.Associate{
		Type: ul.TypeAssociateRQ, ProtocolVersion: 1, CalledAE: []byte("PACS"), CallingAE: []byte("CT01"),
		ApplicationContext: []byte("1.2.840.10008.3.1.1.1"),
		Contexts: []ul.PresentationContext{
			{ID: 1, AbstractSyntax: []byte("1.2.840.10008.1.1"), TransferSyntaxes: [][]byte{[]byte("1.2.840.10008.1.2")}},
			{ID: 3, AbstractSyntax: []byte("1.2.840.10008.5.1.4.1.2.2.1"), TransferSyntaxes: [][]byte{[]byte("1.2.840.10008.1.2.1"), []byte("1.2.840.10008.1.2")}},
		},
		UserInfo: ul.UserInfo{MaxLength: 16384, HasMaxLength: true, ImplementationClassUID: []byte("1.2.3.4"), ImplementationVersionName: []byte("TEST_1"),
			Identity: ul.UserIdentity{Present: true, Type: ul.IdentityUsernamePassword, Primary: []byte("user"), Secondary: []byte("pw")}},
	}
	ac := &ul.Associate{
		Type: ul.TypeAssociateAC, ProtocolVersion: 1, CalledAE: []byte("PACS"), CallingAE: []byte("CT01"),
		ApplicationContext: []byte("1.2.840.10008.3.1.1.1"),
		Contexts: []ul.PresentationContext{
			{ID: 1, Result: ul.ResultAcceptance, TransferSyntaxes: [][]byte{[]byte("1.2.840.10008.1.2")}},
			{ID: 3, Result: ul.ResultAcceptance, TransferSyntaxes: [][]byte{[]byte("1.2.840.10008.1.2.1")}},
		},
		UserInfo: ul.UserInfo{MaxLength: 32768, HasMaxLength: true, ImplementationClassUID: []byte("5.6.7"), ImplementationVersionName: []byte("SCP_2")},
	}
	var id []byte
	ex := dicom.ExplicitVRLittleEndian
	id = dicom.AppendString(id, ex, 0x00080052, dicom.CS, "PATIENT")
	id = dicom.AppendString(id, ex, 0x00100010, dicom.PN, "*")
	id = dicom.AppendString(id, ex, 0x00100020, dicom.LO, "")
	noDS := dUS(0x00000800, 0x0101)
	hasDS := dUS(0x00000800, 0)
	echo := dStr(0x00000002, dicom.UI, "1.2.840.10008.1.1")
	find := dStr(0x00000002, dicom.UI, "1.2.840.10008.5.1.4.1.2.2.1")
	return []dicomSeg{
		{0, ul.AppendAssociate(nil, rq)},
		{1, ul.AppendAssociate(nil, ac)},
		{0, ul.AppendMessagePart(nil, 1, true, dicomCmd(ul.CEchoRQ, 1, echo, noDS), 0)},
		{1, ul.AppendMessagePart(nil, 1, true, dicomCmd(ul.CEchoRSP, 1, echo, noDS, dUS(0x00000900, 0)), 0)},
		{0, append(ul.AppendMessagePart(nil, 3, true, dicomCmd(ul.CFindRQ, 2, find, hasDS), 0), ul.AppendMessagePart(nil, 3, false, id, 0)...)},
		{1, ul.AppendMessagePart(nil, 3, true, dicomCmd(ul.CFindRSP, 2, find, noDS, dUS(0x00000900, 0xA700)), 0)},
		{0, ul.AppendRelease(nil, ul.TypeReleaseRQ)},
		{1, ul.AppendRelease(nil, ul.TypeReleaseRP)},
	}
}

type dicomSeg struct {
	dir  flow.Dir
	data []byte
}

func runDICOMSegs(t testing.TB, e *flow.Engine, client, server netip.AddrPort, segs []dicomSeg) {
	seq := [2]uint32{1000, 5000}
	send := func(i int, dir flow.Dir, flags uint8, data []byte) {
		src, dst := client, server
		if dir == flow.ServerToClient {
			src, dst = server, client
		}
		if err := e.Packet(pkttest.T0.Add(pkttest.MS(i)), flow.LinkRaw, pkttest.RawTCP(src, dst, seq[dir], flags, data)); err != nil {
			t.Fatal(err)
		}
		seq[dir] += uint32(len(data))
	}
	send(0, 0, flow.FlagSYN, nil)
	seq[0]++
	send(1, 1, flow.FlagSYN|flow.FlagACK, nil)
	seq[1]++
	for i, s := range segs {
		for d := s.data; len(d) > 0; {
			n := min(len(d), 1460)
			send(i+2, s.dir, flow.FlagACK|flow.FlagPSH, d[:n])
			d = d[n:]
		}
	}
}

func TestDICOMEvents(t *testing.T) {
	sink := &flowtest.JSONSink{Protocol: "dicom"}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{"dicom"}}, sink)
	runDICOMSegs(t, e, netip.MustParseAddrPort("10.1.0.5:40000"), netip.MustParseAddrPort("10.1.0.9:11112"), dicomSession())
	e.Flush()
	want := []string{
		`associate-rq 10.1.0.5:40000 {,"calling_ae":"CT01","called_ae":"PACS","impl_class_uid":"1.2.3.4","impl_version":"TEST_1","max_pdu":16384,"contexts":[{"id":1,"abstract_syntax":"1.2.840.10008.1.1","transfer_syntaxes":["1.2.840.10008.1.2"]},{"id":3,"abstract_syntax":"1.2.840.10008.5.1.4.1.2.2.1","transfer_syntaxes":["1.2.840.10008.1.2.1","1.2.840.10008.1.2"]}],"user_identity_type":"username-password"}`,
		`associate-ac 10.1.0.9:11112 {,"calling_ae":"CT01","called_ae":"PACS","impl_class_uid":"5.6.7","impl_version":"SCP_2","max_pdu":32768,"contexts":[{"id":1,"result":"acceptance","transfer_syntax":"1.2.840.10008.1.2"},{"id":3,"result":"acceptance","transfer_syntax":"1.2.840.10008.1.2.1"}]}`,
		`cleartext-login 10.1.0.5:40000 {,"protocol":"dicom","user":"user","success":true}`,
		`dimse 10.1.0.5:40000 {,"command":"C-ECHO-RQ","message_id":1,"sop_class_uid":"1.2.840.10008.1.1","calling_ae":"CT01","called_ae":"PACS"}`,
		`dimse 10.1.0.9:11112 {,"command":"C-ECHO-RSP","message_id":1,"sop_class_uid":"1.2.840.10008.1.1","status":"0x0000","status_meaning":"success","calling_ae":"CT01","called_ae":"PACS"}`,
		`dimse 10.1.0.5:40000 {,"command":"C-FIND-RQ","message_id":2,"sop_class_uid":"1.2.840.10008.5.1.4.1.2.2.1","query_level":"PATIENT","query":{"PatientName":"*","PatientID":""},"dataset_bytes":34,"calling_ae":"CT01","called_ae":"PACS"}`,
		`dimse 10.1.0.9:11112 {,"command":"C-FIND-RSP","message_id":2,"sop_class_uid":"1.2.840.10008.5.1.4.1.2.2.1","status":"0xA700","status_meaning":"out-of-resources","calling_ae":"CT01","called_ae":"PACS"}`,
		`release-rq 10.1.0.5:40000 {}`,
		`release-rp 10.1.0.9:11112 {}`,
	}
	if got := strings.Join(sink.Lines, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	for _, l := range sink.Lines {
		if strings.Contains(l, `"pw"`) {
			t.Errorf("the passcode is in %s", l)
		}
	}
}

func TestDICOMRejectAbortError(t *testing.T) {
	sink := &flowtest.JSONSink{Protocol: "dicom"}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{"dicom"}}, sink)
	segs := dicomSession()[:1]
	segs = append(segs, dicomSeg{1, ul.AppendReject(nil, ul.Reject{Result: 1, Source: 1, Reason: 7})})
	runDICOMSegs(t, e, netip.MustParseAddrPort("10.1.0.5:40001"), netip.MustParseAddrPort("10.1.0.9:104"), segs)
	segs = dicomSession()[:2]
	segs = append(segs, dicomSeg{0, []byte{0x09, 0, 0, 0, 0, 2, 0, 0}}, dicomSeg{0, ul.AppendAbort(nil, ul.Abort{Source: 0})})
	runDICOMSegs(t, e, netip.MustParseAddrPort("10.1.0.5:40002"), netip.MustParseAddrPort("10.1.0.9:104"), segs)
	e.Flush()
	var got []string
	for _, l := range sink.Lines {
		if !strings.HasPrefix(l, "associate-") || strings.HasPrefix(l, "associate-rj") {
			got = append(got, l)
		}
	}
	want := []string{
		`associate-rj 10.1.0.9:104 {,"result":"rejected-permanent","source":"service-user","reason":"called-ae-title-not-recognized"}`,
		`cleartext-login 10.1.0.5:40001 {,"protocol":"dicom","user":"user","success":false}`,
		`cleartext-login 10.1.0.5:40002 {,"protocol":"dicom","user":"user","success":true}`,
		fmt.Sprintf(`error 10.1.0.5:40002 {,"offset":%d,"error":"ul: unknown PDU type at offset %[1]d"}`, len(segs[0].data)),
		`abort 10.1.0.5:40002 {,"source":"service-user","reason":"not-specified"}`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestDICOMCorpus decodes the tapirx captures of the shared corpus.
func TestDICOMCorpus(t *testing.T) {
	dir := corpusDirFlow(t)
	files, _ := filepath.Glob(filepath.Join(dir, "tapirx-dicom_*.pcap"))
	if len(files) == 0 {
		t.Skip("no tapirx DICOM captures in the corpus")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			sink := &flowtest.JSONSink{Protocol: "dicom"}
			e := flowtest.NewEngine(t, flow.Config{}, sink)
			flowtest.RunFile(t, e, f)
			// Each capture holds one A-ASSOCIATE-RQ from a Go DICOM client
			// (pydicom-style, 4 contexts for C-FIND, 123 for C-GET), the
			// C-GET one split over two segments.
			if len(sink.Lines) != 1 || !strings.HasPrefix(sink.Lines[0], "associate-rq ") ||
				!strings.Contains(sink.Lines[0], `"called_ae":"`) || !strings.Contains(sink.Lines[0], `"impl_version":"GODICOM_1_1"`) {
				t.Errorf("events: %.300q", sink.Lines)
			}
		})
	}
}

func corpusDirFlow(t *testing.T) string { return testutil.Corpus(t, "pcap") }

// dicomCounter is the dicom decoder plus a PDU count per type, for the
// comparison with tshark.
type dicomCounter struct {
	decoder
	pdu [2]ul.Decoder
}

var dicomPDUCounts = map[string]int{}

func init() {
	flow.Register(flow.Protocol{Name: "dicom-count", Transport: flow.TCP, Ports: []uint16{104, 11112, 11114, 4242}, Match: ul.Sniff,
		New: func() flow.Decoder { return new(dicomCounter) }})
}

func (d *dicomCounter) Data(c *flow.Context, dir flow.Dir, data []byte) {
	p := &d.pdu[dir&1]
	p.Feed(data)
	for {
		it, err := p.Next()
		if err == ul.ErrNeedMore {
			break
		}
		if it.Kind == ul.KindPDU || it.Kind == ul.KindPData {
			dicomPDUCounts[it.Type.String()]++
		}
	}
	d.decoder.Data(c, dir, data)
}

// countItems counts the items and sub-items of an A-ASSOCIATE-RQ/AC the
// way tshark's dissection tree lists them.
func countItems(got dicomSummary, a *ul.Associate) {
	add := func(t int, n int) {
		if n > 0 {
			got[fmt.Sprintf("item 0x%02x", t)] += n
		}
	}
	b := func(v bool) int {
		if v {
			return 1
		}
		return 0
	}
	u := &a.UserInfo
	add(0x10, b(a.ApplicationContext != nil))
	for _, pc := range a.Contexts {
		if a.Type == ul.TypeAssociateRQ {
			add(0x20, 1)
			add(0x30, b(pc.AbstractSyntax != nil))
		} else {
			add(0x21, 1)
		}
		add(0x40, len(pc.TransferSyntaxes))
	}
	add(0x50, 1)
	add(0x51, b(u.HasMaxLength))
	add(0x52, b(u.ImplementationClassUID != nil))
	add(0x53, b(u.HasAsyncOps))
	add(0x54, len(u.Roles))
	add(0x55, b(u.ImplementationVersionName != nil))
	add(0x56, len(u.Extended))
	add(0x57, len(u.CommonExtended))
	if u.Identity.Present {
		add(0x58+b(a.Type == ul.TypeAssociateAC), 1)
	}
	for _, it := range a.Unknown {
		add(int(it.Type), 1)
	}
}

var (
	tsharkItem     = regexp.MustCompile(`Item Type: .*\(0x([0-9a-f]+)\)`)
	tsharkPDU      = regexp.MustCompile(`^PDU Type: .*\(0x([0-9a-f]+)\)$`)
	tsharkStatus   = regexp.MustCompile(`\(0000,0900\)\s+\d+ Status\s+.*\(0x([0-9a-f]+)\)`)
	tsharkMoveDest = regexp.MustCompile(`\(0000,0600\)\s+\d+ Move Destination\s+(\S+)`)
	tsharkInstance = regexp.MustCompile(`\(0000,1000\)\s+\d+ Affected SOP Instance UID\s+(\S+)`)
)

var tsharkCommand = regexp.MustCompile(`\(0000,0100\)\s+\d+ Command Field\s+([CN]-[A-Z-]+)`)

// dicomSummary counts PDU types, DIMSE commands and AE title pairs.
type dicomSummary map[string]int

// TestDICOMAgainstTshark compares, on every capture of real peers, the
// number of PDUs of each type, of DIMSE messages of each command, of each
// status, move destination and affected SOP instance UID, and the AE titles
// of each association request with what tshark's DICOM dissector finds.
func TestDICOMAgainstTshark(t *testing.T) {
	tshark := testutil.Tool(t, "tshark", "tshark")
	files, _ := filepath.Glob("../../dicom/ul/testdata/*.pcap*")
	files = slices.DeleteFunc(files, func(f string) bool { return filepath.Base(f) == "tls.pcap" })
	files = append(files, "../../examples/medscan/testdata/sample.pcapng")
	var corpus []string
	if root := testutil.CorpusRoot(); root != "" {
		corpus, _ = filepath.Glob(filepath.Join(root, "pcap", "tapirx-dicom_*.pcap"))
	}
	files = append(files, corpus...)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			compareWithTshark(t, tshark, file)
		})
	}
}

// compareWithTshark checks that medtap and tshark (decoding DICOM on the
// given TCP ports) see the same PDUs, AE titles, presentation items,
// commands, statuses, move destinations and SOP instances in file, and
// returns medtap's counts.
func compareWithTshark(t *testing.T, tshark, file string, ports ...string) dicomSummary {
	t.Helper()
	out := tsharkDICOM(t, tshark, file, ports...)
	want := dicomSummary{}
	// PDU types, and the AE titles of each request (the called AE
	// line comes before the calling one).
	var called string
	inRQ := false
	for _, line := range strings.Split(string(out), "\n") {
		line = strings.TrimSpace(line)
		if m := tsharkPDU.FindStringSubmatch(line); m != nil {
			n, _ := strconv.ParseUint(m[1], 16, 8)
			want["pdu "+ul.Type(n).String()]++
			inRQ = n == 1
			continue
		}
		if inRQ {
			if v, ok := strings.CutPrefix(line, "Called  AE Title:"); ok {
				called = strings.TrimSpace(v)
			} else if v, ok := strings.CutPrefix(line, "Calling AE Title:"); ok {
				want["ae "+strings.TrimSpace(v)+"->"+called]++
				inRQ = false
			}
		}
	}
	// The Info column lists a command once per packet even when the
	// packet holds several: count the decoded command fields.
	for _, m := range tsharkCommand.FindAllStringSubmatch(string(out), -1) {
		want["dimse "+m[1]]++
	}
	for _, m := range tsharkStatus.FindAllStringSubmatch(string(out), -1) {
		v, _ := strconv.ParseUint(m[1], 16, 16)
		want[fmt.Sprintf("status 0x%04X", v)]++
	}
	for _, m := range tsharkMoveDest.FindAllStringSubmatch(string(out), -1) {
		want["move-destination "+m[1]]++
	}
	for _, m := range tsharkInstance.FindAllStringSubmatch(string(out), -1) {
		want["instance "+m[1]]++
	}
	for _, m := range tsharkItem.FindAllStringSubmatch(string(out), -1) {
		want["item 0x"+m[1]]++
	}
	clear(dicomPDUCounts)
	got := dicomSummary{}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{"dicom-count"}}, flow.SinkFunc(func(ev *flow.Event) {
		switch d := ev.Detail.(type) {
		case *Associate:
			if d.Associate.Type == ul.TypeAssociateRQ {
				got["ae "+string(d.Associate.CallingAE)+"->"+string(d.Associate.CalledAE)]++
			}
			countItems(got, d.Associate)
		case *DIMSE:
			m := d.Message
			got["dimse "+m.Command.String()]++
			if m.HasStatus {
				got[fmt.Sprintf("status 0x%04X", uint16(m.Status))]++
			}
			if len(m.MoveDestination) > 0 {
				got["move-destination "+string(m.MoveDestination)]++
			}
			if len(m.AffectedSOPInstance) > 0 {
				got["instance "+string(m.AffectedSOPInstance)]++
			}
		case *flow.DecodeErrorDetail:
			t.Errorf("decode error: %v", d.Err)
		}
	}))
	flowtest.RunFile(t, e, file)
	e.Flush()
	for k, v := range dicomPDUCounts {
		got["pdu "+k] = v
	}
	compareCounts(t, got, want)
	return got
}

// dicomPorts are the TCP ports of the committed captures' DICOM traffic.
var dicomPorts = []string{"104", "11112", "11114", "4242", "11140", "11141", "11142"}

// tsharkDICOM returns tshark's dissection of the DICOM packets of file
// (-O dicom), the given ports (dicomPorts when none) decoded as DICOM.
func tsharkDICOM(t *testing.T, tshark, file string, ports ...string) []byte {
	t.Helper()
	if len(ports) == 0 {
		ports = dicomPorts
	}
	args := []string{"-n", "-r", file, "-Y", "dicom", "-O", "dicom"}
	for _, p := range ports {
		args = append(args, "-d", "tcp.port=="+p+",dicom")
	}
	out, err := exec.Command(tshark, args...).Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	return out
}

// compareCounts fails t unless medtap's counts equal tshark's, which must
// count something.
func compareCounts(t *testing.T, got, want map[string]int) {
	t.Helper()
	if len(want) == 0 {
		t.Fatal("tshark found nothing to compare")
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("medtap: %v\ntshark: %v", got, want)
	}
	t.Logf("%v", got)
}

// TestDICOMAllocs checks that following a steady DICOM association (a
// C-FIND request with its identifier and a response per pair of packets)
// and rendering its events as JSON allocates nothing.
func TestDICOMAllocs(t *testing.T) {
	if pkttest.RaceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	client := netip.MustParseAddrPort("10.1.0.5:40010")
	server := netip.MustParseAddrPort("10.1.0.9:104")
	s := dicomSession()
	const runs = 200
	seq := [2]uint32{1000, 5000}
	var pkts [][]byte
	add := func(dir flow.Dir, flags uint8, data []byte) {
		src, dst := client, server
		if dir == flow.ServerToClient {
			src, dst = server, client
		}
		pkts = append(pkts, pkttest.RawTCP(src, dst, seq[dir], flags, data))
		seq[dir] += uint32(len(data))
	}
	add(0, flow.FlagSYN, nil)
	seq[0]++
	add(1, flow.FlagSYN|flow.FlagACK, nil)
	seq[1]++
	add(0, flow.FlagACK|flow.FlagPSH, s[0].data)
	add(1, flow.FlagACK|flow.FlagPSH, s[1].data)
	for range runs + 2 {
		add(0, flow.FlagACK|flow.FlagPSH, s[4].data) // C-FIND-RQ and identifier
		add(1, flow.FlagACK|flow.FlagPSH, s[5].data) // C-FIND-RSP
	}
	sink := &flowtest.CountSink{Buf: make([]byte, 0, 4096)}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{"dicom"}}, sink)
	i := 0
	feedOne := func() {
		for range 2 {
			if err := e.Packet(pkttest.T0, flow.LinkRaw, pkts[i]); err != nil {
				t.Fatal(err)
			}
			i++
		}
	}
	feedOne()
	feedOne()
	feedOne() // warm up: the flow, the association's buffers
	before := sink.Events
	if n := testing.AllocsPerRun(runs, feedOne); n != 0 {
		t.Errorf("a C-FIND exchange allocates %.1f times", n)
	}
	if per := (sink.Events - before) / (runs + 1); per != 2 {
		t.Errorf("%d events per exchange, want 2", per)
	}
}

// TestDICOMRealPeerEvents checks events of the real-peer captures that
// tshark cannot tell: the user identity of storescu --user (type reported,
// password never). (DICOM over TLS is tested in package tlsflow.)
func TestDICOMRealPeerEvents(t *testing.T) {
	run := func(file string, protos ...string) []string {
		sink := &flowtest.JSONSink{Protocol: protos[0]}
		e := flowtest.NewEngine(t, flow.Config{Protocols: protos}, sink)
		flowtest.RunFile(t, e, file)
		e.Flush()
		return sink.Lines
	}
	id := run("../../dicom/ul/testdata/identity.pcap", "dicom")
	if len(id) == 0 || !strings.Contains(id[0], `"calling_ae":"CT_SCANNER"`) || !strings.Contains(id[0], `"user_identity_type":"username-password"`) {
		t.Errorf("identity: %.300q", id)
	}
	for _, l := range id {
		if strings.Contains(l, "secret") {
			t.Errorf("password in an event: %s", l)
		}
	}
}

// TestDICOMIncompleteStore checks that a C-STORE cut by the end of the
// capture is still reported, flagged incomplete.
func TestDICOMIncompleteStore(t *testing.T) {
	s := dicomSession()
	var ds []byte
	ds = dicom.AppendString(ds, dicom.ExplicitVRLittleEndian, 0x00080016, dicom.UI, "1.2.840.10008.5.1.4.1.1.2")
	ds = dicom.AppendString(ds, dicom.ExplicitVRLittleEndian, 0x00080018, dicom.UI, "1.2.3.99")
	ds = dicom.AppendElement(ds, dicom.ExplicitVRLittleEndian, 0x7FE00010, dicom.OW, make([]byte, 20000))
	store := append(ul.AppendMessagePart(nil, 3, true, dicomCmd(ul.CStoreRQ, 9, dStr(0x00000002, dicom.UI, "1.2.840.10008.5.1.4.1.1.2"), dUS(0x00000800, 0)), 0),
		ul.AppendMessagePart(nil, 3, false, ds, 4096)...)
	segs := []dicomSeg{s[0], s[1], {0, store[:10000]}}
	sink := &flowtest.JSONSink{Protocol: "dicom"}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{"dicom"}}, sink)
	runDICOMSegs(t, e, netip.MustParseAddrPort("10.1.0.5:40020"), netip.MustParseAddrPort("10.1.0.9:104"), segs)
	e.Flush()
	last := sink.Lines[len(sink.Lines)-1]
	if !strings.HasPrefix(last, `dimse 10.1.0.5:40020 {,"command":"C-STORE-RQ","message_id":9`) || !strings.Contains(last, `"incomplete":true`) {
		t.Errorf("events:\n%s", strings.Join(sink.Lines, "\n"))
	}
}

// TestDICOMMidAssociation decodes a capture that starts after the
// association was negotiated, on a port nobody registered.
func TestDICOMMidAssociation(t *testing.T) {
	sink := &flowtest.JSONSink{Protocol: "dicom"}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{"dicom"}}, sink)
	runDICOMSegs(t, e, netip.MustParseAddrPort("10.1.0.5:40030"), netip.MustParseAddrPort("10.1.0.9:5555"), dicomSession()[2:])
	e.Flush()
	want := []string{
		`dimse 10.1.0.5:40030 {,"command":"C-ECHO-RQ","message_id":1,"sop_class_uid":"1.2.840.10008.1.1"}`,
		`dimse 10.1.0.9:5555 {,"command":"C-ECHO-RSP","message_id":1,"sop_class_uid":"1.2.840.10008.1.1","status":"0x0000","status_meaning":"success"}`,
		`dimse 10.1.0.5:40030 {,"command":"C-FIND-RQ","message_id":2,"sop_class_uid":"1.2.840.10008.5.1.4.1.2.2.1","query_level":"PATIENT","query":{"PatientName":"*","PatientID":""},"dataset_bytes":34}`,
		`dimse 10.1.0.9:5555 {,"command":"C-FIND-RSP","message_id":2,"sop_class_uid":"1.2.840.10008.5.1.4.1.2.2.1","status":"0xA700","status_meaning":"out-of-resources"}`,
		`release-rq 10.1.0.5:40030 {}`,
		`release-rp 10.1.0.9:5555 {}`,
	}
	if got := strings.Join(sink.Lines, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
}

// TestDICOMCommandBudget sends a C-ECHO-RQ whose command set (about 100 KiB,
// with a long Display Format element) exceeds ul's 64 KiB default: it is
// reported as an error by default and under a smaller MaxMessageBytes, and
// decoded when MaxMessageBytes allows it.
func TestDICOMCommandBudget(t *testing.T) {
	s := dicomSession()
	big := dicomCmd(ul.CEchoRQ, 7, dStr(0x00000002, dicom.UI, "1.2.840.10008.1.1"), dUS(0x00000800, 0x0101),
		dStr(0x00005110, dicom.LT, strings.Repeat("x", 100000)))
	segs := []dicomSeg{s[0], s[1], {0, ul.AppendMessagePart(nil, 1, true, big, 16384)}}
	tests := []struct {
		name    string
		cfg     flow.Config
		decoded bool
	}{
		{"default", flow.Config{}, false},
		{"MaxMessageBytes-80KiB", flow.Config{MaxMessageBytes: 80 << 10}, false},
		{"MaxMessageBytes-1MiB", flow.Config{MaxMessageBytes: 1 << 20}, true},
		{"exact", flow.Config{MaxMessageBytes: len(big)}, true},
		{"one-short", flow.Config{MaxMessageBytes: len(big) - 1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sink := &flowtest.JSONSink{Protocol: "dicom"}
			tt.cfg.Protocols = []string{"dicom"}
			e := flowtest.NewEngine(t, tt.cfg, sink)
			runDICOMSegs(t, e, netip.MustParseAddrPort("10.1.0.5:40040"), netip.MustParseAddrPort("10.1.0.9:104"), segs)
			e.Flush()
			last := sink.Lines[len(sink.Lines)-1]
			echo := `dimse 10.1.0.5:40040 {,"command":"C-ECHO-RQ","message_id":7,"sop_class_uid":"1.2.840.10008.1.1"`
			tooLong := `error 10.1.0.5:40040 {,"offset":` + strconv.Itoa(len(s[0].data)+12) + `,"error":"` + ul.ErrCommandTooLong.Error()
			if tt.decoded && !strings.HasPrefix(last, echo) || !tt.decoded && !strings.HasPrefix(last, tooLong) {
				t.Errorf("last event:\n%s\nwant prefix:\n%s", last, map[bool]string{true: echo, false: tooLong}[tt.decoded])
			}
		})
	}
}

// TestDICOMDatasetHeaderBudget checks that MaxDatasetHeaderBytes reaches the
// association: with 26 bytes kept (Query/Retrieve Level and Patient's
// Name), the C-FIND identifier's second key is lost; with the default, both
// are reported.
func TestDICOMDatasetHeaderBudget(t *testing.T) {
	for _, tt := range []struct {
		hdr  int
		want string
	}{
		{0, `"query":{"PatientName":"*","PatientID":""}`},
		{26, `"query":{"PatientName":"*"}`},
	} {
		sink := &flowtest.JSONSink{Protocol: "dicom"}
		e := flowtest.NewEngine(t, flow.Config{Protocols: []string{"dicom"}, MaxDatasetHeaderBytes: tt.hdr}, sink)
		runDICOMSegs(t, e, netip.MustParseAddrPort("10.1.0.5:40050"), netip.MustParseAddrPort("10.1.0.9:104"), dicomSession())
		e.Flush()
		var find string
		for _, l := range sink.Lines {
			if strings.Contains(l, `"C-FIND-RQ"`) {
				find = l
			}
		}
		if !strings.Contains(find, tt.want) {
			t.Errorf("MaxDatasetHeaderBytes %d: C-FIND-RQ event %s, want %s", tt.hdr, find, tt.want)
		}
	}
}

// TestDICOMPDataOverMessageBudget checks that MaxMessageBytes, which caps
// what the decoder buffers, does not reject a P-DATA-TF PDU longer than it:
// P-DATA-TF is streamed, never buffered.
func TestDICOMPDataOverMessageBudget(t *testing.T) {
	s := dicomSession()
	ex := dicom.ExplicitVRLittleEndian
	var id []byte
	id = dicom.AppendString(id, ex, 0x00080052, dicom.CS, "PATIENT")
	id = dicom.AppendString(id, ex, 0x00100010, dicom.PN, "*")
	id = dicom.AppendString(id, ex, 0x00104000, dicom.LT, strings.Repeat("x", 20000))
	find := dStr(0x00000002, dicom.UI, "1.2.840.10008.5.1.4.1.2.2.1")
	pdata := ul.AppendMessagePart(nil, 3, false, id, 0) // one PDU of about 20 KB
	segs := []dicomSeg{s[0], s[1],
		{0, append(ul.AppendMessagePart(nil, 3, true, dicomCmd(ul.CFindRQ, 2, find, dUS(0x00000800, 0)), 0), pdata...)}}
	sink := &flowtest.JSONSink{Protocol: "dicom"}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{"dicom"}, MaxMessageBytes: 4096}, sink)
	runDICOMSegs(t, e, netip.MustParseAddrPort("10.1.0.5:40060"), netip.MustParseAddrPort("10.1.0.9:104"), segs)
	e.Flush()
	got := strings.Join(sink.Lines, "\n")
	if strings.Contains(got, "error ") || !strings.Contains(got, `"command":"C-FIND-RQ","message_id":2`) || !strings.Contains(got, `"query_level":"PATIENT"`) {
		t.Errorf("events:\n%s", got)
	}
}

// TestDICOMDecoderBytes checks that an A-ASSOCIATE-RQ split across packets
// counts in [flow.Stats.DecoderBytes] while the decoder collects it.
func TestDICOMDecoderBytes(t *testing.T) {
	rq := dicomSession()[0].data
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{"dicom"}}, nil)
	runDICOMSegs(t, e, netip.MustParseAddrPort("10.1.0.5:40070"), netip.MustParseAddrPort("10.1.0.9:104"), []dicomSeg{{0, rq[:100]}})
	if got, want := e.Stats().DecoderBytes, uint64(100-ul.HeaderLen); got != want {
		t.Errorf("half a PDU: DecoderBytes %d, want %d", got, want)
	}
	e.Flush()
	if got := e.Stats().DecoderBytes; got != 0 {
		t.Errorf("after Flush: DecoderBytes %d", got)
	}
}

// TestMaxMessageBytesSample checks that Config.MaxMessageBytes reaches the
// DICOM decoder on the sample capture.
func TestMaxMessageBytesSample(t *testing.T) {
	// The sample's largest A-ASSOCIATE-RQ is about 4 KiB.
	sample := filepath.Join(testutil.RepoRoot(t), "examples", "medscan", "testdata", "sample.pcapng")
	count := func(limit int) uint64 {
		e := flowtest.NewEngine(t, flow.Config{MaxMessageBytes: limit}, nil)
		flowtest.RunFile(t, e, sample)
		return e.Stats().ProtocolErrors["dicom"]
	}
	if n := count(0); n != 0 {
		t.Fatalf("default limit: %d dicom errors", n)
	}
	if n := count(1024); n == 0 {
		t.Fatal("1 KiB limit: no dicom error")
	}
}

// TestDICOMIdentifiedByReply checks that a flow on a port DICOM is not
// known to use, whose client sends a scanner's probe (an RDP X.224
// connection request), is identified as DICOM from the server's A-ABORT
// answer, and that the abort is reported.
func TestDICOMIdentifiedByReply(t *testing.T) {
	sink := &flowtest.JSONSink{Protocol: Name}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{Name}}, sink)
	client := netip.MustParseAddrPort("10.99.0.66:41000")
	server := netip.MustParseAddrPort("10.20.1.10:11113")
	rdp := []byte("\x03\x00\x00\x2b\x26\xe0\x00\x00\x00\x00\x00Cookie: mstshash=nmap\r\n\x01\x00\x08\x00\x03\x00\x00\x00")
	for i, p := range [][]byte{
		pkttest.RawTCP(client, server, 100, flow.FlagSYN, nil),
		pkttest.RawTCP(server, client, 500, flow.FlagSYN|flow.FlagACK, nil),
		pkttest.RawTCP(client, server, 101, flow.FlagACK|flow.FlagPSH, rdp),
		pkttest.RawTCP(server, client, 501, flow.FlagACK|flow.FlagPSH, ul.AppendAbort(nil, ul.Abort{Source: 2, Reason: 2})),
		pkttest.RawTCP(server, client, 511, flow.FlagFIN|flow.FlagACK, nil),
	} {
		e.Packet(pkttest.T0.Add(pkttest.MS(i)), flow.LinkRaw, p)
	}
	e.Flush()
	want := `abort 10.20.1.10:11113 {,"source":"service-provider","reason":"unexpected-pdu"}`
	if len(sink.Lines) != 1 || sink.Lines[0] != want {
		t.Errorf("events %q, want [%s]", sink.Lines, want)
	}
}
