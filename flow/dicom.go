package flow

import (
	"strconv"
	"sync"

	"github.com/medtap/medtap/dicom"
	"github.com/medtap/medtap/dicom/ul"
)

// DICOM upper layer (PS3.8) on its registered port 104, the common
// unprivileged 11112 and Orthanc's default 4242; an A-ASSOCIATE-RQ (or a
// P-DATA-TF, for a capture that starts inside an association) is recognised
// on any port. Events of Proto "dicom":
//
//   - "associate-rq", "associate-ac" ([DICOMAssociate]): AE titles,
//     implementation class UID and version name, maximum PDU length,
//     presentation contexts, user identity type;
//   - "associate-rj" ([DICOMReject]): result, source, reason;
//   - "release-rq", "release-rp" (no detail);
//   - "abort" ([DICOMAbort]): source, reason;
//   - "dimse" ([DIMSE]): one per DIMSE message (command set plus dataset),
//     also for a message cut short by the end of the flow ("incomplete");
//   - "error": malformed PDUs or command sets, after which the decoder
//     resynchronises at the next plausible PDU header.
//
// DICOM over TLS (port 2762) is reported by the "tls" protocol.
func init() {
	Register(Protocol{
		Name:      "dicom",
		Transport: TCP,
		Ports:     []uint16{104, 11112, 4242},
		Match:     matchDICOM,
		New:       newDICOMDecoder,
	})
}

// matchDICOM recognises an A-ASSOCIATE-RQ (or, for a capture that starts
// late, an A-ASSOCIATE-AC): PDU type, reserved zero, a plausible length and
// protocol version 1; or a P-DATA-TF with a plausible first PDV.
func matchDICOM(dir Dir, data []byte) bool {
	if len(data) < 10 || data[1] != 0 {
		return false
	}
	n := uint32(data[2])<<24 | uint32(data[3])<<16 | uint32(data[4])<<8 | uint32(data[5])
	switch data[0] {
	case 1, 2:
		return n >= 68 && n <= 1<<20 && data[6] == 0 && data[7] == 1
	case 4:
		// A capture that starts inside an association: a P-DATA-TF whose
		// first PDV item fits it, with an odd context ID and a message
		// control header of two bits.
		if len(data) < 12 {
			return false
		}
		m := uint32(data[6])<<24 | uint32(data[7])<<16 | uint32(data[8])<<8 | uint32(data[9])
		return n >= 6 && n <= 16<<20 && m >= 2 && m <= n-4 && data[10]&1 == 1 && data[11] <= 3
	}
	return false
}

// DICOMAssociate is the Detail of "associate-rq" and "associate-ac" events.
// Associate is the parsed PDU, valid only during the event: detectors find
// everything there (user identity fields, role selection, extended
// negotiation, unknown items).
type DICOMAssociate struct {
	Associate *ul.Associate
}

