package detect

import (
	"encoding/json"
	"fmt"
	"math"
	"net/netip"
	"time"

	"github.com/medtap/medtap/flow"
)

// blFileJSON is the saved form of what the baseline detector learned.
// Entries are written least recently seen first, so that loading them in
// order restores the order in which the tables drop them.
type blFileJSON struct {
	Version  int               `json:"version"`
	Learned  bool              `json:"learned"`
	First    *time.Time        `json:"first,omitempty"` // packet time span of learning
	Last     *time.Time        `json:"last,omitempty"`
	Devices  []blDeviceJSON    `json:"devices"`
	Peers    [][2]string       `json:"peers"` // client, server
	Services []blServiceJSON   `json:"services"`
	Senders  []blSenderJSON    `json:"hl7_senders"`
	AEPairs  [][2]string       `json:"ae_pairs"` // calling, called
	Dropped  map[string]uint64 `json:"dropped,omitempty"`
}

type blDeviceJSON struct {
	Addr         string        `json:"addr"`
	Hours        uint32        `json:"hours,omitempty"` // bit h: active in hour h UTC
	Active       uint32        `json:"active,omitempty"`
	Peers        uint16        `json:"peers,omitempty"`
	Services     uint16        `json:"services,omitempty"`
	PeersMany    bool          `json:"peers_many,omitempty"`
	PeersLost    bool          `json:"peers_lost,omitempty"`
	ServicesMany bool          `json:"services_many,omitempty"`
	ServicesLost bool          `json:"services_lost,omitempty"`
	Bytes        *blMetricJSON `json:"bytes,omitempty"`
	Ops          *blMetricJSON `json:"dimse_requests,omitempty"`
	Assocs       *blMetricJSON `json:"associations,omitempty"`
	Msgs         *blMetricJSON `json:"hl7_messages,omitempty"`
}

type blMetricJSON struct {
	Mean      float64 `json:"mean"`
	Peak      float64 `json:"peak"`
	Intervals uint32  `json:"intervals"`
}

type blServiceJSON struct {
	Addr      string   `json:"addr"`
	Transport string   `json:"transport"`
	Port      uint16   `json:"port"`
	Apps      []string `json:"apps"` // "" for flows whose protocol was not identified
}

type blSenderJSON struct {
	App      string   `json:"app"`
	Facility string   `json:"facility"`
	Sources  []string `json:"sources"`
	Many     bool     `json:"many_sources,omitempty"`
}

const blVersion = 1

