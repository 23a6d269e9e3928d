package tlsflow

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/flowtest"
	"github.com/medtap/medtap/internal/testutil"
	"github.com/medtap/medtap/netproto/tlshello"
)

const peers = "../../netproto/tlshello/testdata/peers.pcap"

// A pdmlField is a field or protocol of tshark's PDML output.
type pdmlField struct {
	Name  string      `xml:"name,attr"`
	Show  string      `xml:"show,attr"`
	Value string      `xml:"value,attr"`
	Kids  []pdmlField `xml:",any"`
}

// find returns the fields named name under f, depth first, in order.
func (f *pdmlField) find(name string) []*pdmlField {
	var out []*pdmlField
	for i := range f.Kids {
		k := &f.Kids[i]
		if k.Name == name {
			out = append(out, k)
		}
		out = append(out, k.find(name)...)
	}
	return out
}

func (f *pdmlField) first(name string) *pdmlField {
	if l := f.find(name); len(l) > 0 {
		return l[0]
	}
	return nil
}

func (f *pdmlField) show(name string) string {
	if k := f.first(name); k != nil {
		return k.Show
	}
	return ""
}

// A tsMsg is what tshark makes of one handshake message or record, in
// stream order: a handshake message (its PDML) or, with nil, a
// ChangeCipherSpec or application-data record.
type tsMsg struct {
	hs     *pdmlField
	record string // the content type of an encrypted record
}

// hrr reports whether a ServerHello is a HelloRetryRequest.
func hrr(hs *pdmlField) bool {
	return strings.ReplaceAll(hs.show("tls.handshake.random"), ":", "") == "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c"
}

// tsharkDirections runs tshark over file and returns the handshake
// messages and encrypted records of each direction, keyed by "src dst".
func tsharkDirections(t *testing.T, file string) (map[string][]tsMsg, []string) {
	tshark := testutil.Tool(t, "tshark", "tshark")
	// TLS over TCP, not inside QUIC, nor after a SOCKS handshake (the
	// engine identifies a protocol by its first bytes).
	out, err := exec.Command(tshark, "-n", "-r", file, "-Y", "tls && tcp && !socks", "-T", "pdml").Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	var doc struct {
		Packets []pdmlField `xml:"packet"`
	}
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	dirs := map[string][]tsMsg{}
	var order []string
	conn := map[string]int{}     // tcp.stream to the connection's number among those of its addresses
	numbered := map[string]int{} // connections of the same addresses so far
	for i := range doc.Packets {
		p := &doc.Packets[i]
		src := netip.AddrPortFrom(netip.MustParseAddr(p.show("ip.src")+p.show("ipv6.src")), uint16(atoi(p.show("tcp.srcport"))))
		dst := netip.AddrPortFrom(netip.MustParseAddr(p.show("ip.dst")+p.show("ipv6.dst")), uint16(atoi(p.show("tcp.dstport"))))
		stream := p.show("tcp.stream")
		n, ok := conn[stream]
		if !ok {
			n = numbered[connKey(src, dst)]
			numbered[connKey(src, dst)]++
			conn[stream] = n
		}
		key := dirKey(src, dst, n)
		if _, ok := dirs[key]; !ok {
			order = append(order, key)
		}
		for _, rec := range p.find("tls.record") {
			switch rec.show("tls.record.content_type") {
			case "20", "23":
				dirs[key] = append(dirs[key], tsMsg{record: rec.show("tls.record.content_type")})
			case "22":
				for i := range rec.Kids {
					if hs := &rec.Kids[i]; hs.Name == "tls.handshake" {
						dirs[key] = append(dirs[key], tsMsg{hs: hs})
					}
				}
			}
		}
	}
	return dirs, order
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// connKey names the addresses of a connection, either way round.
func connKey(a, b netip.AddrPort) string {
	if a.Compare(b) > 0 {
		a, b = b, a
	}
	return a.String() + " " + b.String()
}

// dirKey names a direction of the n-th connection (from 0) between two
// addresses: "src dst #n".
func dirKey(src, dst netip.AddrPort, n int) string {
	return src.String() + " " + dst.String() + " #" + strconv.Itoa(n)
}

// event is one event of the adapter, its Detail as JSON members.
type event struct {
	kind     flow.Kind
	fields   map[string]any
	identity []string
}

func adapterEvents(t *testing.T, file string) map[string][]event {
	got := map[string][]event{}
	numbered := map[string]int{} // connections of the same addresses so far
	e := flowtest.NewEngine(t, flow.Config{}, flow.SinkFunc(func(ev *flow.Event) {
		if ev.Protocol == flow.ProtocolFlow && ev.Kind == flow.KindStart {
			numbered[connKey(ev.Src, ev.Dst)]++
		}
		if ev.Protocol != Name {
			return
		}
		var m map[string]any
		js := "{" + string(ev.Detail.AppendJSON(nil))[1:] + "}"
		if err := json.Unmarshal([]byte(js), &m); err != nil {
			t.Fatalf("invalid JSON %s: %v", js, err)
		}
		x := event{kind: ev.Kind, fields: m}
		if id, ok := ev.Detail.(flow.Identifier); ok {
			id.Identify(ev.Kind, nil, func(i flow.Identity) {
				x.identity = append(x.identity, fmt.Sprintf("%v %s %s", i.Source, i.Kind, i.Name))
			})
		}
		key := dirKey(ev.Src, ev.Dst, numbered[connKey(ev.Src, ev.Dst)]-1)
		got[key] = append(got[key], x)
	}))
	flowtest.RunFile(t, e, file)
	if n := e.Stats().ProtocolErrors[Name]; n != 0 {
		t.Errorf("%d decode errors", n)
	}
	return got
}

// TestPeersAgainstTshark decodes the real-peer capture of
// netproto/tlshello/testdata (OpenSSL and curl, TLS 1.0 to 1.3) and checks
// every field of every event against tshark's TLS and X.509 dissectors:
// ja3, ja3_full, ja3s and ja3s_full against tshark's own fields; ja4
// against a second implementation of FoxIO's specification fed with
// tshark's fields; the certificate's common names, validity and
// fingerprint against the x509 fields and bytes tshark shows. The
// handshake messages the adapter is documented not to read (those after a
// direction's end) are counted apart.
func TestPeersAgainstTshark(t *testing.T) {
	conns, events, fields := againstTshark(t, peers)
	if events < 30 {
		t.Errorf("only %d events compared", events)
	}
	t.Logf("%d connections, %d events and %d fields compared with tshark", conns, events, fields)
}

// TestCapturesAgainstTshark is TestPeersAgainstTshark for the captures
// MEDTAP_TLS_CAPTURES names (a glob pattern), skipped when it is not set.
func TestCapturesAgainstTshark(t *testing.T) {
	pattern := os.Getenv("MEDTAP_TLS_CAPTURES")
	if pattern == "" {
		t.Skip("MEDTAP_TLS_CAPTURES not set")
	}
	files, _ := filepath.Glob(pattern)
	var conns, events, fields int
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			c, e, fl := againstTshark(t, f)
			conns, events, fields = conns+c, events+e, fields+fl
		})
	}
	t.Logf("%d captures, %d connections, %d events and %d fields compared with tshark", len(files), conns, events, fields)
}