// AppendJSON implements [Detail]. Passwords (the user identity secondary
// field) are never written.
func (d *DICOMAssociate) AppendJSON(dst []byte) []byte {
	a := d.Associate
	dst = AppendBytes(dst, "calling_ae", a.CallingAE)
	dst = AppendBytes(dst, "called_ae", a.CalledAE)
	u := &a.UserInfo
	dst = appendNonEmpty(dst, "impl_class_uid", u.ImplementationClassUID)
	dst = appendNonEmpty(dst, "impl_version", u.ImplementationVersionName)
	if u.HasMaxLength {
		dst = AppendInt(dst, "max_pdu", int64(u.MaxLength))
	}
	dst = appendKey(dst, "contexts")
	dst = append(dst, '[')
	for i := range a.Contexts {
		pc := &a.Contexts[i]
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"id":`...)
		dst = strconv.AppendUint(dst, uint64(pc.ID), 10)
		if a.Type == ul.TypeAssociateRQ {
			dst = AppendBytes(dst, "abstract_syntax", pc.AbstractSyntax)
			dst = appendKey(dst, "transfer_syntaxes")
			dst = append(dst, '[')
			for j, ts := range pc.TransferSyntaxes {
				if j > 0 {
					dst = append(dst, ',')
				}
				dst = AppendQuoted(dst, bytesView(ts))
			}
			dst = append(dst, ']')
		} else {
			dst = AppendString(dst, "result", ul.ContextResultString(pc.Result))
			if pc.Result == ul.ResultAcceptance {
				dst = AppendBytes(dst, "transfer_syntax", pc.TransferSyntax())
			}
		}
		dst = append(dst, '}')
	}
	dst = append(dst, ']')
	if id := &u.Identity; id.Present {
		if a.Type == ul.TypeAssociateRQ {
			dst = AppendString(dst, "user_identity_type", ul.IdentityTypeString(id.Type))
		} else {
			dst = AppendBool(dst, "user_identity_response", len(id.ServerResponse) > 0)
		}
	}
	return dst
}

// DICOMReject is the Detail of "associate-rj" events.
type DICOMReject struct {
	Reject ul.Reject
}

// AppendJSON implements [Detail].
func (d *DICOMReject) AppendJSON(dst []byte) []byte {
	dst = AppendString(dst, "result", d.Reject.ResultString())
	dst = AppendString(dst, "source", d.Reject.SourceString())
	return AppendString(dst, "reason", d.Reject.ReasonString())
}

// DICOMAbort is the Detail of "abort" events.
type DICOMAbort struct {
	Abort ul.Abort
}

// AppendJSON implements [Detail].
func (d *DICOMAbort) AppendJSON(dst []byte) []byte {
	dst = AppendString(dst, "source", d.Abort.SourceString())
	return AppendString(dst, "reason", d.Abort.ReasonString())
}

// DIMSE is the Detail of "dimse" events: the message and the AE titles of
// its association. Everything is valid only during the event.
type DIMSE struct {
	Message             *ul.Message
	CallingAE, CalledAE []byte
}

// AppendJSON implements [Detail]. message_id is the ID of the request a
// response answers, so requests and responses pair on it. Query keys are
// named by keyword when the dictionary knows the tag.
func (d *DIMSE) AppendJSON(dst []byte) []byte {
	m := d.Message
	dst = AppendString(dst, "command", m.Command.String())
	switch {
	case m.HasMessageID:
		dst = AppendInt(dst, "message_id", int64(m.MessageID))
	case m.HasRespondedTo:
		dst = AppendInt(dst, "message_id", int64(m.RespondedTo))
	}
	sop, inst := m.AffectedSOPClass, m.AffectedSOPInstance
	if len(sop) == 0 {
		sop = m.RequestedSOPClass
	}
	if len(inst) == 0 {
		inst = m.RequestedSOPInstance
	}
	dst = appendNonEmpty(dst, "sop_class_uid", sop)
	dst = appendNonEmpty(dst, "sop_instance_uid", inst)
	if m.HasStatus {
		dst = appendKey(dst, "status")
		dst = append(dst, '"', '0', 'x')
		for s := 12; s >= 0; s -= 4 {
			dst = append(dst, "0123456789ABCDEF"[m.Status>>uint(s)&0xF])
		}
		dst = append(dst, '"')
		dst = AppendString(dst, "status_meaning", ul.StatusMeaning(m.Status))
	}
	dst = appendNonEmpty(dst, "error_comment", m.ErrorComment)
	dst = appendNonEmpty(dst, "move_destination", m.MoveDestination)
	dst = appendNonEmpty(dst, "move_originator_ae", m.MoveOriginatorAE)
	dst = appendCount(dst, "remaining", m.Remaining)
	dst = appendCount(dst, "completed", m.Completed)
	dst = appendCount(dst, "failed", m.Failed)
	dst = appendCount(dst, "warning", m.Warning)
	dst = appendNonEmpty(dst, "query_level", m.QueryLevel)
	if len(m.Query) > 0 {
		dst = appendKey(dst, "query")
		dst = append(dst, '{')
		for i, e := range m.Query {
			if i > 0 {
				dst = append(dst, ',')
			}
			if de, ok := dicom.Lookup(e.Tag); ok && de.Keyword != "" {
				dst = AppendQuoted(dst, de.Keyword)
			} else {
				dst = append(dst, '"')
				dst = e.Tag.AppendTo(dst)
				dst = append(dst, '"')
			}
			dst = append(dst, ':')
			dst = AppendQuoted(dst, bytesView(e.Value))
		}
		dst = append(dst, '}')
	}
	if o := &m.Object; m.Command == ul.CStoreRQ {
		dst = appendNonEmpty(dst, "modality", o.Modality)
		dst = appendNonEmpty(dst, "study_uid", o.StudyInstanceUID)
		dst = appendNonEmpty(dst, "series_uid", o.SeriesInstanceUID)
		if len(o.PatientID) > 0 {
			dst = AppendBool(dst, "patient_id_present", true)
		}
		if o.HasPatientName {
			dst = AppendBool(dst, "patient_name_present", true)
		}
		if o.Part10 {
			dst = AppendBool(dst, "part10", true)
			dst = AppendString(dst, "preamble", o.Preamble.String())
		}
	}
	if m.HasDataset {
		dst = AppendInt(dst, "dataset_bytes", m.DatasetLength)
		if m.Incomplete {
			dst = AppendBool(dst, "incomplete", true)
		}
	}
	// Unknown when the capture started after the association request.
	dst = appendNonEmpty(dst, "calling_ae", d.CallingAE)
	return appendNonEmpty(dst, "called_ae", d.CalledAE)
}

// appendCount appends a sub-operation count when present (n >= 0).
func appendCount(dst []byte, key string, n int) []byte {
	if n < 0 {
		return dst
	}
	return AppendInt(dst, key, int64(n))
}

// dicomPool recycles decoders (and their grown buffers) from ended flows,
// so that following a new association allocates nothing in steady state.
var dicomPool = sync.Pool{New: func() any { return new(dicomDecoder) }}

// newDICOMDecoder returns a decoder from the pool: a new one, or one that
// Close has reset.
func newDICOMDecoder() Decoder {
	d := dicomPool.Get().(*dicomDecoder)
	d.limited = false
	return d
}

// dicomBudgets returns the association's command-set and dataset-header
// budgets (ul.Association.MaxCommandLength and MaxDatasetHeader) for cfg. A
// command set is buffered whole, so Config.MaxMessageBytes is its budget;
// the dataset header is Config.MaxDatasetHeaderBytes, capped by
// MaxMessageBytes too. Zero leaves the ul defaults (64 KiB each).
func dicomBudgets(cfg *Config) (command, header int) {
	n := cfg.MaxMessageBytes
	if n > 0 {
		command = n
	}
	switch h := cfg.MaxDatasetHeaderBytes; {
	case h < 0:
		return command, -1 // keep none of the dataset
	case h == 0:
		h = ul.DefaultMaxDatasetHeader
		if n > 0 && n < h {
			return command, n
		}
		return command, 0
	default:
		if n > 0 && n < h {
			h = n
		}
		return command, h
	}
}

// dicomDecoder follows one association; the Details are reused.
type dicomDecoder struct {
	a       ul.Association
	limited bool // limits from the Context applied
	assoc   DICOMAssociate
	rj      DICOMReject
	ab      DICOMAbort
	dimse   DIMSE
}

func (d *dicomDecoder) Data(c *Context, dir Dir, data []byte) {
	if !d.limited {
		// Limits are set before the association's first bytes.
		// MaxMessageBytes caps what is buffered: PDUs other than
		// P-DATA-TF, command sets and dataset headers. P-DATA-TF is
		// streamed, so the PDU length limit stays ul's.
		d.a.MaxAssociateLength = 0 // default
		d.a.MaxCommandLength, d.a.MaxDatasetHeader = dicomBudgets(&c.e.cfg)
		if n := c.MaxMessageBytes(); n > 0 {
			d.a.MaxAssociateLength = uint32(min(n, ul.DefaultMaxAssociateLength))
		}
		d.limited = true
	}
	d.a.Feed(ul.Dir(dir), data)
	for {
		ev, err := d.a.Next()
		if err == ul.ErrNeedMore {
			return
		}
		if err != nil {
			var off int64 = -1
			if e, ok := err.(*ul.Error); ok {
				off = e.Offset
			}
			c.DecodeError(dir, off, err)
			continue
		}
		d.emit(c, Dir(ev.Dir), ev)
	}
}

func (d *dicomDecoder) emit(c *Context, dir Dir, ev ul.Event) {
	kind := ev.Kind.String()
	switch ev.Kind {
	case ul.EventAssociateRQ, ul.EventAssociateAC:
		d.assoc.Associate = ev.Associate
		c.Emit(dir, kind, &d.assoc)
		d.assoc.Associate = nil
	case ul.EventAssociateRJ:
		d.rj.Reject = ev.Reject
		c.Emit(dir, kind, &d.rj)
	case ul.EventAbort:
		d.ab.Abort = ev.Abort
		c.Emit(dir, kind, &d.ab)
	case ul.EventDIMSE:
		d.dimse = DIMSE{Message: ev.Message, CallingAE: d.a.CallingAE(), CalledAE: d.a.CalledAE()}
		c.Emit(dir, kind, &d.dimse)
		d.dimse = DIMSE{}
	default:
		c.Emit(dir, kind, nil)
	}
}

func (d *dicomDecoder) Gap(c *Context, dir Dir, n int) { d.a.Gap(ul.Dir(dir), n) }

// Close reports the messages cut short by the end of the flow and recycles
// the decoder.
func (d *dicomDecoder) Close(c *Context) {
	for dir := range Dir(2) {
		if ev, ok := d.a.Flush(ul.Dir(dir)); ok {
			d.emit(c, dir, ev)
		}
	}
	d.a.Reset()
	dicomPool.Put(d)
}

// Buffered implements the engine's memory accounting.
func (d *dicomDecoder) Buffered() int { return d.a.Buffered() }