// MarshalBaseline implements [Baseliner]. An interval still open is
// counted as if it ended now.
func (d *baselineDetector) MarshalBaseline() ([]byte, error) {
	f := blFileJSON{Version: blVersion, Learned: d.learned}
	if d.learned && (d.learnFirst != 0 || d.learnLast != 0) {
		first, last := time.Unix(0, d.learnFirst).UTC(), time.Unix(0, d.learnLast).UTC()
		f.First, f.Last = &first, &last
	}
	f.Devices = make([]blDeviceJSON, 0, d.devices.Len())
	d.devices.All(func(k addr16, v *blDevice) bool {
		dj := blDeviceJSON{
			Addr: k.Addr().String(), Hours: v.hours, Active: v.active, Peers: v.peers, Services: v.services,
			PeersMany: v.flags&devPeersMany != 0, PeersLost: v.flags&devPeersLost != 0,
			ServicesMany: v.flags&devServicesMany != 0, ServicesLost: v.flags&devServicesLost != 0,
			Bytes: v.bytes.json(), Ops: v.ops.json(), Assocs: v.assocs.json(), Msgs: v.msgs.json(),
		}
		f.Devices = append(f.Devices, dj)
		return true
	})
	f.Peers = make([][2]string, 0, d.peers.Len())
	d.peers.All(func(k blPeerKey, _ *struct{}) bool {
		f.Peers = append(f.Peers, [2]string{k.client.Addr().String(), k.server.Addr().String()})
		return true
	})
	f.Services = make([]blServiceJSON, 0, d.services.Len())
	d.services.All(func(k blSvcKey, mask *uint64) bool {
		s := blServiceJSON{Addr: k.addr.Addr().String(), Transport: k.transport.String(), Port: k.port, Apps: []string{}}
		for b := uint8(0); b < 64; b++ {
			if *mask&(1<<b) != 0 {
				s.Apps = append(s.Apps, d.appName(b))
			}
		}
		f.Services = append(f.Services, s)
		return true
	})
	f.Senders = make([]blSenderJSON, 0, d.senders.Len())
	d.senders.All(func(_ uint64, s *blSender) bool {
		sj := blSenderJSON{App: s.app, Facility: s.facility, Many: s.manySrcs, Sources: []string{}}
		for i := range s.nsrc {
			sj.Sources = append(sj.Sources, s.srcs[i].Addr().String())
		}
		f.Senders = append(f.Senders, sj)
		return true
	})
	f.AEPairs = make([][2]string, 0, d.aes.Len())
	d.aes.All(func(_ uint64, p *blAEPair) bool {
		f.AEPairs = append(f.AEPairs, [2]string{p.calling, p.called})
		return true
	})
	blReverse(f.Devices)
	blReverse(f.Peers)
	blReverse(f.Services)
	blReverse(f.Senders)
	blReverse(f.AEPairs)
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

func blReverse[S ~[]E, E any](s S) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

// json returns the learned part of m, its open learned interval folded
// in; nil when nothing was learned.
func (m blMetric) json() *blMetricJSON {
	m.fold()
	if m.n == 0 {
		return nil
	}
	return &blMetricJSON{Mean: m.ewma, Peak: m.peak, Intervals: m.n}
}

func (mj *blMetricJSON) metric() blMetric {
	if mj == nil || mj.Intervals == 0 || !blFinite(mj.Mean) || !blFinite(mj.Peak) || mj.Mean < 0 || mj.Peak < 0 {
		return blMetric{}
	}
	return blMetric{ewma: mj.Mean, peak: mj.Peak, n: mj.Intervals}
}

func blFinite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// UnmarshalBaseline implements [Baseliner]: it replaces what was learned
// with data, keeping within the tables' caps (what is past a cap is
// dropped, and marked as dropped on its device; entries that do not parse
// are skipped and counted).
func (d *baselineDetector) UnmarshalBaseline(data []byte) error {
	var f blFileJSON
	if err := json.Unmarshal(data, &f); err != nil {
		return err
	}
	if f.Version != blVersion {
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
		k, ok := blParseAddr(dj.Addr)
		if !ok {
			d.loadDropped++
			continue
		}
		v, _ := d.devices.Put(k)
		*v = blDevice{hours: dj.Hours & (1<<24 - 1), active: dj.Active, peers: dj.Peers, services: dj.Services,
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
		c, ok1 := blParseAddr(p[0])
		s, ok2 := blParseAddr(p[1])
		if !ok1 || !ok2 {
			d.loadDropped++
			continue
		}
		d.peers.Put(blPeerKey{c, s})
	}
	for i := range f.Services {
		sj := &f.Services[i]
		k, ok := blParseAddr(sj.Addr)
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
		mask, _ := d.services.Put(blSvcKey{k, sj.Port, t})
		for _, app := range sj.Apps {
			*mask |= 1 << d.appBitOf(app)
		}
	}
	for i := range f.Senders {
		sj := &f.Senders[i]
		app, fac := blClip([]byte(sj.App), blMaxSenderField), blClip([]byte(sj.Facility), blMaxSenderField)
		s, isNew := d.senders.Put(blHashPair(app, fac))
		if isNew {
			s.app, s.facility = string(app), string(fac)
		}
		for _, a := range sj.Sources {
			if k, ok := blParseAddr(a); ok {
				s.addSrc(k)
			} else {
				d.loadDropped++
			}
		}
		s.manySrcs = s.manySrcs || sj.Many
	}
	for _, p := range f.AEPairs {
		calling, called := blClip([]byte(p[0]), 16), blClip([]byte(p[1]), 16)
		v, isNew := d.aes.Put(blHashPair(calling, called))
		if isNew {
			v.calling, v.called = string(calling), string(called)
		}
	}
	return nil
}

// reset empties what was learned and raised.
func (d *baselineDetector) reset() {
	d.devices = blResetTable(d.devices)
	d.peers = blResetTable(d.peers)
	d.services = blResetTable(d.services)
	d.senders = blResetTable(d.senders)
	d.aes = blResetTable(d.aes)
	d.raised = blResetTable(d.raised)
	d.learned, d.learnFirst, d.learnLast = false, 0, 0
	d.devicesDropped, d.peersDropped, d.servicesDropped, d.sendersDropped, d.aesDropped, d.loadDropped = 0, 0, 0, 0, 0, 0
	d.lastDevOK = false
}

// blResetTable returns an empty table with t's cap and eviction hook.
func blResetTable[K comparable, V any](t *Table[K, V]) *Table[K, V] {
	n := NewTable[K, V](t.Cap())
	n.OnEvict = t.OnEvict
	return n
}

func blParseAddr(s string) (addr16, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return addr16{}, false
	}
	return addr16Of(a), true
}
