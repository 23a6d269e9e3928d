package detect

import (
	"encoding/json"
	"fmt"
	"math"
	"net/netip"
	"time"

	"github.com/medtap/medtap/flow"
)

// baselineJSON is the saved form of what the baseline detector learned.
// Entries are written least recently seen first, so that loading them in
// order restores the order in which the tables drop them.
type baselineJSON struct {
	Version  int               `json:"version"`
	Learned  bool              `json:"learned"`
	First    *time.Time        `json:"first,omitempty"` // packet time span of learning
	Last     *time.Time        `json:"last,omitempty"`
	Devices  []deviceJSON      `json:"devices"`
	Peers    [][2]string       `json:"peers"` // client, server
	Services []serviceJSON     `json:"services"`
	Senders  []senderJSON      `json:"hl7_senders"`
	AEPairs  [][2]string       `json:"ae_pairs"` // calling, called
	Dropped  map[string]uint64 `json:"dropped,omitempty"`
}

type deviceJSON struct {
	Addr         string      `json:"addr"`
	Hours        uint32      `json:"hours,omitempty"` // bit h: active in hour h UTC
	Active       uint32      `json:"active,omitempty"`
	Peers        uint16      `json:"peers,omitempty"`
	Services     uint16      `json:"services,omitempty"`
	PeersMany    bool        `json:"peers_many,omitempty"`
	PeersLost    bool        `json:"peers_lost,omitempty"`
	ServicesMany bool        `json:"services_many,omitempty"`
	ServicesLost bool        `json:"services_lost,omitempty"`
	Bytes        *metricJSON `json:"bytes,omitempty"`
	Ops          *metricJSON `json:"dimse_requests,omitempty"`
	Assocs       *metricJSON `json:"associations,omitempty"`
	Msgs         *metricJSON `json:"hl7_messages,omitempty"`
}

type metricJSON struct {
	Mean      float64 `json:"mean"`
	Peak      float64 `json:"peak"`
	Intervals uint32  `json:"intervals"`
}

type serviceJSON struct {
	Addr      string   `json:"addr"`
	Transport string   `json:"transport"`
	Port      uint16   `json:"port"`
	Apps      []string `json:"apps"` // "" for flows whose protocol was not identified
}

type senderJSON struct {
	App      string   `json:"app"`
	Facility string   `json:"facility"`
	Sources  []string `json:"sources"`
	Many     bool     `json:"many_sources,omitempty"`
}

const baselineVersion = 1

// MarshalBaseline implements [Baseliner]. An interval still open is
// counted as if it ended now.
func (d *baselineDetector) MarshalBaseline() ([]byte, error) {
	f := baselineJSON{Version: baselineVersion, Learned: d.learned}
	if d.learned && (d.learnFirst != 0 || d.learnLast != 0) {
		first, last := time.Unix(0, d.learnFirst).UTC(), time.Unix(0, d.learnLast).UTC()
		f.First, f.Last = &first, &last
	}
	f.Devices = make([]deviceJSON, 0, d.devices.Len())
	d.devices.All(func(k addrKey, v *bDevice) bool {
		dj := deviceJSON{
			Addr: k.Addr().String(), Hours: v.hours, Active: v.active, Peers: v.peers, Services: v.services,
			PeersMany: v.flags&devPeersMany != 0, PeersLost: v.flags&devPeersLost != 0,
			ServicesMany: v.flags&devServicesMany != 0, ServicesLost: v.flags&devServicesLost != 0,
			Bytes: v.bytes.json(), Ops: v.ops.json(), Assocs: v.assocs.json(), Msgs: v.msgs.json(),
		}
		f.Devices = append(f.Devices, dj)
		return true
	})
	f.Peers = make([][2]string, 0, d.peers.Len())
	d.peers.All(func(k peerKey, _ *struct{}) bool {
		f.Peers = append(f.Peers, [2]string{k.client.Addr().String(), k.server.Addr().String()})
		return true
	})
	f.Services = make([]serviceJSON, 0, d.services.Len())
	d.services.All(func(k svcKey, mask *uint64) bool {
		s := serviceJSON{Addr: k.addr.Addr().String(), Transport: k.transport.String(), Port: k.port, Apps: []string{}}
		for b := uint8(0); b < 64; b++ {
			if *mask&(1<<b) != 0 {
				s.Apps = append(s.Apps, d.appName(b))
			}
		}
		f.Services = append(f.Services, s)
		return true
	})
	f.Senders = make([]senderJSON, 0, d.senders.Len())
	d.senders.All(func(_ uint64, s *hl7Sender) bool {
		sj := senderJSON{App: s.app, Facility: s.facility, Many: s.manySrcs, Sources: []string{}}
		for i := range s.nsrc {
			sj.Sources = append(sj.Sources, s.srcs[i].Addr().String())
		}
		f.Senders = append(f.Senders, sj)
		return true
	})
	f.AEPairs = make([][2]string, 0, d.aes.Len())
	d.aes.All(func(_ uint64, p *aePair) bool {
		f.AEPairs = append(f.AEPairs, [2]string{p.calling, p.called})
		return true
	})
	reverse(f.Devices)
	reverse(f.Peers)
	reverse(f.Services)
	reverse(f.Senders)
	reverse(f.AEPairs)
	dropped := map[string]uint64{"devices": d.devicesDropped, "peers": d.peersDropped,
		"services": d.servicesDropped, "hl7_senders": d.sendersDropped, "ae_pairs": d.aesDropped}
	for k, v := range dropped {
		if v == 0 {
			delete(dropped, k)
		}
	}
	if len(dropped) > 0 {
		f.Dropped = dropped
	}
	return json.Marshal(f)
}