// againstTshark compares the events of a capture with tshark's view of it
// and returns the connections, events and fields compared.
func againstTshark(t *testing.T, file string) (conns, events, fields int) {
	want, order := tsharkDirections(t, file)
	got := adapterEvents(t, file)
	var skipped int
	for _, key := range order {
		// In a TLS 1.3 connection, ChangeCipherSpec records are dummies
		// and every encrypted record is an application-data one.
		f := strings.Fields(key)
		tls13 := false
		for _, m := range append(slices.Clone(want[key]), want[f[1]+" "+f[0]+" "+f[2]]...) {
			if m.hs != nil && m.hs.show("tls.handshake.type") == "2" && serverHelloEvent(m.hs).fields["versions"].([]any)[0] == "TLS 1.3" {
				tls13 = true
			}
		}
		var exp []event
		done := false
		for _, m := range want[key] {
			if done {
				if m.hs != nil && (m.hs.show("tls.handshake.type") == "1" || m.hs.show("tls.handshake.type") == "2") {
					skipped++
					t.Logf("after the end: %s %s", key, m.hs.show("tls.handshake.type"))
				}
				continue
			}
			if m.hs == nil {
				done = m.record == "23" || !tls13
				continue
			}
			switch m.hs.show("tls.handshake.type") {
			case "1":
				exp = append(exp, clientHelloEvent(t, m.hs))
			case "2":
				ev := serverHelloEvent(m.hs)
				exp = append(exp, ev)
				done = ev.fields["versions"].([]any)[0] == "TLS 1.3" && !hrr(m.hs)
			case "11":
				if ev, ok := certificateEvent(t, m.hs); ok {
					exp = append(exp, ev)
					done = true
				}
			case "14", "16":
				done = true
			}
		}
		g := got[key]
		if len(g) != len(exp) {
			t.Errorf("%s: %d events, tshark %d", key, len(g), len(exp))
			continue
		}
		for i := range exp {
			events++
			if g[i].kind != exp[i].kind {
				t.Errorf("%s: event %d is %s, tshark %s", key, i, g[i].kind, exp[i].kind)
				continue
			}
			for k, v := range exp[i].fields {
				fields++
				if gv := g[i].fields[k]; fmt.Sprint(gv) != fmt.Sprint(v) {
					t.Errorf("%s %s %s: %v, tshark %v", key, exp[i].kind, k, gv, v)
				}
			}
			for k := range g[i].fields {
				if _, ok := exp[i].fields[k]; !ok && k != "service" {
					t.Errorf("%s %s: field %s not compared", key, exp[i].kind, k)
				}
			}
			if exp[i].identity != nil {
				fields++
				if !slices.Equal(g[i].identity, exp[i].identity) {
					t.Errorf("%s %s identity %q, tshark %q", key, exp[i].kind, g[i].identity, exp[i].identity)
				}
			}
		}
	}
	if skipped != 0 {
		t.Errorf("%d hellos after a direction's end", skipped)
	}
	return len(order) / 2, events, fields
}

