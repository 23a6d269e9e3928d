package fingerprint

import (
	"github.com/medtap/medtap/dicom/ul"
	"github.com/medtap/medtap/fingerprint/devdb"
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/dicomflow"
)

// roleOf names the roles the endpoints of an event play: which side of a
// protocol a device is on. "" for none.
func roleOf(e *flow.Event) (src, dst string) {
	switch e.Protocol {
	case "dicom":
		switch e.Kind {
		case dicomflow.KindAssociateRQ:
			return "dicom-scu", "dicom-scp"
		case dicomflow.KindAssociateAC:
			return "dicom-scp", "dicom-scu"
		}
	case "hl7":
		if e.Kind == "message" {
			return "hl7-sender", "hl7-receiver"
		}
	case "astm":
		if e.Kind == "session" {
			return "astm-sender", "astm-receiver"
		}
	case "intellivue":
		if e.Kind == "connect-indication" || e.Kind == "mds-create" {
			return "patient-monitor", ""
		}
	case "poct1a":
		if e.Kind == "hello" {
			return "poct-device", "poct-manager"
		}
	case "dhcp":
		switch e.Kind {
		case "offer", "ack", "advertise", "reply":
			return "dhcp-server", ""
		}
	case "http":
		if e.Kind == "request" {
			return "http-client", "http-server"
		}
	case "smb":
		if e.Kind == "negotiate" {
			return "smb-client", "smb-server"
		}
	case "snmp":
		if e.Kind == "response" {
			return "snmp-agent", "snmp-manager"
		}
	}
	return "", ""
}

// dicomBehaviour counts what a device did in DICOM, the evidence for the
// classes behaviour alone gives: a PACS stores, answers queries and
// performs moves; a viewing workstation queries, moves and is a move
// destination; a modality stores images of its modality.
type dicomBehaviour struct {
	storedAsSCP   int // C-STORE-RSP sent, success
	storesSent    int // C-STORE-RQ sent, not as a C-MOVE/C-GET sub-operation
	findsAnswered int // C-FIND-RSP sent
	movesDone     int // C-MOVE-RSP or C-GET-RSP sent
	queriesSent   int // C-FIND-RQ, C-MOVE-RQ, C-GET-RQ sent
	retrievesSent int // C-MOVE-RQ, C-GET-RQ sent
	movedTo       int // C-STORE-RQ received as a C-MOVE's destination
	modality      string
	modalities    int // modalities of the stores sent: 0, 1, or 2 for more than one
}

func (b *dicomBehaviour) dimse(src, dst *device, m *ul.Message) {
	switch m.Command {
	case ul.CStoreRSP:
		if m.HasStatus && m.Status == 0 {
			src.dicom.storedAsSCP++
		}
	case ul.CStoreRQ:
		if len(m.MoveOriginatorAE) > 0 {
			dst.dicom.movedTo++
			return
		}
		src.dicom.storesSent++
		switch mod := m.Object.Modality; {
		case len(mod) == 0 || string(mod) == src.dicom.modality:
		case src.dicom.modality == "":
			src.dicom.modality = string(mod)
			src.dicom.modalities = 1
		default:
			src.dicom.modalities = 2
		}
	case ul.CFindRSP:
		src.dicom.findsAnswered++
	case ul.CMoveRSP, ul.CGetRSP:
		src.dicom.movesDone++
	case ul.CFindRQ:
		src.dicom.queriesSent++
	case ul.CMoveRQ, ul.CGetRQ:
		src.dicom.queriesSent++
		src.dicom.retrievesSent++
	}
}

// behaviourClass returns the class behaviour alone gives a device (a
// devdb class name, with ":" and the modality for a modality), and the
// rule that gave it, or "". hl7Senders counts the devices seen sending HL7
// to it.
func (d *device) behaviourClass(hl7Senders int) (class, rule string) {
	b := &d.dicom
	switch {
	case b.storedAsSCP > 0 && b.findsAnswered > 0 && b.movesDone > 0:
		return string(devdb.ClassPACS), "behaviour:dicom-scp-stores-finds-moves"
	case b.queriesSent > 0 && b.movedTo > 0:
		return string(devdb.ClassWorkstation), "behaviour:dicom-query-and-move-destination"
	case b.storesSent > 0 && b.modalities == 1 && b.storedAsSCP == 0 && b.findsAnswered == 0:
		return string(devdb.ClassModality) + ":" + b.modality, "behaviour:dicom-stores-one-modality"
	case b.movedTo > 0 && b.storesSent == 0 && b.findsAnswered == 0 && b.movesDone == 0:
		// Receives images only as where a C-MOVE sends them: the
		// viewer a workstation moves studies to.
		return string(devdb.ClassWorkstation), "behaviour:dicom-move-destination"
	case b.retrievesSent > 0 && b.storesSent == 0 && b.findsAnswered == 0 && b.movesDone == 0:
		// Queries and retrieves, stores nothing of its own: the query side
		// of a viewing workstation (a C-FIND alone, as a scanner sends,
		// says nothing).
		return string(devdb.ClassWorkstation), "behaviour:dicom-query-retrieve-scu"
	case hl7Senders >= 2 && d.hasRole("hl7-receiver"):
		return string(devdb.ClassInterfaceEngine), "behaviour:hl7-receiver-of-several-senders"
	case d.hasRole("astm-receiver"):
		return string(devdb.ClassLabMiddleware), "behaviour:astm-receiver" // the LIS: devdb has no class of its own for it
	case d.hasRole("astm-sender"):
		return string(devdb.ClassLabAnalyser), "behaviour:astm-sender-only"
	case d.hasRole("patient-monitor"):
		return string(devdb.ClassMonitor), "behaviour:intellivue-mds"
	case d.hasRole("poct-device"):
		return string(devdb.ClassLabAnalyser), "behaviour:poct1a-device"
	case d.hl7Sent&(hl7SentADT|hl7SentORM) != 0 && !d.hasRole("hl7-receiver"):
		// ADT (patient administration) and ORM (orders) feeds come from
		// the EHR or hospital information system and its order entry.
		return string(devdb.ClassEHR), "behaviour:hl7-adt-or-order-sender"
	}
	return "", ""
}

func (d *device) hasRole(r string) bool { _, ok := d.roles[r]; return ok }

// The HL7 message types a device sent that behaviour classes come from.
const (
	hl7SentADT uint8 = 1 << iota // ADT^*: patient administration
	hl7SentORM                   // ORM^*, OML^*: orders
)

// hl7SentOf returns the hl7Sent bit of an HL7 message type (MSH-9).
func hl7SentOf(t []byte) uint8 {
	if len(t) < 3 {
		return 0
	}
	switch string(t[:3]) {
	case "ADT":
		return hl7SentADT
	case "ORM", "OML":
		return hl7SentORM
	}
	return 0
}

// merge adds what another address of the same device did.
func (b *dicomBehaviour) merge(o *dicomBehaviour) {
	b.storedAsSCP += o.storedAsSCP
	b.storesSent += o.storesSent
	b.findsAnswered += o.findsAnswered
	b.movesDone += o.movesDone
	b.queriesSent += o.queriesSent
	b.retrievesSent += o.retrievesSent
	b.movedTo += o.movedTo
	switch {
	case o.modalities == 0:
	case b.modalities == 0:
		b.modality, b.modalities = o.modality, o.modalities
	case o.modalities > 1 || o.modality != b.modality:
		b.modalities = 2
	}
}
