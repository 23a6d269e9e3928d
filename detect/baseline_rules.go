package detect

import (
	"fmt"
	"net/netip"
	"strconv"

	"github.com/medtap/medtap/flow"
)

// flowStart learns or checks the client of a flow: the device, its hour
// of activity, its peer.
func (d *baselineDetector) flowStart(c *Context, e *flow.Event, fi *flow.FlowInfo) {
	ca, sa := e.Src.Addr(), e.Dst.Addr()
	if !d.isDevice(ca) {
		return
	}
	ck := addr16Of(ca)
	now := c.Now().UnixNano()
	if d.learning {
		dv, _ := d.devices.Put(ck)
		dv.hours |= 1 << blHourOfDay(now)
		dv.active++
		if dv.flags&devPeersMany != 0 || !d.isDevice(sa) {
			return
		}
		if _, isNew := d.peers.Put(blPeerKey{ck, addr16Of(sa)}); isNew {
			if int(dv.peers) >= d.maxPeersPer {
				dv.flags |= devPeersMany
			} else {
				dv.peers++
			}
		}
		return
	}
	dv := d.device(ck)
	if dv == nil {
		d.newDevice(c, e, ck, e.Src, e.Dst, fi, "opened a flow to")
		return
	}
	if d.on[bOffHours] {
		d.offHours(c, e, dv, now)
	}
	// A TCP flow seen from its middle may be taken the wrong way round:
	// only a SYN says who the client is.
	if !d.on[bNewPeer] || fi.Transport == flow.TCP && fi.SYN.IsZero() ||
		dv.flags&(devPeersMany|devPeersLost) != 0 || !d.isDevice(sa) {
		return
	}
	sk := addr16Of(sa)
	if _, ok := d.peers.Peek(blPeerKey{ck, sk}); ok {
		return
	}
	// A learned device reaching out to a host never seen (a new server is
	// a new device too, when it answers): lateral movement either way.
	_, known := d.devices.Peek(sk)
	if !d.raise(c, bNewPeer, ck, sk, 0) {
		return
	}
	if a := c.Alert(ruleNewPeer, e.Key, e.Src, e.Dst); a != nil {
		a.Summary = fmt.Sprintf("%s opened a flow to %s, a peer it never opened one to while learning", ca, sa)
		if !known {
			a.Summary = fmt.Sprintf("%s opened a flow to %s, a host never seen while learning", ca, sa)
		}
		a.Evidence = append(a.Evidence, Field{"transport", fi.Transport.String()}, Field{"learned_peers", strconv.Itoa(int(dv.peers))})
	}
}

