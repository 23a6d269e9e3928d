package flow

import (
	"bytes"

	"github.com/medtap/medtap/hl7"
	"github.com/medtap/medtap/mllp"
)

// HL7 v2 over MLLP, usually on TCP 2575 (IANA) or 6661 and many site
// specific ports: the content decides first. Frames are found by a
// resynchronising mllp.StreamDecoder per direction, so captures that start
// mid-message or lose packets still yield every complete message; each
// frame's payload is parsed as one or more HL7 messages (batches included).
func init() {
	Register(Protocol{
		Name:      "hl7",
		Transport: TCP,
		Ports:     []uint16{2575, 6661},
		Match:     matchHL7,
		New:       func() Decoder { return new(hl7Decoder) },
	})
}

// Limits of the HL7 decoder of one flow. HL7MaxFrame caps the bytes one
// direction buffers for a frame split across packets; HL7MaxSegments and
// HL7MaxFields cap the index kept for one message (4 bytes a field), so a
// hostile frame made of separators costs at most 256 KiB of index. Larger
// frames and messages are reported as errors and skipped.
const (
	HL7MaxFrame    = 8 << 20
	HL7MaxSegments = 1 << 12
	HL7MaxFields   = 1 << 16
)

// matchHL7 recognises an MLLP frame that starts with an HL7 header segment
// (MSH, BHS or FHS and a delimiter), an MLLP release 2 commit
// acknowledgement, or, for captures that begin mid-stream, the end of a
// frame followed by the start of one carrying MSH.
func matchHL7(dir Dir, data []byte) bool {
	if len(data) >= 2 && data[0] == mllp.SB {
		if len(data) >= 3 && (data[1] == mllp.CommitACK || data[1] == mllp.CommitNAK) && data[2] == mllp.EB {
			return true
		}
		return isHL7Header(data[1:])
	}
	if i := bytes.Index(data, []byte{mllp.EB, mllp.CR, mllp.SB}); i >= 0 {
		return isHL7Header(data[i+3:])
	}
	return false
}

func isHL7Header(b []byte) bool {
	for len(b) > 0 && (b[0] == '\r' || b[0] == '\n') {
		b = b[1:]
	}
	if len(b) < 4 {
		return false
	}
	switch string(b[:3]) {
	case "MSH", "BHS", "FHS":
	default:
		return false
	}
	c := b[3]
	return c > ' ' && c < 0x7f && !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')
}

// HL7Message is the Detail of "message" events: one HL7 v2 message that
// is not an acknowledgement. Message gives access to every segment and
// field; the other fields are raw (escaped) views of MSH fields. All views
// are valid only during the event.
type HL7Message struct {
	Message *hl7.Message
	Offset  int64 // of the frame's start block in the direction's stream
	// MessageType is MSH-9-1^MSH-9-2, e.g. "ADT^A01".
	MessageType                     []byte
	ControlID, Version              []byte // MSH-10, MSH-12
	SendingApp, SendingFacility     []byte // MSH-3, MSH-4
	ReceivingApp, ReceivingFacility []byte // MSH-5, MSH-6
	Segments                        int
}

// AppendJSON implements [Detail].
func (m *HL7Message) AppendJSON(dst []byte) []byte {
	dst = AppendBytes(dst, "message_type", m.MessageType)
	dst = AppendBytes(dst, "control_id", m.ControlID)
	dst = AppendBytes(dst, "version", m.Version)
	dst = AppendBytes(dst, "sending_app", m.SendingApp)
	dst = AppendBytes(dst, "sending_facility", m.SendingFacility)
	dst = AppendBytes(dst, "receiving_app", m.ReceivingApp)
	dst = AppendBytes(dst, "receiving_facility", m.ReceivingFacility)
	return AppendInt(dst, "segments", int64(m.Segments))
}

// HL7Ack is the Detail of "ack" events: an acknowledgement message (MSH-9
// ACK, or MCF in 2.1) with its MSA-1 code (AA, AE, AR, CA, CE, CR) and
// MSA-2, the control ID of the message acknowledged; or an MLLP release 2
// commit acknowledgement frame (Commit true, AckCode "ACK" or "NAK", no
// Message). Views are valid only during the event.
type HL7Ack struct {
	Message   *hl7.Message
	Offset    int64
	AckCode   []byte
	ControlID []byte
	Text      []byte // MSA-3, if any
	Commit    bool
}

