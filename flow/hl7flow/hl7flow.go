// Package hl7flow is the flow adapter for HL7 v2 over MLLP: importing it
// registers protocol "hl7" with package flow.
//
// HL7 usually runs on TCP 2575 (IANA) or 6661 and many site-specific
// ports: the content decides first. Frames are found by a resynchronising
// [mllp.StreamDecoder] per direction, so captures that start mid-message or
// lose packets still yield every complete message; each frame's payload is
// parsed as one or more HL7 messages (batches included).
//
// A message event names its sending application and facility (MSH-3,
// MSH-4), which are also its identity ([flow.Identifier]), and the devices
// it mentions: the UDI and production identifiers of a PRT segment, the
// equipment instance identifiers of OBX-18 and EQU-1 (see [Message]).
package hl7flow

import (
	"bytes"
	"cmp"
	"slices"

	"github.com/medtap/medtap/flow"

	"github.com/medtap/medtap/hl7"
	"github.com/medtap/medtap/mllp"
)

// Name is the protocol's name in events and [flow.Config.Protocols].
const Name = "hl7"

// The kinds of event the adapter emits, with their Detail.
const (
	KindMessage flow.Kind = "message" // an HL7 message that is not an acknowledgement: [*Message]
	KindAck     flow.Kind = "ack"     // an acknowledgement or an MLLP commit acknowledgement: [*Ack]
	// Framing errors and malformed messages are reported as
	// [flow.KindError]; the next frame is decoded as usual.
)

func init() {
	flow.Register(flow.Protocol{
		Name:      Name,
		Transport: flow.TCP,
		Ports:     []uint16{2575, 6661},
		Match:     mllp.Sniff,
		New:       func() flow.Decoder { return new(decoder) },
	})
}

// Limits of the decoder of one flow. maxFrame caps the bytes one direction
// buffers for a frame split across packets ([flow.Config.MaxMessageBytes]
// replaces it when set); maxSegments and maxFields cap the index kept for
// one message (4 bytes a field), so a hostile frame made of separators
// costs at most 256 KiB of index. Larger frames and messages are reported
// as errors and skipped.
const (
	maxFrame    = 8 << 20
	maxSegments = 1 << 12
	maxFields   = 1 << 16
	// maxDeviceIDs bounds Message.DeviceIDs.
	maxDeviceIDs = 8
)

// Message is the Detail of "message" events: one HL7 v2 message that
// is not an acknowledgement. Message gives access to every segment and
// field; the other fields are raw (escaped) views of MSH fields and of the
// device identifiers. All views are valid only during the event.
//
// The device identifiers name the equipment that took part in what the
// message reports (an infusion pump that gave a dose, an analyser that made
// an observation, an implanted device), with their field names in HL7
// 2.8.2; each is empty when absent or the HL7 null "", and entity
// identifiers (EI) are given by their first component, the identifier
// itself (the others, the assigning authority, stay in Message):
//
//   - udi (UDI): PRT-16 UDI Device Identifier, the device identifier (DI)
//     of the device's Unique Device Identifier, the fixed part that names
//     its labeler and model (a GS1 GTIN, an HIBCC or ICCBBA code), and
//     from the same PRT segment (the first with any of PRT-16 to PRT-22)
//     the production identifiers of the UDI and the device's type:
//     device_manufacture_date (PRT-17 Device Manufacture Date),
//     device_expiry_date (PRT-18 Device Expiry Date), device_lot (PRT-19
//     Device Lot Number), device_serial (PRT-20 Device Serial Number),
//     device_donation_id (PRT-21 Device Donation Identification) and
//     device_type and device_type_text (PRT-22 Device Type, the code and
//     its text);
//   - device_ids (DeviceIDs): OBX-18 Equipment Instance Identifier, first
//     repetition, of every OBX segment: the distinct ones in order, at most
//     8 (device_ids_truncated reports more);
//   - equipment_id (EquipmentID): EQU-1 Equipment Instance Identifier,
//     first repetition, of the first EQU segment (lab automation).
//
// They identify equipment, not a patient, and are written as they are
// whatever the PHI policy.
type Message struct {
	Message *hl7.Message
	Offset  int64 // of the frame's start block in the direction's stream
	// MessageType is MSH-9-1^MSH-9-2, e.g. "ADT^A01".
	MessageType                     []byte
	ControlID, Version              []byte // MSH-10, MSH-12
	SendingApp, SendingFacility     []byte // MSH-3, MSH-4
	ReceivingApp, ReceivingFacility []byte // MSH-5, MSH-6
	Segments                        int

	UDI                   []byte   // PRT-16-1
	DeviceManufactureDate []byte   // PRT-17
	DeviceExpiryDate      []byte   // PRT-18
	DeviceLot             []byte   // PRT-19
	DeviceSerial          []byte   // PRT-20
	DeviceDonationID      []byte   // PRT-21-1
	DeviceType            []byte   // PRT-22-1
	DeviceTypeText        []byte   // PRT-22-2
	DeviceIDs             [][]byte // OBX-18-1, distinct, at most 8
	DeviceIDsTruncated    bool     // more distinct OBX-18 than DeviceIDs holds
	EquipmentID           []byte   // EQU-1-1
}