// flowEnd learns or checks the server of a flow that answered (device,
// service) and the bytes both ends moved.
func (d *baselineDetector) flowEnd(c *Context, e *flow.Event, fi *flow.FlowInfo) {
	ca, sa := e.Src.Addr(), e.Dst.Addr()
	if b := fi.Bytes[0] + fi.Bytes[1]; b > 0 {
		v := float64(b)
		// A long flow's bytes, all reported at its end, count at its mean
		// rate: one interval's worth.
		if dur := c.Now().Sub(fi.Start).Nanoseconds(); dur > d.vol.interval {
			v = v * float64(d.vol.interval) / float64(dur)
		}
		d.count(c, e, ca, mBytes, v)
		if fi.Packets[1] > 0 {
			d.count(c, e, sa, mBytes, v)
		}
	}
	if fi.Packets[1] == 0 || !d.isDevice(sa) {
		return
	}
	sk := addr16Of(sa)
	port := e.Dst.Port()
	// A TCP server's port is its own when the handshake was seen; while
	// learning, a flow from its middle with data from the server counts
	// too, so that what is learned covers more than what is checked.
	var svc bool
	switch fi.Transport {
	case flow.TCP:
		svc = !fi.SYNACK.IsZero() || d.learning && fi.Bytes[1] > 0
	case flow.UDP:
		svc = fi.Bytes[1] > 0
	}
	svc = svc && port != 0 && port <= d.maxPort
	if d.learning {
		dv, _ := d.devices.Put(sk)
		if !svc || dv.flags&devServicesMany != 0 {
			return
		}
		mask, isNew := d.services.Put(blSvcKey{sk, port, fi.Transport})
		*mask |= 1 << d.appBitOf(fi.Protocol)
		if isNew {
			if int(dv.services) >= d.maxSvcPer {
				dv.flags |= devServicesMany
			} else {
				dv.services++
			}
		}
		return
	}
	dv := d.device(sk)
	if dv == nil {
		d.newDevice(c, e, sk, e.Dst, e.Src, fi, "answered a flow from")
		return
	}
	if !d.on[bNewService] || !svc || dv.flags&(devServicesMany|devServicesLost) != 0 {
		return
	}
	bit := d.appBitOf(fi.Protocol)
	x := uint64(fi.Transport)<<32 | uint64(port)<<8 | uint64(bit)
	mask, ok := d.services.Peek(blSvcKey{sk, port, fi.Transport})
	switch {
	case !ok:
		if !d.raise(c, bNewService, sk, addr16{}, x&^0xff) {
			return
		}
		if a := c.Alert(ruleNewService, e.Key, e.Src, e.Dst); a != nil {
			a.Summary = fmt.Sprintf("%s answered on %s port %d, which it never answered on while learning", sa, fi.Transport, port)
			d.serviceEvidence(a, fi, dv)
		}
	case bit != 0 && *mask&(1<<bit) == 0 && *mask&^1 != 0:
		// An identified protocol on a port learned with others (a port
		// learned only unidentified is not judged).
		if !d.raise(c, bNewService, sk, addr16{}, x) {
			return
		}
		// Low: the port is a learned service, and the protocol may be what
		// a client's probe spoke (a scanner's HTTP request to a DICOM port).
		if a := c.AlertSeverity(ruleNewService, Low, e.Key, e.Src, e.Dst); a != nil {
			a.Summary = fmt.Sprintf("%s speaks %s on %s port %d, where it spoke only %s while learning", sa, fi.Protocol, fi.Transport, port, d.appList(*mask))
			d.serviceEvidence(a, fi, dv)
		}
	}
}

func (d *baselineDetector) serviceEvidence(a *Alert, fi *flow.FlowInfo, dv *blDevice) {
	a.Evidence = append(a.Evidence, Field{"transport", fi.Transport.String()}, Field{"port", strconv.Itoa(int(a.Dst.Port()))})
	if fi.Protocol != "" {
		a.Evidence = append(a.Evidence, Field{"app", fi.Protocol})
	}
	a.Evidence = append(a.Evidence, Field{"learned_services", strconv.Itoa(int(dv.services))})
}

// appList names the protocols of a mask, "unidentified" for bit 0.
func (d *baselineDetector) appList(mask uint64) string {
	s := ""
	for b := uint8(0); b < 64; b++ {
		if mask&(1<<b) == 0 {
			continue
		}
		if s != "" {
			s += ", "
		}
		if b == 0 {
			s += "unidentified"
		} else {
			s += d.appName(b)
		}
	}
	return s
}

// newDevice raises baseline.new-device for the device at k (at ap, talking
// with peer), once.
func (d *baselineDetector) newDevice(c *Context, e *flow.Event, k addr16, ap, peer netip.AddrPort, fi *flow.FlowInfo, how string) {
	if !d.on[bNewDevice] || !d.raise(c, bNewDevice, k, addr16{}, 0) {
		return
	}
	// When devices were dropped at the cap, an unknown one may be one of
	// them: say so, at low.
	sev := Medium
	if d.devicesDropped > 0 {
		sev = Low
	}
	a := c.AlertSeverity(ruleNewDevice, sev, e.Key, netip.AddrPortFrom(ap.Addr(), 0), netip.AddrPort{})
	if a == nil {
		return
	}
	a.Summary = fmt.Sprintf("new device %s %s %s", ap.Addr(), how, peer)
	a.Evidence = append(a.Evidence, Field{"peer", peer.String()}, Field{"transport", fi.Transport.String()})
	if fi.Protocol != "" {
		a.Evidence = append(a.Evidence, Field{"app", fi.Protocol})
	}
	if d.devicesDropped > 0 {
		a.Evidence = append(a.Evidence, Field{"learned_devices_dropped", strconv.FormatUint(d.devicesDropped, 10)})
	}
}

