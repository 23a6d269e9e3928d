package ul

import (
	"io"
	"strconv"

	"github.com/medtap/medtap/dicom"
)

// Command is a DIMSE command field value (0000,0100), PS3.7 section E.1.
type Command uint16

// The DIMSE commands. A response is its request with bit 15 set.
const (
	CStoreRQ        Command = 0x0001
	CGetRQ          Command = 0x0010
	CFindRQ         Command = 0x0020
	CMoveRQ         Command = 0x0021
	CEchoRQ         Command = 0x0030
	NEventReportRQ  Command = 0x0100
	NGetRQ          Command = 0x0110
	NSetRQ          Command = 0x0120
	NActionRQ       Command = 0x0130
	NCreateRQ       Command = 0x0140
	NDeleteRQ       Command = 0x0150
	CCancelRQ       Command = 0x0FFF
	CStoreRSP       Command = 0x8001
	CGetRSP         Command = 0x8010
	CFindRSP        Command = 0x8020
	CMoveRSP        Command = 0x8021
	CEchoRSP        Command = 0x8030
	NEventReportRSP Command = 0x8100
	NGetRSP         Command = 0x8110
	NSetRSP         Command = 0x8120
	NActionRSP      Command = 0x8130
	NCreateRSP      Command = 0x8140
	NDeleteRSP      Command = 0x8150
)

var commandNames = map[Command]string{
	CStoreRQ: "C-STORE-RQ", CGetRQ: "C-GET-RQ", CFindRQ: "C-FIND-RQ", CMoveRQ: "C-MOVE-RQ", CEchoRQ: "C-ECHO-RQ",
	NEventReportRQ: "N-EVENT-REPORT-RQ", NGetRQ: "N-GET-RQ", NSetRQ: "N-SET-RQ", NActionRQ: "N-ACTION-RQ",
	NCreateRQ: "N-CREATE-RQ", NDeleteRQ: "N-DELETE-RQ", CCancelRQ: "C-CANCEL-RQ",
	CStoreRSP: "C-STORE-RSP", CGetRSP: "C-GET-RSP", CFindRSP: "C-FIND-RSP", CMoveRSP: "C-MOVE-RSP", CEchoRSP: "C-ECHO-RSP",
	NEventReportRSP: "N-EVENT-REPORT-RSP", NGetRSP: "N-GET-RSP", NSetRSP: "N-SET-RSP", NActionRSP: "N-ACTION-RSP",
	NCreateRSP: "N-CREATE-RSP", NDeleteRSP: "N-DELETE-RSP",
}

// String returns the command name, such as "C-STORE-RQ".
func (c Command) String() string {
	if s, ok := commandNames[c]; ok {
		return s
	}
	return "DIMSE(0x" + strconv.FormatUint(uint64(c), 16) + ")"
}

// IsResponse reports whether c is a response.
func (c Command) IsResponse() bool { return c&0x8000 != 0 }

// Request returns the request of a response (and c itself for a request).
func (c Command) Request() Command { return c &^ 0x8000 }

