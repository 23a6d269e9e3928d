package devdb

import "strconv"

// A Class is the kind of device an entry describes, from a fixed taxonomy.
// Its text is the name used in database files and in medtap's JSON.
type Class string

// The device classes. [ClassUnknown] is the class of an entry that names a
// vendor, a software stack or an operating system but not what the device
// does; the inventory then takes the class from behaviour.
const (
	ClassUnknown         Class = "unknown"
	ClassModality        Class = "modality"         // imaging or diagnostic modality (CT, MR, US, CR, DX, ECG, ...)
	ClassPACS            Class = "pacs"             // picture archive, DICOM archive or image manager
	ClassWorkstation     Class = "workstation"      // DICOM viewing or reporting workstation
	ClassRIS             Class = "ris"              // radiology information system, worklist provider
	ClassMonitor         Class = "monitor"          // patient monitor
	ClassMonitorGateway  Class = "monitor-gateway"  // central station or monitoring gateway
	ClassPump            Class = "pump"             // infusion pump
	ClassPumpGateway     Class = "pump-gateway"     // infusion pump server or gateway
	ClassLabAnalyser     Class = "lab-analyser"     // laboratory or point-of-care analyser
	ClassLabMiddleware   Class = "lab-middleware"   // laboratory middleware or laboratory information system
	ClassVentilator      Class = "ventilator"       // ventilator or anaesthesia machine
	ClassInterfaceEngine Class = "interface-engine" // HL7 interface engine or integration platform
	ClassEHR             Class = "ehr"              // electronic health record, hospital information system
	ClassIoTGateway      Class = "iot-gateway"      // medical IoT or device-connectivity gateway
	ClassPrinter         Class = "printer"          // printer, film printer, label printer
	ClassITWorkstation   Class = "it-workstation"   // general-purpose desktop or laptop
	ClassITServer        Class = "it-server"        // general-purpose server
	ClassNetwork         Class = "network"          // switch, router, firewall, access point
)

// Classes lists every class, [ClassUnknown] last.
var Classes = [...]Class{
	ClassModality, ClassPACS, ClassWorkstation, ClassRIS, ClassMonitor,
	ClassMonitorGateway, ClassPump, ClassPumpGateway, ClassLabAnalyser,
	ClassLabMiddleware, ClassVentilator, ClassInterfaceEngine, ClassEHR,
	ClassIoTGateway, ClassPrinter, ClassITWorkstation, ClassITServer,
	ClassNetwork, ClassUnknown,
}

// String returns the class's name; the zero Class is "unknown".
func (c Class) String() string {
	if c == "" {
		return string(ClassUnknown)
	}
	return string(c)
}

// ParseClass returns the class named s, and whether s names one.
func ParseClass(s string) (Class, bool) {
	for _, c := range Classes {
		if string(c) == s {
			return c, true
		}
	}
	return ClassUnknown, false
}

// Criticality says how much patient safety depends on a device.
type Criticality uint8

// Criticality levels, lowest first.
const (
	CriticalityUnknown  Criticality = iota
	CriticalityLow                  // loss disturbs work, not care
	CriticalityMedium               // loss delays care
	CriticalityHigh                 // loss stops diagnosis or treatment
	CriticalityCritical             // life-sustaining or real-time patient monitoring
)

var criticalityNames = [...]string{"unknown", "low", "medium", "high", "critical"}

// String returns the level's name ("high"), or "Criticality(9)" for a value
// out of range.
func (c Criticality) String() string {
	if int(c) < len(criticalityNames) {
		return criticalityNames[c]
	}
	return "Criticality(" + strconv.Itoa(int(c)) + ")"
}

// ParseCriticality returns the level named s, and whether s names one.
func ParseCriticality(s string) (Criticality, bool) {
	for i, n := range criticalityNames {
		if n == s {
			return Criticality(i), true
		}
	}
	return CriticalityUnknown, false
}

// Criticality returns the default criticality of a device of class c, used
// for an entry that states none:
//
//	critical  monitor, pump, ventilator
//	high      modality, pacs, monitor-gateway, pump-gateway, lab-analyser,
//	          interface-engine, ehr
//	medium    workstation, ris, lab-middleware, iot-gateway, it-server, network
//	low       printer, it-workstation
//	unknown   unknown
func (c Class) Criticality() Criticality {
	switch c {
	case ClassMonitor, ClassPump, ClassVentilator:
		return CriticalityCritical
	case ClassModality, ClassPACS, ClassMonitorGateway, ClassPumpGateway,
		ClassLabAnalyser, ClassInterfaceEngine, ClassEHR:
		return CriticalityHigh
	case ClassWorkstation, ClassRIS, ClassLabMiddleware, ClassIoTGateway,
		ClassITServer, ClassNetwork:
		return CriticalityMedium
	case ClassPrinter, ClassITWorkstation:
		return CriticalityLow
	}
	return CriticalityUnknown
}

// A Kind says what an entry identifies.
type Kind uint8

// Entry kinds.
const (
	// KindDevice: a device family (a product line of a vendor, or a
	// vendor when only the vendor is known).
	KindDevice Kind = iota
	// KindSoftware: a software stack that many products embed (a DICOM
	// toolkit): it names the software, and the device only when nothing
	// else does.
	KindSoftware
	// KindOS: an operating system.
	KindOS
)

var kindNames = [...]string{"device", "software", "os"}

// String returns the kind's name as written in database files.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

func parseKind(s string) (Kind, bool) {
	for i, n := range kindNames {
		if n == s {
			return Kind(i), true
		}
	}
	return 0, false
}