// raise remembers a key raised after learning and reports whether it is
// the first time and within the rule's budget of max-per-minute new keys a
// minute. Past the budget it raises one alert for the minute with no
// addresses, which the engine's de-duplication counts (its Count is the
// number of keys not raised one by one), so that a flood of new keys
// (spoofed sources) makes few alerts.
func (d *baselineDetector) raise(c *Context, rule uint8, a, b addr16, x uint64) bool {
	if _, isNew := d.raised.Put(blRaisedKey{rule, a, b, x}); !isNew {
		return false
	}
	bg := &d.budget[rule]
	if m := c.Now().UnixNano() / 60e9; m > bg.minute {
		bg.minute, bg.n = m, 0
	}
	if bg.n < d.maxPerMinute[rule] {
		bg.n++
		return true
	}
	d.overBudget[rule]++
	sev := Medium
	if rule == bNewDevice && d.devicesDropped > 0 {
		sev = Low
	}
	if al := c.AlertSeverity(baselineRuleIDs[rule], sev, flow.Key{}, netip.AddrPort{}, netip.AddrPort{}); al != nil {
		al.Summary = fmt.Sprintf("more than %d new keys of %s in a minute: those past it are counted in this alert, not raised one by one",
			d.maxPerMinute[rule], baselineRuleIDs[rule])
		al.Evidence = append(al.Evidence, Field{"max_per_minute", strconv.Itoa(int(d.maxPerMinute[rule]))})
	}
	return false
}

// offHours raises baseline.off-hours when dv opens a flow in an hour of
// the day at least an hour away from those it was active in.
func (d *baselineDetector) offHours(c *Context, e *flow.Event, dv *blDevice, now int64) {
	if d.learnLast-d.learnFirst < d.offMinSpan || dv.active < d.offMinActive || dv.hours == 0 {
		return
	}
	h := blHourOfDay(now)
	near := uint32(1)<<h | uint32(1)<<((h+1)%24) | uint32(1)<<((h+23)%24)
	if dv.hours&near != 0 {
		return
	}
	hr := int32(now / 3600e9)
	if dv.lastOffHr == hr {
		return
	}
	dv.lastOffHr = hr
	a := c.Alert(ruleOffHours, e.Key, netip.AddrPortFrom(e.Src.Addr(), 0), e.Dst)
	if a == nil {
		return
	}
	a.Summary = fmt.Sprintf("%s opened a flow at %02d h UTC, an hour it was never active in while learning", e.Src.Addr(), h)
	a.Evidence = append(a.Evidence, Field{"hour_utc", strconv.Itoa(h)}, Field{"learned_hours_utc", blHoursList(dv.hours)})
}

func blHourOfDay(ns int64) int {
	h := (ns / 3600e9) % 24
	if h < 0 {
		h += 24
	}
	return int(h)
}

// blHoursList writes a set of hours as "6-18,22".
func blHoursList(m uint32) string {
	s := ""
	for h := 0; h < 24; h++ {
		if m&(1<<h) == 0 || h > 0 && m&(1<<(h-1)) != 0 {
			continue
		}
		e := h
		for e+1 < 24 && m&(1<<(e+1)) != 0 {
			e++
		}
		if s != "" {
			s += ","
		}
		s += strconv.Itoa(h)
		if e > h {
			s += "-" + strconv.Itoa(e)
		}
	}
	return s
}