// Command set elements (group 0000).
const (
	tagAffectedSOPClass  dicom.Tag = 0x00000002
	tagRequestedSOPClass dicom.Tag = 0x00000003
	tagCommandField      dicom.Tag = 0x00000100
	tagMessageID         dicom.Tag = 0x00000110
	tagRespondedTo       dicom.Tag = 0x00000120
	tagMoveDestination   dicom.Tag = 0x00000600
	tagPriority          dicom.Tag = 0x00000700
	tagDataSetType       dicom.Tag = 0x00000800
	tagStatus            dicom.Tag = 0x00000900
	tagErrorComment      dicom.Tag = 0x00000902
	tagAffectedInstance  dicom.Tag = 0x00001000
	tagRequestedInstance dicom.Tag = 0x00001001
	tagEventTypeID       dicom.Tag = 0x00001002
	tagActionTypeID      dicom.Tag = 0x00001008
	tagRemaining         dicom.Tag = 0x00001020
	tagCompleted         dicom.Tag = 0x00001021
	tagFailed            dicom.Tag = 0x00001022
	tagWarning           dicom.Tag = 0x00001023
	tagMoveOriginatorAE  dicom.Tag = 0x00001030
	tagMoveOriginatorID  dicom.Tag = 0x00001031
	tagCharacterSet      dicom.Tag = 0x00080005
	tagSOPClassUID       dicom.Tag = 0x00080016
	tagSOPInstanceUID    dicom.Tag = 0x00080018
	tagQueryLevel        dicom.Tag = 0x00080052
	tagModality          dicom.Tag = 0x00080060
	tagManufacturer      dicom.Tag = 0x00080070
	tagInstitutionName   dicom.Tag = 0x00080080
	tagStationName       dicom.Tag = 0x00081010
	tagModelName         dicom.Tag = 0x00081090
	tagPatientName       dicom.Tag = 0x00100010
	tagPatientID         dicom.Tag = 0x00100020
	tagDeviceSerial      dicom.Tag = 0x00181000
	tagSoftwareVersions  dicom.Tag = 0x00181020
	tagStudyInstanceUID  dicom.Tag = 0x0020000D
	tagSeriesInstanceUID dicom.Tag = 0x0020000E
	tagPixelData         dicom.Tag = 0x7FE00010
	dataSetTypeNone                = 0x0101
)

// Message is one DIMSE message: its command set, decoded, and a summary of
// its dataset. Byte slices are views into the [Association]'s buffers, valid
// until the next call to [Association.Next].
type Message struct {
	Command   Command
	ContextID uint8
	// AbstractSyntax and TransferSyntax are those negotiated for ContextID
	// (nil when the association was not seen).
	AbstractSyntax, TransferSyntax []byte

	MessageID, RespondedTo       uint16
	HasMessageID, HasRespondedTo bool
	AffectedSOPClass             []byte
	RequestedSOPClass            []byte
	AffectedSOPInstance          []byte
	RequestedSOPInstance         []byte
	Priority                     Priority
	Status                       Status
	HasStatus                    bool
	ErrorComment                 []byte
	MoveDestination              []byte
	MoveOriginatorAE             []byte
	MoveOriginatorID             uint16
	EventTypeID, ActionTypeID    uint16
	// Sub-operation counts of C-GET and C-MOVE responses; -1 when absent.
	Remaining, Completed, Failed, Warning int

	// HasDataset reports whether the command announces a dataset
	// (Command Data Set Type other than 0x0101).
	HasDataset bool
	// CommandSet is the raw command set.
	CommandSet []byte
	// Dataset is the start of the dataset, at most the association's
	// header budget; DatasetLength is the length of the whole dataset and
	// DatasetTruncated reports that Dataset holds only its start.
	Dataset          []byte
	DatasetLength    int64
	DatasetTruncated bool
	// Incomplete reports a message whose dataset never ended (see
	// [Association.Flush]).
	Incomplete bool

	// Identifier of C-FIND, C-GET and C-MOVE requests and of pending
	// C-FIND responses: the query/retrieve level and the top-level keys.
	QueryLevel []byte
	Query      []Element
	// Object summarises the dataset of a C-STORE-RQ.
	Object Object
}

// Element is a top-level element of an identifier. Value is a view, empty
// for a universal match; sequences have VR SQ and no value.
type Element struct {
	Tag   dicom.Tag
	VR    dicom.VR
	Value []byte
}