// AppendJSON implements [flow.Detail].
func (m *Message) AppendJSON(dst []byte) []byte {
	dst = flow.AppendBytes(dst, "message_type", m.MessageType)
	dst = flow.AppendBytes(dst, "control_id", m.ControlID)
	dst = flow.AppendBytes(dst, "version", m.Version)
	dst = flow.AppendBytes(dst, "sending_app", m.SendingApp)
	dst = flow.AppendBytes(dst, "sending_facility", m.SendingFacility)
	dst = flow.AppendBytes(dst, "receiving_app", m.ReceivingApp)
	dst = flow.AppendBytes(dst, "receiving_facility", m.ReceivingFacility)
	dst = flow.AppendInt(dst, "segments", int64(m.Segments))
	dst = flow.AppendNonEmpty(dst, "udi", m.UDI)
	dst = flow.AppendNonEmpty(dst, "device_manufacture_date", m.DeviceManufactureDate)
	dst = flow.AppendNonEmpty(dst, "device_expiry_date", m.DeviceExpiryDate)
	dst = flow.AppendNonEmpty(dst, "device_lot", m.DeviceLot)
	dst = flow.AppendNonEmpty(dst, "device_serial", m.DeviceSerial)
	dst = flow.AppendNonEmpty(dst, "device_donation_id", m.DeviceDonationID)
	dst = flow.AppendNonEmpty(dst, "device_type", m.DeviceType)
	dst = flow.AppendNonEmpty(dst, "device_type_text", m.DeviceTypeText)
	if len(m.DeviceIDs) > 0 {
		dst = flow.AppendKey(dst, "device_ids")
		dst = append(dst, '[')
		for i, id := range m.DeviceIDs {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = flow.AppendQuotedBytes(dst, id)
		}
		dst = append(dst, ']')
		if m.DeviceIDsTruncated {
			dst = flow.AppendBool(dst, "device_ids_truncated", true)
		}
	}
	return flow.AppendNonEmpty(dst, "equipment_id", m.EquipmentID)
}

// Identify implements [flow.Identifier]: the sending application and
// facility, as "app@facility". The device identifiers are not identities
// of the sender: PRT, OBX-18 and EQU name the equipment that took part in
// what the message reports, which is seldom the system that sends it (an
// interface engine, a pump or monitor gateway, a LIS sending for its
// analysers), and a PRT may even describe a device implanted in the
// patient.
func (m *Message) Identify(k flow.Kind, buf []byte, yield func(flow.Identity)) {
	yield(flow.Identity{Source: true, Kind: "hl7", Name: appAt(buf, m.SendingApp, m.SendingFacility)})
}