func reverse[S ~[]E, E any](s S) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

// json returns the learned part of m, its open learned interval folded
// in; nil when nothing was learned.
func (m metric) json() *metricJSON {
	m.fold()
	if m.n == 0 {
		return nil
	}
	return &metricJSON{Mean: m.ewma, Peak: m.peak, Intervals: m.n}
}

func (mj *metricJSON) metric() metric {
	if mj == nil || mj.Intervals == 0 || !finite(mj.Mean) || !finite(mj.Peak) || mj.Mean < 0 || mj.Peak < 0 {
		return metric{}
	}
	return metric{ewma: mj.Mean, peak: mj.Peak, n: mj.Intervals}
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// UnmarshalBaseline implements [Baseliner]: it replaces what was learned
// with data, keeping within the tables' caps (what is past a cap is
// dropped, and marked as dropped on its device; entries that do not parse
// are skipped and counted).
func (d *baselineDetector) UnmarshalBaseline(data []byte) error {
	var f baselineJSON
	if err := json.Unmarshal(data, &f); err != nil {
		return err
	}
	if f.Version != baselineVersion {
		return fmt.Errorf("baseline version %d not supported", f.Version)
	}
	d.reset()
	d.learned = f.Learned
	if f.First != nil && f.Last != nil && !f.Last.Before(*f.First) {
		d.learnFirst, d.learnLast = f.First.UnixNano(), f.Last.UnixNano()
	}
	d.devicesDropped, d.peersDropped = f.Dropped["devices"], f.Dropped["peers"]
	d.servicesDropped, d.sendersDropped, d.aesDropped = f.Dropped["services"], f.Dropped["hl7_senders"], f.Dropped["ae_pairs"]
	for i := range f.Devices {
		dj := &f.Devices[i]
		k, ok := parseKey(dj.Addr)
		if !ok {
			d.loadDropped++
			continue
		}
		v, _ := d.devices.Put(k)
		*v = bDevice{hours: dj.Hours & (1<<24 - 1), active: dj.Active, peers: dj.Peers, services: dj.Services,
			bytes: dj.Bytes.metric(), ops: dj.Ops.metric(), assocs: dj.Assocs.metric(), msgs: dj.Msgs.metric()}
		for _, fl := range []struct {
			on  bool
			bit uint8
		}{{dj.PeersMany, devPeersMany}, {dj.PeersLost, devPeersLost}, {dj.ServicesMany, devServicesMany}, {dj.ServicesLost, devServicesLost}} {
			if fl.on {
				v.flags |= fl.bit
			}
		}
	}
	for _, p := range f.Peers {
		c, ok1 := parseKey(p[0])
		s, ok2 := parseKey(p[1])
		if !ok1 || !ok2 {
			d.loadDropped++
			continue
		}
		d.peers.Put(peerKey{c, s})
	}
	for i := range f.Services {
		sj := &f.Services[i]
		k, ok := parseKey(sj.Addr)
		var t flow.Transport
		switch sj.Transport {
		case "tcp":
			t = flow.TCP
		case "udp":
			t = flow.UDP
		default:
			ok = false
		}
		if !ok || sj.Port == 0 {
			d.loadDropped++
			continue
		}
		mask, _ := d.services.Put(svcKey{k, sj.Port, t})
		for _, app := range sj.Apps {
			*mask |= 1 << d.appBitOf(app)
		}
	}
	for i := range f.Senders {
		sj := &f.Senders[i]
		app, fac := clip([]byte(sj.App), maxSenderField), clip([]byte(sj.Facility), maxSenderField)
		s, isNew := d.senders.Put(hashPair(app, fac))
		if isNew {
			s.app, s.facility = string(app), string(fac)
		}
		for _, a := range sj.Sources {
			if k, ok := parseKey(a); ok {
				s.addSrc(k)
			} else {
				d.loadDropped++
			}
		}
		s.manySrcs = s.manySrcs || sj.Many
	}
	for _, p := range f.AEPairs {
		calling, called := clip([]byte(p[0]), 16), clip([]byte(p[1]), 16)
		v, isNew := d.aes.Put(hashPair(calling, called))
		if isNew {
			v.calling, v.called = string(calling), string(called)
		}
	}
	return nil
}

// reset empties what was learned and raised.
func (d *baselineDetector) reset() {
	d.devices = resetTable(d.devices)
	d.peers = resetTable(d.peers)
	d.services = resetTable(d.services)
	d.senders = resetTable(d.senders)
	d.aes = resetTable(d.aes)
	d.raised = resetTable(d.raised)
	d.learned, d.learnFirst, d.learnLast = false, 0, 0
	d.devicesDropped, d.peersDropped, d.servicesDropped, d.sendersDropped, d.aesDropped, d.loadDropped = 0, 0, 0, 0, 0, 0
	d.lastDevOK = false
}

// resetTable returns an empty table with t's cap and eviction hook.
func resetTable[K comparable, V any](t *Table[K, V]) *Table[K, V] {
	n := NewTable[K, V](t.Cap())
	n.OnEvict = t.OnEvict
	return n
}

func parseKey(s string) (addrKey, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return addrKey{}, false
	}
	return keyOf(a), true
}
