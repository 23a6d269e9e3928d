package detect

import (
	"fmt"
	"net/netip"

	"github.com/medtap/medtap/dicom/ul"
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/dicomflow"
	"github.com/medtap/medtap/flow/hl7flow"
)

func init() { register(func() Detector { return newBaseline() }) }

// The rules of the baseline detector.
const (
	ruleNewDevice  = "baseline.new-device"
	ruleNewPeer    = "baseline.new-peer"
	ruleNewService = "baseline.new-service"
	ruleNewSender  = "hl7.new-sender"
	ruleNewAE      = "dicom.new-ae"
	ruleVolume     = "baseline.volume"
	ruleRate       = "baseline.rate"
	ruleOffHours   = "baseline.off-hours"
)

// baselineDetector learns what is normal on a network while the engine
// learns ([Context.Learning]) and, after, raises what departs from it: new
// devices, peers, services, HL7 senders and DICOM AE pairs, volume and
// rate spikes, activity at unusual hours. It learns every part whatever
// rules are on, so that a saved baseline serves any configuration, and
// raises nothing before something was learned (or loaded).
//
// Devices are the addresses that open flows and the servers that answer
// them; with internal-only (the default) only private, loopback,
// link-local, unique-local and shared (100.64/10) addresses, never
// multicast, broadcast or unspecified ones. An unknown device raises
// baseline.new-device once; its peers and services are not raised (they
// are all new: the one alert says it), and a known client's flow to an
// unknown server is left to the server's baseline.new-device when it
// answers. New peers are judged on flows whose SYN was seen (a flow seen
// from its middle may have its ends the wrong way round); new services on
// TCP flows whose SYN+ACK was seen and UDP flows that got a reply with
// data, at ports up to max-port. dicom.new-ae judges accepted associations
// only (the AE titles of the A-ASSOCIATE-AC, which echo the request): a
// rejected guess moves no data and is the DICOM detector's to judge.
//
// What it learns is frozen when learning ends: detection looks learned
// keys up without changing them, so an unknown key is unknown because it
// was never learned, or because it was dropped at a cap while learning.
// A dropped peer or service is marked on its device, whose new peers or
// services are then not raised (its baseline is incomplete); a client
// with more than max-per-device learned peers (a proxy, a scanner, a
// browser) and a server with more than max-per-device services are taken
// to talk to anyone. When devices were dropped, new-device raises at low.
// A key raised is remembered (in a table as large as the device table) so
// that it is raised once, not at every flow, and each new-key rule raises
// at most max-per-minute alerts a minute, the rest counted in one alert.
//
// Volume and rate are per device per interval (intervals aligned to
// packet time): while learning, each interval the device was active in
// updates a mean (weight 1/8 for the new interval) and a peak; after, an
// interval raises when it passes the rule's minimum, factor times the
// mean and the peak, so that replaying what was learned raises nothing.
// Off-hours uses hours of the day in UTC.
type baselineDetector struct {
	on           [nBaselineRules]bool
	internalOnly bool
	maxPeersPer  int
	maxSvcPer    int
	maxPort      uint16
	vol, rate    blMetricParams
	offMinSpan   int64 // ns of learning needed
	offMinActive uint32

	devices  *Table[addr16, blDevice]
	peers    *Table[blPeerKey, struct{}]
	services *Table[blSvcKey, uint64]
	senders  *Table[uint64, blSender]
	aes      *Table[uint64, blAEPair]
	raised   *Table[blRaisedKey, struct{}] // keys raised after learning

	learned               bool  // something was learned or loaded
	learnFirst, learnLast int64 // packet time span of learning, Unix ns
	learning              bool  // of the current event
	devicesDropped        uint64
	peersDropped          uint64
	servicesDropped       uint64
	sendersDropped        uint64
	aesDropped            uint64
	loadDropped           uint64 // invalid entries skipped at load
	maxPerMinute          [nBaselineRules]uint32
	budget                [nBaselineRules]struct {
		minute int64  // Unix minute of n
		n      uint32 // new keys raised in it
	}
	overBudget [nBaselineRules]uint64 // new keys past the budget
	apps       []string               // app names by bit, bit 0 ""
	// The last device looked up after learning (entries do not move
	// then: nothing is added).
	lastDev    *blDevice
	lastDevKey addr16
	lastDevOK  bool
}

