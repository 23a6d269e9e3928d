package smbflow

import (
	"encoding/hex"
	"fmt"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/flowtest"
	"github.com/medtap/medtap/internal/testutil"

	"github.com/medtap/medtap/netproto/ntlmssp"
	"github.com/medtap/medtap/netproto/smb"
)

// counter is a test protocol that counts what the SMB decoder finds in
// every message (by command), transform header and NTLMSSP message, for
// the comparison with tshark's counts of smb.cmd, smb2.cmd and
// ntlmssp.messagetype.
type counter struct{ dec [2]smb.Decoder }

var counts = map[string]int{}

func init() {
	flow.Register(flow.Protocol{Name: "smb-count", Transport: flow.TCP, Ports: []uint16{445, 139}, Match: smb.Sniff,
		New: func() flow.Decoder { return new(counter) }})
}

func (k *counter) Data(c *flow.Context, dir flow.Dir, data []byte) {
	d := &k.dec[dir&1]
	d.Feed(data)
	for {
		it, err := d.Next()
		if err == smb.ErrNeedMore {
			return
		}
		if err != nil {
			counts["error"]++
			continue
		}
		switch it.Kind {
		case smb.KindTransform:
			counts["transform"]++
		case smb.KindMessage:
			m := &it.Message
			var blob []byte
			if m.Protocol == smb.SMB1 {
				counts[fmt.Sprintf("smb.cmd %#02x", uint8(m.Header1.Command))]++
				if m.Header1.Command == smb.ComSessionSetupAndX {
					if m.Response() {
						r, _ := m.SessionSetupResponse1()
						blob = r.SecurityBlob
					} else {
						r, _ := m.SessionSetupRequest1()
						blob = r.SecurityBlob
					}
				}
			} else {
				counts[fmt.Sprintf("smb2.cmd %d", m.Header2.Command)]++
				if m.Header2.Command == smb.SessionSetup2 {
					if m.Response() {
						r, _ := m.SessionSetupResponse2()
						blob = r.SecurityBuffer
					} else {
						r, _ := m.SessionSetupRequest2()
						blob = r.SecurityBuffer
					}
				}
			}
			if tok, err := ntlmssp.Unwrap(blob); err == nil {
				if msg, err := ntlmssp.Parse(tok); err == nil {
					counts[fmt.Sprintf("ntlmssp.messagetype %#08x", uint32(msg.Type))]++
				}
			}
		}
	}
}

func (k *counter) Gap(c *flow.Context, dir flow.Dir, n int) { k.dec[dir&1].Gap(n) }
func (k *counter) Close(c *flow.Context)                    {}

// record is what one event (or one tshark row) says, keyed by the client's
// port: a kind and its fields in a fixed order.
type record struct {
	port   uint16
	kind   string
	fields []string
}

func (r record) String() string {
	return fmt.Sprintf("%d %s %s", r.port, r.kind, strings.Join(r.fields, " "))
}

// recordSink turns events into the records tshark's fields are compared
// with.
type recordSink struct{ recs []record }

func clientPort(e *flow.Event) uint16 {
	if p := e.Dst.Port(); p == 445 || p == 139 {
		return e.Src.Port()
	}
	return e.Dst.Port()
}

// isSMB2Name reports whether a dialect name is an SMB2 dialect's ("2.1").
func isSMB2Name(s []byte) bool { return len(s) > 0 && s[0] >= '0' && s[0] <= '9' }

