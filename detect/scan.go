package detect

import (
	"fmt"
	"math"
	"math/bits"
	"net/netip"
	"strconv"

	"github.com/medtap/medtap/flow"
)

func init() { register(func() Detector { return newScan() }) }

const ruleScan = "net.scan"

// scanDetector raises net.scan for a source that probes many ports or many
// hosts within a window. A probe is a flow that carried nothing and so
// was only a question: a TCP flow that ended without payload either way
// and was answered by a SYN+ACK (an open port), by a reset (a closed one),
// or not at all (a filtered one); a UDP flow with no reply; or a flow a
// decoder rejected (a flow.KindError event, as a service scan's probes
// cause). A flow with data is never a probe, so a client opening many
// connections to a service, or a PACS sending studies to its modalities,
// counts nothing; nor is a flow to a multicast or broadcast address.
//
// Per source it keeps, in a table of at most max-sources entries (the
// least recently active evicted first), a window start and two 256-bit
// linear-counting sketches of the distinct destination ports and hosts of
// its probes: a fixed 150 bytes or so per source, whatever it probes.
// The counts are estimates, exact to within a few per cent up to 200.
type scanDetector struct {
	minPorts, minHosts float64
	window             int64 // ns
	sources            *Table[addr16, scanSource]
	probes             uint64
}

// scanSource is what is kept of one probing source, for its current window.
type scanSource struct {
	start        int64 // window start, Unix ns
	ports, hosts sketch256
	host         addr16 // the first host probed in the window
	manyHosts    bool   // another host than host was probed
	probes       uint32
	open         uint32 // answered by a SYN+ACK, closed without data
	refused      uint32 // reset
	silent       uint32 // no answer
	rejected     uint32 // refused by a decoder
	fired        uint8  // severities raised in this window, a bit each
}

func newScan() *scanDetector { return &scanDetector{} }

func (*scanDetector) Name() string { return "scan" }

func (*scanDetector) Rules() []Rule {
	return []Rule{{
		ID:        ruleScan,
		Severity:  Medium,
		Technique: "T0846 Remote System Discovery",
		Doc:       "one source probes many ports or many hosts within a window (flows without payload: refused, unanswered, opened and closed empty, or rejected by a decoder); high when it probes both many ports and many hosts",
		Params: []Param{
			{Name: "min-ports", Default: 20, Doc: "distinct destination ports probed in the window to raise it (2 to 256)"},
			{Name: "min-hosts", Default: 10, Doc: "distinct destination hosts probed in the window to raise it (2 to 256)"},
			{Name: "window", Default: 60, Doc: "seconds over which probes are counted"},
			{Name: "max-sources", Default: 65536, Doc: "sources tracked at once; past it the least recently active is dropped"},
		},
	}}
}

func (d *scanDetector) Configure(p Params) error {
	d.minPorts = p.Float(ruleScan, "min-ports")
	d.minHosts = p.Float(ruleScan, "min-hosts")
	for _, v := range [2]float64{d.minPorts, d.minHosts} {
		if v < 2 || v > 256 {
			return fmt.Errorf("%s: min-ports and min-hosts must be between 2 and 256, not %v", ruleScan, v)
		}
	}
	d.window = int64(p.Duration(ruleScan, "window"))
	if d.window <= 0 {
		return fmt.Errorf("%s: window must be positive", ruleScan)
	}
	n := p.Int(ruleScan, "max-sources")
	if n < 1 {
		return fmt.Errorf("%s: max-sources must be at least 1", ruleScan)
	}
	d.sources = NewTable[addr16, scanSource](n)
	return nil
}

// probe kinds
const (
	probeOpen = iota
	probeRefused
	probeSilent
	probeRejected
)

func (d *scanDetector) Event(c *Context, e *flow.Event) {
	var kind int
	switch e.Kind {
	case flow.KindEnd:
		fi, ok := e.Detail.(*flow.FlowInfo)
		if !ok || e.Protocol != flow.ProtocolFlow {
			return
		}
		k, ok := probeKind(fi)
		if !ok {
			return
		}
		kind = k
	case flow.KindError:
		kind = probeRejected
	default:
		return
	}
	dst := e.Dst.Addr()
	if !e.Src.IsValid() || !scanTarget(dst) {
		return
	}
	d.probe(c, e, kind, dst)
}

// probeKind says whether a flow that ended was a probe, and what answered
// it.
func probeKind(fi *flow.FlowInfo) (int, bool) {
	switch fi.Transport {
	case flow.TCP:
		if fi.Bytes[0]|fi.Bytes[1] != 0 {
			return 0, false
		}
		switch {
		case fi.Packets[1] == 0:
			return probeSilent, true
		case fi.Reason == "rst" && fi.SYNACK.IsZero():
			return probeRefused, true
		case !fi.SYNACK.IsZero():
			return probeOpen, true
		}
		// Packets both ways without a handshake or a reset: a connection
		// seen in the middle (keep-alives), not a probe.
	case flow.UDP:
		if fi.Packets[1] == 0 && fi.Packets[0] > 0 {
			return probeSilent, true
		}
	}
	return 0, false
}

// scanTarget reports whether a probe to a counts: not to a multicast or
// broadcast address (an IPv4 address ending in 255 is taken for a
// subnet's broadcast).
func scanTarget(a netip.Addr) bool {
	a = a.Unmap()
	if !a.IsValid() || a.IsMulticast() || a.IsUnspecified() {
		return false
	}
	if a.Is4() && a.As4()[3] == 255 {
		return false
	}
	return true
}