// AppendJSON implements [Detail].
func (a *HL7Ack) AppendJSON(dst []byte) []byte {
	dst = AppendBytes(dst, "ack_code", a.AckCode)
	dst = AppendBytes(dst, "control_id", a.ControlID)
	if len(a.Text) > 0 {
		dst = AppendBytes(dst, "text", a.Text)
	}
	if a.Commit {
		dst = AppendBool(dst, "mllp_commit", true)
	}
	return dst
}

var hl7ACK, hl7NAK = []byte("ACK"), []byte("NAK")

// hl7Decoder runs one MLLP stream decoder per direction and parses each
// frame; the Details and message index are reused from event to event.
type hl7Decoder struct {
	dec   [2]mllp.StreamDecoder
	init  [2]bool
	batch hl7.Batch
	msg   HL7Message
	ack   HL7Ack
	typ   [64]byte
	c     *Context
	dir   Dir
}

func (h *hl7Decoder) stream(dir Dir) *mllp.StreamDecoder {
	d := &h.dec[dir&1]
	if !h.init[dir&1] {
		limit := HL7MaxFrame
		if h.c != nil && h.c.MaxMessageBytes() > 0 {
			limit = h.c.MaxMessageBytes()
		}
		d.Reset(mllp.WithMaxFrameSize(limit))
		h.init[dir&1] = true
	}
	return d
}

func (h *hl7Decoder) Data(c *Context, dir Dir, data []byte) {
	h.c, h.dir = c, dir
	h.stream(dir).Write(data, h.frame)
	h.c = nil
}

func (h *hl7Decoder) Gap(c *Context, dir Dir, n int) {
	h.c, h.dir = c, dir
	h.stream(dir).Gap(n, h.frame)
	h.c = nil
}

func (h *hl7Decoder) Close(c *Context) {
	h.c = c
	for dir := ClientToServer; dir <= ServerToClient; dir++ {
		h.dir = dir
		if h.init[dir] {
			h.dec[dir].Close(h.frame)
		}
	}
	h.c = nil
}

// frame handles one MLLP frame (or framing error) of direction h.dir.
func (h *hl7Decoder) frame(payload []byte, off int64, err error) {
	c, dir := h.c, h.dir
	if err != nil {
		c.DecodeError(dir, off, err)
		return
	}
	if positive, ok := mllp.IsCommitAck(payload); ok {
		code := hl7NAK
		if positive {
			code = hl7ACK
		}
		h.ack = HL7Ack{Offset: off, AckCode: code, Commit: true}
		c.Emit(dir, "ack", &h.ack)
		h.ack = HL7Ack{}
		return
	}
	b := &h.batch
	b.MaxSegments, b.MaxFields = HL7MaxSegments, HL7MaxFields
	b.Reset(payload)
	for b.Next() {
		h.message(b.Message(), off)
	}
	if err := b.Err(); err != nil {
		if pe, ok := err.(*hl7.ParseError); ok {
			// Point into the stream: the payload starts after SB.
			off += 1 + pe.Offset
		}
		c.DecodeError(dir, off, err)
	}
}

func (h *hl7Decoder) message(m *hl7.Message, off int64) {
	c, dir := h.c, h.dir
	msh := m.MSH()
	typ := msh.Field(9)
	code := typ.Comp(1).Bytes()
	if string(code) == "ACK" || string(code) == "MCF" {
		msa, _ := m.SegmentByName("MSA", 1)
		h.ack = HL7Ack{Message: m, Offset: off, AckCode: msa.Field(1).Bytes(),
			ControlID: msa.Field(2).Bytes(), Text: msa.Field(3).Bytes()}
		c.Emit(dir, "ack", &h.ack)
		h.ack = HL7Ack{}
		return
	}
	// Both parts are cut to fit h.typ, so building the type never allocates.
	t := append(h.typ[:0], code[:min(len(code), 31)]...)
	if ev := typ.Comp(2).Bytes(); len(ev) > 0 {
		t = append(t, '^')
		t = append(t, ev[:min(len(ev), 32)]...)
	}
	h.msg = HL7Message{
		Message: m, Offset: off, MessageType: t,
		ControlID: msh.Field(10).Bytes(), Version: msh.Field(12).Bytes(),
		SendingApp: msh.Field(3).Bytes(), SendingFacility: msh.Field(4).Bytes(),
		ReceivingApp: msh.Field(5).Bytes(), ReceivingFacility: msh.Field(6).Bytes(),
		Segments: m.NumSegments(),
	}
	c.Emit(dir, "message", &h.msg)
	h.msg = HL7Message{}
}

// Buffered implements the engine's memory accounting.
func (h *hl7Decoder) Buffered() int { return h.dec[0].Buffered() + h.dec[1].Buffered() }