// Object summarises a stored object from the start of its dataset (the
// part within the association's MaxDatasetHeader): the values of top-level
// elements, never of elements nested in sequences, as views with their
// space and NUL padding trimmed. A view is empty when its element is
// absent, empty or beyond the header budget.
type Object struct {
	SOPClass, SOPInstance, Modality []byte
	StudyInstanceUID                []byte
	SeriesInstanceUID               []byte
	PatientID                       []byte
	HasPatientName                  bool

	// The equipment that produced the object (the General Equipment
	// module, PS3.3 C.7.5.1) as it wrote itself into the object. The
	// object keeps it wherever it travels: a PACS that sends it on (as a
	// C-MOVE or C-GET sub-operation, or when it forwards) sends the
	// modality's equipment, not its own. Text in SpecificCharacterSet;
	// several values (SoftwareVersions often has a few) stay separated by
	// backslashes as on the wire.
	Manufacturer          []byte // (0008,0070) Manufacturer
	ManufacturerModelName []byte // (0008,1090) Manufacturer's Model Name
	SoftwareVersions      []byte // (0018,1020) Software Versions
	DeviceSerialNumber    []byte // (0018,1000) Device Serial Number
	StationName           []byte // (0008,1010) Station Name
	InstitutionName       []byte // (0008,0080) Institution Name
	// SpecificCharacterSet is (0008,0005), the character set of the text
	// values ([dicom.AppendUTF8] converts them); empty means ASCII.
	SpecificCharacterSet []byte

	// Part10 reports that the dataset was sent as a Part 10 file
	// (with "DICM" and a file meta group), which the standard forbids;
	// Preamble classifies its preamble (executables hidden in it).
	Part10   bool
	Preamble dicom.PreambleKind

	// Executable is the kind of executable header (PE, ELF or Mach-O, by
	// [dicom.InspectExecutable]) that starts the value of the first
	// top-level element of VR OB, OW or UN, or of a private group, before
	// the pixel data (an executable smuggled into the object, a variant of
	// CVE-2019-11687), and ExecutableTag is that element's tag;
	// dicom.PreambleNone and 0 when there is none. Only the header budget
	// is looked at: the start of an element cut by it counts, an element
	// beyond it is not seen.
	Executable    dicom.PreambleKind
	ExecutableTag dicom.Tag
}

// MaxQueryKeys bounds Message.Query.
const MaxQueryKeys = 64

func (m *Message) reset() {
	q := m.Query[:0]
	*m = Message{Query: q, Remaining: -1, Completed: -1, Failed: -1, Warning: -1}
}

// parseCommand decodes a command set (implicit VR little endian).
func (m *Message) parseCommand(p *dicom.Parser, cmd []byte) error {
	m.CommandSet = cmd
	m.HasDataset = true
	if err := p.StartDataset(cmd, dicom.ImplicitVRLittleEndian); err != nil {
		return err
	}
	seenField := false
	for {
		h, err := p.Next()
		if err == io.EOF || err != nil && seenField {
			// The end, or damage after the command field: keep what was read.
			if !seenField {
				return &Error{Offset: int64(len(cmd)), Err: ErrCommand}
			}
			return nil
		}
		if err != nil {
			var off int64
			if e, ok := err.(*dicom.Error); ok {
				off = e.Offset
			}
			return &Error{Offset: off, Err: ErrCommand}
		}
		if h.Depth != 0 {
			continue
		}
		v, err := p.Value()
		if err != nil {
			continue
		}
		switch h.Tag {
		case tagCommandField:
			if len(v) >= 2 {
				m.Command = Command(le16(v))
				seenField = true
			}
		case tagAffectedSOPClass:
			m.AffectedSOPClass = trimUID(v)
		case tagRequestedSOPClass:
			m.RequestedSOPClass = trimUID(v)
		case tagMessageID:
			m.MessageID, m.HasMessageID = u16(v)
		case tagRespondedTo:
			m.RespondedTo, m.HasRespondedTo = u16(v)
		case tagMoveDestination:
			m.MoveDestination = trimAE(v)
		case tagPriority:
			p, _ := u16(v)
			m.Priority = Priority(p)
		case tagDataSetType:
			if t, ok := u16(v); ok {
				m.HasDataset = t != dataSetTypeNone
			}
		case tagStatus:
			st, ok := u16(v)
			m.Status, m.HasStatus = Status(st), ok
		case tagErrorComment:
			m.ErrorComment = trimAE(v)
		case tagAffectedInstance:
			m.AffectedSOPInstance = trimUID(v)
		case tagRequestedInstance:
			m.RequestedSOPInstance = trimUID(v)
		case tagEventTypeID:
			m.EventTypeID, _ = u16(v)
		case tagActionTypeID:
			m.ActionTypeID, _ = u16(v)
		case tagRemaining:
			m.Remaining = count(v)
		case tagCompleted:
			m.Completed = count(v)
		case tagFailed:
			m.Failed = count(v)
		case tagWarning:
			m.Warning = count(v)
		case tagMoveOriginatorAE:
			m.MoveOriginatorAE = trimAE(v)
		case tagMoveOriginatorID:
			m.MoveOriginatorID, _ = u16(v)
		}
	}
}

