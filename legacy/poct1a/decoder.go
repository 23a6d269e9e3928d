package poct1a

import "bytes"

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

// Option configures a [Decoder].
type Option func(*Decoder)

// WithMaxTag limits one tag to n bytes (default [DefaultMaxTag]).
func WithMaxTag(n int) Option { return func(d *Decoder) { d.tok.max = n } }

// WithMaxDepth limits the nesting of elements (default [DefaultMaxDepth]).
func WithMaxDepth(n int) Option { return func(d *Decoder) { d.maxDepth = n } }

// WithMaxMessage limits one message to n bytes (default
// [DefaultMaxMessage]); the rest of a longer message is skipped and reported
// with [ErrTooLarge]. Nothing is buffered per message, so the limit bounds
// time spent on one document, not memory.
func WithMaxMessage(n int64) Option { return func(d *Decoder) { d.maxMsg = n } }

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
type Decoder struct {
	tok      tokenizer
	depth    int
	maxDepth int
	maxMsg   int64
	skip     bool      // skipping the rest of a message that is too large
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
	inited                           bool
}

// NewDecoder returns a Decoder with the given options.
func NewDecoder(opts ...Option) *Decoder {
	d := new(Decoder)
	for _, o := range opts {
		o(d)
	}
	d.Reset()
	return d
}

// Reset prepares the decoder for a new stream, keeping its options.
func (d *Decoder) Reset() {
	max, depth, msg := d.tok.max, d.maxDepth, d.maxMsg
	buf := d.tok.buf[:0]
	*d = Decoder{}
	if max <= 0 {
		max = DefaultMaxTag
	}
	if depth <= 0 {
		depth = DefaultMaxDepth
	}
	if msg <= 0 {
		msg = DefaultMaxMessage
	}
	d.tok.max, d.maxDepth, d.maxMsg = max, depth, msg
	d.tok.buf = buf
	d.inited = true
}

// Feed gives the decoder the next bytes of the stream. Call Next until it
// returns [ErrNeedMore] before feeding more; p is not used after that.
func (d *Decoder) Feed(p []byte) {
	if !d.inited {
		d.Reset()
	}
	d.tok.in = p
}

// Gap tells the decoder that bytes were lost: the message being read is
// dropped and decoding resumes at the next tag.
func (d *Decoder) Gap(n int) {
	if n > 0 {
		d.tok.off += int64(n)
	}
	d.tok.in = nil
	d.tok.state = tkText
	d.tok.buf = d.tok.buf[:0]
	d.tok.skipping = false
	d.depth = 0
	d.dropRecords()
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
// Other errors describe skipped input and are not sticky, except
// [ErrEncoding]: a stream that is not UTF-8 is discarded until Reset.
func (d *Decoder) Next() (Item, error) {
	if !d.inited {
		d.Reset()
	}
	for {
		tok, err := d.tok.next()
		if err != nil {
			return Item{}, err
		}
		if d.depth > 0 && !d.skip && tok.Offset-d.msg.Offset > d.maxMsg {
			d.dropRecords()
			d.skip = true
			// The tag still counts for the nesting, so that the end of the
			// message is found.
			switch tok.Kind {
			case StartTag:
				if d.depth < d.maxDepth {
					d.depth++
				}
			case EndTag:
				if d.depth--; d.depth == 0 {
					d.skip = false
				}
			}
			return Item{}, d.errorAt(tok.Offset, ErrTooLarge)
		}
		name := tok.Local()
		switch tok.Kind {
		case StartTag, EmptyTag:
			if d.depth == 0 {
				d.startMessage(tok, name)
			} else if !d.skip {
				d.element(tok, name)
			}
			if tok.Kind == EmptyTag {
				if d.depth == 0 { // an empty root element
					return d.endMessage(), nil
				}
				continue
			}
			if d.depth >= d.maxDepth {
				d.depth = 0
				d.dropRecords()
				return Item{}, d.errorAt(tok.Offset, ErrTooDeep)
			}
			d.depth++
			if d.depth > 1 && !d.skip {
				d.openRecord(recordOf(name), tok.Offset)
			}
		case EndTag:
			if d.depth == 0 {
				return Item{}, d.errorAt(tok.Offset, ErrUnbalanced)
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
					return m, d.errorAt(tok.Offset, ErrUnbalanced)
				}
				return d.endMessage(), nil
			}
			if it.Kind != 0 {
				return it, nil
			}
		}
	}
}

func (d *Decoder) startMessage(tok Token, name []byte) {
	d.msg = Message{Offset: tok.Offset}
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
func (d *Decoder) element(tok Token, name []byte) {
	v := tok.Attr("V")
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
			o.IDSystem = d.obsA.put(tok.Attr("SN"), &o.Truncated)
		case "OBS.value":
			o.Value = d.obsA.put(v, &o.Truncated)
			o.Unit = d.obsA.put(tok.Attr("U"), &o.Truncated)
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