const nBaselineRules = 8

var baselineRuleIDs = [nBaselineRules]string{ruleNewDevice, ruleNewPeer, ruleNewService, ruleNewSender, ruleNewAE, ruleVolume, ruleRate, ruleOffHours}

// Indexes into baselineDetector.on.
const (
	bNewDevice = iota
	bNewPeer
	bNewService
	bNewSender
	bNewAE
	bVolume
	bRate
	bOffHours
)

// blDevice is what is learned of one device, and its current intervals.
type blDevice struct {
	hours      uint32 // hours of the day (UTC) it opened flows in while learning, a bit each
	active     uint32 // flows it opened while learning
	peers      uint16 // learned peers it is the client of
	services   uint16 // learned services it is the server of
	flags      uint8
	lastOffHr  int32 // hour (since the epoch) off-hours was last raised for it
	bytes, ops blMetric
	assocs     blMetric
	msgs       blMetric
}

// blDevice flags
const (
	devPeersMany    = 1 << iota // had more than max-per-device peers: new peers not raised
	devPeersLost                // a learned peer was dropped at the cap
	devServicesMany             // had more than max-per-device services
	devServicesLost             // a learned service was dropped at the cap
)

type blPeerKey struct{ client, server addr16 }

type blSvcKey struct {
	addr      addr16
	port      uint16
	transport flow.Transport
}

// blSender is a learned MSH-3/MSH-4 pair and the addresses it came from.
type blSender struct {
	app, facility string
	srcs          [blMaxSenderSrcs]addr16
	nsrc          uint8
	manySrcs      bool // came from more than blMaxSenderSrcs addresses
}

const blMaxSenderSrcs = 4

// blAEPair is a learned calling/called AE pair.
type blAEPair struct{ calling, called string }

// blRaisedKey is a key raised after learning.
type blRaisedKey struct {
	rule uint8
	a, b addr16
	x    uint64
}

// blMetricParams are the thresholds of a volume or rate metric.
type blMetricParams struct {
	interval int64 // ns
	factor   float64
	minA     float64 // bytes or associations
	minB     float64 // operations or messages
}

func newBaseline() *baselineDetector { return &baselineDetector{} }

func (*baselineDetector) Name() string { return "baseline" }

func (*baselineDetector) Protocols() []string {
	return []string{flow.ProtocolFlow, dicomflow.Name, hl7flow.Name}
}