// appAt returns app, or app@facility built in buf.
func appAt(buf, app, facility []byte) []byte {
	if len(facility) == 0 {
		return app
	}
	return append(append(append(buf[:0], app...), '@'), facility...)
}

// Ack is the Detail of "ack" events: an acknowledgement message (MSH-9
// ACK, or MCF in 2.1) with its MSA-1 code (AA, AE, AR, CA, CE, CR) and
// MSA-2, the control ID of the message acknowledged; or an MLLP release 2
// commit acknowledgement frame (Commit true, AckCode "ACK" or "NAK", no
// Message). Views are valid only during the event.
type Ack struct {
	Message   *hl7.Message
	Offset    int64
	AckCode   []byte
	ControlID []byte
	Text      []byte // MSA-3, if any
	Commit    bool
}

// AppendJSON implements [flow.Detail].
func (a *Ack) AppendJSON(dst []byte) []byte {
	dst = flow.AppendBytes(dst, "ack_code", a.AckCode)
	dst = flow.AppendBytes(dst, "control_id", a.ControlID)
	if len(a.Text) > 0 {
		dst = flow.AppendBytes(dst, "text", a.Text)
	}
	if a.Commit {
		dst = flow.AppendBool(dst, "mllp_commit", true)
	}
	return dst
}

// Identify implements [flow.Identifier]: the sending application and
// facility of an acknowledgement message (none for an MLLP commit
// acknowledgement).
func (a *Ack) Identify(k flow.Kind, buf []byte, yield func(flow.Identity)) {
	if a.Message == nil {
		return
	}
	msh := a.Message.MSH()
	yield(flow.Identity{Source: true, Kind: "hl7", Name: appAt(buf, msh.Field(3).Bytes(), msh.Field(4).Bytes())})
}

var hl7ACK, hl7NAK = []byte("ACK"), []byte("NAK")

// decoder runs one MLLP stream decoder per direction and parses each
// frame; the Details and message index are reused from event to event.
type decoder struct {
	dec   [2]mllp.StreamDecoder
	batch hl7.Batch
	msg   Message
	ack   Ack
	typ   [64]byte
	ids   [maxDeviceIDs][]byte // backs msg.DeviceIDs
}

func (h *decoder) Data(c *flow.Context, dir flow.Dir, data []byte) {
	d := &h.dec[dir&1]
	d.MaxFrameSize = cmp.Or(c.MaxMessageBytes(), maxFrame)
	d.Feed(data)
	h.drain(c, dir)
}

func (h *decoder) Gap(c *flow.Context, dir flow.Dir, n int) {
	h.dec[dir&1].Gap(n)
	h.drain(c, dir)
}

func (h *decoder) Close(c *flow.Context) {
	for dir := flow.ClientToServer; dir <= flow.ServerToClient; dir++ {
		h.dec[dir].Flush()
		h.drain(c, dir)
	}
}

// drain handles every frame (or framing error) the decoder of dir has.
func (h *decoder) drain(c *flow.Context, dir flow.Dir) {
	d := &h.dec[dir&1]
	for {
		f, err := d.Next()
		if err == mllp.ErrNeedMore {
			return
		}
		if err != nil {
			c.DecodeError(dir, err)
			continue
		}
		h.frame(c, dir, f.Payload, f.Offset)
	}
}

// frame handles one MLLP frame of direction dir, whose start block is at
// off in the stream.
func (h *decoder) frame(c *flow.Context, dir flow.Dir, payload []byte, off int64) {
	if positive, ok := mllp.IsCommitAck(payload); ok {
		code := hl7NAK
		if positive {
			code = hl7ACK
		}
		h.ack = Ack{Offset: off, AckCode: code, Commit: true}
		c.Emit(dir, KindAck, &h.ack)
		h.ack = Ack{}
		return
	}
	b := &h.batch
	b.MaxSegments, b.MaxFields = maxSegments, maxFields
	b.Reset(payload)
	for b.Next() {
		h.message(c, dir, b.Message(), off)
	}
	if err := b.Err(); err != nil {
		if o := flow.ErrorOffset(err); o >= 0 {
			off += 1 + o // point into the stream: the payload starts after SB
		}
		c.DecodeErrorAt(dir, off, err)
	}
}