// parseDataset summarises the buffered start of the dataset.
func (m *Message) parseDataset(p *dicom.Parser, ds []byte) {
	m.Dataset = ds
	var err error
	enc, known := dicom.EncodingOf(m.TransferSyntax)
	switch {
	case isPart10(ds):
		err = p.Start(ds)
		m.Object.Part10 = true
		m.Object.Preamble = dicom.InspectPreamble(p.Preamble())
	case known && (enc == dicom.ExplicitVRBigEndian || enc == dicom.DeflatedExplicitVRLittleEndian):
		err = p.StartDataset(ds, enc)
	default:
		// The content decides between implicit and explicit VR little
		// endian, which senders mix up (and the context may be unknown).
		err = p.Start(ds)
	}
	if err != nil {
		return
	}
	req := m.Command.Request()
	query := req == CFindRQ || req == CGetRQ || req == CMoveRQ
	store := m.Command == CStoreRQ
	next := int64(-1) // offset of the next top-level element when known
	for {
		if m.DatasetTruncated && next >= 0 && !fits(ds, next, p.Encoding()) {
			// Stop before an element cut by the header budget rather than
			// have the parser report (and allocate) an error; the start of
			// its value is still looked at for an executable.
			if store {
				m.Object.cutExecutable(ds, next, p.Encoding())
			}
			return
		}
		next = -1
		h, err := p.Next()
		if err != nil {
			return
		}
		if h.Tag >= tagPixelData {
			return
		}
		if h.Depth != 0 || h.Tag.Group() == 0x0002 {
			continue
		}
		if h.IsSequence() {
			if query && len(m.Query) < MaxQueryKeys {
				m.Query = append(m.Query, Element{Tag: h.Tag, VR: h.VR})
			}
			if p.Skip() != nil {
				return
			}
			next = p.Offset()
			continue
		}
		v, err := p.Value()
		if err != nil {
			return
		}
		next = p.Offset()
		if query {
			if h.Tag == tagQueryLevel {
				m.QueryLevel = trimAE(v)
			} else if len(m.Query) < MaxQueryKeys {
				m.Query = append(m.Query, Element{Tag: h.Tag, VR: h.VR, Value: trimAE(v)})
			}
		}
		if store {
			o := &m.Object
			if o.Executable == dicom.PreambleNone && mayHoldExecutable(h.Tag, h.VR) {
				o.setExecutable(h.Tag, v)
			}
			switch h.Tag {
			case tagSOPClassUID:
				o.SOPClass = trimUID(v)
			case tagSOPInstanceUID:
				o.SOPInstance = trimUID(v)
			case tagModality:
				o.Modality = trimAE(v)
			case tagStudyInstanceUID:
				o.StudyInstanceUID = trimUID(v)
			case tagSeriesInstanceUID:
				o.SeriesInstanceUID = trimUID(v)
			case tagPatientID:
				o.PatientID = trimAE(v)
			case tagPatientName:
				o.HasPatientName = len(trimAE(v)) > 0
			case tagManufacturer:
				o.Manufacturer = trimAE(v)
			case tagModelName:
				o.ManufacturerModelName = trimAE(v)
			case tagSoftwareVersions:
				o.SoftwareVersions = trimAE(v)
			case tagDeviceSerial:
				o.DeviceSerialNumber = trimAE(v)
			case tagStationName:
				o.StationName = trimAE(v)
			case tagInstitutionName:
				o.InstitutionName = trimAE(v)
			case tagCharacterSet:
				o.SpecificCharacterSet = trimAE(v)
			}
		}
	}
}