func (*baselineDetector) Rules() []Rule {
	return []Rule{
		{
			ID: ruleNewDevice, Severity: Medium, Baseline: true,
			Doc: "after learning, an address never seen while learning opens a flow or answers one; low when the learned device set overflowed its cap",
			Params: []Param{
				{Name: "max-devices", Default: 65536, Doc: "devices learned (and keys raised remembered); past it the least recently seen is dropped"},
				{Name: "internal-only", Default: 1, Doc: "1: only private, loopback, link-local, unique-local and shared addresses are devices; 0: every unicast address"},
				{Name: "max-per-minute", Default: 100, Doc: "alerts a minute; past it the new keys are counted in one alert"},
			},
		},
		{
			ID: ruleNewPeer, Severity: Medium, Baseline: true, Technique: "T0886 Remote Services",
			Doc: "after learning, a learned device opens a flow to an internal peer it never opened one to (client to server), a learned device or a host never seen; not raised for a client with more than max-per-device learned peers, or one whose peers were dropped at the cap",
			Params: []Param{
				{Name: "max-peers", Default: 262144, Doc: "client-server pairs learned"},
				{Name: "max-per-device", Default: 256, Doc: "learned peers past which a client is taken to talk to anyone"},
				{Name: "max-per-minute", Default: 100, Doc: "alerts a minute; past it the new keys are counted in one alert"},
			},
		},
		{
			ID: ruleNewService, Severity: Medium, Baseline: true,
			Doc: "after learning, a learned device answers on a port it never answered on (TCP after a handshake, UDP with a reply); low when it is a learned port with an application protocol never seen on it (a client's probe may have set it)",
			Params: []Param{
				{Name: "max-services", Default: 65536, Doc: "(server, transport, port) services learned"},
				{Name: "max-per-device", Default: 64, Doc: "learned services past which a server is taken to offer anything"},
				{Name: "max-port", Default: 32767, Doc: "highest server port tracked (dynamic ports above it, FTP data and RPC, are not services)"},
				{Name: "max-per-minute", Default: 100, Doc: "alerts a minute; past it the new keys are counted in one alert"},
			},
		},
		{
			ID: ruleNewSender, Severity: Medium, Baseline: true, Technique: "T0856 Spoof Reporting Message",
			Doc: "after learning, an HL7 message with a sending application and facility (MSH-3, MSH-4) never seen, or a known pair from an address it never came from",
			Params: []Param{
				{Name: "max-senders", Default: 4096, Doc: "MSH-3/MSH-4 pairs learned"},
				{Name: "max-per-minute", Default: 100, Doc: "alerts a minute; past it the new keys are counted in one alert"},
			},
		},
		{
			ID: ruleNewAE, Severity: Medium, Baseline: true,
			Doc: "after learning, an accepted DICOM association (A-ASSOCIATE-AC) between a calling and called AE title pair never accepted while learning",
			Params: []Param{
				{Name: "max-pairs", Default: 4096, Doc: "AE title pairs learned"},
				{Name: "max-per-minute", Default: 100, Doc: "alerts a minute; past it the new keys are counted in one alert"},
			},
		},
		{
			ID: ruleVolume, Severity: Medium, Baseline: true, Technique: "T0882 Theft of Operational Information",
			Doc: "a learned device moves more bytes (sent and received, of the flows that end in an interval, a long flow counted at its mean rate) or sends more DIMSE requests in an interval than factor times its learned mean interval and than its learned peak interval",
			Params: []Param{
				{Name: "interval", Default: 60, Doc: "seconds of an interval"},
				{Name: "factor", Default: 10, Doc: "times the learned mean an interval must exceed"},
				{Name: "min-bytes", Default: 1 << 20, Doc: "bytes an interval must exceed to raise it"},
				{Name: "min-operations", Default: 50, Doc: "DIMSE requests an interval must exceed to raise it"},
			},
		},
		{
			ID: ruleRate, Severity: Medium, Baseline: true, Technique: "T0814 Denial of Service",
			Doc: "a learned device opens more DICOM associations or sends more HL7 messages in an interval than factor times its learned mean interval and than its learned peak interval",
			Params: []Param{
				{Name: "interval", Default: 60, Doc: "seconds of an interval"},
				{Name: "factor", Default: 10, Doc: "times the learned mean an interval must exceed"},
				{Name: "min-associations", Default: 20, Doc: "associations an interval must exceed to raise it"},
				{Name: "min-messages", Default: 50, Doc: "HL7 messages an interval must exceed to raise it"},
			},
		},
		{
			ID: ruleOffHours, Severity: Low, Baseline: true,
			Doc: "a learned device opens a flow in an hour of the day (UTC) at least an hour away from every hour it opened flows in while learning; only after a learning period of min-learning seconds and for a device that opened at least min-active flows while learning",
			Params: []Param{
				{Name: "min-learning", Default: 86400, Doc: "seconds learning must span for the rule to raise anything"},
				{Name: "min-active", Default: 20, Doc: "flows a device must have opened while learning"},
			},
		},
	}
}

