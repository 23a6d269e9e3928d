package fingerprint

import (
	"bytes"
	"net/netip"
	"strings"

	"github.com/medtap/medtap/dicom/ul"
	"github.com/medtap/medtap/fingerprint/devdb"
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/astmflow"
	"github.com/medtap/medtap/flow/dicomflow"
	"github.com/medtap/medtap/flow/hl7flow"
	"github.com/medtap/medtap/flow/httpflow"
	"github.com/medtap/medtap/flow/intellivueflow"
	"github.com/medtap/medtap/flow/lldpflow"
	"github.com/medtap/medtap/flow/poct1aflow"
	"github.com/medtap/medtap/flow/snmpflow"
	"github.com/medtap/medtap/flow/tlsflow"
	"github.com/medtap/medtap/netproto/http"
)

// setOnce stores v in *dst if *dst is empty: a device's first answer is
// kept (evidence is bounded: at most devdb.MaxValueLen bytes a value).
func setOnce(dst *string, v []byte) {
	if *dst != "" {
		return
	}
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return
	}
	if len(v) > devdb.MaxValueLen {
		v = v[:devdb.MaxValueLen]
	}
	*dst = strings.ToValidUTF8(string(v), "?")
}

// addSlot stores v in the first empty slot of dst unless it is there or
// dst is full.
func addSlot(dst []string, v []byte) {
	if len(dst) == 0 || dst[len(dst)-1] != "" {
		return
	}
	v = bytes.TrimSpace(v)
	if len(v) == 0 || len(v) > devdb.MaxValueLen {
		return
	}
	for i := range dst {
		if dst[i] == string(v) {
			return
		}
		if dst[i] == "" {
			dst[i] = string(v)
			return
		}
	}
}

// evidence fills the devdb evidence of the devices an event names: what
// the device database's tests read.
func (inv *Inventory) evidence(e *flow.Event) {
	if a, ok := e.Detail.(*lldpflow.Advertisement); ok {
		inv.lldpEvidence(e, a)
		return
	}
	if !e.Src.IsValid() {
		return
	}
	switch d := e.Detail.(type) {
	case *flow.FlowInfo:
		if e.Kind == flow.KindStart && !d.SYN.IsZero() {
			c := inv.src(e)
			if c.ev.P0F == "" {
				c.ev.P0F = d.SYN.String()
			}
		}
	case *dicomflow.Associate:
		a := d.Associate
		src := inv.src(e)
		setOnce(&src.ev.ImplementationUID, a.UserInfo.ImplementationClassUID)
		setOnce(&src.ev.ImplementationVersion, a.UserInfo.ImplementationVersionName)
		if e.Kind == dicomflow.KindAssociateRQ {
			addSlot(src.ev.AETitles[:], a.CallingAE)
			for i := range a.Contexts {
				as := a.Contexts[i].AbstractSyntax
				// A class is often proposed once per transfer syntax,
				// in contexts side by side.
				if i > 0 && bytes.Equal(as, a.Contexts[i-1].AbstractSyntax) {
					continue
				}
				addSlot(src.ev.SOPClassesSent[:], as)
			}
		} else {
			addSlot(src.ev.AETitles[:], a.CalledAE)
		}
	case *dicomflow.DIMSE:
		m := d.Message
		if m.Command == ul.CStoreRQ && len(m.MoveOriginatorAE) == 0 {
			src := inv.src(e)
			o := &m.Object
			setOnce(&src.ev.Modality, o.Modality)
			setOnce(&src.ev.Manufacturer, o.Manufacturer)
			setOnce(&src.ev.Model, o.ManufacturerModelName)
			setOnce(&src.ev.SoftwareVersions, o.SoftwareVersions)
		}
	case *hl7flow.Message:
		src := inv.src(e)
		src.hl7Sent |= hl7SentOf(d.MessageType)
		setOnce(&src.ev.HL7SendingApp, d.SendingApp)
		setOnce(&src.ev.HL7SendingFacility, d.SendingFacility)
		// PRT-16 names the device the message reports on: a pump or
		// monitor gateway sends for devices of its vendor, so the UDI's
		// labeler is a (weak) hint of the sender's. The database weighs
		// udi tests low for that reason.
		setOnce(&src.ev.UDI, d.UDI)
	case *httpflow.Message:
		src := inv.src(e)
		if d.Msg.Kind == http.KindRequest {
			setOnce(&src.ev.HTTPUserAgent, d.Msg.UserAgent)
		} else {
			setOnce(&src.ev.HTTPServer, d.Msg.Server)
		}
	case *tlsflow.Hello:
		if c := d.Client; c != nil {
			src := inv.src(e)
			var buf [64]byte // a JA3 hash is 32 bytes, a JA4 36
			if src.ev.JA3 == "" {
				setOnce(&src.ev.JA3, c.AppendJA3(buf[:0]))
			}
			if src.ev.JA4 == "" {
				setOnce(&src.ev.JA4, c.AppendJA4(buf[:0]))
			}
		}
	case *astmflow.Session:
		src := inv.src(e)
		setOnce(&src.ev.ASTMSender, d.Header.Sender)
	case *intellivueflow.Monitor:
		src := inv.src(e)
		setOnce(&src.ev.IntelliVueManufacturer, d.Identity.Manufacturer)
		setOnce(&src.ev.IntelliVueModel, d.Identity.Model)
	case dhcpClient:
		mac, params, vendor, host, assigned := d.DHCPClient()
		if mac.IsZero() {
			return
		}
		x := inv.dhcpEvidence(mac)
		if x == nil {
			return
		}
		setOnce(&x.params, params)
		setOnce(&x.vendor, vendor)
		setOnce(&x.host, host)
		switch e.Kind {
		case "ack", "reply", "bootp-reply": // not an offer, which a client may decline
			// The server gives the client its address: tie MAC and IP.
			if assigned.IsValid() {
				inv.tie(assigned, mac, e.Time)
			}
		}
	case *snmpflow.Message:
		if d.SysObjectID.Len() > 0 {
			src := inv.src(e)
			if src.ev.SNMPSysObjectID == "" {
				src.ev.SNMPSysObjectID = string(d.SysObjectID.AppendTo(nil))
			}
		}
	case *poct1aflow.Message:
		if e.Kind == poct1aflow.KindHello && d.Message != nil {
			src := inv.src(e)
			setOnce(&src.ev.POCTVendor, d.Message.VendorID)
			setOnce(&src.ev.POCTModel, d.Message.ModelID)
		}
	}
}