// fits reports whether the element header at off and its value lie within
// ds, for the native encodings (true for deflate, whose offsets are in the
// inflated bytes: the parser decides).
func fits(ds []byte, off int64, enc dicom.Encoding) bool {
	if off < 0 || off > int64(len(ds)) {
		return false
	}
	b := ds[off:]
	if len(b) < 8 {
		return false
	}
	u16, u32 := le16, le32
	if enc == dicom.ExplicitVRBigEndian {
		u16, u32 = be16, be32
	}
	var length, header uint32
	switch enc {
	case dicom.ImplicitVRLittleEndian:
		length, header = u32(b[4:]), 8
	case dicom.ExplicitVRLittleEndian, dicom.ExplicitVRBigEndian:
		switch string(b[4:6]) {
		case "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "UC", "UN", "UR", "UT", "SV", "UV":
			if len(b) < 12 {
				return false
			}
			length, header = u32(b[8:]), 12
		default:
			length, header = uint32(u16(b[6:])), 8
		}
	default:
		return true
	}
	if length == dicom.UndefinedLength { // the parser walks it
		return true
	}
	return uint64(length)+uint64(header) <= uint64(len(b))
}

// mayHoldExecutable reports whether an element of tag t and VR vr may
// carry an arbitrary file: binary VRs (OB, OW, UN) and private elements
// other than private creators.
func mayHoldExecutable(t dicom.Tag, vr dicom.VR) bool {
	switch vr {
	case dicom.OB, dicom.OW, dicom.UN:
		return true
	}
	return t.IsPrivate() && !t.IsPrivateCreator() && !t.IsGroupLength()
}

// setExecutable records the element t when its value v starts with an
// executable header.
func (o *Object) setExecutable(t dicom.Tag, v []byte) {
	if k := dicom.InspectExecutable(v); k != dicom.PreambleNone {
		o.Executable, o.ExecutableTag = k, t
	}
}

// cutExecutable looks at the element at off of ds, whose value the header
// budget cuts, for an executable at the start of its value (the native
// encodings only: deflated offsets are not offsets in ds).
func (o *Object) cutExecutable(ds []byte, off int64, enc dicom.Encoding) {
	if o.Executable != dicom.PreambleNone || off < 0 || off+8 > int64(len(ds)) {
		return
	}
	b := ds[off:]
	u16 := le16
	if enc == dicom.ExplicitVRBigEndian {
		u16 = be16
	}
	t := dicom.Tag(uint32(u16(b))<<16 | uint32(u16(b[2:])))
	if t >= tagPixelData {
		return
	}
	var vr dicom.VR
	header := 8
	switch enc {
	case dicom.ImplicitVRLittleEndian:
		vr = dicom.UN // the value's VR is the dictionary's; binary or unknown counts
		if de, ok := dicom.Lookup(t); ok {
			vr = de.VR
		}
	case dicom.ExplicitVRLittleEndian, dicom.ExplicitVRBigEndian:
		vr = dicom.VR(uint16(b[4])<<8 | uint16(b[5]))
		switch string(b[4:6]) {
		case "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "UC", "UN", "UR", "UT", "SV", "UV":
			header = 12
		}
	default:
		return
	}
	if vr == dicom.SQ || !mayHoldExecutable(t, vr) || header > len(b) {
		return
	}
	o.setExecutable(t, b[header:])
}

func le32(b []byte) uint32 { return uint32(le16(b)) | uint32(le16(b[2:]))<<16 }

func isPart10(b []byte) bool {
	return len(b) >= 132 && string(b[128:132]) == "DICM" || len(b) >= 4 && string(b[:4]) == "DICM"
}

func le16(b []byte) uint16 { return uint16(b[0]) | uint16(b[1])<<8 }

func u16(v []byte) (uint16, bool) {
	if len(v) < 2 {
		return 0, false
	}
	return le16(v), true
}

func count(v []byte) int {
	if len(v) < 2 {
		return -1
	}
	return int(le16(v))
}

// Priority is the priority of a DIMSE request (0000,0700).
type Priority uint16

