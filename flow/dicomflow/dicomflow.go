// Package dicomflow is the flow adapter for the DICOM upper layer (PS3.8):
// importing it registers protocol "dicom" with package flow. It follows
// each association with a [ul.Association] and turns what it reports into
// events.
//
// DICOM runs on its registered port 104, the common unprivileged 11112 and
// Orthanc's default 4242; an A-ASSOCIATE-RQ (or a P-DATA-TF, for a capture
// that starts inside an association) is recognised on any port, and so is
// a server answering a probe it does not understand with an A-ABORT or
// A-ASSOCIATE-RJ (ul.SniffReply), so a scan shows which ports speak DICOM. DICOM over
// TLS (port 2762) is reported by the "tls" protocol (package tlsflow).
//
// Identities ([flow.Identifier]): the calling AE title of an association
// request and the called one of its acceptance name the two peers; a
// C-STORE-RQ from a modality names its vendor, model and station (see
// [DIMSE.Identify] for when a stored object's equipment is not its
// sender's).
//
// Limits: [flow.Config.MaxMessageBytes] caps the PDUs that are buffered
// whole (all but P-DATA-TF, whose data is streamed) and DICOM command sets;
// [flow.Config.MaxDatasetHeaderBytes] is how much of each dataset is kept to
// report its header elements.
package dicomflow

import (
	"strconv"
	"sync"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/loginflow"
	"github.com/medtap/medtap/netproto/defcred"

	"github.com/medtap/medtap/dicom"
	"github.com/medtap/medtap/dicom/ul"
)

// Name is the protocol's name in events and [flow.Config.Protocols].
const Name = "dicom"

// The kinds of event the adapter emits, with their Detail.
const (
	KindAssociateRQ flow.Kind = "associate-rq" // [*Associate]
	KindAssociateAC flow.Kind = "associate-ac" // [*Associate]
	KindAssociateRJ flow.Kind = "associate-rj" // [*Reject]
	KindReleaseRQ   flow.Kind = "release-rq"   // no detail
	KindReleaseRP   flow.Kind = "release-rp"   // no detail
	KindAbort       flow.Kind = "abort"        // [*Abort]
	// KindDIMSE is one DIMSE message (command set plus dataset), also one
	// cut short by the end of the flow ("incomplete"). [*DIMSE]
	KindDIMSE flow.Kind = "dimse"
	// Malformed PDUs and command sets are reported as [flow.KindError];
	// the decoder resynchronises at the next plausible PDU header.
	//
	// A user identity of type username or username-password in an
	// A-ASSOCIATE-RQ is reported as [loginflow.KindLogin] (protocol
	// "dicom", with a [*loginflow.Login]) when the A-ASSOCIATE-AC
	// (success) or -RJ (failure) answers it, or the flow ends; the
	// passcode is only compared with the vendor default credentials of
	// netproto/defcred.
)

func init() {
	flow.Register(flow.Protocol{
		Name:       Name,
		Transport:  flow.TCP,
		Ports:      []uint16{104, 11112, 4242},
		Match:      ul.Sniff,
		MatchReply: ul.SniffReply,
		New:        newDecoder,
	})
}

// Associate is the Detail of "associate-rq" and "associate-ac" events.
// Associate is the parsed PDU, valid only during the event: detectors find
// everything there (user identity fields, role selection, extended
// negotiation, unknown items).
type Associate struct {
	Associate *ul.Associate
}