func (s *recordSink) Event(e *flow.Event) {
	if e.Protocol != Name {
		return
	}
	p := clientPort(e)
	add := func(kind string, fields ...string) { s.recs = append(s.recs, record{p, kind, fields}) }
	switch d := e.Detail.(type) {
	case *Negotiate:
		if len(d.Called) > 0 {
			add("netbios", "called="+string(d.Called), "calling="+string(d.Calling))
		}
		var names []string
		for _, n := range d.Dialects {
			names = append(names, string(n))
		}
		if len(d.Dialects) > 0 && !isSMB2Name(d.Dialects[0]) {
			add("request1", "dialects="+strings.Join(names, ","))
		} else if len(d.Dialects) > 0 {
			var ctx []string
			for _, c := range d.Contexts {
				ctx = append(ctx, c.String())
			}
			add("request2", "dialects="+strings.Join(names, ","), "contexts="+strings.Join(ctx, ","), "netname="+string(d.NetName))
		}
		switch {
		case !d.Responded:
		case d.SMB1Chosen || d.DialectIndex >= 0:
			add("response1", "index="+strconv.Itoa(d.DialectIndex), "guid="+guidString(d.ServerGUID), fmt.Sprintf("mode=%d", d.SecurityMode),
				fmt.Sprintf("caps=%d", d.Capabilities), "domain="+string(d.NetBIOSDomain), "server="+string(d.NetBIOSComputer))
		default:
			add("response2", "dialect="+string(d.Dialect), "guid="+guidString(d.ServerGUID), fmt.Sprintf("mode=%d", d.SecurityMode),
				fmt.Sprintf("caps=%d", d.Capabilities))
		}
	case *Challenge:
		ts := ""
		if !d.Timestamp.IsZero() {
			ts = d.Timestamp.Format(tsharkTime)
		}
		add("challenge", "version="+string(d.OSVersion), "nb_computer="+string(d.NetBIOSComputer), "nb_domain="+string(d.NetBIOSDomain),
			"dns_computer="+string(d.DNSComputer), "dns_domain="+string(d.DNSDomain), "dns_tree="+string(d.DNSTree),
			"target="+string(d.TargetName), "timestamp="+ts, "native_os="+string(d.NativeOS), "native_lanman="+string(d.NativeLanMan))
	case *Auth:
		add("auth", "user="+string(d.User), "domain="+string(d.Domain), "workstation="+string(d.Workstation),
			"version="+string(d.OSVersion), "response="+d.Response, "native_os="+string(d.NativeOS), "native_lanman="+string(d.NativeLanMan))
	}
}

func guidString(g smb.GUID) string {
	if g.IsZero() {
		return ""
	}
	return g.String()
}

// tsharkTime is how tshark prints an absolute time field.
const tsharkTime = "Jan _2, 2006 15:04:05.000000000 UTC"

// tsharkRows runs tshark over the capture with a display filter and
// returns, for each packet, the client's port and the fields (several
// occurrences joined by commas).
func tsharkRows(t *testing.T, tshark, filter string, fields ...string) [][]string {
	args := []string{"-r", capture, "-Y", filter, "-T", "fields", "-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=,",
		"-e", "tcp.srcport", "-e", "tcp.dstport"}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	out, err := exec.Command(tshark, args...).Output()
	if err != nil {
		t.Fatalf("tshark %s: %v", filter, err)
	}
	var rows [][]string
	for _, line := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
		if line == "" {
			continue
		}
		f := strings.Split(line, "\t")
		port := f[0]
		if f[0] == "445" || f[0] == "139" {
			port = f[1]
		}
		rows = append(rows, append([]string{port}, f[2:]...))
	}
	return rows
}

