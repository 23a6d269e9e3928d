package fingerprint

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/medtap/medtap/fingerprint/advisory"
)

// ErrDeviceJSON is wrapped by the errors of [ParseDeviceJSON].
var ErrDeviceJSON = errors.New("fingerprint: bad device line")

// deviceLine is the JSON object [Device.AppendJSON] writes.
type deviceLine struct {
	Type        string    `json:"type"`
	IP          string    `json:"ip"`
	MAC         string    `json:"mac"`
	Router      string    `json:"router_mac"`
	Addresses   []string  `json:"addresses"`
	FirstSeen   time.Time `json:"first_seen"`
	LastSeen    time.Time `json:"last_seen"`
	Protocols   []string  `json:"protocols"`
	Services    []string  `json:"services"`
	Names       []string  `json:"names"`
	Roles       []string  `json:"roles"`
	Vendor      string    `json:"vendor"`
	Product     string    `json:"product"`
	OS          string    `json:"os"`
	Class       string    `json:"class"`
	Criticality string    `json:"criticality"`
	Confidence  float64   `json:"confidence"`
	Evidence    []string  `json:"evidence"`
	Exposure    []struct {
		Factor   string   `json:"factor"`
		Detail   string   `json:"detail"`
		Advisory string   `json:"advisory"`
		Title    string   `json:"title"`
		Status   string   `json:"status"`
		CVEs     []string `json:"cves"`
	} `json:"exposure"`
	Peers         int    `json:"peers"`
	FlowsIn       int    `json:"flows_in"`
	FlowsOut      int    `json:"flows_out"`
	BytesSent     uint64 `json:"bytes_sent"`
	BytesReceived uint64 `json:"bytes_received"`
}

// ParseDeviceJSON reads one "device" line that [Device.AppendJSON] wrote
// (medscan -json prints them; a collector reads them off a bus) back into a
// Device. An advisory of an exposure comes back with its ID, title, status
// and CVE IDs.
func ParseDeviceJSON(line []byte) (Device, error) {
	var l deviceLine
	if err := json.Unmarshal(line, &l); err != nil {
		return Device{}, fmt.Errorf("%w: %v", ErrDeviceJSON, err)
	}
	if l.Type != "device" {
		return Device{}, fmt.Errorf("%w: type %q", ErrDeviceJSON, l.Type)
	}
	addr, err := netip.ParseAddr(l.IP)
	if err != nil {
		return Device{}, fmt.Errorf("%w: ip: %v", ErrDeviceJSON, err)
	}
	d := Device{
		Addr: addr, First: l.FirstSeen, Last: l.LastSeen,
		Protocols: nonNil(l.Protocols), Services: nonNil(l.Services), Names: nonNil(l.Names), Roles: l.Roles,
		Vendor: l.Vendor, Product: l.Product, OS: l.OS, Class: l.Class, Criticality: l.Criticality,
		Confidence: l.Confidence, Evidence: l.Evidence,
		Peers: l.Peers, FlowsIn: l.FlowsIn, FlowsOut: l.FlowsOut, BytesSent: l.BytesSent, BytesReceived: l.BytesReceived,
	}
	if l.MAC != "" {
		if err := d.MAC.UnmarshalText([]byte(l.MAC)); err != nil {
			return Device{}, fmt.Errorf("%w: mac: %v", ErrDeviceJSON, err)
		}
	}
	if l.Router != "" {
		if err := d.Router.UnmarshalText([]byte(l.Router)); err != nil {
			return Device{}, fmt.Errorf("%w: router_mac: %v", ErrDeviceJSON, err)
		}
	}
	for _, s := range l.Addresses {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return Device{}, fmt.Errorf("%w: addresses: %v", ErrDeviceJSON, err)
		}
		d.Addrs = append(d.Addrs, a)
	}
	for _, x := range l.Exposure {
		e := Exposure{Factor: x.Factor, Detail: x.Detail}
		if x.Advisory != "" {
			a := &advisory.Advisory{ID: x.Advisory, Title: x.Title}
			for s := advisory.Affected; s <= advisory.VersionNotComparable; s++ {
				if s.String() == x.Status {
					a.Status = s
				}
			}
			for _, c := range x.CVEs {
				a.CVEs = append(a.CVEs, advisory.CVE{ID: c})
			}
			e.Advisory = a
		}
		d.Exposure = append(d.Exposure, e)
	}
	return d, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
