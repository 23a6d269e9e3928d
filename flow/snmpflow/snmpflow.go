// Package snmpflow is the flow adapter for SNMP: importing it registers
// protocol "snmp" (UDP 161 and 162, and any UDP flow whose first datagram
// is an SNMP message) with package flow. Every message is one event whose
// kind is its PDU type; the community string itself never reaches an
// event, only whether there is one and whether it is a well-known default.
package snmpflow

import (
	"net/netip"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/netproto/snmp"
)

// Name is the protocol's name in events and [flow.Config.Protocols].
const Name = "snmp"

// The kinds of event the adapter emits, with their Detail: one per PDU
// type ([*Message]), named as [snmp.PDUType.String] names them.
const (
	KindGetRequest     flow.Kind = "get-request"
	KindGetNextRequest flow.Kind = "get-next-request"
	KindGetBulkRequest flow.Kind = "get-bulk-request"
	KindSetRequest     flow.Kind = "set-request"
	// KindResponse: a response (or an SNMPv1 GetResponse); with the
	// system group's sysDescr, sysObjectID, sysName, sysContact and
	// sysLocation when it carries them, which identify the agent.
	KindResponse      flow.Kind = "response"
	KindTrap          flow.Kind = "trap" // SNMPv1 Trap-PDU
	KindSNMPv2Trap    flow.Kind = "snmpv2-trap"
	KindInformRequest flow.Kind = "inform-request"
	KindReport        flow.Kind = "report"
	// KindEncrypted: an SNMPv3 message whose PDU is encrypted: version,
	// user and engine only. [*Message]
	KindEncrypted flow.Kind = "encrypted"
	// KindCleartextLogin: the first message of a flow with a community
	// string, once per flow: a password sent in clear text. [*Login]
	KindCleartextLogin flow.Kind = "cleartext-login"
	// Malformed messages are reported as [flow.KindError], with the
	// offset counted over the datagrams of the direction.
)

func init() {
	flow.Register(flow.Protocol{
		Name:      Name,
		Transport: flow.UDP,
		Ports:     []uint16{161, 162},
		Match:     snmp.Sniff,
		New:       func() flow.Decoder { return new(decoder) },
	})
}

// maxOIDs is how many variable names a Message event lists.
const maxOIDs = 16

// The objects whose values a response reports.
var (
	sysDescr    = snmp.MustParseOID("1.3.6.1.2.1.1.1.0")
	sysObjectID = snmp.MustParseOID("1.3.6.1.2.1.1.2.0")
	sysContact  = snmp.MustParseOID("1.3.6.1.2.1.1.4.0")
	sysName     = snmp.MustParseOID("1.3.6.1.2.1.1.5.0")
	sysLocation = snmp.MustParseOID("1.3.6.1.2.1.1.6.0")
	trapOID     = snmp.MustParseOID("1.3.6.1.6.3.1.1.4.1.0") // snmpTrapOID.0
)

// Message is the Detail of every PDU event and of "encrypted": the parsed
// message (views valid only during the event) and what the adapter found
// in its variable bindings. The community string is never written.
type Message struct {
	Msg snmp.Message
	// System group values of a response: sysDescr, sysName, sysContact,
	// sysLocation (OCTET STRINGs) and sysObjectID; empty when absent.
	SysDescr, SysName, SysContact, SysLocation []byte
	SysObjectID                                snmp.OID
	// TrapOID is snmpTrapOID.0 of an SNMPv2 trap or inform.
	TrapOID snmp.OID

	buf []byte
}

// Vendor returns the registered name of the enterprise sysObjectID lies
// under, for the vendors the snmp package knows, or "".
func (m *Message) Vendor() string {
	if n, ok := m.SysObjectID.Enterprise(); ok {
		return snmp.EnterpriseName(n)
	}
	return ""
}