func hexValues(hs *pdmlField, name string) []uint16 {
	var v []uint16
	for _, f := range hs.find(name) {
		n, err := strconv.ParseUint(strings.TrimPrefix(f.Show, "0x"), 16, 16)
		if err == nil {
			v = append(v, uint16(n))
		}
	}
	return v
}

func grease(v uint16) bool { return v&0x0f0f == 0x0a0a && v>>8 == v&0xff }

// extensions returns the extension wrappers of a handshake message with
// their types.
func extensions(hs *pdmlField) (types []uint16, exts []*pdmlField) {
	for i := range hs.Kids {
		k := &hs.Kids[i]
		if k.Name != "" {
			continue
		}
		if ty := k.first("tls.handshake.extension.type"); ty != nil {
			n, _ := strconv.Atoi(ty.Show)
			types = append(types, uint16(n))
			exts = append(exts, k)
		}
	}
	return types, exts
}

func clientHelloEvent(t *testing.T, hs *pdmlField) event {
	m := map[string]any{
		"ja3":      hs.show("tls.handshake.ja3"),
		"ja3_full": hs.show("tls.handshake.ja3_full"),
		"ja4":      ja4(t, hs),
	}
	if sni := hs.show("tls.handshake.extensions_server_name"); sni != "" {
		m["sni"], m["server_name"] = sni, sni
	}
	var versions []any
	for _, v := range hexValues(hs, "tls.handshake.extensions.supported_version") {
		if !grease(v) {
			versions = append(versions, tlshello.Version(v).String())
		}
	}
	if versions == nil {
		versions = []any{tlshello.Version(hexValues(hs, "tls.handshake.version")[0]).String()}
	}
	m["versions"] = versions
	if alpn := alpnStrings(hs); alpn != nil {
		m["alpn"] = alpn
	}
	return event{kind: KindClientHello, fields: m}
}

func alpnStrings(hs *pdmlField) []any {
	var alpn []any
	for _, f := range hs.find("tls.handshake.extensions_alpn_str") {
		alpn = append(alpn, f.Show)
	}
	return alpn
}

func serverHelloEvent(hs *pdmlField) event {
	v := hexValues(hs, "tls.handshake.extensions.supported_version")
	if v == nil {
		v = hexValues(hs, "tls.handshake.version")
	}
	m := map[string]any{
		"ja3s":      hs.show("tls.handshake.ja3s"),
		"ja3s_full": hs.show("tls.handshake.ja3s_full"),
		"versions":  []any{tlshello.Version(v[0]).String()},
		"cipher":    hs.show("tls.handshake.ciphersuite"),
	}
	if alpn := alpnStrings(hs); alpn != nil {
		m["alpn"] = alpn
	}
	return event{kind: KindServerHello, fields: m}
}

