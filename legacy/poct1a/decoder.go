package poct1a

// Default limits of a [Decoder].
const (
	DefaultMaxTag   = 4096 // bytes of one tag, attributes included
	DefaultMaxDepth = 32   // nesting of elements
)

// Kind says what an [Item] is.
type Kind uint8

// Item kinds.
const (
	KindObservation Kind = iota + 1 // an OBS element ended
	KindMessage                     // a message (root element) ended
)

// Message summarises one POCT1-A message. The fields are views into the
// decoder, valid until the next call to Next or Feed.
type Message struct {
	Type      []byte // root element: HEL.R01, DST.R01, OBS.R01, ACK.R01, ...
	ControlID []byte // HDR.control_id
	Version   []byte // HDR.version_id
	Created   []byte // HDR.creation_dttm
	// Device identity (DEV, usually in HEL.R01).
	DeviceID, VendorID, ModelID, SerialID []byte
	Manufacturer, HWVersion, SWVersion    []byte
	DeviceName                            []byte
	// ACK.R01: type (AA accept, AE error, AR reject) and the acknowledged
	// control ID; ACK.note_txt.
	AckType, AckControlID, AckNote []byte
	Topic                          []byte // EOT.topic_cd
	Directive                      []byte // DTV.command_cd
	NewObservations                []byte // DST.new_observations_qty
	Observations                   int    // OBS elements in the message
	Offset                         int64  // of the root element's start tag
	Truncated                      bool   // a value did not fit the decoder's buffer
}

// Observation is one OBS element with the context it appeared in. The fields
// are views valid until the next call to Next or Feed.
type Observation struct {
	ID, IDSystem   []byte // OBS.observation_id V and SN
	Value, Unit    []byte // OBS.value V and U
	Method         []byte // OBS.method_cd
	Interpretation []byte // OBS.interpretation_cd (normal, abnormal flags)
	Time           []byte // SVC.observation_dttm
	PatientID      []byte // PT.patient_id
	OperatorID     []byte // OPR.operator_id
	Offset         int64
	Truncated      bool
}

// Item is a message or an observation.
type Item struct {
	Kind        Kind
	Message     *Message     // KindMessage; points into the decoder
	Observation *Observation // KindObservation; points into the decoder
}

// Option configures a [Decoder].
type Option func(*Decoder)

// WithMaxTag limits one tag to n bytes (default [DefaultMaxTag]).
func WithMaxTag(n int) Option { return func(d *Decoder) { d.tok.max = n } }

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

// A Decoder decodes one direction of a POCT1-A stream: feed it bytes with
// [Decoder.Feed] and take items with [Decoder.Next] until it returns
// [ErrNeedMore]. The zero value is ready to use with the default limits.
type Decoder struct {
	tok   tokenizer
	depth int
	// The path of open elements that matter: inside OBS, SVC, PT, OPR.
	inObs bool
	msg   Message
	obs   Observation
	msgA  arena // message fields and the service context
	obsA  arena // the current observation
	// Context kept across observations of a message.
	svcTime, patient, operator []byte
	ctxA                       arena
	nameBuf                    [64]byte // the root element's name
	inited                     bool
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
	max := d.tok.max
	buf := d.tok.buf[:0]
	*d = Decoder{}
	if max <= 0 {
		max = DefaultMaxTag
	}
	d.tok.max = max
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
	d.inObs = false
}

func (d *Decoder) errorAt(off int64, err error) error { return &Error{Offset: off, Err: err} }

// Next returns the next item, or [ErrNeedMore] when the input is consumed.
// Other errors describe skipped input and are not sticky.
func (d *Decoder) Next() (Item, error) {
	if !d.inited {
		d.Reset()
	}
	for {
		tok, err := d.tok.next()
		if err != nil {
			return Item{}, err
		}
		switch tok.Kind {
		case ProcInst:
			continue
		case StartTag, EmptyTag:
			if d.depth == 0 {
				d.startMessage(tok)
			} else {
				d.element(tok)
			}
			if tok.Kind == StartTag {
				if d.depth >= DefaultMaxDepth {
					d.depth = 0
					return Item{}, d.errorAt(tok.Offset, ErrTooDeep)
				}
				d.depth++
				if string(tok.Name) == "OBS" {
					d.inObs = true
					d.obs = Observation{Offset: tok.Offset}
					d.obsA.reset()
				}
				continue
			}
			if d.depth == 0 { // an empty root element
				return d.endMessage(), nil
			}
		case EndTag:
			if d.depth == 0 {
				return Item{}, d.errorAt(tok.Offset, ErrUnbalanced)
			}
			d.depth--
			switch {
			case d.depth == 0:
				if string(tok.Name) != string(d.msg.Type) {
					it := d.endMessage()
					return it, d.errorAt(tok.Offset, ErrUnbalanced)
				}
				return d.endMessage(), nil
			case string(tok.Name) == "OBS" && d.inObs:
				d.inObs = false
				d.msg.Observations++
				d.obs.Time, d.obs.PatientID, d.obs.OperatorID = d.svcTime, d.patient, d.operator
				return Item{Kind: KindObservation, Observation: &d.obs}, nil
			}
		}
	}
}

func (d *Decoder) startMessage(tok Token) {
	d.msg = Message{Offset: tok.Offset}
	d.msgA.reset()
	d.ctxA.reset()
	d.svcTime, d.patient, d.operator = nil, nil, nil
	n := copy(d.nameBuf[:], tok.Name)
	d.msg.Type = d.nameBuf[:n:n]
	d.inObs = false
}

func (d *Decoder) endMessage() Item {
	d.depth = 0
	d.inObs = false
	return Item{Kind: KindMessage, Message: &d.msg}
}

// element records the value of a leaf element that matters.
func (d *Decoder) element(tok Token) {
	v := tok.Attr("V")
	m := &d.msg
	put := func(dst *[]byte) { *dst = d.msgA.put(v, &m.Truncated) }
	if d.inObs {
		o := &d.obs
		switch string(tok.Name) {
		case "OBS.observation_id":
			o.ID = d.obsA.put(v, &o.Truncated)
			o.IDSystem = d.obsA.put(tok.Attr("SN"), &o.Truncated)
		case "OBS.value":
			o.Value = d.obsA.put(v, &o.Truncated)
			o.Unit = d.obsA.put(tok.Attr("U"), &o.Truncated)
		case "OBS.method_cd":
			o.Method = d.obsA.put(v, &o.Truncated)
		case "OBS.interpretation_cd":
			o.Interpretation = d.obsA.put(v, &o.Truncated)
		}
		return
	}
	switch string(tok.Name) {
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
	case "ACK.type_cd":
		put(&m.AckType)
	case "ACK.ack_control_id":
		put(&m.AckControlID)
	case "ACK.note_txt":
		put(&m.AckNote)
	case "EOT.topic_cd":
		put(&m.Topic)
	case "DTV.command_cd":
		put(&m.Directive)
	case "DST.new_observations_qty":
		put(&m.NewObservations)
	case "SVC.observation_dttm":
		d.svcTime = d.ctxA.put(v, &m.Truncated)
	case "PT.patient_id":
		d.patient = d.ctxA.put(v, &m.Truncated)
	case "OPR.operator_id":
		d.operator = d.ctxA.put(v, &m.Truncated)
	}
}

// Offset returns the stream offset of the next byte the decoder will read.
func (d *Decoder) Offset() int64 { return d.tok.off }