// blAEPair learns or checks the AE title pair of an accepted association
// (the A-ASSOCIATE-AC comes from the acceptor: e.Dst is the requestor).
func (d *baselineDetector) blAEPair(c *Context, e *flow.Event, calling, called []byte) {
	calling, called = blClip(calling, 16), blClip(called, 16)
	h := blHashPair(calling, called)
	if d.learning {
		p, isNew := d.aes.Put(h)
		if isNew {
			p.calling, p.called = string(calling), string(called)
		}
		return
	}
	if !d.on[bNewAE] {
		return
	}
	if p, ok := d.aes.Peek(h); ok && p.calling == string(calling) && p.called == string(called) {
		return
	}
	if !d.raise(c, bNewAE, addr16{}, addr16{}, h) {
		return
	}
	if a := c.Alert(ruleNewAE, e.Key, e.Dst, e.Src); a != nil {
		a.Summary = fmt.Sprintf("association %q -> %q accepted, a pair never accepted while learning", calling, called)
		a.Evidence = append(a.Evidence, Field{"calling_ae", string(calling)}, Field{"called_ae", string(called)})
	}
}

// blMaxSenderField caps the bytes of MSH-3 and MSH-4 kept.
const blMaxSenderField = 64

// blSender learns or checks the sender of an HL7 message.
func (d *baselineDetector) blSender(c *Context, e *flow.Event, app, fac []byte) {
	app, fac = blClip(app, blMaxSenderField), blClip(fac, blMaxSenderField)
	h := blHashPair(app, fac)
	src := e.Src.Addr()
	sk := addr16Of(src)
	if d.learning {
		s, isNew := d.senders.Put(h)
		if isNew {
			s.app, s.facility = string(app), string(fac)
		}
		s.addSrc(sk)
		return
	}
	if !d.on[bNewSender] {
		return
	}
	s, ok := d.senders.Peek(h)
	if !ok || s.app != string(app) || s.facility != string(fac) {
		if !d.raise(c, bNewSender, addr16{}, addr16{}, h) {
			return
		}
		if a := c.Alert(ruleNewSender, e.Key, e.Src, e.Dst); a != nil {
			a.Summary = fmt.Sprintf("HL7 sender %q at %q never seen while learning", app, fac)
			a.Evidence = append(a.Evidence, Field{"sending_app", string(app)}, Field{"sending_facility", string(fac)})
		}
		return
	}
	if s.manySrcs || s.hasSrc(sk) || !d.raise(c, bNewSender, sk, addr16{}, h) {
		return
	}
	if a := c.Alert(ruleNewSender, e.Key, e.Src, e.Dst); a != nil {
		a.Summary = fmt.Sprintf("HL7 sender %q at %q from %s, an address it never sent from while learning", app, fac, src)
		a.Evidence = append(a.Evidence, Field{"sending_app", string(app)}, Field{"sending_facility", string(fac)})
		for i := range s.nsrc {
			a.Evidence = append(a.Evidence, Field{"learned_source", s.srcs[i].Addr().String()})
		}
	}
}

func (s *blSender) hasSrc(k addr16) bool {
	for i := range s.nsrc {
		if s.srcs[i] == k {
			return true
		}
	}
	return false
}

func (s *blSender) addSrc(k addr16) {
	if s.manySrcs || s.hasSrc(k) {
		return
	}
	if s.nsrc == blMaxSenderSrcs {
		s.manySrcs = true
		return
	}
	s.srcs[s.nsrc] = k
	s.nsrc++
}

func blClip(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

// blHashPair is FNV-1a over a, a zero byte and b: stable across runs, so
// that it can key what a baseline file loads.
func blHashPair(a, b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range a {
		h = (h ^ uint64(c)) * 1099511628211
	}
	h *= 1099511628211 // the zero byte
	for _, c := range b {
		h = (h ^ uint64(c)) * 1099511628211
	}
	return h
}