// AppendJSON implements [flow.Detail]: version ("v1", "v2c", "v3"),
// community_present, default_community (a community is one of
// [snmp.DefaultCommunity]'s well-known defaults), user (SNMPv3), pdu,
// request_id, error_status (its name, in responses and reports or when not
// zero), error_index, non_repeaters and max_repetitions (get-bulk),
// varbinds (their number), oids (the first 16 names), sys_descr,
// sys_object_id, vendor, sys_name, sys_contact, sys_location (responses),
// enterprise, agent_addr, generic_trap, specific_trap, uptime (SNMPv1
// traps) and trap_oid (SNMPv2 traps and informs).
func (m *Message) AppendJSON(dst []byte) []byte {
	msg := &m.Msg
	dst = flow.AppendString(dst, "version", msg.Version.String())
	v12 := msg.Version == snmp.V1 || msg.Version == snmp.V2c
	dst = flow.AppendBool(dst, "community_present", v12)
	if v12 {
		dst = flow.AppendBool(dst, "default_community", snmp.DefaultCommunity(msg.Community))
	}
	if msg.Version == snmp.V3 {
		dst = flow.AppendNonEmpty(dst, "user", msg.V3.UserName)
	}
	if !msg.HasPDU {
		return dst
	}
	p := &msg.PDU
	dst = flow.AppendString(dst, "pdu", p.Type.String())
	switch p.Type {
	case snmp.TrapV1:
		dst = m.appendOID(dst, "enterprise", p.Enterprise)
		dst = flow.AppendKey(dst, "agent_addr")
		dst = append(netip.AddrFrom4([4]byte(p.AgentAddr)).AppendTo(append(dst, '"')), '"')
		dst = flow.AppendString(dst, "generic_trap", p.GenericTrap.String())
		dst = flow.AppendInt(dst, "specific_trap", p.SpecificTrap)
		dst = flow.AppendInt(dst, "uptime", int64(p.Timestamp))
	case snmp.GetBulkRequest:
		dst = flow.AppendInt(dst, "request_id", p.RequestID)
		dst = flow.AppendInt(dst, "non_repeaters", p.NonRepeaters)
		dst = flow.AppendInt(dst, "max_repetitions", p.MaxRepetitions)
	default:
		dst = flow.AppendInt(dst, "request_id", p.RequestID)
		if p.Type == snmp.Response || p.Type == snmp.Report || p.ErrorStatus != 0 {
			dst = flow.AppendString(dst, "error_status", p.ErrorStatus.String())
		}
		if p.ErrorIndex != 0 {
			dst = flow.AppendInt(dst, "error_index", p.ErrorIndex)
		}
	}
	dst = flow.AppendInt(dst, "varbinds", int64(p.NumVarBinds()))
	if p.NumVarBinds() > 0 {
		dst = append(flow.AppendKey(dst, "oids"), '[')
		it := p.VarBinds()
		for i := 0; i < maxOIDs && it.Next(); i++ {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(it.VarBind().Name.AppendTo(append(dst, '"')), '"')
		}
		dst = append(dst, ']')
	}
	dst = flow.AppendNonEmpty(dst, "sys_descr", m.SysDescr)
	if m.SysObjectID.Len() > 0 {
		dst = m.appendOID(dst, "sys_object_id", m.SysObjectID)
		if v := m.Vendor(); v != "" {
			dst = flow.AppendString(dst, "vendor", v)
		}
	}
	dst = flow.AppendNonEmpty(dst, "sys_name", m.SysName)
	dst = flow.AppendNonEmpty(dst, "sys_contact", m.SysContact)
	dst = flow.AppendNonEmpty(dst, "sys_location", m.SysLocation)
	if m.TrapOID.Len() > 0 {
		dst = m.appendOID(dst, "trap_oid", m.TrapOID)
	}
	return dst
}

func (m *Message) appendOID(dst []byte, key string, o snmp.OID) []byte {
	m.buf = o.AppendTo(m.buf[:0])
	return flow.AppendBytes(dst, key, m.buf)
}