func (d *scanDetector) probe(c *Context, e *flow.Event, kind int, dst netip.Addr) {
	d.probes++
	now := c.Now().UnixNano()
	s, isNew := d.sources.Put(addr16Of(e.Src.Addr()))
	if isNew || now-s.start >= d.window || s.start-now >= d.window {
		*s = scanSource{start: now}
	}
	hk := addr16Of(dst)
	if s.probes == 0 {
		s.host = hk
	} else if hk != s.host {
		s.manyHosts = true
	}
	s.probes++
	switch kind {
	case probeOpen:
		s.open++
	case probeRefused:
		s.refused++
	case probeSilent:
		s.silent++
	case probeRejected:
		s.rejected++
	}
	newPort := s.ports.add(scanMix(uint64(e.Dst.Port()) + 0x9e3779b97f4a7c15))
	newHost := s.hosts.add(hk.hash())
	if !newPort && !newHost {
		return
	}
	ports, hosts := math.Round(s.ports.estimate()), math.Round(s.hosts.estimate())
	manyPorts, manyHosts := ports >= d.minPorts, hosts >= d.minHosts
	if !manyPorts && !manyHosts {
		return
	}
	sev, bit := Medium, uint8(1)
	if manyPorts && manyHosts {
		sev, bit = High, 2
	}
	if s.fired&bit != 0 {
		return
	}
	s.fired |= bit
	var to netip.AddrPort
	if !s.manyHosts {
		to = netip.AddrPortFrom(dst, 0)
	}
	a := c.AlertSeverity(ruleScan, sev, flow.Key{}, netip.AddrPortFrom(e.Src.Addr(), 0), to)
	if a == nil {
		return
	}
	np, nh := int(ports), int(hosts)
	switch {
	case manyPorts && manyHosts:
		a.Summary = fmt.Sprintf("scan of %d ports across %d hosts", np, nh)
	case manyPorts && nh == 1:
		a.Summary = fmt.Sprintf("port scan: %d ports of one host probed", np)
	case manyPorts:
		a.Summary = fmt.Sprintf("port scan: %d ports of %d hosts probed", np, nh)
	default:
		a.Summary = fmt.Sprintf("host sweep: %d hosts probed on %d ports", nh, np)
	}
	a.Evidence = append(a.Evidence,
		Field{"ports", strconv.Itoa(np)},
		Field{"hosts", strconv.Itoa(nh)},
		Field{"probes", strconv.FormatUint(uint64(s.probes), 10)},
		Field{"open", strconv.FormatUint(uint64(s.open), 10)},
		Field{"refused", strconv.FormatUint(uint64(s.refused), 10)},
		Field{"unanswered", strconv.FormatUint(uint64(s.silent), 10)},
		Field{"rejected", strconv.FormatUint(uint64(s.rejected), 10)},
		Field{"window_seconds", strconv.FormatFloat(float64(d.window)/1e9, 'g', -1, 64)},
	)
}

// Counts implements [Counter]: "probes" seen, "sources" tracked,
// "sources_evicted" from the table at its cap.
func (d *scanDetector) Counts() map[string]uint64 {
	return map[string]uint64{
		"probes":          d.probes,
		"sources":         uint64(d.sources.Len()),
		"sources_evicted": d.sources.Evicted(),
	}
}

// A Counter is a [Detector] that counts what it saw and what its bounded
// state dropped (entries evicted at a cap). The keys of Counts are stable
// lower-case words joined by underscores.
type Counter interface {
	Counts() map[string]uint64
}

// addr16 is an address as a map key: the 16-byte form, IPv4 mapped, so
// that an IPv4 address and its IPv4-mapped IPv6 form are one key; zones
// are dropped. It holds no pointer, so tables of it cost the collector
// nothing.
type addr16 [16]byte

func addr16Of(a netip.Addr) addr16 { return addr16(a.Unmap().As16()) }

// Addr returns the address k stands for.
func (k addr16) Addr() netip.Addr { return netip.AddrFrom16(k).Unmap() }

func (k *addr16) hash() uint64 {
	lo := uint64(k[0]) | uint64(k[1])<<8 | uint64(k[2])<<16 | uint64(k[3])<<24 |
		uint64(k[4])<<32 | uint64(k[5])<<40 | uint64(k[6])<<48 | uint64(k[7])<<56
	hi := uint64(k[8]) | uint64(k[9])<<8 | uint64(k[10])<<16 | uint64(k[11])<<24 |
		uint64(k[12])<<32 | uint64(k[13])<<40 | uint64(k[14])<<48 | uint64(k[15])<<56
	return scanMix(lo ^ scanMix(hi))
}

// scanMix is a 64-bit finaliser (that of SplitMix64): every input bit
// changes every output bit with probability one half.
func scanMix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// sketch256 counts distinct values by linear counting over 256 bits.
type sketch256 [4]uint64

// add sets the bit of hash h and reports whether it was clear.
func (s *sketch256) add(h uint64) bool {
	i := h >> 56
	w, b := &s[i>>6], uint64(1)<<(i&63)
	if *w&b != 0 {
		return false
	}
	*w |= b
	return true
}

// estimate returns the estimated number of distinct values added.
func (s *sketch256) estimate() float64 {
	set := bits.OnesCount64(s[0]) + bits.OnesCount64(s[1]) + bits.OnesCount64(s[2]) + bits.OnesCount64(s[3])
	zero := 256 - set
	if zero == 0 {
		return 256 * math.Log(256) // saturated
	}
	return -256 * math.Log(float64(zero)/256)
}
