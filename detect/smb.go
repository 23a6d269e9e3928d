package detect

import (
	"bytes"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/smbflow"
	"github.com/medtap/medtap/netproto/ntlmssp"
)

func init() { register(func() Detector { return new(smbDetector) }) }

// smbDetector raises smb.v1 for SMBv1 negotiations and smb.eol-os for
// Windows releases past Microsoft's end of support that talk SMB. Both are
// signatures on one event: it keeps no state.
type smbDetector struct {
	offered bool          // smb.v1: raise when SMB1 is only offered
	grace   time.Duration // smb.eol-os: time after the end of support before it raises
}

const (
	ruleSMBv1  = "smb.v1"
	ruleSMBEOL = "smb.eol-os"
)

func (*smbDetector) Name() string { return "smb" }

func (*smbDetector) Protocols() []string { return []string{smbflow.Name} }

func (*smbDetector) Rules() []Rule {
	return []Rule{{
		ID:        ruleSMBv1,
		Severity:  High,
		Technique: "T0866 Exploitation of Remote Services",
		Doc: "an SMBv1 negotiation, the protocol of the EternalBlue exploit WannaCry and NotPetya spread with: high when the server " +
			"chose an SMB1 dialect (it speaks SMBv1), medium when the client only offered one (it would speak it)",
		Params: []Param{{Name: "offered", Default: 1, Doc: "1: raise (medium) when a client offers SMB1 and the server chooses SMB2 or later; 0: only when SMB1 is chosen"}},
	}, {
		ID:        ruleSMBEOL,
		Severity:  High,
		Technique: "T0866 Exploitation of Remote Services",
		Doc: "a Windows release past Microsoft's end of support (XP, Server 2003, Vista, 7, Server 2008 and 2008 R2, 8, 8.1, " +
			"Server 2012 and 2012 R2, Windows 10 versions other than LTSC, early Windows 11 versions) talking SMB, by the NTLM version " +
			"of its CHALLENGE (server) or AUTHENTICATE (client), or else its SMB1 native OS; once per host",
		Params: []Param{{Name: "grace-days", Default: 0, Doc: "days after the end of support before it raises (a site paying for extended security updates sets their length)"}},
	}}
}

func (d *smbDetector) Configure(p Params) error {
	d.offered = p.Float(ruleSMBv1, "offered") != 0
	d.grace = time.Duration(p.Float(ruleSMBEOL, "grace-days") * float64(24*time.Hour))
	return nil
}

func (d *smbDetector) Event(c *Context, e *flow.Event) {
	switch v := e.Detail.(type) {
	case *smbflow.Negotiate:
		d.negotiate(c, e, v)
	case *smbflow.Challenge:
		d.os(c, e, "server", v.OS, v.OSVersion, v.NativeOS, v.NativeLanMan)
	case *smbflow.Auth:
		d.os(c, e, "client", v.OS, v.OSVersion, v.NativeOS, v.NativeLanMan)
	}
}

func (d *smbDetector) negotiate(c *Context, e *flow.Event, n *smbflow.Negotiate) {
	if !n.SMB1 || (!n.SMB1Chosen && !d.offered) {
		return
	}
	// A negotiation with its response is sent by the server.
	client, server := e.Src, e.Dst
	if n.Responded {
		client, server = e.Dst, e.Src
	}
	sev := Medium
	if n.SMB1Chosen {
		sev = High
	}
	a := c.AlertSeverity(ruleSMBv1, sev, e.Key, netip.AddrPortFrom(client.Addr(), 0), server)
	if a == nil {
		return
	}
	if n.SMB1Chosen {
		a.Summary = "SMBv1 negotiated: the server speaks SMB1 (" + string(n.Dialect) + ")"
	} else {
		a.Summary = "client offered SMBv1 dialects"
		if n.Responded {
			a.Summary += "; the server chose " + string(n.Dialect)
		}
	}
	var b strings.Builder
	for i, dl := range n.Dialects {
		if i > 0 {
			b.WriteString(", ")
		}
		if b.Len() > 200 {
			b.WriteString("...")
			break
		}
		b.Write(dl)
	}
	a.Evidence = append(a.Evidence, Field{"dialects", b.String()})
	if n.Responded {
		a.Evidence = append(a.Evidence, Field{"dialect", string(n.Dialect)})
	}
	a.Evidence = append(a.Evidence, Field{"smb1_chosen", strconv.FormatBool(n.SMB1Chosen)})
	if len(n.NetBIOSComputer) > 0 {
		a.Evidence = append(a.Evidence, Field{"netbios_computer", string(n.NetBIOSComputer)})
	}
}

var samba = []byte("Samba")

// os raises smb.eol-os when the host at e.Src (its role the server or the
// client) runs a Windows release past its end of support: by its NTLM
// version when it sent one, else by its SMB1 native OS, unless its native
// LAN manager says it is Samba.
func (d *smbDetector) os(c *Context, e *flow.Event, role string, osName, osVersion, native, lanman []byte) {
	name := osName
	if len(name) == 0 {
		if bytes.Contains(lanman, samba) {
			return
		}
		name = native
	}
	if len(name) == 0 {
		return
	}
	end, ok := ntlmssp.EndOfSupportOS(name)
	if !ok || c.Now().Before(end.Add(24*time.Hour+d.grace)) {
		return
	}
	src := e.Src
	if role == "client" {
		src = netip.AddrPortFrom(src.Addr(), 0)
	}
	// One alert per host: its peers are many (a file server's clients).
	a := c.Alert(ruleSMBEOL, e.Key, src, netip.AddrPort{})
	if a == nil {
		return
	}
	a.Summary = string(name) + ", past its end of support on " + end.Format(time.DateOnly) + ", talking SMB as a " + role
	a.Evidence = append(a.Evidence, Field{"os", string(name)}, Field{"role", role})
	if len(osVersion) > 0 {
		a.Evidence = append(a.Evidence, Field{"os_version", string(osVersion)})
	}
	if len(native) > 0 {
		a.Evidence = append(a.Evidence, Field{"native_os", string(native)})
	}
	a.Evidence = append(a.Evidence, Field{"end_of_support", end.Format(time.DateOnly)}, Field{"peer", e.Dst.Addr().String()})
}