// tsharkRecords reads what tshark dissects into the records of recordSink.
func tsharkRecords(t *testing.T, tshark string) []record {
	var recs []record
	add := func(row []string, kind string, fields ...string) {
		p, _ := strconv.Atoi(row[0])
		recs = append(recs, record{uint16(p), kind, fields})
	}
	hexList := func(s string, name func(uint16) string) string {
		if s == "" {
			return ""
		}
		var out []string
		for _, v := range strings.Split(s, ",") {
			n, _ := strconv.ParseUint(strings.TrimPrefix(v, "0x"), 16, 16)
			out = append(out, name(uint16(n)))
		}
		return strings.Join(out, ",")
	}
	num := func(s string) string {
		n, _ := strconv.ParseUint(s, 0, 32)
		return strconv.FormatUint(n, 10)
	}
	null := func(s string) string { // tshark writes an empty NTLMSSP string as NULL
		if s == "NULL" {
			return ""
		}
		return s
	}
	for _, r := range tsharkRows(t, tshark, "nbss.type==0x81", "nbss.called_name", "nbss.calling_name") {
		trim := func(s string) string { return strings.TrimRight(s[:strings.LastIndexByte(s, '<')], " ") }
		add(r, "netbios", "called="+trim(r[1]), "calling="+trim(r[2]))
	}
	for _, r := range tsharkRows(t, tshark, "smb.cmd==0x72 && smb.flags.response==0", "smb.dialect") {
		add(r, "request1", "dialects="+r[1])
	}
	for _, r := range tsharkRows(t, tshark, "smb2.cmd==0 && smb2.flags.response==0", "smb2.dialect", "smb2.negotiate_context.type", "smb2.negotiate_context.netname") {
		add(r, "request2", "dialects="+hexList(r[1], func(v uint16) string { return smb.Dialect(v).String() }),
			"contexts="+hexList(r[2], func(v uint16) string { return smb.ContextType(v).String() }), "netname="+r[3])
	}
	for _, r := range tsharkRows(t, tshark, "smb.cmd==0x72 && smb.flags.response==1", "smb.dialect.index", "smb.server_guid", "smb.sm",
		"smb.server_cap", "smb.primary_domain", "smb.server") {
		add(r, "response1", "index="+r[1], "guid="+smb1GUID(r[2]), "mode="+num(r[3]), "caps="+num(r[4]), "domain="+r[5], "server="+r[6])
	}
	for _, r := range tsharkRows(t, tshark, "smb2.cmd==0 && smb2.flags.response==1", "smb2.dialect", "smb2.server_guid", "smb2.sec_mode", "smb2.capabilities") {
		add(r, "response2", "dialect="+hexList(r[1], func(v uint16) string { return smb.Dialect(v).String() }), "guid="+r[2],
			"mode="+num(r[3]), "caps="+num(r[4]))
	}
	ti := "ntlmssp.challenge.target_info."
	for _, r := range tsharkRows(t, tshark, "ntlmssp.messagetype==2", "ntlmssp.version.major", "ntlmssp.version.minor", "ntlmssp.version.build_number",
		ti+"nb_computer_name", ti+"nb_domain_name", ti+"dns_computer_name", ti+"dns_domain_name", ti+"dns_tree_name",
		"ntlmssp.challenge.target_name", ti+"timestamp", "smb.native_os", "smb.native_lanman") {
		ts := r[10]
		if ts != "" {
			at, err := time.Parse(tsharkTime, ts)
			if err != nil {
				t.Fatal(err)
			}
			ts = at.Format(tsharkTime)
		}
		add(r, "challenge", "version="+r[1]+"."+r[2]+"."+r[3], "nb_computer="+r[4], "nb_domain="+r[5], "dns_computer="+r[6],
			"dns_domain="+r[7], "dns_tree="+r[8], "target="+r[9], "timestamp="+ts, "native_os="+r[11], "native_lanman="+r[12])
	}
	for _, r := range tsharkRows(t, tshark, "ntlmssp.messagetype==3", "ntlmssp.auth.username", "ntlmssp.auth.domain", "ntlmssp.auth.hostname",
		"ntlmssp.version.major", "ntlmssp.version.minor", "ntlmssp.version.build_number", "ntlmssp.auth.ntresponse", "smb.native_os", "smb.native_lanman") {
		nt, _ := hex.DecodeString(r[7])
		response := "ntlmv2"
		switch {
		case null(r[1]) == "" && null(r[2]) == "":
			response = "anonymous"
		case len(nt) == 24:
			response = "ntlmv1"
		}
		add(r, "auth", "user="+null(r[1]), "domain="+null(r[2]), "workstation="+null(r[3]), "version="+r[4]+"."+r[5]+"."+r[6],
			"response="+response, "native_os="+r[8], "native_lanman="+r[9])
	}
	for _, r := range tsharkRows(t, tshark, "smb.cmd==0x73 && smb.flags.response==0 && smb.wct==13", "smb.account", "smb.primary_domain",
		"smb.ansi_pwlen", "smb.unicode_pwlen", "smb.native_os", "smb.native_lanman") {
		response := map[string]string{"24": "ntlmv1", "0": "anonymous"}[r[4]]
		add(r, "auth", "user="+r[1], "domain="+r[2], "workstation=", "version=", "response="+response, "native_os="+r[5], "native_lanman="+r[6])
	}
	return recs
}

// smb1GUID converts tshark's SMB1 server GUID, which it prints with the
// bytes in wire order, to the usual form the SMB2 dissector and medtap use.
func smb1GUID(s string) string {
	b, err := hex.DecodeString(strings.ReplaceAll(s, "-", ""))
	if err != nil || len(b) != 16 {
		return s
	}
	g := smb.GUID(b)
	return guidString(g)
}

