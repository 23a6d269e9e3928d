package poct1a

import (
	"bytes"
	"strconv"
)

// Default limits of a [Decoder].
const (
	DefaultMaxTag     = 4096    // bytes of one tag, attributes included
	DefaultMaxDepth   = 32      // nesting of elements
	DefaultMaxMessage = 1 << 20 // bytes of one message, from its root start tag
)

// Kind says what an [Item] is.
type Kind uint8

// Item kinds.
const (
	KindObservation Kind = iota + 1 // an OBS element ended
	KindMessage                     // a message (root element) ended
	KindNote                        // an NTE element ended
	KindReagent                     // an RGT element ended
	KindControl                     // a CTC element (QC or calibration material) ended
	KindEvent                       // an EVT element (EVS.R01 device event) ended
)

var kindNames = [...]string{"", "observation", "message", "note", "reagent", "control", "event"}

// String returns the kind's name ("observation", "message", ...), or a form
// like "Kind(9)" for an unknown value.
func (k Kind) String() string {
	if k != 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Message summarises one POCT1-A message. The fields are views into the
// decoder, valid until the next call to Next or Feed.
type Message struct {
	Type      []byte // root element's local name: HEL.R01, DST.R01, OBS.R01, ACK.R01, ...
	ControlID []byte // HDR.control_id
	Version   []byte // HDR.version_id
	Created   []byte // HDR.creation_dttm
	// Device identity (DEV, usually in HEL.R01).
	DeviceID, VendorID, ModelID, SerialID []byte
	Manufacturer, HWVersion, SWVersion    []byte
	DeviceName                            []byte
	// Device capabilities (DCP and DSC inside DEV, usually in HEL.R01).
	AppTimeout        []byte // DCP.application_timeout, seconds
	ConnectionProfile []byte // DSC.connection_profile_cd: SA, CS, ...
	MaxMessageSize    []byte // DSC.max_message_sz, bytes
	Topics            List   // DSC.topics_supported_cd
	Directives        List   // DSC.directives_supported_cd
	// ACK.R01: type (AA accept, AE error, AR reject) and the acknowledged
	// control ID; ACK.note_txt.
	AckType, AckControlID, AckNote []byte
	Topic                          []byte // EOT.topic_cd
	Directive                      []byte // DTV.command_cd
	Params                         Params // the other leaf elements of a DTV.* message
	NewObservations                []byte // DST.new_observations_qty
	NewEvents                      []byte // DST.new_events_qty
	Condition                      []byte // DST.condition_cd (R ready, ...)
	Request                        []byte // REQ.request_cd (ROBS, RDEV, ...)
	Reason                         []byte // TRM.reason_cd of END.R01
	// Items the message held.
	Observations, Notes, Reagents, Controls, Events int
	Offset                                          int64 // of the root element's start tag
	Truncated                                       bool  // a value did not fit the decoder's buffer
}

// Observation is one OBS element with the context it appeared in. The fields
// are views valid until the next call to Next or Feed.
type Observation struct {
	ID, IDSystem   []byte // OBS.observation_id V and SN
	Value, Unit    []byte // OBS.value V and U
	Qualitative    []byte // OBS.qualitative_value (positive, negative, ...)
	Method         []byte // OBS.method_cd
	Interpretation []byte // OBS.interpretation_cd (normal, abnormal flags)
	Time           []byte // SVC.observation_dttm
	Role           []byte // SVC.role_cd: OBS patient, LQC liquid QC, CAL calibration, PRF proficiency
	PatientID      []byte // PT.patient_id
	OperatorID     []byte // OPR.operator_id
	// Set when the OBS is inside a CTC (control or calibration material).
	ControlLot, ControlLevel []byte
	Offset                   int64
	Truncated                bool
}

// Note is one NTE element: the V of NTE.text and the character data inside
// the NTE (text and CDATA, leading and trailing white space removed, as
// sent: decode it with [AppendText]). The fields are views valid until the
// next call to Next or Feed.
type Note struct {
	Text          []byte
	Body          []byte
	Scope         string // innermost of OBS, CTC, RGT, EVT, OPR, PT, SVC holding it, or "" at message level
	ObservationID []byte // OBS.observation_id when Scope is OBS
	Offset        int64
	Truncated     bool
}

// Reagent is one RGT element (test strip, cartridge or reagent lot).
type Reagent struct {
	Name       []byte // RGT.name V
	Body       []byte // character data inside the RGT (vendors put a type code there)
	Lot        []byte // RGT.lot_number
	Expiration []byte // RGT.expiration_date
	Role, Time []byte // SVC.role_cd and SVC.observation_dttm in force
	PatientID  []byte // PT.patient_id in force
	Offset     int64
	Truncated  bool
}

// Control is one CTC element: the QC or calibration material of an OBS.R02
// message, with the number of observations made on it.
type Control struct {
	Name, Lot, Expiration []byte // CTC.name, CTC.lot_number, CTC.expiration_date
	Level                 []byte // CTC.level_cd
	Role, Time            []byte // SVC.role_cd (LQC, CAL, PRF) and SVC.observation_dttm
	OperatorID            []byte // OPR.operator_id in force
	Observations          int
	Offset                int64
	Truncated             bool
}

// Event is one EVT element of an EVS.R01 message.
type Event struct {
	Description []byte // EVT.description V
	Body        []byte // character data inside the EVT (TY=MT maintenance, TY=SE system error, ...)
	Time        []byte // EVT.event_dttm
	Severity    []byte // EVT.severity_cd: N, W, C
	Offset      int64
	Truncated   bool
}

// Item is one decoded thing; the pointer for its Kind is set and points
// into the decoder.
type Item struct {
	Kind        Kind
	Message     *Message
	Observation *Observation
	Note        *Note
	Reagent     *Reagent
	Control     *Control
	Event       *Event
}

// arena holds copies of values in a fixed array.
type arena struct {
	buf [2048]byte
	n   int
}

func (a *arena) reset() { a.n = 0 }

// put copies v and returns the copy, truncated if the arena is full.
func (a *arena) put(v []byte, truncated *bool) []byte {
	if v == nil {
		return nil
	}
	n := copy(a.buf[a.n:], v)
	if n < len(v) {
		*truncated = true
	}
	s := a.buf[a.n : a.n+n : a.n+n]
	a.n += n
	return s
}

// Records: elements whose end yields an item or that scope values.
const (
	recNone = iota
	recOBS
	recNTE
	recRGT
	recCTC
	recEVT
	recSVC
	recPT
	recOPR
	nRec
)

var recNames = [nRec]string{"", "OBS", "NTE", "RGT", "CTC", "EVT", "SVC", "PT", "OPR"}

func recordOf(name []byte) int {
	if len(name) > 3 || len(name) < 2 {
		return recNone
	}
	for k := recOBS; k < nRec; k++ {
		if string(name) == recNames[k] {
			return k
		}
	}
	return recNone
}

// A Decoder decodes one direction of a POCT1-A stream: feed it bytes with
// [Decoder.Feed] and take items with [Decoder.Next] until it returns
// [ErrNeedMore]. The zero value is ready to use with the default limits.
//
// Memory: values are copied into fixed buffers inside the Decoder (a
// Decoder is about 18 KiB); the only buffer that grows holds the tag being read, at
// most min(MaxTag, MaxMessage) bytes, and is what [Decoder.Buffered]
// reports. A caller with a byte budget for one message sets MaxMessage to
// it.
type Decoder struct {
	// MaxTag limits one tag, attributes included; a longer tag is skipped
	// and reported with [ErrTagTooLong]. 0 (or less) means [DefaultMaxTag];
	// the limit in force is never more than the message limit.
	MaxTag int
	// MaxDepth limits the nesting of elements; a message nested deeper is
	// dropped and reported with [ErrTooDeep]. 0 (or less) means
	// [DefaultMaxDepth].
	MaxDepth int
	// MaxMessage limits one message, from the start of its root start tag;
	// the rest of a longer one is skipped and reported with [ErrTooLarge].
	// 0 (or less) means [DefaultMaxMessage].
	MaxMessage int

	tok      tokenizer
	depth    int
	maxDepth int       // limits in force, set by Next
	maxMsg   int64     // limits in force, set by Next
	skip     bool      // skipping the rest of a message that is too large
	flushing bool      // Flush was called
	open     [nRec]int // depth at which each record is open, 0 if closed
	openMask uint64    // bit depth%64 set when a record may be open at that depth
	capOwner int       // record whose character data is being kept

	msg  Message
	obs  Observation
	note Note
	rgt  Reagent
	ctl  Control
	evt  Event
	msgA arena // message fields
	obsA arena
	ntA  arena
	rgA  arena
	ctA  arena
	evA  arena
	// Service context (SVC, PT, OPR) kept across the items of a service.
	svcTime, role, patient, operator []byte
	ctxA                             arena
	nameBuf                          [64]byte // the root element's name
}

// Reset prepares the decoder for a new stream, keeping its limits and its
// tag buffer.
func (d *Decoder) Reset() {
	buf := d.tok.buf[:0]
	*d = Decoder{MaxTag: d.MaxTag, MaxDepth: d.MaxDepth, MaxMessage: d.MaxMessage}
	d.tok.buf = buf
}

// limits sets the limits in force from the exported fields.
func (d *Decoder) limits() {
	tag, depth, msg := d.MaxTag, d.MaxDepth, d.MaxMessage
	if tag <= 0 {
		tag = DefaultMaxTag
	}
	if depth <= 0 {
		depth = DefaultMaxDepth
	}
	if msg <= 0 {
		msg = DefaultMaxMessage
	}
	d.tok.max, d.maxDepth, d.maxMsg = min(tag, msg), depth, int64(msg)
}

// Feed gives the decoder the next bytes of the stream. Call Next until it
// returns [ErrNeedMore] before feeding more: Feed replaces what is left of
// the previous chunk. The decoder copies what it keeps; it holds no
// reference to p once Next has returned ErrNeedMore.
func (d *Decoder) Feed(p []byte) { d.tok.in = p }

// Gap tells the decoder that n bytes of the stream (n < 0: an unknown
// number) were lost before the next Feed: the message being read is dropped
// without an error (the caller knows of the gap) and decoding resumes at the
// next tag.
func (d *Decoder) Gap(n int) {
	if n > 0 {
		d.tok.off += int64(n)
	}
	d.tok.in = nil
	d.tok.state = tkText
	d.tok.buf = d.tok.buf[:0]
	d.tok.skipping = false
	d.tok.lost = true
	d.depth = 0
	d.dropRecords()
}

// Flush tells the decoder that the stream has ended: once the input given
// to Feed is consumed, Next reports a message or tag cut short
// ([ErrIncomplete], at the offset of the message's root start tag or of the
// tag), then returns [ErrNeedMore]. Call Reset before decoding another
// stream.
func (d *Decoder) Flush() { d.flushing = true }

// Buffered returns the bytes the decoder holds of a tag split across
// chunks, at most min(MaxTag, MaxMessage). The fixed buffers inside the
// Decoder and the chunk given to Feed are not counted.
func (d *Decoder) Buffered() int {
	if (d.tok.state == tkTag || d.tok.state == tkQuote) && !d.tok.skipping {
		return len(d.tok.buf)
	}
	return 0
}

func (d *Decoder) dropRecords() {
	d.open = [nRec]int{}
	d.openMask = 0
	d.capOwner = recNone
	d.tok.capture = false
	d.skip = false
}

func (d *Decoder) errorAt(off int64, err error) error { return &Error{Offset: off, Err: err} }

// Next returns the next item, or [ErrNeedMore] when the input is consumed.
// Other errors describe, once, input that was skipped, and the next call
// goes on; after [ErrEncoding] the rest of the stream is discarded until
// Reset. Views in the item are valid until the next call to Next, Feed, Gap
// or Reset.
func (d *Decoder) Next() (Item, error) {
	d.limits()
	for {
		tok, err := d.tok.next()
		if err == ErrNeedMore && d.flushing {
			return Item{}, d.flushEnd()
		}
		if err != nil {
			return Item{}, err
		}
		if d.depth > 0 && !d.skip && tok.offset-d.msg.Offset > d.maxMsg {
			d.dropRecords()
			d.skip = true
			// The tag still counts for the nesting, so that the end of the
			// message is found.
			switch tok.kind {
			case tagStart:
				if d.depth < d.maxDepth {
					d.depth++
				}
			case tagEnd:
				if d.depth--; d.depth == 0 {
					d.skip = false
				}
			}
			return Item{}, d.errorAt(tok.offset, ErrTooLarge)
		}
		name := tok.local()
		switch tok.kind {
		case tagStart, tagEmpty:
			if d.depth == 0 {
				d.startMessage(tok, name)
			} else if !d.skip {
				d.element(tok, name)
			}
			if tok.kind == tagEmpty {
				if d.depth == 0 { // an empty root element
					return d.endMessage(), nil
				}
				continue
			}
			if d.depth >= d.maxDepth {
				d.depth = 0
				d.dropRecords()
				return Item{}, d.errorAt(tok.offset, ErrTooDeep)
			}
			d.depth++
			if d.depth > 1 && !d.skip {
				d.openRecord(recordOf(name), tok.offset)
			}
		case tagEnd:
			if d.depth == 0 {
				return Item{}, d.errorAt(tok.offset, ErrUnbalanced)
			}
			var it Item
			if !d.skip {
				it = d.closeRecord()
			}
			d.depth--
			if d.depth == 0 {
				if d.skip {
					d.skip = false
					continue
				}
				if string(name) != string(d.msg.Type) {
					m := d.endMessage()
					return m, d.errorAt(tok.offset, ErrUnbalanced)
				}
				return d.endMessage(), nil
			}
			if it.Kind != 0 {
				return it, nil
			}
		}
	}
}

// flushEnd reports a message or tag cut short by the end of the stream,
// once, and forgets it.
func (d *Decoder) flushEnd() error {
	d.flushing = false
	t := &d.tok
	inTag := (t.state == tkTag || t.state == tkQuote) && !t.skipping
	open, skipping := d.depth > 0, d.skip
	off := d.msg.Offset
	if !open {
		off = t.tagOff
	}
	t.state, t.skipping, t.buf = tkText, false, t.buf[:0]
	d.depth = 0
	d.dropRecords()
	if t.rejected || skipping || !open && !inTag {
		return ErrNeedMore
	}
	return d.errorAt(off, ErrIncomplete)
}

func (d *Decoder) startMessage(tok token, name []byte) {
	d.msg = Message{Offset: tok.offset}
	d.msgA.reset()
	d.ctxA.reset()
	d.svcTime, d.role, d.patient, d.operator = nil, nil, nil, nil
	n := copy(d.nameBuf[:], name)
	d.msg.Type = d.nameBuf[:n:n]
	d.dropRecords()
}

func (d *Decoder) endMessage() Item {
	d.depth = 0
	d.dropRecords()
	return Item{Kind: KindMessage, Message: &d.msg}
}

// openRecord notes that record k starts at the current depth. A record
// nested in one of the same kind is ignored.
func (d *Decoder) openRecord(k int, off int64) {
	if k == recNone || d.open[k] != 0 {
		return
	}
	d.open[k] = d.depth
	d.openMask |= 1 << (d.depth & 63)
	switch k {
	case recOBS:
		d.obs = Observation{Offset: off}
		d.obsA.reset()
	case recNTE:
		d.note = Note{Offset: off, Scope: d.scope()}
		d.ntA.reset()
		d.startCapture(k)
	case recRGT:
		d.rgt = Reagent{Offset: off}
		d.rgA.reset()
		d.startCapture(k)
	case recCTC:
		d.ctl = Control{Offset: off}
		d.ctA.reset()
	case recEVT:
		d.evt = Event{Offset: off}
		d.evA.reset()
		d.startCapture(k)
	case recSVC:
		d.ctxA.reset()
		d.svcTime, d.role, d.patient, d.operator = nil, nil, nil, nil
	}
}

// scope returns the name of the innermost open record other than NTE.
func (d *Decoder) scope() string {
	best, at := recNone, 0
	for k := recOBS; k < nRec; k++ {
		if k != recNTE && d.open[k] > at {
			best, at = k, d.open[k]
		}
	}
	return recNames[best]
}

// startCapture makes record k the owner of the character data; the body
// of a record it is nested in ends here.
func (d *Decoder) startCapture(k int) {
	d.finishCapture()
	d.tok.startCapture()
	d.capOwner = k
}

// finishCapture copies the character data kept so far into its owner.
func (d *Decoder) finishCapture() {
	if d.capOwner == recNone {
		return
	}
	body, trunc := d.tok.captured()
	switch d.capOwner {
	case recNTE:
		d.note.Body = d.ntA.put(body, &d.note.Truncated)
		d.note.Truncated = d.note.Truncated || trunc
	case recRGT:
		d.rgt.Body = d.rgA.put(body, &d.rgt.Truncated)
		d.rgt.Truncated = d.rgt.Truncated || trunc
	case recEVT:
		d.evt.Body = d.evA.put(body, &d.evt.Truncated)
		d.evt.Truncated = d.evt.Truncated || trunc
	}
	d.capOwner = recNone
}

// closeRecord ends the record open at the current depth, if any, and
// returns its item.
func (d *Decoder) closeRecord() Item {
	if d.openMask&(1<<(d.depth&63)) == 0 {
		return Item{}
	}
	k := recNone
	for r := recOBS; r < nRec; r++ {
		if d.open[r] == d.depth {
			k = r
			break
		}
	}
	if k == recNone {
		return Item{}
	}
	d.open[k] = 0
	d.openMask &^= 1 << (d.depth & 63)
	for r := recOBS; r < nRec; r++ {
		if d.open[r] != 0 && d.open[r]&63 == d.depth&63 {
			d.openMask |= 1 << (d.depth & 63) // another record shares the bit
		}
	}
	if d.capOwner == k {
		d.finishCapture()
	}
	switch k {
	case recOBS:
		o := &d.obs
		d.msg.Observations++
		o.Time, o.Role, o.PatientID, o.OperatorID = d.svcTime, d.role, d.patient, d.operator
		if d.open[recCTC] != 0 {
			d.ctl.Observations++
			o.ControlLot, o.ControlLevel = d.ctl.Lot, d.ctl.Level
		}
		return Item{Kind: KindObservation, Observation: o}
	case recNTE:
		d.msg.Notes++
		if d.note.Scope == "OBS" {
			d.note.ObservationID = d.obs.ID
		}
		return Item{Kind: KindNote, Note: &d.note}
	case recRGT:
		r := &d.rgt
		d.msg.Reagents++
		r.Role, r.Time, r.PatientID = d.role, d.svcTime, d.patient
		return Item{Kind: KindReagent, Reagent: r}
	case recCTC:
		c := &d.ctl
		d.msg.Controls++
		c.Role, c.Time, c.OperatorID = d.role, d.svcTime, d.operator
		return Item{Kind: KindControl, Control: c}
	case recEVT:
		d.msg.Events++
		return Item{Kind: KindEvent, Event: &d.evt}
	}
	return Item{}
}

// element records the value of a leaf element that matters.
func (d *Decoder) element(tok token, name []byte) {
	v := tok.attr("V")
	m := &d.msg
	put := func(dst *[]byte) { *dst = d.msgA.put(v, &m.Truncated) }
	prefix, _, _ := bytes.Cut(name, []byte("."))
	switch string(prefix) {
	case "OBS":
		if d.open[recOBS] == 0 {
			return
		}
		o := &d.obs
		switch string(name) {
		case "OBS.observation_id":
			o.ID = d.obsA.put(v, &o.Truncated)
			o.IDSystem = d.obsA.put(tok.attr("SN"), &o.Truncated)
		case "OBS.value":
			o.Value = d.obsA.put(v, &o.Truncated)
			o.Unit = d.obsA.put(tok.attr("U"), &o.Truncated)
		case "OBS.qualitative_value":
			o.Qualitative = d.obsA.put(v, &o.Truncated)
		case "OBS.method_cd":
			o.Method = d.obsA.put(v, &o.Truncated)
		case "OBS.interpretation_cd":
			o.Interpretation = d.obsA.put(v, &o.Truncated)
		}
		return
	case "NTE":
		if d.open[recNTE] != 0 && string(name) == "NTE.text" && d.note.Text == nil {
			d.note.Text = d.ntA.put(v, &d.note.Truncated)
		}
		return
	case "RGT":
		if d.open[recRGT] == 0 {
			return
		}
		r := &d.rgt
		switch string(name) {
		case "RGT.name":
			r.Name = d.rgA.put(v, &r.Truncated)
		case "RGT.lot_number":
			r.Lot = d.rgA.put(v, &r.Truncated)
		case "RGT.expiration_date":
			r.Expiration = d.rgA.put(v, &r.Truncated)
		}
		return
	case "CTC":
		if d.open[recCTC] == 0 {
			return
		}
		c := &d.ctl
		switch string(name) {
		case "CTC.name":
			c.Name = d.ctA.put(v, &c.Truncated)
		case "CTC.lot_number":
			c.Lot = d.ctA.put(v, &c.Truncated)
		case "CTC.expiration_date":
			c.Expiration = d.ctA.put(v, &c.Truncated)
		case "CTC.level_cd":
			c.Level = d.ctA.put(v, &c.Truncated)
		}
		return
	case "EVT":
		if d.open[recEVT] == 0 {
			return
		}
		e := &d.evt
		switch string(name) {
		case "EVT.description":
			e.Description = d.evA.put(v, &e.Truncated)
		case "EVT.event_dttm":
			e.Time = d.evA.put(v, &e.Truncated)
		case "EVT.severity_cd":
			e.Severity = d.evA.put(v, &e.Truncated)
		}
		return
	}
	switch string(name) {
	case "HDR.control_id":
		put(&m.ControlID)
	case "HDR.version_id":
		put(&m.Version)
	case "HDR.creation_dttm":
		put(&m.Created)
	case "DEV.device_id":
		put(&m.DeviceID)
	case "DEV.vendor_id":
		put(&m.VendorID)
	case "DEV.model_id":
		put(&m.ModelID)
	case "DEV.serial_id":
		put(&m.SerialID)
	case "DEV.manufacturer_name":
		put(&m.Manufacturer)
	case "DEV.hw_version":
		put(&m.HWVersion)
	case "DEV.sw_version":
		put(&m.SWVersion)
	case "DEV.device_name":
		put(&m.DeviceName)
	case "DCP.application_timeout":
		put(&m.AppTimeout)
	case "DSC.connection_profile_cd":
		put(&m.ConnectionProfile)
	case "DSC.max_message_sz":
		put(&m.MaxMessageSize)
	case "DSC.topics_supported_cd":
		if v != nil {
			m.Topics.add(d.msgA.put(v, &m.Truncated))
		}
	case "DSC.directives_supported_cd":
		if v != nil {
			m.Directives.add(d.msgA.put(v, &m.Truncated))
		}
	case "ACK.type_cd":
		put(&m.AckType)
	case "ACK.ack_control_id", "ACK.control_id": // the latter in some vendors' specifications
		put(&m.AckControlID)
	case "ACK.note_txt":
		put(&m.AckNote)
	case "EOT.topic_cd":
		put(&m.Topic)
	case "DTV.command_cd":
		put(&m.Directive)
	case "DST.new_observations_qty":
		put(&m.NewObservations)
	case "DST.new_events_qty":
		put(&m.NewEvents)
	case "DST.condition_cd":
		put(&m.Condition)
	case "REQ.request_cd":
		put(&m.Request)
	case "TRM.reason_cd":
		put(&m.Reason)
	case "SVC.observation_dttm":
		d.svcTime = d.ctxA.put(v, &m.Truncated)
	case "SVC.role_cd":
		d.role = d.ctxA.put(v, &m.Truncated)
	case "PT.patient_id":
		d.patient = d.ctxA.put(v, &m.Truncated)
	case "OPR.operator_id":
		d.operator = d.ctxA.put(v, &m.Truncated)
	default:
		// Directive contents: every other leaf with a value in a DTV.*
		// message (TM.dttm of SET_TIME, vendor parameters).
		if v != nil && string(prefix) != "HDR" && bytes.HasPrefix(m.Type, []byte("DTV.")) {
			m.Params.add(d.msgA.put(name, &m.Truncated), d.msgA.put(v, &m.Truncated))
		}
	}
}

// Offset returns the stream offset of the next byte the decoder will read.
func (d *Decoder) Offset() int64 { return d.tok.off }