// Identify implements [flow.Identifier]: in a response, the agent (the
// response's source) names itself: sysName ("host"), sysDescr ("os") and
// the vendor its sysObjectID's enterprise number belongs to ("vendor").
func (m *Message) Identify(k flow.Kind, buf []byte, yield func(flow.Identity)) {
	if k != KindResponse {
		return
	}
	if len(m.SysName) > 0 {
		yield(flow.Identity{Source: true, Kind: "host", Name: m.SysName})
	}
	if len(m.SysDescr) > 0 {
		yield(flow.Identity{Source: true, Kind: "os", Name: m.SysDescr})
	}
	if v := m.Vendor(); v != "" {
		yield(flow.Identity{Source: true, Kind: "vendor", Name: append(buf[:0], v...)})
	}
}

// Login is the Detail of "cleartext-login": a community string was sent
// (it is not written; the user of a community is nobody).
type Login struct {
	Version snmp.Version
	// Default is set when the community is a well-known default.
	Default bool
}

// AppendJSON implements [flow.Detail]: protocol ("snmp"), version and
// default_credential.
func (l *Login) AppendJSON(dst []byte) []byte {
	dst = flow.AppendString(dst, "protocol", Name)
	dst = flow.AppendString(dst, "version", l.Version.String())
	return flow.AppendBool(dst, "default_credential", l.Default)
}

// decoder decodes one UDP flow's datagrams; its Details are reused.
type decoder struct {
	parser snmp.Parser
	msg    Message
	login  Login
	logged bool     // a cleartext-login was emitted
	off    [2]int64 // bytes of the datagrams before, per direction
}

func (d *decoder) Data(c *flow.Context, dir flow.Dir, data []byte) {
	base := d.off[dir&1]
	d.off[dir&1] += int64(len(data))
	m := &d.msg
	if err := d.parser.Parse(data, &m.Msg); err != nil {
		c.DecodeErrorAt(dir, base+flow.ErrorOffset(err), err)
		return
	}
	m.SysDescr, m.SysName, m.SysContact, m.SysLocation = nil, nil, nil, nil
	m.SysObjectID, m.TrapOID = snmp.OID{}, snmp.OID{}
	kind := KindEncrypted
	if m.Msg.HasPDU {
		p := &m.Msg.PDU
		kind = flow.Kind(p.Type.String())
		it := p.VarBinds()
		for it.Next() {
			vb := it.VarBind()
			d.note(p.Type, vb)
		}
	}
	c.Emit(dir, kind, m)
	v := m.Msg.Version
	if !d.logged && (v == snmp.V1 || v == snmp.V2c) {
		d.logged = true
		d.login = Login{Version: v, Default: snmp.DefaultCommunity(m.Msg.Community)}
		c.Emit(dir, KindCleartextLogin, &d.login)
	}
	m.Msg = snmp.Message{}
}

// note keeps the values of a binding the Message reports.
func (d *decoder) note(t snmp.PDUType, vb snmp.VarBind) {
	m := &d.msg
	if (t == snmp.TrapV2 || t == snmp.InformRequest) && vb.Name.Equal(trapOID) {
		m.TrapOID, _ = vb.Value.OID()
		return
	}
	if t != snmp.Response {
		return
	}
	var dst *[]byte
	switch {
	case vb.Name.Equal(sysObjectID):
		if o, ok := vb.Value.OID(); ok {
			m.SysObjectID = o
		}
		return
	case vb.Name.Equal(sysDescr):
		dst = &m.SysDescr
	case vb.Name.Equal(sysName):
		dst = &m.SysName
	case vb.Name.Equal(sysContact):
		dst = &m.SysContact
	case vb.Name.Equal(sysLocation):
		dst = &m.SysLocation
	default:
		return
	}
	if vb.Value.Type == snmp.TypeOctetString {
		*dst = vb.Value.Bytes
	}
}

func (d *decoder) Gap(*flow.Context, flow.Dir, int) {}
func (d *decoder) Close(*flow.Context)              {}