func (h *decoder) message(c *flow.Context, dir flow.Dir, m *hl7.Message, off int64) {
	if a, ok := m.Ack(); ok {
		h.ack = Ack{Message: m, Offset: off, AckCode: a.Code, ControlID: a.ControlID, Text: a.Text}
		c.Emit(dir, KindAck, &h.ack)
		h.ack = Ack{}
		return
	}
	msh := m.MSH()
	typ := msh.Field(9)
	code := typ.Comp(1).Bytes()
	// Both parts are cut to fit h.typ, so building the type never allocates.
	t := append(h.typ[:0], code[:min(len(code), 31)]...)
	if ev := typ.Comp(2).Bytes(); len(ev) > 0 {
		t = append(t, '^')
		t = append(t, ev[:min(len(ev), 32)]...)
	}
	h.msg = Message{
		Message: m, Offset: off, MessageType: t,
		ControlID: msh.Field(10).Bytes(), Version: msh.Field(12).Bytes(),
		SendingApp: msh.Field(3).Bytes(), SendingFacility: msh.Field(4).Bytes(),
		ReceivingApp: msh.Field(5).Bytes(), ReceivingFacility: msh.Field(6).Bytes(),
		Segments: m.NumSegments(),
	}
	h.devices(m)
	c.Emit(dir, KindMessage, &h.msg)
	h.msg = Message{}
	clear(h.ids[:])
}

// devices sets the device identifiers of h.msg from the PRT, OBX and EQU
// segments of m (see Message).
func (h *decoder) devices(m *hl7.Message) {
	d := &h.msg
	ids := h.ids[:0]
	prt := false
	for i := 1; i < m.NumSegments(); i++ {
		s := m.SegmentAt(i)
		switch {
		case s.Is("OBX"):
			id := ident(s.Field(18))
			if len(id) == 0 || slices.ContainsFunc(ids, func(v []byte) bool { return bytes.Equal(v, id) }) {
				continue
			}
			if len(ids) == len(h.ids) {
				d.DeviceIDsTruncated = true
				continue
			}
			ids = append(ids, id)
		case !prt && s.Is("PRT"):
			d.UDI = ident(s.Field(16))
			d.DeviceManufactureDate = value(s.Field(17))
			d.DeviceExpiryDate = value(s.Field(18))
			d.DeviceLot = value(s.Field(19))
			d.DeviceSerial = value(s.Field(20))
			d.DeviceDonationID = ident(s.Field(21))
			d.DeviceType = ident(s.Field(22))
			d.DeviceTypeText = value(s.Field(22).Comp(2))
			prt = len(d.UDI) > 0 || len(d.DeviceManufactureDate) > 0 || len(d.DeviceExpiryDate) > 0 || len(d.DeviceLot) > 0 ||
				len(d.DeviceSerial) > 0 || len(d.DeviceDonationID) > 0 || len(d.DeviceType) > 0 || len(d.DeviceTypeText) > 0
		case len(d.EquipmentID) == 0 && s.Is("EQU"):
			d.EquipmentID = ident(s.Field(1))
		}
	}
	if len(ids) > 0 {
		d.DeviceIDs = ids
	}
}

// ident returns the identifier of an entity identifier (EI) field: the
// first component of its first repetition.
func ident(v hl7.Value) []byte { return value(v.Rep(1).Comp(1)) }

// value returns v's bytes (of its first repetition, for a field), nothing
// for the HL7 null "".
func value(v hl7.Value) []byte {
	v = v.Rep(1)
	if v.IsNull() {
		return nil
	}
	return v.Bytes()
}

// Buffered implements [flow.BufferedDecoder].
func (h *decoder) Buffered() int { return h.dec[0].Buffered() + h.dec[1].Buffered() }