// byPort groups records by client port, keeping their order.
func byPort(recs []record) map[uint16][]record {
	m := map[uint16][]record{}
	for _, r := range recs {
		m[r.port] = append(m[r.port], r)
	}
	return m
}

// sortKinds orders each connection's records by kind, so that a
// connection's requests and responses compare whatever the order in which
// events and packets interleave.
func sortKinds(recs []record) {
	order := map[string]int{"netbios": 0, "request1": 1, "response1": 2, "request2": 3, "response2": 4, "challenge": 5, "auth": 6}
	slices.SortStableFunc(recs, func(a, b record) int { return order[a.kind] - order[b.kind] })
}

// TestAgainstTshark compares every field of every event on the capture
// with what tshark's SMB, SMB2, NBSS and NTLMSSP dissectors find, and the
// numbers of SMB1 and SMB2 messages by command, of transform headers and
// of NTLMSSP messages by type with tshark's.
func TestAgainstTshark(t *testing.T) {
	tshark := testutil.Tool(t, "tshark", "tshark")
	sink := &recordSink{}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{Name}}, sink)
	flowtest.RunFile(t, e, capture)
	got, want := byPort(sink.recs), byPort(tsharkRecords(t, tshark))
	events, fields, bad := 0, 0, 0
	for port, w := range want {
		g := got[port]
		sortKinds(g)
		sortKinds(w)
		if len(g) != len(w) {
			t.Errorf("client port %d: %d records, tshark %d:\n%v\n%v", port, len(g), len(w), g, w)
			bad++
			continue
		}
		for i := range w {
			events++
			if g[i].kind != w[i].kind || len(g[i].fields) != len(w[i].fields) {
				t.Errorf("port %d: got %v, tshark %v", port, g[i], w[i])
				bad++
				continue
			}
			for j := range w[i].fields {
				fields++
				if g[i].fields[j] != w[i].fields[j] {
					t.Errorf("port %d %s: %s, tshark %s", port, w[i].kind, g[i].fields[j], w[i].fields[j])
					bad++
				}
			}
		}
	}
	for port := range got {
		if _, ok := want[port]; !ok {
			t.Errorf("client port %d: records tshark does not have: %v", port, got[port])
		}
	}

	// Message counts.
	clear(counts)
	e = flowtest.NewEngine(t, flow.Config{Protocols: []string{"smb-count"}}, nil)
	flowtest.RunFile(t, e, capture)
	wantCounts := map[string]int{}
	for _, r := range tsharkRows(t, tshark, "smb || smb2", "smb.cmd", "smb2.cmd", "smb2.header.transform.msg_size", "ntlmssp.messagetype") {
		for i, name := range []string{"smb.cmd", "smb2.cmd", "transform", "ntlmssp.messagetype"} {
			if r[i+1] == "" {
				continue
			}
			for _, v := range strings.Split(r[i+1], ",") {
				switch name {
				case "transform":
					wantCounts["transform"]++
				case "smb2.cmd":
					wantCounts[name+" "+v]++
				default:
					n, _ := strconv.ParseUint(v, 0, 32)
					if name == "smb.cmd" && n == 0xff {
						continue // the AndX "no further command" marker, which tshark lists as a command
					}
					if name == "smb.cmd" {
						wantCounts[fmt.Sprintf("smb.cmd %#02x", n)]++
					} else {
						wantCounts[fmt.Sprintf("ntlmssp.messagetype %#08x", n)]++
					}
				}
			}
		}
	}
	messages := 0
	for k, n := range wantCounts {
		messages += n
		if counts[k] != n {
			t.Errorf("%s: %d, tshark %d", k, counts[k], n)
			bad++
		}
	}
	for k, n := range counts {
		if _, ok := wantCounts[k]; !ok {
			t.Errorf("%s: %d, tshark none", k, n)
			bad++
		}
	}
	t.Logf("tshark agreement: %d records from events (%d fields), %d messages in %d counts by kind: %d disagreements",
		events, fields, messages, len(wantCounts), bad)
	if events == 0 {
		t.Error("no events compared")
	}
}
