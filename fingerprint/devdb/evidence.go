package devdb

import "strconv"

// Caps on the repeated fields of [Evidence].
const (
	MaxAETitles   = 4 // AE titles kept per device
	MaxSOPClasses = 8 // SOP classes sent, and served, per device
)

// Evidence is what is known of one device, as plain values that the
// inventory fills from events. Empty fields are unknown. Text fields are
// compared with leading and trailing spaces and NULs removed (DICOM pads
// values with them), so the inventory may store them as seen.
//
// Matching reads Evidence and never keeps it; the strings may be views
// that the caller reuses after [Database.Match] returns.
type Evidence struct {
	// MAC is the device's Ethernet address, valid when HasMAC is set.
	// Tests on "mac" compare its 12 upper-case hexadecimal digits
	// ("0009FB1A2B3C"); tests on "oui" compare the organisation the IEEE
	// registry assigned its prefix to (longest of MA-S, MA-M, MA-L).
	MAC    [6]byte
	HasMAC bool

	// DICOM: the Implementation Class UID (A-ASSOCIATE user information
	// item 52H, or file meta (0002,0012)) and Implementation Version Name
	// (item 55H, or (0002,0013)) — "dicom.uid", "dicom.version".
	ImplementationUID     string
	ImplementationVersion string
	// AETitles the device called from or was called as ("dicom.ae").
	AETitles [MaxAETitles]string
	// Of the objects the device sent: Manufacturer (0008,0070),
	// ManufacturerModelName (0008,1090), SoftwareVersions (0018,1020, its
	// values joined by '\'), Modality (0008,0060) — "dicom.manufacturer",
	// "dicom.model", "dicom.software", "dicom.modality".
	Manufacturer     string
	Model            string
	SoftwareVersions string
	Modality         string
	// SOP class UIDs the device sent (as SCU: C-STORE, C-FIND, ...) and
	// served (as SCP) — "dicom.sop-sent", "dicom.sop-served".
	SOPClassesSent   [MaxSOPClasses]string
	SOPClassesServed [MaxSOPClasses]string

	// HL7 v2: MSH-3 sending application and MSH-4 sending facility as sent,
	// components joined by '^' ("hl7.app", "hl7.facility").
	HL7SendingApp      string
	HL7SendingFacility string
	// UDI is a unique device identifier's device identifier (HL7 PRT-16..22,
	// OBX-18, EQU-1): a GS1 GTIN ("(01)" and 14 digits, or the 14 digits) or
	// a HIBCC "+" labeler code and product ("udi"). Tests on issuer
	// prefixes name the labeler.
	UDI string

	// ASTMSender is the ASTM E1394 header's sender field (H-5), components
	// joined by '^' ("astm.sender").
	ASTMSender string

	// Philips IntelliVue MDS manufacturer and model ("intellivue.manufacturer",
	// "intellivue.model").
	IntelliVueManufacturer string
	IntelliVueModel        string

	// POCT1-A device vendor and model ("poct.vendor", "poct.model").
	POCTVendor string
	POCTModel  string

	// P0F is a TCP SYN or SYN+ACK signature in p0f's raw_sig notation,
	// "ver:ttl+dist:olen:mss:wsize,scale:olayout:quirks:pclass" ("p0f").
	P0F string

	// DHCP: option 55 (parameter request list) as decimal codes joined by
	// ',' ("1,3,6,15"), option 60 vendor class and option 12 host name
	// ("dhcp.params", "dhcp.vendor-class", "dhcp.hostname").
	DHCPParams      string
	DHCPVendorClass string
	DHCPHostName    string

	// HTTP User-Agent sent and Server returned ("http.user-agent",
	// "http.server").
	HTTPUserAgent string
	HTTPServer    string

	// TLS client fingerprints ("tls.ja3" as its MD5 in hex, "tls.ja4").
	JA3 string
	JA4 string

	// SMBOS is the operating system from SMB/NTLMSSP: medtap's name of the
	// NTLM version ("Windows 7 SP1 / Server 2008 R2 (6.1.7601)", see
	// netproto/ntlmssp) or else SMB1's native OS string ("smb.os").
	SMBOS string

	// SNMP sysDescr and sysObjectID in dotted form ("snmp.sysdescr",
	// "snmp.sysobjectid").
	SNMPSysDescr    string
	SNMPSysObjectID string

	// LLDP-MED inventory manufacturer and model name ("lldp.manufacturer",
	// "lldp.model").
	LLDPManufacturer string
	LLDPModel        string
}

// A Field names what a test looks at: one field of [Evidence].
type Field uint8