// lldpEvidence takes the LLDP-MED inventory manufacturer and model of an
// advertisement: to the device of its management address when it names
// one, else to the sender's MAC (a frame has no IP address), as DHCP
// evidence is kept.
func (inv *Inventory) lldpEvidence(e *flow.Event, a *lldpflow.Advertisement) {
	l := &a.LLDP
	if len(l.Manufacturer) == 0 && len(l.Model) == 0 {
		return
	}
	if addr := a.MgmtAddr(); isDevice(addr) {
		d := inv.get(addr, flow.MAC{}, e.Time)
		setOnce(&d.ev.LLDPManufacturer, l.Manufacturer)
		setOnce(&d.ev.LLDPModel, l.Model)
		return
	}
	if e.SrcMAC.IsZero() {
		return
	}
	if x := inv.dhcpEvidence(e.SrcMAC); x != nil {
		setOnce(&x.lldpManufacturer, l.Manufacturer)
		setOnce(&x.lldpModel, l.Model)
	}
}

// osEvidence takes the operating systems identities name into the
// evidence fields of the protocols that give them.
func (d *device) osEvidence(protocol string, name []byte) {
	switch protocol {
	case "smb":
		setOnce(&d.ev.SMBOS, name)
	case "snmp":
		setOnce(&d.ev.SNMPSysDescr, name)
	}
}

// dhcpClient is what a DHCP message says of its client (dhcpflow.Message
// has it; an interface, so that dhcpflow's tests may use the inventory).
type dhcpClient interface {
	DHCPClient() (mac flow.MAC, params, vendorClass, hostName []byte, assigned netip.Addr)
}

// dhcp is what a client's DHCP messages said, kept by its MAC: a DHCP
// client has no address yet when it asks, so the device the evidence
// belongs to is the one that MAC is later seen with. The LLDP-MED
// inventory of an advertisement without a management address is kept
// with it, for the same reason.
type dhcp struct {
	params, vendor, host        string
	lldpManufacturer, lldpModel string
}

// fill sets the evidence fields x holds in ev (a field the device's own
// events set is kept).
func (x *dhcp) fill(ev *devdb.Evidence) {
	ev.DHCPParams, ev.DHCPVendorClass, ev.DHCPHostName = x.params, x.vendor, x.host
	if ev.LLDPManufacturer == "" && ev.LLDPModel == "" {
		ev.LLDPManufacturer, ev.LLDPModel = x.lldpManufacturer, x.lldpModel
	}
}

// dhcpEvidence returns the DHCP evidence of mac, made if needed (nil past
// MaxDevices MACs).
func (inv *Inventory) dhcpEvidence(mac flow.MAC) *dhcp {
	x := inv.dhcp[mac]
	if x == nil {
		if len(inv.dhcp) >= inv.cfg.MaxDevices {
			return nil
		}
		x = new(dhcp)
		inv.dhcp[mac] = x
	}
	return x
}