func (d *baselineDetector) Configure(p Params) error {
	for i, id := range baselineRuleIDs {
		d.on[i] = p.Enabled(id)
	}
	ints := func(id, name string, lo, hi int) (int, error) {
		v := p.Float(id, name)
		if v < float64(lo) || v > float64(hi) || v != float64(int(v)) {
			return 0, fmt.Errorf("%s: %s must be an integer from %d to %d, not %v", id, name, lo, hi, v)
		}
		return int(v), nil
	}
	var err error
	var nDev, nPeer, nSvc, nSend, nAE, port, internal int
	for _, x := range []struct {
		v        *int
		id, name string
		lo, hi   int
	}{
		{&nDev, ruleNewDevice, "max-devices", 1, 1 << 26},
		{&internal, ruleNewDevice, "internal-only", 0, 1},
		{&nPeer, ruleNewPeer, "max-peers", 1, 1 << 28},
		{&d.maxPeersPer, ruleNewPeer, "max-per-device", 1, 65535},
		{&nSvc, ruleNewService, "max-services", 1, 1 << 26},
		{&d.maxSvcPer, ruleNewService, "max-per-device", 1, 65535},
		{&port, ruleNewService, "max-port", 1, 65535},
		{&nSend, ruleNewSender, "max-senders", 1, 1 << 24},
		{&nAE, ruleNewAE, "max-pairs", 1, 1 << 24},
	} {
		if *x.v, err = ints(x.id, x.name, x.lo, x.hi); err != nil {
			return err
		}
	}
	d.internalOnly, d.maxPort = internal == 1, uint16(port)
	for _, r := range [...]int{bNewDevice, bNewPeer, bNewService, bNewSender, bNewAE} {
		n, err := ints(baselineRuleIDs[r], "max-per-minute", 1, 1<<30)
		if err != nil {
			return err
		}
		d.maxPerMinute[r] = uint32(n)
	}
	for _, m := range []struct {
		mp       *blMetricParams
		id, a, b string
	}{{&d.vol, ruleVolume, "min-bytes", "min-operations"}, {&d.rate, ruleRate, "min-associations", "min-messages"}} {
		m.mp.interval = int64(p.Duration(m.id, "interval"))
		m.mp.factor = p.Float(m.id, "factor")
		m.mp.minA, m.mp.minB = p.Float(m.id, m.a), p.Float(m.id, m.b)
		if m.mp.interval < int64(1e9) || m.mp.factor < 1 || m.mp.minA < 0 || m.mp.minB < 0 {
			return fmt.Errorf("%s: interval must be at least 1 s, factor at least 1, minimums not negative", m.id)
		}
	}
	d.offMinSpan = int64(p.Duration(ruleOffHours, "min-learning"))
	active, err := ints(ruleOffHours, "min-active", 0, 1<<31-1)
	if err != nil {
		return err
	}
	d.offMinActive = uint32(active)

	d.devices = NewTable[addr16, blDevice](nDev)
	d.devices.OnEvict = func(addr16, *blDevice) {
		d.devicesDropped++
		d.lastDevOK = false
	}
	d.peers = NewTable[blPeerKey, struct{}](nPeer)
	d.peers.OnEvict = func(k blPeerKey, _ *struct{}) {
		d.peersDropped++
		if dv, ok := d.devices.Peek(k.client); ok {
			dv.flags |= devPeersLost
		}
	}
	d.services = NewTable[blSvcKey, uint64](nSvc)
	d.services.OnEvict = func(k blSvcKey, _ *uint64) {
		d.servicesDropped++
		if dv, ok := d.devices.Peek(k.addr); ok {
			dv.flags |= devServicesLost
		}
	}
	d.senders = NewTable[uint64, blSender](nSend)
	d.senders.OnEvict = func(uint64, *blSender) { d.sendersDropped++ }
	d.aes = NewTable[uint64, blAEPair](nAE)
	d.aes.OnEvict = func(uint64, *blAEPair) { d.aesDropped++ }
	d.raised = NewTable[blRaisedKey, struct{}](nDev)
	d.apps = append(d.apps[:0], "")
	for _, name := range flow.Protocols() {
		d.apps = append(d.apps, name)
		if len(d.apps) == 63 {
			break
		}
	}
	return nil
}

// blAppOther is the bit of an application protocol with no bit of its own.
const blAppOther = 63

func (d *baselineDetector) appBitOf(name string) uint8 {
	if name == "" {
		return 0
	}
	// A linear search: names differ in length or early bytes, and the
	// list is short; cheaper than hashing the name.
	for i := 1; i < len(d.apps); i++ {
		if d.apps[i] == name {
			return uint8(i)
		}
	}
	return blAppOther
}

func (d *baselineDetector) appName(bit uint8) string {
	if int(bit) < len(d.apps) {
		return d.apps[bit]
	}
	return "other"
}