// AppendJSON implements [flow.Detail]. Passwords (the user identity secondary
// field) are never written.
func (d *Associate) AppendJSON(dst []byte) []byte {
	a := d.Associate
	dst = flow.AppendBytes(dst, "calling_ae", a.CallingAE)
	dst = flow.AppendBytes(dst, "called_ae", a.CalledAE)
	u := &a.UserInfo
	dst = flow.AppendNonEmpty(dst, "impl_class_uid", u.ImplementationClassUID)
	dst = flow.AppendNonEmpty(dst, "impl_version", u.ImplementationVersionName)
	if u.HasMaxLength {
		dst = flow.AppendInt(dst, "max_pdu", int64(u.MaxLength))
	}
	dst = flow.AppendKey(dst, "contexts")
	dst = append(dst, '[')
	for i := range a.Contexts {
		pc := &a.Contexts[i]
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"id":`...)
		dst = strconv.AppendUint(dst, uint64(pc.ID), 10)
		if a.Type == ul.TypeAssociateRQ {
			dst = flow.AppendBytes(dst, "abstract_syntax", pc.AbstractSyntax)
			dst = flow.AppendKey(dst, "transfer_syntaxes")
			dst = append(dst, '[')
			for j, ts := range pc.TransferSyntaxes {
				if j > 0 {
					dst = append(dst, ',')
				}
				dst = flow.AppendQuotedBytes(dst, ts)
			}
			dst = append(dst, ']')
		} else {
			dst = flow.AppendString(dst, "result", pc.Result.String())
			if pc.Result == ul.ResultAcceptance {
				dst = flow.AppendBytes(dst, "transfer_syntax", pc.TransferSyntax())
			}
		}
		dst = append(dst, '}')
	}
	dst = append(dst, ']')
	if id := &u.Identity; id.Present {
		if a.Type == ul.TypeAssociateRQ {
			dst = flow.AppendString(dst, "user_identity_type", id.Type.String())
		} else {
			dst = flow.AppendBool(dst, "user_identity_response", len(id.ServerResponse) > 0)
		}
	}
	return dst
}

// Identify implements [flow.Identifier]: the AE title the requester calls
// from, and the called AE title the acceptor answers to.
func (d *Associate) Identify(k flow.Kind, buf []byte, yield func(flow.Identity)) {
	switch k {
	case KindAssociateRQ:
		yield(flow.Identity{Source: true, Kind: "ae", Name: d.Associate.CallingAE})
	case KindAssociateAC:
		yield(flow.Identity{Source: true, Kind: "ae", Name: d.Associate.CalledAE})
	}
}

// Reject is the Detail of "associate-rj" events.
type Reject struct {
	Reject ul.Reject
}

// AppendJSON implements [flow.Detail].
func (d *Reject) AppendJSON(dst []byte) []byte {
	dst = flow.AppendString(dst, "result", d.Reject.Result.String())
	dst = flow.AppendString(dst, "source", d.Reject.Source.String())
	return flow.AppendString(dst, "reason", d.Reject.ReasonString())
}

// Abort is the Detail of "abort" events.
type Abort struct {
	Abort ul.Abort
}

// AppendJSON implements [flow.Detail].
func (d *Abort) AppendJSON(dst []byte) []byte {
	dst = flow.AppendString(dst, "source", d.Abort.Source.String())
	return flow.AppendString(dst, "reason", d.Abort.ReasonString())
}

// DIMSE is the Detail of "dimse" events: the message and the AE titles of
// its association. Everything is valid only during the event.
//
// A C-STORE-RQ also reports the equipment that produced the object, from
// its dataset (see [ul.Object]): manufacturer, model (Manufacturer's Model
// Name), software_versions (several separated by backslashes, as in
// DICOM), device_serial, station_name and institution, converted to UTF-8
// from the object's Specific Character Set. They name equipment and an
// organisation, not a patient, and are written as they are whatever the
// PHI policy. An object keeps them wherever it travels, so they are the
// sender's own only when a modality sends its images: see
// [DIMSE.Identify]. An executable header at the start of a binary or
// private element of the object ([ul.Object.Executable]) is reported as
// executable (its kind: "PE", "ELF", "Mach-O") and executable_element
// (the element's tag).
type DIMSE struct {
	Message             *ul.Message
	CallingAE, CalledAE []byte
	phi                 *flow.PHI // the engine's, for query values
	fromRequestor       bool      // the message came from the association's requestor
	text                []byte    // the decoder's, for text converted to UTF-8
}

// AppendJSON implements [flow.Detail]. message_id is the ID of the request a
// response answers, so requests and responses pair on it. Query keys are
// named by keyword when the dictionary knows the tag; their values follow
// the engine's PHI policy ([flow.Config.PHI]: hashed by default), except
// those that say nothing about a patient (see patientData).
func (d *DIMSE) AppendJSON(dst []byte) []byte {
	m := d.Message
	dst = flow.AppendString(dst, "command", m.Command.String())
	switch {
	case m.HasMessageID:
		dst = flow.AppendInt(dst, "message_id", int64(m.MessageID))
	case m.HasRespondedTo:
		dst = flow.AppendInt(dst, "message_id", int64(m.RespondedTo))
	}
	sop, inst := m.AffectedSOPClass, m.AffectedSOPInstance
	if len(sop) == 0 {
		sop = m.RequestedSOPClass
	}
	if len(inst) == 0 {
		inst = m.RequestedSOPInstance
	}
	dst = flow.AppendNonEmpty(dst, "sop_class_uid", sop)
	dst = flow.AppendNonEmpty(dst, "sop_instance_uid", inst)
	if m.HasStatus {
		dst = flow.AppendKey(dst, "status")
		dst = append(dst, '"', '0', 'x')
		for s := 12; s >= 0; s -= 4 {
			dst = append(dst, "0123456789ABCDEF"[m.Status>>uint(s)&0xF])
		}
		dst = append(dst, '"')
		dst = flow.AppendString(dst, "status_meaning", m.Status.String())
	}
	dst = flow.AppendNonEmpty(dst, "error_comment", m.ErrorComment)
	dst = flow.AppendNonEmpty(dst, "move_destination", m.MoveDestination)
	dst = flow.AppendNonEmpty(dst, "move_originator_ae", m.MoveOriginatorAE)
	dst = appendCount(dst, "remaining", m.Remaining)
	dst = appendCount(dst, "completed", m.Completed)
	dst = appendCount(dst, "failed", m.Failed)
	dst = appendCount(dst, "warning", m.Warning)
	dst = flow.AppendNonEmpty(dst, "query_level", m.QueryLevel)
	if len(m.Query) > 0 {
		dst = flow.AppendKey(dst, "query")
		dst = append(dst, '{')
		for i, e := range m.Query {
			if i > 0 {
				dst = append(dst, ',')
			}
			if de, ok := dicom.Lookup(e.Tag); ok && de.Keyword != "" {
				dst = flow.AppendQuoted(dst, de.Keyword)
			} else {
				dst = append(dst, '"')
				dst = e.Tag.AppendTo(dst)
				dst = append(dst, '"')
			}
			dst = append(dst, ':')
			if patientData(e.Tag) {
				dst = d.phi.AppendValue(dst, e.Value)
			} else {
				dst = flow.AppendQuotedBytes(dst, e.Value)
			}
		}
		dst = append(dst, '}')
	}
	if o := &m.Object; m.Command == ul.CStoreRQ {
		dst = flow.AppendNonEmpty(dst, "modality", o.Modality)
		dst = flow.AppendNonEmpty(dst, "study_uid", o.StudyInstanceUID)
		dst = flow.AppendNonEmpty(dst, "series_uid", o.SeriesInstanceUID)
		cs := o.SpecificCharacterSet
		dst = d.appendText(dst, "manufacturer", o.Manufacturer, cs)
		dst = d.appendText(dst, "model", o.ManufacturerModelName, cs)
		dst = d.appendText(dst, "software_versions", o.SoftwareVersions, cs)
		dst = d.appendText(dst, "device_serial", o.DeviceSerialNumber, cs)
		dst = d.appendText(dst, "station_name", o.StationName, cs)
		dst = d.appendText(dst, "institution", o.InstitutionName, cs)
		if len(o.PatientID) > 0 {
			dst = flow.AppendBool(dst, "patient_id_present", true)
		}
		if o.HasPatientName {
			dst = flow.AppendBool(dst, "patient_name_present", true)
		}
		if o.Part10 {
			dst = flow.AppendBool(dst, "part10", true)
			dst = flow.AppendString(dst, "preamble", o.Preamble.String())
		}
		if o.Executable != dicom.PreambleNone {
			dst = flow.AppendString(dst, "executable", o.Executable.String())
			dst = flow.AppendKey(dst, "executable_element")
			dst = append(dst, '"')
			dst = o.ExecutableTag.AppendTo(dst)
			dst = append(dst, '"')
		}
	}
	if m.HasDataset {
		dst = flow.AppendInt(dst, "dataset_bytes", m.DatasetLength)
		if m.Incomplete {
			dst = flow.AppendBool(dst, "incomplete", true)
		}
	}
	// Unknown when the capture started after the association request.
	dst = flow.AppendNonEmpty(dst, "calling_ae", d.CallingAE)
	return flow.AppendNonEmpty(dst, "called_ae", d.CalledAE)
}

// appendText appends the member key with v, text of the object in
// character set cs, as UTF-8 (nothing when v is empty).
func (d *DIMSE) appendText(dst []byte, key string, v, cs []byte) []byte {
	if len(v) == 0 {
		return dst
	}
	d.text = appendUTF8(d.text[:0], v, cs)
	return flow.AppendBytes(dst, key, d.text)
}

// Identify implements [flow.Identifier] for a C-STORE-RQ that a modality
// sends: "vendor" is the object's Manufacturer and Manufacturer's Model
// Name, joined by a space, and "host" its Station Name. They describe the
// equipment that produced the object, which is the sender only when the
// sender made it. So they are reported only for a C-STORE-RQ from the
// association's requestor that is no C-MOVE sub-operation (its Move
// Originator AE Title is empty): a PACS storing a study to the destination
// of a C-MOVE, or answering a C-GET with C-STOREs on the requestor's own
// association, sends the modality's identity, not its own. A router or
// archive that forwards objects with plain C-STOREs cannot be told apart
// from their modality by the protocol; the AE titles of the association
// ([Associate.Identify]) are the sender's own in every case.
func (d *DIMSE) Identify(k flow.Kind, buf []byte, yield func(flow.Identity)) {
	m := d.Message
	if k != KindDIMSE || m == nil || m.Command != ul.CStoreRQ || len(m.MoveOriginatorAE) > 0 || !d.fromRequestor {
		return
	}
	o := &m.Object
	cs := o.SpecificCharacterSet
	if len(o.Manufacturer) > 0 || len(o.ManufacturerModelName) > 0 {
		buf = appendUTF8(buf[:0], o.Manufacturer, cs)
		if len(o.Manufacturer) > 0 && len(o.ManufacturerModelName) > 0 {
			buf = append(buf, ' ')
		}
		buf = appendUTF8(buf, o.ManufacturerModelName, cs)
		yield(flow.Identity{Source: true, Kind: "vendor", Name: buf})
	}
	if len(o.StationName) > 0 {
		yield(flow.Identity{Source: true, Kind: "host", Name: appendUTF8(buf[:0], o.StationName, cs)})
	}
}

// appendUTF8 appends v, text in the DICOM character set cs, to dst as
// UTF-8. Text of printable ASCII, and text without a character set (often
// UTF-8 or Latin-1 without saying so: the JSON writer keeps valid UTF-8
// and replaces the rest), is appended as it is.
func appendUTF8(dst, v, cs []byte) []byte {
	if len(cs) == 0 || printableASCII(v) {
		return append(dst, v...)
	}
	dst, _ = dicom.AppendUTF8(dst, v, cs) // undecodable bytes become U+FFFD
	return dst
}

// printableASCII reports whether v holds only bytes from 0x20 to 0x7E,
// which every DICOM character set reads as ASCII (there is no escape
// sequence to switch sets).
func printableASCII(v []byte) bool {
	for _, c := range v {
		if c < 0x20 || c > 0x7E {
			return false
		}
	}
	return true
}

// patientData reports whether a query key may hold patient data: every key
// but UIDs (which name objects, as the events' study and SOP instance UIDs
// do, and must still match them) and the keys that shape a query or name
// equipment.
func patientData(t dicom.Tag) bool {
	switch t {
	case 0x00080005, // Specific Character Set
		0x00080016,                         // SOP Class UID
		0x00080052,                         // Query/Retrieve Level
		0x00080054,                         // Retrieve AE Title
		0x00080056,                         // Instance Availability
		0x00080060,                         // Modality
		0x00080061,                         // Modalities in Study
		0x00080062,                         // SOP Classes in Study
		0x00201206, 0x00201208, 0x00201209: // Number of Study Related Series / Instances, Number of Series Related Instances
		return false
	}
	de, ok := dicom.Lookup(t)
	return !ok || de.VR != dicom.UI
}

// appendCount appends a sub-operation count when present (n >= 0).
func appendCount(dst []byte, key string, n int) []byte {
	if n < 0 {
		return dst
	}
	return flow.AppendInt(dst, key, int64(n))
}

// pool recycles decoders (and their grown buffers) from ended flows,
// so that following a new association allocates nothing in steady state.
var pool = sync.Pool{New: func() any { return new(decoder) }}

// newDecoder returns a decoder from the pool: a new one, or one that
// Close has reset.
func newDecoder() flow.Decoder {
	d := pool.Get().(*decoder)
	d.limited = false
	return d
}

// decoder follows one association; the Details are reused.
type decoder struct {
	a       ul.Association
	limited bool // limits from the flow.Context applied
	assoc   Associate
	rj      Reject
	ab      Abort
	dimse   DIMSE
	// The user identity of the association request, until answered.
	loginPending bool
	loginUser    loginflow.User
	loginDefault bool
	loginDir     flow.Dir // of the request: the login's source is its requestor
	login        loginflow.Login
}

func (d *decoder) Data(c *flow.Context, dir flow.Dir, data []byte) {
	if !d.limited {
		// Limits are set before the association's first bytes.
		// MaxMessageBytes caps what is buffered: PDUs other than
		// P-DATA-TF, command sets and dataset headers. P-DATA-TF is
		// streamed, so the PDU length limit stays ul's.
		d.a.MaxAssociateLength, d.a.MaxCommandLength = 0, 0
		d.a.MaxDatasetHeader = c.Config().MaxDatasetHeaderBytes
		d.a.LimitBuffered(c.MaxMessageBytes())
		d.limited = true
	}
	d.a.Feed(ul.Dir(dir), data)
	for {
		ev, err := d.a.Next()
		if err == ul.ErrNeedMore {
			return
		}
		if err != nil {
			c.DecodeError(dir, err)
			continue
		}
		d.emit(c, flow.Dir(ev.Dir), ev)
	}
}

func (d *decoder) emit(c *flow.Context, dir flow.Dir, ev ul.Event) {
	switch ev.Kind {
	case ul.EventAssociateRQ, ul.EventAssociateAC:
		kind := KindAssociateRQ
		if ev.Kind == ul.EventAssociateAC {
			kind = KindAssociateAC
		}
		d.assoc.Associate = ev.Associate
		c.Emit(dir, kind, &d.assoc)
		if ev.Kind == ul.EventAssociateRQ {
			d.identity(c, dir, &ev.Associate.UserInfo.Identity)
		} else {
			d.answerLogin(c, loginflow.Success)
		}
		d.assoc.Associate = nil
	case ul.EventAssociateRJ:
		d.rj.Reject = ev.Reject
		c.Emit(dir, KindAssociateRJ, &d.rj)
		d.answerLogin(c, loginflow.Failure)
	case ul.EventAbort:
		d.ab.Abort = ev.Abort
		c.Emit(dir, KindAbort, &d.ab)
	case ul.EventDIMSE:
		d.dimse = DIMSE{Message: ev.Message, CallingAE: d.a.CallingAE(), CalledAE: d.a.CalledAE(), phi: c.PHI(),
			fromRequestor: ev.Dir == ul.FromRequestor, text: d.dimse.text[:0]}
		c.Emit(dir, KindDIMSE, &d.dimse)
		d.dimse = DIMSE{text: d.dimse.text[:0]}
	case ul.EventReleaseRQ:
		c.Emit(dir, KindReleaseRQ, nil)
	case ul.EventReleaseRP:
		c.Emit(dir, KindReleaseRP, nil)
	}
}

// identity notes the user identity of an association request: a user
// name, with or without a passcode, which is compared with the default
// credentials here and not kept.
func (d *decoder) identity(c *flow.Context, dir flow.Dir, id *ul.UserIdentity) {
	d.answerLogin(c, loginflow.Unknown) // a request before, never answered
	if !id.Present || (id.Type != ul.IdentityUsername && id.Type != ul.IdentityUsernamePassword) {
		return
	}
	d.loginPending, d.loginDir = true, dir
	d.loginUser.Set(id.Primary)
	d.loginDefault = id.Type == ul.IdentityUsernamePassword && defcred.IsDefault(id.Primary, id.Secondary)
}

// answerLogin reports the pending user identity with the outcome of its
// association request.
func (d *decoder) answerLogin(c *flow.Context, o loginflow.Outcome) {
	if !d.loginPending {
		return
	}
	d.loginPending = false
	d.login = loginflow.Login{Protocol: Name, User: d.loginUser.Bytes(), Outcome: o, DefaultCredential: d.loginDefault}
	c.Emit(d.loginDir, loginflow.KindLogin, &d.login)
	d.login = loginflow.Login{}
}

func (d *decoder) Gap(c *flow.Context, dir flow.Dir, n int) { d.a.Gap(ul.Dir(dir), n) }

// Close reports the messages cut short by the end of the flow and recycles
// the decoder.
func (d *decoder) Close(c *flow.Context) {
	d.a.Flush(ul.FromRequestor)
	d.a.Flush(ul.FromAcceptor)
	for {
		ev, err := d.a.Next()
		if err == ul.ErrNeedMore {
			break
		}
		if err == nil {
			d.emit(c, flow.Dir(ev.Dir), ev)
		}
	}
	d.answerLogin(c, loginflow.Unknown)
	d.a.Reset()
	pool.Put(d)
}

// Buffered implements [flow.BufferedDecoder].
func (d *decoder) Buffered() int { return d.a.Buffered() }
