package fingerprint

import (
	"strconv"
	"strings"
	"time"

	"github.com/medtap/medtap/fingerprint/advisory"
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/loginflow"
	"github.com/medtap/medtap/flow/smbflow"
	"github.com/medtap/medtap/netproto/ntlmssp"
)

// An Exposure is one reason a device is exposed, explained.
type Exposure struct {
	Factor string // "end-of-life-os", "smbv1", "cleartext-phi", "cleartext-login", "default-credential", "many-peers", "advisory"
	Detail string // what was seen
	// Advisory is set for Factor "advisory": the CISA advisory that
	// applies to the device's vendor and product.
	Advisory *advisory.Advisory
}

// manyPeers is how many distinct peers make a service "reachable by many".
const manyPeers = 25

// exposureFlags are what events showed of a device's exposure.
type exposureFlags struct {
	smb1            bool
	loginsAccepted  int // cleartext logins sent to it
	defaultAccepted bool
}

// exposureEvidence records what an event shows of the exposure of the
// devices it names.
func (inv *Inventory) exposureEvidence(e *flow.Event) {
	if !e.Dst.IsValid() {
		return
	}
	switch d := e.Detail.(type) {
	case *smbflow.Negotiate:
		if d.SMB1Chosen { // both ends speak SMBv1
			inv.dst(e).exposure.smb1 = true
			inv.src(e).exposure.smb1 = true
		}
	case *loginflow.Login:
		// The source logged in to the destination, which accepts
		// passwords in clear text.
		dst := inv.dst(e)
		dst.exposure.loginsAccepted++
		if d.DefaultCredential && d.Outcome != loginflow.Failure {
			dst.exposure.defaultAccepted = true
		}
	}
}

// endOfLife reports whether os names a Windows release whose support had
// ended by t, the last time the device was seen: the table of package
// ntlmssp (Microsoft's lifecycle pages) knows the releases from their names
// and versions, and the latest end of the releases that share one.
func endOfLife(os string, t time.Time) bool {
	end, ok := ntlmssp.EndOfSupportOS([]byte(os))
	return ok && !t.Before(end.AddDate(0, 0, 1))
}

// exposures lists the reasons a device is exposed.
func (inv *Inventory) exposures(d *device, dev *Device, version string) []Exposure {
	var out []Exposure
	oses := []string{dev.OS}
	for n := range d.names {
		if s, ok := strings.CutPrefix(n, "os:"); ok {
			oses = append(oses, s)
		}
	}
	for _, os := range oses {
		if endOfLife(os, d.last) {
			out = append(out, Exposure{Factor: "end-of-life-os", Detail: os})
		}
	}
	if d.exposure.smb1 {
		out = append(out, Exposure{Factor: "smbv1", Detail: "an SMBv1 dialect was negotiated"})
	}
	for _, p := range []string{"dicom", "hl7"} {
		if _, ok := d.protocols[p]; ok {
			out = append(out, Exposure{Factor: "cleartext-phi", Detail: p + " without TLS"})
		}
	}
	if n := d.exposure.loginsAccepted; n > 0 {
		out = append(out, Exposure{Factor: "cleartext-login", Detail: strconv.Itoa(n) + " logins in clear text"})
	}
	if d.exposure.defaultAccepted {
		out = append(out, Exposure{Factor: "default-credential", Detail: "a vendor default password was accepted"})
	}
	if len(d.services) > 0 && dev.Peers >= manyPeers {
		out = append(out, Exposure{Factor: "many-peers", Detail: strconv.Itoa(dev.Peers) + " peers"})
	}
	if dev.Vendor != "" && dev.Product != "" {
		for _, a := range advisory.Match(dev.Vendor, dev.Product, version) {
			out = append(out, Exposure{Factor: "advisory", Detail: a.ID + " " + a.Status.String(), Advisory: &a})
		}
	}
	return out
}

// appendExposures appends `,"exposure":[...]`.
func appendExposures(b []byte, ex []Exposure) []byte {
	b = append(flow.AppendKey(b, "exposure"), '[')
	for i, x := range ex {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"factor":`...)
		b = flow.AppendQuoted(b, x.Factor)
		b = flow.AppendString(b, "detail", x.Detail)
		if a := x.Advisory; a != nil {
			b = flow.AppendString(b, "advisory", a.ID)
			b = flow.AppendString(b, "title", a.Title)
			b = flow.AppendString(b, "status", a.Status.String())
			b = flow.AppendKey(b, "cves")
			b = append(b, '[')
			for j, c := range a.CVEs {
				if j > 0 {
					b = append(b, ',')
				}
				b = flow.AppendQuoted(b, c.ID)
			}
			b = append(b, ']')
		}
		b = append(b, '}')
	}
	return append(b, ']')
}