// isDevice reports whether a counts as a device.
func (d *baselineDetector) isDevice(a netip.Addr) bool {
	a = a.Unmap()
	if !a.IsValid() || a.IsMulticast() || a.IsUnspecified() || a == netip.IPv4Unspecified() {
		return false
	}
	if a.Is4() && a.As4() == [4]byte{255, 255, 255, 255} {
		return false
	}
	if !d.internalOnly {
		return true
	}
	if a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() {
		return true
	}
	if a.Is4() {
		b := a.As4()
		return b[0] == 100 && b[1]&0xc0 == 64 // 100.64.0.0/10
	}
	return false
}

// device returns the device at k: while learning it is added, after it
// is only looked up (nil when it was not learned).
func (d *baselineDetector) device(k addr16) *blDevice {
	if d.learning {
		dv, _ := d.devices.Put(k)
		return dv
	}
	if d.lastDevOK && d.lastDevKey == k {
		return d.lastDev
	}
	dv, ok := d.devices.Peek(k)
	if !ok {
		return nil
	}
	d.lastDev, d.lastDevKey, d.lastDevOK = dv, k, true
	return dv
}

func (d *baselineDetector) Event(c *Context, e *flow.Event) {
	learning := c.Learning()
	if learning != d.learning {
		d.learning = learning
		d.lastDevOK = false
	}
	if learning {
		now := c.Now().UnixNano()
		if !d.learned || now < d.learnFirst {
			d.learnFirst = now
		}
		if !d.learned || now > d.learnLast {
			d.learnLast = now
		}
		d.learned = true
	} else if !d.learned {
		return // nothing to compare with
	}
	switch e.Protocol {
	case flow.ProtocolFlow:
		fi, ok := e.Detail.(*flow.FlowInfo)
		if !ok {
			return
		}
		switch e.Kind {
		case flow.KindStart:
			d.flowStart(c, e, fi)
		case flow.KindEnd:
			d.flowEnd(c, e, fi)
		}
	case dicomflow.Name:
		switch e.Kind {
		case dicomflow.KindDIMSE:
			if m, ok := e.Detail.(*dicomflow.DIMSE); ok && m.Message != nil && !m.Message.Command.IsResponse() && m.Message.Command != ul.CCancelRQ {
				d.count(c, e, e.Src.Addr(), mOps, 1)
			}
		case dicomflow.KindAssociateRQ:
			d.count(c, e, e.Src.Addr(), mAssocs, 1)
		case dicomflow.KindAssociateAC:
			if a, ok := e.Detail.(*dicomflow.Associate); ok && a.Associate != nil {
				d.blAEPair(c, e, a.Associate.CallingAE, a.Associate.CalledAE)
			}
		}
	case hl7flow.Name:
		if e.Kind == hl7flow.KindMessage {
			if m, ok := e.Detail.(*hl7flow.Message); ok {
				d.blSender(c, e, m.SendingApp, m.SendingFacility)
			}
			d.count(c, e, e.Src.Addr(), mMsgs, 1)
		}
	}
}

// Counts implements [Counter]: the sizes of the learned tables and what
// was dropped from them at their caps.
func (d *baselineDetector) Counts() map[string]uint64 {
	return map[string]uint64{
		"devices":          uint64(d.devices.Len()),
		"devices_dropped":  d.devicesDropped,
		"peers":            uint64(d.peers.Len()),
		"peers_dropped":    d.peersDropped,
		"services":         uint64(d.services.Len()),
		"services_dropped": d.servicesDropped,
		"senders":          uint64(d.senders.Len()),
		"senders_dropped":  d.sendersDropped,
		"ae_pairs":         uint64(d.aes.Len()),
		"ae_pairs_dropped": d.aesDropped,
		"raised_keys":      uint64(d.raised.Len()),
		"raised_evicted":   d.raised.Evicted(),
		"load_dropped":     d.loadDropped,
		"over_budget":      d.overBudget[bNewDevice] + d.overBudget[bNewPeer] + d.overBudget[bNewService] + d.overBudget[bNewSender] + d.overBudget[bNewAE],
	}
}