// The fields, with their names in database files.
const (
	FieldMAC                    Field = iota // mac
	FieldOUI                                 // oui
	FieldImplementationUID                   // dicom.uid
	FieldImplementationVersion               // dicom.version
	FieldAETitle                             // dicom.ae
	FieldManufacturer                        // dicom.manufacturer
	FieldModel                               // dicom.model
	FieldSoftwareVersions                    // dicom.software
	FieldModality                            // dicom.modality
	FieldSOPClassSent                        // dicom.sop-sent
	FieldSOPClassServed                      // dicom.sop-served
	FieldHL7SendingApp                       // hl7.app
	FieldHL7SendingFacility                  // hl7.facility
	FieldUDI                                 // udi
	FieldASTMSender                          // astm.sender
	FieldIntelliVueManufacturer              // intellivue.manufacturer
	FieldIntelliVueModel                     // intellivue.model
	FieldPOCTVendor                          // poct.vendor
	FieldPOCTModel                           // poct.model
	FieldP0F                                 // p0f
	FieldDHCPParams                          // dhcp.params
	FieldDHCPVendorClass                     // dhcp.vendor-class
	FieldDHCPHostName                        // dhcp.hostname
	FieldHTTPUserAgent                       // http.user-agent
	FieldHTTPServer                          // http.server
	FieldJA3                                 // tls.ja3
	FieldJA4                                 // tls.ja4
	FieldSMBOS                               // smb.os
	FieldSNMPSysDescr                        // snmp.sysdescr
	FieldSNMPSysObjectID                     // snmp.sysobjectid
	FieldLLDPManufacturer                    // lldp.manufacturer
	FieldLLDPModel                           // lldp.model
	numFields
)

var fieldNames = [numFields]string{
	"mac", "oui", "dicom.uid", "dicom.version", "dicom.ae",
	"dicom.manufacturer", "dicom.model", "dicom.software", "dicom.modality",
	"dicom.sop-sent", "dicom.sop-served", "hl7.app", "hl7.facility", "udi",
	"astm.sender", "intellivue.manufacturer", "intellivue.model",
	"poct.vendor", "poct.model", "p0f", "dhcp.params", "dhcp.vendor-class",
	"dhcp.hostname", "http.user-agent", "http.server", "tls.ja3", "tls.ja4",
	"smb.os", "snmp.sysdescr", "snmp.sysobjectid", "lldp.manufacturer",
	"lldp.model",
}

// String returns the field's name as written in database files.
func (f Field) String() string {
	if f < numFields {
		return fieldNames[f]
	}
	return "Field(" + strconv.Itoa(int(f)) + ")"
}

// ParseField returns the field named s, and whether s names one.
func ParseField(s string) (Field, bool) {
	for i, n := range fieldNames {
		if n == s {
			return Field(i), true
		}
	}
	return 0, false
}

// value returns the single value of field f (not mac, oui, dicom.ae,
// dicom.sop-*).
func (ev *Evidence) value(f Field) string {
	switch f {
	case FieldImplementationUID:
		return ev.ImplementationUID
	case FieldImplementationVersion:
		return ev.ImplementationVersion
	case FieldManufacturer:
		return ev.Manufacturer
	case FieldModel:
		return ev.Model
	case FieldSoftwareVersions:
		return ev.SoftwareVersions
	case FieldModality:
		return ev.Modality
	case FieldHL7SendingApp:
		return ev.HL7SendingApp
	case FieldHL7SendingFacility:
		return ev.HL7SendingFacility
	case FieldUDI:
		return ev.UDI
	case FieldASTMSender:
		return ev.ASTMSender
	case FieldIntelliVueManufacturer:
		return ev.IntelliVueManufacturer
	case FieldIntelliVueModel:
		return ev.IntelliVueModel
	case FieldPOCTVendor:
		return ev.POCTVendor
	case FieldPOCTModel:
		return ev.POCTModel
	case FieldP0F:
		return ev.P0F
	case FieldDHCPParams:
		return ev.DHCPParams
	case FieldDHCPVendorClass:
		return ev.DHCPVendorClass
	case FieldDHCPHostName:
		return ev.DHCPHostName
	case FieldHTTPUserAgent:
		return ev.HTTPUserAgent
	case FieldHTTPServer:
		return ev.HTTPServer
	case FieldJA3:
		return ev.JA3
	case FieldJA4:
		return ev.JA4
	case FieldSMBOS:
		return ev.SMBOS
	case FieldSNMPSysDescr:
		return ev.SNMPSysDescr
	case FieldSNMPSysObjectID:
		return ev.SNMPSysObjectID
	case FieldLLDPManufacturer:
		return ev.LLDPManufacturer
	case FieldLLDPModel:
		return ev.LLDPModel
	}
	return ""
}
