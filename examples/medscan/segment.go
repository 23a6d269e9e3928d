package main

import (
	"strings"
	"time"

	"github.com/medtap/medtap/fingerprint"
	"github.com/medtap/medtap/fingerprint/segment"
	"github.com/medtap/medtap/flow"
)

// segmentSink collects every flow for the segmentation advice and passes
// each event on.
type segmentSink struct {
	next flow.Sink
	seg  segment.Collector
}

func (s *segmentSink) Event(e *flow.Event) {
	if e.Protocol == flow.ProtocolFlow && e.Kind == flow.KindEnd {
		if fi, ok := e.Detail.(*flow.FlowInfo); ok {
			s.seg.Add(&segment.Flow{Client: e.Src.Addr(), Server: e.Dst.Addr(), Transport: segment.Transport(fi.Transport),
				Port: e.Dst.Port(), Protocol: fi.Protocol, Count: 1, Bytes: fi.Bytes[0] + fi.Bytes[1], First: fi.Start, Last: e.Time})
		}
	}
	s.next.Event(e)
}

// render returns the advice for the inventory's devices in format (json:
// one JSON line of type "segmentation"; table; nft).
func (s *segmentSink) render(inv *fingerprint.Inventory, format string, last time.Time) []byte {
	var devs []segment.Device
	for _, d := range inv.Devices() {
		class, _, _ := strings.Cut(d.Class, ":")
		sd := segment.Device{Addr: d.Addr, Name: deviceName(d), Class: segment.Class(strings.ReplaceAll(class, "-", "_"))}
		if !d.MAC.IsZero() {
			sd.MAC, sd.HasMAC = d.MAC, true
		}
		devs = append(devs, sd)
		// The flows of a device of several addresses come from each.
		for _, a := range d.Addrs {
			if a != d.Addr {
				sd.Addr = a
				devs = append(devs, sd)
			}
		}
	}
	adv := s.seg.Advice(devs)
	switch format {
	case "json":
		b := append([]byte(`{"type":"segmentation","ts":`), flow.AppendTime(nil, last)...)
		b = append(b, `,"advice":`...)
		return append(adv.AppendJSON(b), '}', '\n')
	case "nft":
		return adv.AppendNftables(nil, segment.NftConfig{})
	}
	return adv.AppendText([]byte("\nSEGMENTATION\n"))
}

// deviceName is the first name a device gave itself, without its kind.
func deviceName(d fingerprint.Device) string {
	for _, n := range d.Names {
		if k, v, ok := strings.Cut(n, ":"); ok && k != "os" && k != "vendor" {
			return v
		}
	}
	return ""
}