// The priorities.
const (
	PriorityMedium Priority = 0
	PriorityHigh   Priority = 1
	PriorityLow    Priority = 2
)

// String returns "medium", "high", "low", or a form like "Priority(3)" for
// another value.
func (p Priority) String() string {
	return nameOrValue([]string{PriorityMedium: "medium", PriorityHigh: "high", PriorityLow: "low"}, int(p), "Priority", false)
}

// Status is the status of a DIMSE response (0000,0900), PS3.7 annex C.
// Print it with a verb such as %04X through uint16(s): fmt applies every
// string verb, %X included, to the name String returns.
type Status uint16

// StatusCategory is the class of a [Status].
type StatusCategory uint8

// The status categories.
const (
	CategorySuccess StatusCategory = iota + 1
	CategoryPending
	CategoryCancel
	CategoryWarning
	CategoryFailure
)

var categoryNames = [...]string{
	CategorySuccess: "success",
	CategoryPending: "pending",
	CategoryCancel:  "cancel",
	CategoryWarning: "warning",
	CategoryFailure: "failure",
}

// String returns "success", "pending", "cancel", "warning", "failure", or a
// form like "StatusCategory(9)" for another value.
func (c StatusCategory) String() string {
	return nameOrValue(categoryNames[:], int(c), "StatusCategory", false)
}

// Category classifies the status (PS3.7 annex C): success 0x0000, pending
// 0xFF00 and 0xFF01, cancel 0xFE00, warning 0x0001, 0x0107, 0x0116 and
// 0xBxxx, and failure for every other code.
func (s Status) Category() StatusCategory {
	switch {
	case s == 0x0000:
		return CategorySuccess
	case s == 0xFF00 || s == 0xFF01:
		return CategoryPending
	case s == 0xFE00:
		return CategoryCancel
	case s == 0x0001 || s == 0x0107 || s == 0x0116 || s&0xF000 == 0xB000:
		return CategoryWarning
	}
	return CategoryFailure
}

// String names the common status codes of PS3.7 and PS3.4, such as
// "success" or "out-of-resources"; for a code it does not know it returns
// the name of its category ("failure", "warning", ...).
func (s Status) String() string {
	switch s {
	case 0x0000:
		return "success"
	case 0xFF00:
		return "pending"
	case 0xFF01:
		return "pending-optional-keys-not-supported"
	case 0xFE00:
		return "cancel"
	case 0x0001:
		return "warning-requested-optional-attributes-not-supported"
	case 0x0107:
		return "warning-attribute-list-error"
	case 0x0116:
		return "warning-attribute-value-out-of-range"
	case 0xB000:
		return "warning-coercion-or-sub-operations-failed"
	case 0xB006:
		return "warning-elements-discarded"
	case 0xB007:
		return "warning-dataset-does-not-match-sop-class"
	case 0x0105:
		return "no-such-attribute"
	case 0x0106:
		return "invalid-attribute-value"
	case 0x0110:
		return "processing-failure"
	case 0x0111:
		return "duplicate-sop-instance"
	case 0x0112:
		return "no-such-sop-instance"
	case 0x0117:
		return "invalid-object-instance"
	case 0x0118:
		return "no-such-sop-class"
	case 0x0119:
		return "class-instance-conflict"
	case 0x0120:
		return "missing-attribute"
	case 0x0121:
		return "missing-attribute-value"
	case 0x0122:
		return "sop-class-not-supported"
	case 0x0124:
		return "not-authorized"
	case 0x0210:
		return "duplicate-invocation"
	case 0x0211:
		return "unrecognized-operation"
	case 0x0212:
		return "mistyped-argument"
	case 0x0213:
		return "resource-limitation"
	case 0xA700:
		return "out-of-resources"
	case 0xA701:
		return "out-of-resources-number-of-matches"
	case 0xA702:
		return "out-of-resources-sub-operations"
	case 0xA801:
		return "move-destination-unknown"
	case 0xA900:
		return "identifier-does-not-match-sop-class"
	case 0xC000:
		return "unable-to-process"
	}
	return s.Category().String()
}
