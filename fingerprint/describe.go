package fingerprint

import (
	"net/netip"
	"strings"
)

// Describe returns the best name of the device at address a (a host name,
// else an AE title, an HL7 application, another name it gave itself, else
// its vendor and product), its class, and whether the inventory knows the
// address. It is what a detector names the ends of an alert with (it
// implements detect.Devices), and costs one device's classification.
func (inv *Inventory) Describe(a netip.Addr) (name, class string, ok bool) {
	d := inv.devs[keyOf(a)]
	if d == nil {
		return "", "", false
	}
	rec := d
	if g := d.own; g != nil {
		rec = inv.merged(g) // the device of its MAC, every address's record merged
	}
	dev := inv.device(rec, d.own)
	return rec.bestName(&dev), dev.Class, true
}

// nameRank orders the kinds of names for [Inventory.Describe].
var nameRank = map[string]int{"host": 1, "ae": 2, "hl7": 3, "astm": 4, "intellivue": 5, "poct": 6}

func (d *device) bestName(dev *Device) string {
	best, bestRank := "", 1<<30
	for n := range d.names {
		kind, v, _ := strings.Cut(n, ":")
		if kind == "os" || kind == "vendor" || kind == "tls" {
			continue
		}
		r, known := nameRank[kind]
		if !known {
			r = 100
		}
		if r < bestRank || r == bestRank && v < best {
			best, bestRank = v, r
		}
	}
	if best == "" {
		best = strings.TrimSpace(dev.Vendor + " " + dev.Product)
	}
	return best
}