// ja4 computes JA4 from tshark's fields of a ClientHello, as FoxIO's
// specification says, independently of tlshello.
func ja4(t *testing.T, hs *pdmlField) string {
	var ciphers, exts, sigs []string
	for _, c := range hexValues(hs, "tls.handshake.ciphersuite") {
		if !grease(c) {
			ciphers = append(ciphers, fmt.Sprintf("%04x", c))
		}
	}
	types, wrappers := extensions(hs)
	nExt, sni := 0, "i"
	alpn := "00"
	for i, ty := range types {
		if grease(ty) {
			continue
		}
		nExt++
		switch ty {
		case 0:
			sni = "d"
		case 16:
			s := wrappers[i].first("tls.handshake.extensions_alpn_str")
			b, err := hex.DecodeString(s.Value)
			if err != nil || len(b) == 0 {
				t.Fatalf("ALPN %q", s.Value)
			}
			alnum := func(c byte) bool {
				return c < utf8.RuneSelf && strings.ContainsRune("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", rune(c))
			}
			if alnum(b[0]) && alnum(b[len(b)-1]) {
				alpn = string([]byte{b[0], b[len(b)-1]})
			} else {
				h := hex.EncodeToString(b)
				alpn = h[:1] + h[len(h)-1:]
			}
		case 13:
			for _, s := range hexValues(wrappers[i], "tls.handshake.sig_hash_alg") {
				if !grease(s) {
					sigs = append(sigs, fmt.Sprintf("%04x", s))
				}
			}
			fallthrough
		default:
			exts = append(exts, fmt.Sprintf("%04x", ty))
		}
	}
	version := uint16(0)
	for _, v := range hexValues(hs, "tls.handshake.extensions.supported_version") {
		if !grease(v) {
			version = max(version, v)
		}
	}
	if version == 0 {
		version = hexValues(hs, "tls.handshake.version")[0]
	}
	versions := map[uint16]string{0x0304: "13", 0x0303: "12", 0x0302: "11", 0x0301: "10", 0x0300: "s3"}
	vs, ok := versions[version]
	if !ok {
		vs = "00"
	}
	sort.Strings(ciphers)
	sort.Strings(exts)
	hash := func(s string) string {
		if s == "" {
			return "000000000000"
		}
		sum := sha256.Sum256([]byte(s))
		return hex.EncodeToString(sum[:])[:12]
	}
	c := strings.Join(exts, ",")
	if len(sigs) > 0 {
		c += "_" + strings.Join(sigs, ",")
	}
	return fmt.Sprintf("t%s%s%02d%02d%s_%s_%s", vs, sni, min(len(ciphers), 99), min(nExt, 99), alpn,
		hash(strings.Join(ciphers, ",")), hash(c))
}

// certificateEvent returns the event for the first certificate of a
// Certificate message, false when it has none.
func certificateEvent(t *testing.T, hs *pdmlField) (event, bool) {
	certs := hs.find("tls.handshake.certificate")
	if len(certs) == 0 {
		return event{}, false
	}
	leaf := certs[0]
	der, err := hex.DecodeString(leaf.Value)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(der)
	issuer, subject := leaf.first("x509af.issuer"), leaf.first("x509af.subject")
	m := map[string]any{
		"self_signed": issuer.Value == subject.Value,
		"sha256":      hex.EncodeToString(sum[:]),
		"not_before":  x509Time(t, leaf.first("x509af.notBefore")),
		"not_after":   x509Time(t, leaf.first("x509af.notAfter")),
	}
	ev := event{kind: KindCertificate, fields: m}
	if cn := commonName(t, subject); cn != "" {
		m["subject_cn"] = cn
		ev.identity = []string{"true host " + cn}
	}
	if cn := commonName(t, issuer); cn != "" {
		m["issuer_cn"] = cn
	}
	return ev, true
}

// commonName returns the last commonName of a name as tshark shows it; a
// T61String is read from its bytes as ISO 8859-1, as tlshello does
// (tshark applies the T.61 character set).
func commonName(t *testing.T, name *pdmlField) string {
	cn := ""
	for _, atv := range name.find("x509if.RelativeDistinguishedName_item_element") {
		if atv.show("x509if.oid") != "2.5.4.3" {
			continue
		}
		ds := atv.first("x509sat.DirectoryString")
		if ds == nil || len(ds.Kids) != 1 {
			t.Fatalf("commonName without a DirectoryString: %+v", atv)
		}
		s := ds.Kids[0]
		cn = s.Show
		if s.Name == "x509sat.teletexString" {
			b, _ := hex.DecodeString(s.Value)
			r := make([]rune, len(b))
			for i, c := range b {
				r[i] = rune(c)
			}
			cn = string(r)
		}
	}
	return cn
}

// x509Time converts tshark's rendering of a Time to RFC 3339.
func x509Time(t *testing.T, f *pdmlField) string {
	if u := f.first("x509af.utcTime"); u != nil {
		tm, err := time.Parse("2006-01-02 15:04:05 (UTC)", u.Show)
		if err != nil {
			t.Fatal(err)
		}
		return tm.Format(time.RFC3339)
	}
	g := f.first("x509af.generalizedTime")
	tm, err := time.Parse("Jan _2, 2006 15:04:05.000000000 UTC", g.Show)
	if err != nil {
		t.Fatal(err)
	}
	return tm.Format(time.RFC3339)
}
